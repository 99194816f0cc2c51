// The CRDs `pledge validate` and `pledge render` derive from XRD files: a v2 XRD without scope is Namespaced, as the
// API server (pledge.dev/v2) and Crossplane (apiextensions.crossplane.io/v2) default it; a v1 one is LegacyCluster.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { definedCrds } from './schemas.ts';

const xrd = (apiVersion: string) => ({
  apiVersion,
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'xapps.example.org' },
  spec: { group: 'example.org', names: { kind: 'XApp', plural: 'xapps' }, versions: [{ name: 'v1', served: true, referenceable: true }] },
});
const scopes = (apiVersion: string) => definedCrds([xrd(apiVersion)]).map((c) => `${(c.spec.names as { kind: string }).kind} ${String(c.spec.scope)}`);

describe('CRDs defined by XRD files without spec.scope', () => {
  it('pledge.dev/v2 and apiextensions.crossplane.io/v2: a namespaced composite, no claim', () => {
    assert.deepEqual(scopes('pledge.dev/v2'), ['XApp Namespaced']);
    assert.deepEqual(scopes('apiextensions.crossplane.io/v2'), ['XApp Namespaced']);
  });
  it('pledge.dev/v1: a cluster-scoped composite (LegacyCluster)', () => {
    assert.deepEqual(scopes('pledge.dev/v1'), ['XApp Cluster']);
  });
});

// XRD scopes in the CRDs an XRD becomes, and in what a composite applies (no API server: pure functions).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { desiredObject } from './composed-object.ts';
import { compositionFields, compositionFieldsPatch, type Composite, type CompositeResourceDefinition, type XrdScope } from './types.ts';
import { claimCrd, compositeCrd } from './xrd-to-crd.ts';

function xrd(scope?: XrdScope): CompositeResourceDefinition {
  return {
    apiVersion: 'pledge.dev/v1',
    kind: 'CompositeResourceDefinition',
    metadata: { name: 'xapps.platform.example.org', uid: 'u1' },
    spec: {
      group: 'platform.example.org',
      names: { kind: 'XApp', plural: 'xapps' },
      claimNames: { kind: 'App', plural: 'apps' },
      versions: [{ name: 'v1alpha1', served: true, referenceable: true }],
      ...(scope ? { scope } : {}),
    },
  };
}

type CrdSpec = { scope: string; names: { kind: string }; versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: object } } } } }> };
const specOf = (crd: { spec: unknown } | undefined) => crd?.spec as CrdSpec | undefined;
const specFields = (crd: ReturnType<typeof compositeCrd>) => Object.keys(specOf(crd)?.versions[0]?.schema.openAPIV3Schema.properties.spec.properties ?? {}).sort();

describe('the CRDs of each scope', () => {
  it('absent scope is LegacyCluster: cluster-scoped, composition fields at the top of spec, a claim', () => {
    for (const legacy of [xrd(), xrd('LegacyCluster')]) {
      const crd = compositeCrd(legacy);
      assert.equal(specOf(crd)?.scope, 'Cluster');
      assert.deepEqual(specFields(crd), ['claimRef', 'compositionRef', 'compositionRevisionRef', 'compositionSelector', 'compositionUpdatePolicy', 'resourceRefs', 'writeConnectionSecretToRef']);
      assert.equal(specOf(claimCrd(legacy))?.names.kind, 'App');
    }
  });

  it('Namespaced and Cluster: composition fields under spec.crossplane, no claimRef, no claim CRD even with claimNames', () => {
    const namespaced = compositeCrd(xrd('Namespaced'));
    assert.equal(specOf(namespaced)?.scope, 'Namespaced');
    assert.deepEqual(specFields(namespaced), ['crossplane', 'writeConnectionSecretToRef']);
    assert.equal(specOf(compositeCrd(xrd('Cluster')))?.scope, 'Cluster');
    assert.equal(claimCrd(xrd('Namespaced')), undefined);
    assert.equal(claimCrd(xrd('Cluster')), undefined);
  });
});

describe('composition fields by scope', () => {
  const xr = { spec: { compositionRef: { name: 'top' }, crossplane: { compositionRef: { name: 'nested' } } } } as unknown as Composite;
  it('read and written under spec.crossplane for v2-style XRDs only', () => {
    assert.equal(compositionFields(xrd(), xr).compositionRef?.name, 'top');
    assert.equal(compositionFields(xrd('Namespaced'), xr).compositionRef?.name, 'nested');
    assert.equal(compositionFields(xrd('Cluster'), { spec: {} } as Composite).compositionRef, undefined);
    assert.deepEqual(compositionFieldsPatch(xrd('Cluster'), { resourceRefs: [] }), { spec: { crossplane: { resourceRefs: [] } } });
    assert.deepEqual(compositionFieldsPatch(xrd(), { resourceRefs: [] }), { spec: { resourceRefs: [] } });
  });
});

describe('what a composite applies', () => {
  const revision = { spec: { compositeTypeRef: { apiVersion: 'platform.example.org/v1alpha1', kind: 'XApp' }, resources: [{ name: 'db', base: {}, connectionDetails: [{ type: 'FromConnectionSecretKey' as const, name: 'url', fromConnectionSecretKey: 'url' }] }] } };
  const composed = { name: 'db', resource: { apiVersion: 'rds.aws.m.pledge.dev/v1', kind: 'DBInstance', spec: { forProvider: {} } } };

  it("a namespaced composite's resource: in its namespace, its secret there too (no namespace in the ref), Crossplane's composite label", () => {
    const xr = { apiVersion: 'platform.example.org/v1alpha1', kind: 'XApp', metadata: { name: 'shop', namespace: 'team-a', uid: 'u2' }, spec: {} } as Composite;
    const desired = desiredObject(xr, revision as never, composed);
    assert.equal(desired.metadata?.namespace, 'team-a');
    assert.deepEqual(desired.spec?.writeConnectionSecretToRef, { name: 'shop-db' });
    assert.equal(desired.metadata?.labels?.['crossplane.io/composite'], 'shop');
    assert.equal(desired.metadata?.labels?.['crossplane.io/claim-name'], undefined);
  });

  it("a claim's composite: Crossplane's and Pledge's claim labels; a nested composite passes the root's composite label on", () => {
    const xr = {
      apiVersion: 'platform.example.org/v1alpha1',
      kind: 'XApp',
      metadata: { name: 'shop-1a2b3c', labels: { 'crossplane.io/claim-name': 'shop', 'crossplane.io/claim-namespace': 'team-a', 'crossplane.io/composite': 'root-xr' } },
      spec: { claimRef: { apiVersion: 'platform.example.org/v1alpha1', kind: 'App', name: 'shop', namespace: 'team-a' } },
    } as Composite;
    const labels = desiredObject(xr, revision as never, composed).metadata?.labels;
    assert.equal(labels?.['crossplane.io/claim-name'], 'shop');
    assert.equal(labels?.['crossplane.io/claim-namespace'], 'team-a');
    assert.equal(labels?.['crossplane.io/composite'], 'root-xr');
    assert.equal(labels?.['pledge.dev/claim-name'], 'shop');
    assert.equal(labels?.['pledge.dev/composite'], 'shop-1a2b3c');
  });
});

// The CompositeResourceDefinition CRD: served as pledge.dev/v1 (stored; scope defaults to LegacyCluster, Crossplane
// v1's XRDs) and pledge.dev/v2 (scope defaults to Namespaced, Crossplane v2's), the same schema otherwise.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compositionCrds } from './pledge-crds.ts';

interface Version {
  name: string;
  served: boolean;
  storage: boolean;
  schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, { default?: unknown }> } } } };
}

const xrdCrd = compositionCrds().find((c) => c.metadata.name === 'compositeresourcedefinitions.pledge.dev');
const versions = (xrdCrd?.spec.versions ?? []) as Version[];
const version = (name: string) => versions.find((v) => v.name === name);
const specProps = (v: Version | undefined) => v?.schema.openAPIV3Schema.properties.spec.properties;

describe('the CompositeResourceDefinition CRD', () => {
  it('serves v1 (stored) and v2 (not stored), with no conversion webhook', () => {
    assert.deepEqual(versions.map((v) => [v.name, v.served, v.storage]), [['v1', true, true], ['v2', true, false]]);
    assert.equal((xrdCrd?.spec.conversion as { strategy?: string } | undefined)?.strategy ?? 'None', 'None');
  });

  it('spec.scope defaults to LegacyCluster in v1 and Namespaced in v2', () => {
    assert.equal(specProps(version('v1'))?.scope?.default, 'LegacyCluster');
    assert.equal(specProps(version('v2'))?.scope?.default, 'Namespaced');
  });

  it('the two schemas differ in the scope default and its description only', () => {
    const strip = (v: Version | undefined) => {
      const copy = structuredClone(v) as Version;
      const scope = copy.schema.openAPIV3Schema.properties.spec.properties.scope as Record<string, unknown>;
      delete scope.default;
      delete scope.description;
      return { ...copy, name: '', storage: false };
    };
    assert.deepEqual(strip(version('v2')), strip(version('v1')));
  });

  it('the other kinds are served as v1 only', () => {
    for (const crd of compositionCrds().filter((c) => c.metadata.name !== xrdCrd?.metadata.name)) {
      assert.deepEqual((crd.spec.versions as Version[]).map((v) => v.name), ['v1'], crd.metadata.name);
    }
  });
});

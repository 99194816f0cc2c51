import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CustomResourceDefinition, JSONSchema } from '../crd/index.ts';
import { indexCrds, SchemaValidator } from './schema-validator.ts';

const schema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      required: ['size'],
      properties: {
        size: { 'x-kubernetes-int-or-string': true },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
        labels: { type: 'object', additionalProperties: { type: 'string' } },
        rules: { type: 'array', 'x-kubernetes-list-type': 'map', 'x-kubernetes-list-map-keys': ['name'], items: { type: 'object', properties: { name: { type: 'string' } } } },
        note: { type: 'string', nullable: true, 'x-kubernetes-validations': [{ rule: 'self.size() < 10' }] },
      },
    },
  },
} as unknown as JSONSchema;

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'things.example.org' },
  spec: { group: 'example.org', names: { kind: 'Thing', plural: 'things' }, scope: 'Cluster', versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: schema } }] },
} as unknown as CustomResourceDefinition;

const thing = (spec: Record<string, unknown>, metadata: Record<string, unknown> = { name: 't' }) => ({ apiVersion: 'example.org/v1', kind: 'Thing', metadata, spec });

describe('SchemaValidator over a structural schema', () => {
  const v = new SchemaValidator(indexCrds([crd]));

  it('int-or-string takes either, nothing else', async () => {
    assert.deepEqual(await v.validate(thing({ size: 3 })), []);
    assert.deepEqual(await v.validate(thing({ size: '50%' })), []);
    const problems = await v.validate(thing({ size: true }));
    assert.ok(problems?.some((p) => p.field === 'spec.size'), JSON.stringify(problems));
  });

  it('preserve-unknown-fields keeps anything below it; elsewhere an undeclared field is a problem with its path', async () => {
    assert.deepEqual(await v.validate(thing({ size: 1, free: { any: { deep: [1] } } })), []);
    assert.deepEqual(await v.validate(thing({ size: 1, rules: [{ name: 'a', nmae: 'b' }] })), [
      { path: ['spec', 'rules', 0, 'nmae'], field: 'spec.rules[0].nmae', message: 'field not declared in the schema' },
    ]);
  });

  it('Kubernetes keywords (list types, CEL rules, nullable) are accepted by the compiler, metadata is ObjectMeta', async () => {
    assert.deepEqual(await v.validate(thing({ size: 1, note: null, labels: { a: 'b' } })), []);
    assert.deepEqual(await v.validate(thing({ size: 1 }, { name: 't', labels: { 'a.b/c': 2 } })), [
      { path: ['metadata', 'labels', 'a.b/c'], field: 'metadata.labels["a.b/c"]', message: 'must be string' },
    ]);
  });

  it('required fields are reported unless partial (a base template); unknown kinds are undefined', async () => {
    assert.deepEqual(await v.validate(thing({})), [{ path: ['spec', 'size'], field: 'spec.size', message: 'required field is missing' }]);
    assert.deepEqual(await v.validate(thing({}), true), []);
    assert.equal(await v.validate({ apiVersion: 'example.org/v1', kind: 'Other' }), undefined);
  });

  it('compiles a kind once, on first use', async () => {
    const fresh = new SchemaValidator(indexCrds([crd]));
    assert.equal(fresh.compiledCount, 0);
    await fresh.validate(thing({ size: 1 }));
    await fresh.validate(thing({ size: 2 }));
    assert.equal(fresh.compiledCount, 1);
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JSONSchema } from '../../core/crd/index.ts';
import { missingField } from './composition-checks.ts';

const schema: JSONSchema = {
  type: 'object',
  properties: {
    spec: {
      type: 'object',
      properties: {
        tags: { type: 'object', additionalProperties: { type: 'string' } },
        rules: { type: 'array', items: { type: 'object', properties: { days: { type: 'integer' } } } },
        free: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
      },
    },
  },
};

describe('missingField: a field path against a schema', () => {
  it('finds declared fields, map keys, array items and wildcards; metadata and the root fields', () => {
    for (const path of ['spec.tags', 'spec.tags[team.name/x]', 'spec.rules[3].days', 'spec.rules[*].days', 'spec.free.anything.below', 'metadata.labels[app]', 'metadata.name', 'kind']) {
      assert.equal(missingField(schema, path), undefined, path);
    }
  });

  it('names the first segment that is not there', () => {
    assert.equal(missingField(schema, 'spec.regoin'), 'spec.regoin');
    assert.equal(missingField(schema, 'spec.rules[0].dayz'), 'spec.rules[0].dayz');
    assert.equal(missingField(schema, 'spec.tags.a.b'), 'spec.tags.a.b');
    assert.equal(missingField(schema, 'metadata.nmae'), 'metadata.nmae');
    assert.match(missingField(schema, 'spec..x') ?? '', /^invalid field path: unexpected '\.'/);
  });
});

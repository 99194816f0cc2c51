import assert from 'node:assert/strict';
import { test } from 'node:test';
import { immutableFields, unknownFields } from './schema-check.ts';

const schema = {
  type: 'object' as const,
  properties: {
    region: { type: 'string' as const, 'x-kubernetes-validations': [{ rule: 'self == oldSelf' }] },
    tags: { type: 'object' as const, additionalProperties: { type: 'string' as const } },
    block: { type: 'object' as const, properties: { acls: { type: 'boolean' as const } } },
    rules: { type: 'array' as const, items: { type: 'object' as const, properties: { days: { type: 'integer' as const } } } },
  },
};

test('unknownFields names every path the schema lacks, through objects, maps and lists', () => {
  assert.deepEqual(unknownFields({ region: 'x', tags: { any: 'y' }, block: { acls: true, acl: false }, rules: [{ days: 1 }, { dayz: 2 }], versionin: 'Enabled' }, schema, 'spec.forProvider'), [
    'spec.forProvider.block.acl',
    'spec.forProvider.rules[1].dayz',
    'spec.forProvider.versionin',
  ]);
  assert.deepEqual(unknownFields({ anything: 1 }, { type: 'object', 'x-kubernetes-preserve-unknown-fields': true }, 's'), []);
});

test('immutableFields finds the fields whose CEL rule keeps them as they were', () => {
  assert.deepEqual(immutableFields(schema), ['region']);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { mapDiffs, settingDiff } from './field-diffs.ts';

test('mapDiffs names each added, changed and removed key once, and nothing when the map is unmanaged', () => {
  assert.deepEqual(mapDiffs('tags', { env: 'prod', 'cost-centre': '7', same: 'x' }, { env: 'dev', same: 'x', old: 'y' }), [
    { path: 'tags[cost-centre]', desired: '7', observed: undefined },
    { path: 'tags.env', desired: 'prod', observed: 'dev' },
    { path: 'tags.old', desired: undefined, observed: 'y' },
  ]);
  assert.deepEqual(mapDiffs('tags', undefined, { a: 'b' }), []);
  assert.deepEqual(mapDiffs('tags', {}, { a: 'b' }), [{ path: 'tags.a', desired: undefined, observed: 'b' }]);
});

test('settingDiff compares by value, skips unset settings, and takes the kind\'s own verdict when given', () => {
  assert.deepEqual(settingDiff('versioning', 'Enabled', 'Suspended'), [{ path: 'versioning', desired: 'Enabled', observed: 'Suspended' }]);
  assert.deepEqual(settingDiff('block', { a: true }, { a: true }), []);
  assert.deepEqual(settingDiff('versioning', undefined, 'Enabled'), []);
  assert.deepEqual(settingDiff('versioning', 'Suspended', undefined, true), []);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../managed/types.ts';
import { createChangeFilter } from './change-filter.ts';

const PENDING = 'pledge.dev/external-create-pending';

function obj(resourceVersion: string, annotations: Record<string, string> = {}, generation = 1): KubeObject {
  return { metadata: { name: 'db', resourceVersion, generation, annotations } };
}

test('a new object wakes; an unchanged one (a status write) does not', () => {
  const filter = createChangeFilter();
  assert.equal(filter.wakes(obj('1')), true);
  assert.equal(filter.wakes(obj('2')), false);
});

test('the controller\'s own annotation write does not wake the resource a second time', () => {
  const filter = createChangeFilter();
  filter.wakes(obj('1'));
  filter.wrote(obj('2', { [PENDING]: '2026-12-05T10:00:00Z' }));
  assert.equal(filter.wakes(obj('2', { [PENDING]: '2026-12-05T10:00:00Z' })), false);
});

test('a person removing external-create-pending wakes the resource (it stayed stuck until a restart before)', () => {
  const filter = createChangeFilter();
  filter.wakes(obj('1'));
  filter.wrote(obj('2', { [PENDING]: '2026-12-05T10:00:00Z' }));
  filter.wakes(obj('2', { [PENDING]: '2026-12-05T10:00:00Z' }));
  assert.equal(filter.wakes(obj('3')), true);
});

test('a spec change by someone else wakes; forget() starts over for a re-created name', () => {
  const filter = createChangeFilter();
  filter.wakes(obj('1'));
  assert.equal(filter.wakes(obj('2', {}, 2)), true);
  filter.forget('db');
  assert.equal(filter.wakes(obj('9', {}, 2)), true);
});

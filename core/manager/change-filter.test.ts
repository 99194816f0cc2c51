import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../managed/types.ts';
import { createChangeFilter } from './change-filter.ts';

const PENDING = 'pledge.dev/external-create-pending';
const FAILED = 'pledge.dev/external-create-failed';
const SUCCEEDED = 'pledge.dev/external-create-succeeded';

function obj(resourceVersion: string, annotations: Record<string, string> = {}, generation = 1): KubeObject {
  return { metadata: { name: 'db', resourceVersion, generation, annotations } };
}

test('a new object wakes; an unchanged one (a status write) does not', () => {
  const filter = createChangeFilter();
  assert.equal(filter.wakes(obj('1')), true);
  assert.equal(filter.wakes(obj('2')), false);
});

test('a failed create\'s bookkeeping never wakes it, even when the watch event beats the write\'s answer (no retry without backoff)', () => {
  const filter = createChangeFilter();
  filter.wakes(obj('1'));
  assert.equal(filter.wakes(obj('2', { [PENDING]: 't1' })), false, 'pending written before the cloud call');
  assert.equal(filter.wakes(obj('3', { [PENDING]: 't1', [FAILED]: 't2' })), false, 'failure recorded');
  assert.equal(filter.wakes(obj('4', { [PENDING]: 't3', [FAILED]: 't2' })), false, 'the next attempt');
  assert.equal(filter.wakes(obj('5', { [PENDING]: 't3', [SUCCEEDED]: 't4', [FAILED]: 't2' })), false, 'success recorded');
});

test('a person removing external-create-pending wakes the resource (it stayed stuck until a restart before)', () => {
  const filter = createChangeFilter();
  filter.wakes(obj('1'));
  filter.wakes(obj('2', { [PENDING]: 't1' }));
  assert.equal(filter.wakes(obj('3')), true);
});

test('the controller\'s own writes, answered before their event, do not wake; someone else\'s spec change does', () => {
  const filter = createChangeFilter();
  filter.wakes(obj('1'));
  filter.wrote(obj('2', {}, 2));
  assert.equal(filter.wakes(obj('2', {}, 2)), false, 'our late-init write');
  assert.equal(filter.wakes(obj('3', {}, 3)), true, 'a person\'s edit');
});

test('forget() starts over for a re-created name', () => {
  const filter = createChangeFilter();
  filter.wakes(obj('1'));
  filter.forget('db');
  assert.equal(filter.wakes(obj('9')), true);
});

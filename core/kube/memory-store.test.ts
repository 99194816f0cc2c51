import { test } from 'node:test';
import assert from 'node:assert/strict';
import { isAlreadyExists, isConflict, isNotFound, type ResourceType } from './client.ts';
import { createMemoryStore } from './memory-store.ts';
import type { KubeObject } from '../managed/types.ts';

const widgets: ResourceType = { group: 'test.pledge.dev', version: 'v1', plural: 'widgets' };
const widget = (name: string, spec: Record<string, unknown> = { size: 1 }, extra: Partial<KubeObject> = {}): KubeObject => ({
  apiVersion: 'test.pledge.dev/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
  ...extra,
});

test('a write from a stale resourceVersion is a 409 conflict; from the current one it succeeds and moves the version', async () => {
  const store = createMemoryStore();
  const first = await store.create(widgets, widget('a'));
  const second = await store.replace(widgets, { ...first, spec: { size: 2 } });
  assert.notEqual(second.metadata?.resourceVersion, first.metadata?.resourceVersion);

  await assert.rejects(store.replace(widgets, { ...first, spec: { size: 3 } }), isConflict);
  await assert.rejects(store.replaceStatus(widgets, { ...first, status: { phase: 'x' } }), isConflict);
  await assert.rejects(store.patch(widgets, 'a', { metadata: { resourceVersion: first.metadata?.resourceVersion }, spec: { size: 4 } }), isConflict);
  assert.deepEqual((await store.get(widgets, 'a'))?.spec, { size: 2 }, 'a refused write changes nothing');
});

test('status and spec are written apart, as with the status subresource; generation counts spec changes only', async () => {
  const store = createMemoryStore();
  const created = await store.create(widgets, widget('a', { size: 1 }, { status: { ignored: true } }));
  assert.equal(created.status, undefined, 'status given on create is dropped');
  assert.equal(created.metadata?.generation, 1);

  const withStatus = await store.replaceStatus(widgets, { ...created, spec: { size: 9 }, metadata: { ...created.metadata, labels: { a: 'b' } }, status: { ready: true } });
  assert.deepEqual(withStatus.spec, { size: 1 }, 'replaceStatus does not touch spec');
  assert.equal(withStatus.metadata?.labels, undefined, 'nor metadata');
  assert.equal(withStatus.metadata?.generation, 1);

  const relabelled = await store.replace(widgets, { ...withStatus, metadata: { ...withStatus.metadata, labels: { a: 'b' } }, status: { ready: false } });
  assert.deepEqual(relabelled.status, { ready: true }, 'replace does not touch status');
  assert.equal(relabelled.metadata?.generation, 1, 'metadata is not spec');

  const resized = await store.replace(widgets, { ...relabelled, spec: { size: 2 } });
  assert.equal(resized.metadata?.generation, 2);
});

test('reads are copies: changing what get returned changes nothing stored', async () => {
  const store = createMemoryStore();
  await store.create(widgets, widget('a'));
  const got = await store.get(widgets, 'a');
  if (!got) return assert.fail('created widget not found');
  (got.spec as Record<string, unknown>).size = 100;
  assert.deepEqual((await store.get(widgets, 'a'))?.spec, { size: 1 });
  assert.deepEqual(store.view(widgets).get('a')?.spec, { size: 1 });
});

test('a deleted object stays while it has finalizers and goes with the last one', async () => {
  const store = createMemoryStore({ now: () => new Date('2026-01-01T00:00:00Z') });
  const created = await store.create(widgets, widget('a', { size: 1 }, { metadata: { name: 'a', finalizers: ['f'] } }));
  await store.delete(widgets, 'a');
  const deleting = await store.get(widgets, 'a');
  assert.equal(deleting?.metadata?.deletionTimestamp, '2026-01-01T00:00:00.000Z');
  assert.ok((deleting?.metadata?.generation ?? 0) > (created.metadata?.generation ?? 0));
  if (!deleting) return;
  await assert.rejects(store.replace(widgets, { ...deleting, metadata: { ...deleting.metadata, finalizers: ['f', 'g'] } }), /no new finalizers/);
  await store.replace(widgets, { ...deleting, metadata: { ...deleting.metadata, finalizers: [] } });
  assert.equal(await store.get(widgets, 'a'), undefined);
  await store.delete(widgets, 'a');
});

test('create of an existing name is AlreadyExists; writes to a missing object are NotFound', async () => {
  const store = createMemoryStore();
  const created = await store.create(widgets, widget('a'));
  await assert.rejects(store.create(widgets, widget('a')), isAlreadyExists);
  await store.delete(widgets, 'a');
  await assert.rejects(store.replace(widgets, created), isNotFound);
  await assert.rejects(store.patch(widgets, 'a', { spec: { size: 2 } }), isNotFound);
});

test('patch is a JSON merge patch; apply creates or merges; list filters by labels', async () => {
  const store = createMemoryStore();
  await store.create(widgets, widget('a', { size: 1, color: 'red' }, { metadata: { name: 'a', labels: { tier: 'web' } } }));
  await store.apply(widgets, widget('b', { size: 2 }), 'test');
  const patched = await store.patch(widgets, 'a', { spec: { color: null, shape: 'round' } });
  assert.deepEqual(patched.spec, { size: 1, shape: 'round' });
  const applied = await store.apply(widgets, widget('b', { color: 'blue' }), 'test');
  assert.deepEqual(applied.spec, { size: 2, color: 'blue' });
  assert.deepEqual((await store.list(widgets, 'tier=web')).items.map((o) => o.metadata?.name), ['a']);
  assert.deepEqual((await store.list(widgets, 'tier!=web')).items.map((o) => o.metadata?.name), ['b']);
  await assert.rejects(store.list(widgets, 'tier in (web)'), /unsupported label selector/);
});

test('secrets keep base64 data and refuse stale writes', async () => {
  const store = createMemoryStore();
  const data = { password: Buffer.from('s3cret').toString('base64') };
  const created = await store.createSecret({ metadata: { name: 's', namespace: 'default' }, data });
  await assert.rejects(store.createSecret({ metadata: { name: 's', namespace: 'default' }, data }), isAlreadyExists);
  await store.replaceSecret({ metadata: { name: 's', namespace: 'default' }, data: { password: Buffer.from('new').toString('base64') } });
  await assert.rejects(store.replaceSecret({ ...created, metadata: { ...created.metadata, name: 's', namespace: 'default' } }), isConflict);
  await assert.rejects(store.createSecret({ metadata: { name: 't', namespace: 'default' }, data: { password: 'not base64!' } }), /not base64/);
  assert.equal(Buffer.from((await store.getSecret('default', 's'))?.data?.password ?? '', 'base64').toString(), 'new');
  await store.deleteSecret('default', 's');
  await store.deleteSecret('default', 's');
  assert.equal(await store.getSecret('default', 's'), undefined);
});

test('an injected failure hits the next call of that verb only, and every call is logged', async () => {
  const store = createMemoryStore();
  const boom = new Error('etcd is down');
  store.failNext('create', boom);
  await assert.rejects(store.create(widgets, widget('a')), (err: unknown) => err === boom);
  await store.create(widgets, widget('a'));
  assert.deepEqual(
    store.calls.map((c) => `${c.verb} ${c.name}`),
    ['create a', 'create a'],
  );
});

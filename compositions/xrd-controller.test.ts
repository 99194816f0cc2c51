import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { apiError, createMemoryStore } from '../core/kube/memory-store.ts';
import type { EventReason, EventRecorder } from '../core/runtime/events/index.ts';
import { describeAccess, type AccessCheck } from './access-check.ts';
import type { CompositeResourceDefinition } from './types.ts';
import { CRDS, reconcileXrd, XRD_FINALIZER, XRDS, type XrdServing } from './xrd-controller.ts';
import { claimCrd, compositeCrd } from './xrd-to-crd.ts';

const xrd: CompositeResourceDefinition = {
  apiVersion: 'pledge.dev/v1',
  kind: 'CompositeResourceDefinition',
  metadata: { name: 'xdatabases.example.org', finalizers: [XRD_FINALIZER], deletionTimestamp: '2026-12-05T10:00:00Z' },
  spec: {
    group: 'example.org',
    names: { kind: 'XDatabase', plural: 'xdatabases' },
    claimNames: { kind: 'Database', plural: 'databases' },
    versions: [{ name: 'v1', served: true, referenceable: true }],
  },
};
const COMPOSITES = { group: 'example.org', version: 'v1', plural: 'xdatabases' };

function setUp() {
  const store = createMemoryStore();
  store.seed(XRDS, xrd);
  for (const crd of [compositeCrd(xrd), claimCrd(xrd)]) if (crd) store.seed(CRDS, { ...crd, metadata: { ...crd.metadata } });
  const events: Array<{ reason: EventReason; message: string }> = [];
  const recorder: EventRecorder = { normal: (_o, reason, message) => events.push({ reason, message }), warning: (_o, reason, message) => events.push({ reason, message }) };
  const retired: string[] = [];
  const serving: XrdServing = { serve() {}, retire: (x) => void retired.push(x.metadata.name) };
  const ctx = { store, xrds: store.view<CompositeResourceDefinition>(XRDS), serving, recorder, logger: pino({ level: 'silent' }) };
  return { store, ctx, events, retired };
}

const crdNames = () => [compositeCrd(xrd), claimCrd(xrd)].map((c) => c?.metadata.name ?? '');

test('deleting an XRD while the instance list fails (API server 5xx) keeps its CRDs: a failed list is never "no instances"', async () => {
  const { store, ctx, retired } = setUp();
  store.failNext('list', apiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request'));
  const result = await reconcileXrd(ctx, xrd.metadata.name, new AbortController().signal).catch((err: unknown) => ({ error: err }));
  assert.ok(result.error, 'the reconcile fails and is retried with backoff');
  for (const name of crdNames()) assert.ok(await store.get(CRDS, name), `CRD ${name} (and every instance of it) is still there`);
  assert.deepEqual(retired, [], 'the kinds are still served');
  assert.ok((await store.get<CompositeResourceDefinition>(XRDS, xrd.metadata.name))?.metadata.finalizers?.includes(XRD_FINALIZER));
});

test('deleting an XRD with instances is blocked with a condition and an event', async () => {
  const { store, ctx, events } = setUp();
  store.seed(COMPOSITES, { apiVersion: 'example.org/v1', kind: 'XDatabase', metadata: { name: 'db-1' } });
  const result = await reconcileXrd(ctx, xrd.metadata.name, new AbortController().signal);
  assert.ok(result.requeueAfterMs && result.requeueAfterMs > 0);
  assert.equal(events[0]?.reason, 'DeletionBlocked');
  assert.match(events[0]?.message ?? '', /1 XDatabase and 0 Database instances still exist/);
  for (const name of crdNames()) assert.ok(await store.get(CRDS, name));
});

test('deleting an XRD with no instances (lists succeed, empty) removes its CRDs and its finalizer', async () => {
  const { store, ctx, retired } = setUp();
  assert.deepEqual(await reconcileXrd(ctx, xrd.metadata.name, new AbortController().signal), {});
  for (const name of crdNames()) assert.equal(await store.get(CRDS, name), undefined);
  assert.deepEqual(retired, [xrd.metadata.name]);
});

test('an XRD whose kinds Pledge may not use: a MissingPermission condition naming them, and nothing made for it', async () => {
  const { store, ctx, events } = setUp();
  const live: CompositeResourceDefinition = { ...xrd, metadata: { name: 'xqueues.example.org' }, spec: { ...xrd.spec, names: { kind: 'XQueue', plural: 'xqueues' }, claimNames: { kind: 'Queue', plural: 'queues' } } };
  store.seed(XRDS, live);
  const asked: string[] = [];
  // As RBAC would answer when the group is not granted at all.
  const checkAccess: AccessCheck = async (wanted) => {
    asked.push(...wanted.map(describeAccess));
    return [...wanted];
  };
  const result = await reconcileXrd({ ...ctx, checkAccess }, live.metadata.name, new AbortController().signal);
  assert.ok(result.requeueAfterMs && result.requeueAfterMs > 0, 'looked at again later (a chart upgrade may grant it)');
  assert.ok(asked.includes('list xqueues.example.org') && asked.includes('update queues/status.example.org'), asked.join(', '));
  const after = await store.get<CompositeResourceDefinition & { status?: { conditions?: Array<{ type: string; status: string; reason: string; message?: string }> } }>(XRDS, live.metadata.name);
  const established = after?.status?.conditions?.find((c) => c.type === 'Established');
  assert.equal(established?.status, 'False');
  assert.equal(established?.reason, 'MissingPermission');
  assert.match(established?.message ?? '', /may not list xqueues\.example\.org, watch xqueues\.example\.org/);
  assert.match(established?.message ?? '', /add example\.org to rbac\.compositionGroups/);
  assert.equal(events[0]?.reason, 'CannotServeCompositeResource');
  assert.equal(after?.metadata.finalizers, undefined, 'no finalizer: deleting it needs nothing of Pledge');
  for (const name of ['xqueues.example.org', 'queues.example.org']) assert.equal(await store.get(CRDS, name), undefined, `no CRD ${name}`);
});

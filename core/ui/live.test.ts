import assert from 'node:assert/strict';
import type { ServerResponse } from 'node:http';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino } from 'pino';
import type { ResourceType } from '../kube/index.ts';
import type { KubeObject } from '../managed/types.ts';
import type { Informer, InformerFactory, InformerHandlers } from '../runtime/informer/index.ts';
import { openViewer, type Viewer } from './access.ts';
import type { Catalog } from './catalog.ts';
import { createConditionHistory } from './history.ts';
import { createLive } from './live.ts';

const NOPS: ResourceType = { group: 'nop.pledge.dev', version: 'v1', plural: 'nopresources', namespaced: true };

/** One kind's informer whose changes the test fires by hand; the factory holds only it. */
function fakeInformers() {
  const handlers: Array<InformerHandlers<KubeObject>> = [];
  const informer = { type: NOPS, on: (h: InformerHandlers<KubeObject>) => handlers.push(h), list: () => [], get: () => undefined, synced: async () => {}, hasSynced: () => true };
  const factory = { informerFor: () => informer as unknown as Informer<never>, types: () => [NOPS], start() {}, synced: async () => {}, forget() {} } as unknown as InformerFactory;
  const update = (ns: string, name: string) => {
    for (const h of handlers) h.update?.({ metadata: { name, namespace: ns } });
  };
  return { factory, update };
}

function fakeResponse() {
  const written: string[] = [];
  let close: () => void = () => {};
  const res = {
    writableEnded: false,
    writeHead() {},
    write: (chunk: string) => written.push(chunk),
    end() {},
    on: (event: string, fn: () => void) => {
      if (event === 'close') close = fn;
    },
  } as unknown as ServerResponse;
  return { res, changes: () => written.filter((w) => w.startsWith('event: change')).map((w) => JSON.parse(w.split('data: ')[1] ?? '{}') as { keys?: string[]; all?: boolean }), close: () => close() };
}

const onlyNamespace = (ns: string): Viewer => ({ open: false, mayGet: async (a) => a.namespace === ns });

test('a burst of changes is one message per page after flushMs, each page told only what its viewer may get', async () => {
  const { factory, update } = fakeInformers();
  const live = createLive({ informers: factory, catalog: {} as Catalog, history: createConditionHistory(), logger: pino({ level: 'silent' }), flushMs: 50 });
  const stop = new AbortController();
  live.start(stop.signal);
  const all = fakeResponse();
  const teamA = fakeResponse();
  live.subscribe(all.res, openViewer);
  live.subscribe(teamA.res, onlyNamespace('a'));
  for (let i = 0; i < 150; i++) update(i % 3 === 0 ? 'a' : 'b', `n${i % 30}`);
  await sleep(150);
  assert.equal(all.changes().length, 1, 'one message for the burst');
  assert.equal(all.changes()[0]?.keys?.length, 30, 'each changed object once');
  assert.deepEqual(teamA.changes().map((c) => c.keys?.length), [10]);
  assert.ok(teamA.changes()[0]?.keys?.every((k) => k.includes('/nopresources/a/')));
  stop.abort();
});

test('more changed objects than maxKeys: the message says everything; no page open: nothing is gathered', async () => {
  const { factory, update } = fakeInformers();
  const live = createLive({ informers: factory, catalog: {} as Catalog, history: createConditionHistory(), logger: pino({ level: 'silent' }), flushMs: 50 });
  const stop = new AbortController();
  live.start(stop.signal);
  for (let i = 0; i < 500; i++) update('a', `before-${i}`);
  const page = fakeResponse();
  live.subscribe(page.res, openViewer);
  await sleep(120);
  assert.deepEqual(page.changes(), [], 'changes made while no page was open are not sent later');
  for (let i = 0; i < 500; i++) update('a', `n${i}`);
  await sleep(120);
  assert.deepEqual(page.changes(), [{ all: true }]);
  page.close();
  assert.equal(live.clients(), 0);
  stop.abort();
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { pino } from 'pino';
import type { Controller } from './controller.ts';
import { createControllerGroup } from './group.ts';

const logger = pino({ level: 'silent' });

function controller(name: string, start: (signal: AbortSignal) => Promise<void>): Controller {
  return { name, enqueue() {}, watch() {}, start };
}

test('a controller added after the group started is awaited: shutdown waits for its last item', async () => {
  const group = createControllerGroup({ logger });
  const stop = new AbortController();
  let finished = false;
  group.add(controller('early', (signal) => new Promise((resolve) => signal.addEventListener('abort', () => resolve()))));
  const run = group.run(stop.signal);
  await delay(10);
  group.add(
    controller('late', async (signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      await delay(50); // finishing its item after the stop
      finished = true;
    }),
  );
  stop.abort();
  await run;
  assert.equal(finished, true, 'run() resolved only after the late controller finished');
});

test('a late controller\'s failure rejects run() (never an unhandled rejection) and stops the others', async () => {
  const group = createControllerGroup({ logger });
  let earlyStopped = false;
  group.add(
    controller('early', async (signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      earlyStopped = true;
    }),
  );
  const run = group.run(new AbortController().signal);
  await delay(10);
  group.add(controller('late', () => Promise.reject(new Error('informer exploded'))));
  await assert.rejects(run, /informer exploded/);
  assert.equal(earlyStopped, true);
});

test('a controller stopped on its own (its XRD deleted) ends without stopping the group', async () => {
  const group = createControllerGroup({ logger });
  const stop = new AbortController();
  const own = new AbortController();
  let ended = false;
  const run = group.run(stop.signal);
  group.add(
    controller('served', async (signal) => {
      await new Promise((resolve) => signal.addEventListener('abort', resolve));
      ended = true;
    }),
    own.signal,
  );
  own.abort();
  await delay(10);
  assert.equal(ended, true);
  stop.abort();
  await run;
});

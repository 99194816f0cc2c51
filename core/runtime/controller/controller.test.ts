import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pino } from 'pino';
import { CallBudgetExhaustedError, ThrottledError, TerminalError } from '../../errors/index.ts';
import { apiError } from '../../kube/memory-store.ts';
import { createMetrics } from '../metrics/index.ts';
import { createController } from './controller.ts';

/** A controller on a fake timer; runs each key once, then stops. Returns the outcomes by metric and the requeue delays. */
async function runOnce(results: Record<string, () => Promise<{ requeueAfterMs?: number; error?: unknown }>>) {
  const timers: number[] = [];
  const metrics = createMetrics({ defaultMetrics: false });
  const stop = new AbortController();
  const keys = Object.keys(results);
  let left = keys.length;
  const controller = createController({
    name: 'Test',
    logger: pino({ level: 'silent' }),
    metrics,
    workers: 1,
    baseBackoffMs: 1_000,
    conflictRequeueMs: 200,
    clock: {
      now: () => 0,
      setTimer: (_fn, ms) => {
        timers.push(ms);
        return { cancel() {} };
      },
    },
    reconciler: {
      async reconcile(key) {
        try {
          return await (results[key] ?? (async () => ({})))();
        } finally {
          if (--left === 0) setImmediate(() => stop.abort());
        }
      },
    },
  });
  for (const key of keys) controller.enqueue(key);
  await controller.start(stop.signal);
  const outcomes = Object.fromEntries((await metrics.reconciles.get()).values.map((v) => [String(v.labels.result), v.value]));
  return { outcomes, timers };
}

test('the four outcomes and their requeues: success, requeue after, backoff on error, none on terminal', async () => {
  const { outcomes, timers } = await runOnce({
    ok: async () => ({}),
    later: async () => ({ requeueAfterMs: 30_000 }),
    failed: async () => ({ error: new Error('boom') }),
    thrown: async () => Promise.reject(new Error('boom')),
    terminal: async () => ({ error: new TerminalError('bad spec') }),
  });
  assert.deepEqual(outcomes, { success: 1, requeue_after: 1, error: 2, terminal: 1 });
  assert.deepEqual(timers, [30_000, 1_000, 1_000], 'requeue after its delay; each error after the base backoff; terminal never');
});

test('a reconcile sent away by the call budget is requeued after retryAfterMs and counted as deferred, not as cloud throttling', async () => {
  const { outcomes, timers } = await runOnce({
    spent: async () => ({ error: new CallBudgetExhaustedError('budget spent', { retryAfterMs: 4_000 }) }),
    cloud: async () => ({ error: new ThrottledError('SlowDown', { retryAfterMs: 2_000 }) }),
  });
  assert.deepEqual(outcomes, { deferred: 1, throttled: 1 });
  assert.deepEqual(timers, [4_000, 2_000], 'each requeued after its retryAfterMs');
});

test('a 409 conflict, returned or thrown, is retried quietly and soon, without backoff', async () => {
  const { outcomes, timers } = await runOnce({
    returned: async () => ({ error: apiError(409, 'Conflict', 'the object has been modified') }),
    thrown: async () => Promise.reject(apiError(409, 'Conflict', 'the object has been modified')),
  });
  assert.deepEqual(outcomes, { conflict: 2 });
  assert.deepEqual(timers, [200, 200]);
});

test('bad settings are refused naming the field', () => {
  assert.throws(() => createController({ name: 'T', logger: pino({ level: 'silent' }), workers: 0, reconciler: { reconcile: async () => ({}) } }), /T: workers must be a positive integer, got 0/);
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import pino from 'pino';
import { CallBudgetExhaustedError, ThrottledError } from '../../errors/index.ts';
import { createWorkQueue } from '../queue/index.ts';
import { runController, type ReconcileOutcome } from './controller.ts';

test('a reconcile sent away by the call budget is requeued after retryAfterMs and counted as deferred, not as cloud throttling', async () => {
  const timers: Array<{ ms: number; fn: () => void }> = [];
  const setTimer = (fn: () => void, ms: number) => {
    timers.push({ ms, fn });
    return { cancel() {} };
  };
  const queue = createWorkQueue<string>({ setTimer, now: () => 0 });
  const seen: Array<[string, ReconcileOutcome]> = [];
  const reconciled: string[] = [];
  const stop = new AbortController();
  const run = runController(
    {
      name: 'Test',
      queue,
      logger: pino({ level: 'silent' }),
      workers: 1,
      reconciler: {
        async reconcile(key) {
          reconciled.push(key);
          if (key === 'spent') throw new CallBudgetExhaustedError('budget spent', { retryAfterMs: 4_000 });
          if (key === 'cloud') throw new ThrottledError('SlowDown', { retryAfterMs: 2_000 });
          return {};
        },
      },
      onReconciled: (outcome) => {
        seen.push([reconciled.at(-1) ?? '', outcome]);
        if (seen.length === 3) stop.abort();
      },
    },
    stop.signal,
  );
  queue.add('spent');
  queue.add('cloud');
  queue.add('other');
  await run;
  assert.deepEqual(seen, [
    ['spent', 'deferred'],
    ['cloud', 'throttled'],
    ['other', 'success'],
  ]);
  assert.deepEqual(timers.map((t) => t.ms), [4_000, 2_000], 'each requeued after its retryAfterMs');
});

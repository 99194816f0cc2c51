import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWorkQueue } from './work-queue.ts';
import { exponentialBackoff } from './rate-limiter.ts';

function fakeClock() {
  let now = 0;
  const timers: Array<{ at: number; fn: () => void; cancelled: boolean }> = [];
  return {
    now: () => now,
    setTimer(fn: () => void, ms: number) {
      const t = { at: now + ms, fn, cancelled: false };
      timers.push(t);
      return {
        cancel: () => {
          t.cancelled = true;
        },
      };
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => !x.cancelled && x.at <= now)) {
        t.cancelled = true;
        t.fn();
      }
    },
  };
}

test('repeated adds of a waiting key collapse into one', async () => {
  const q = createWorkQueue<string>();
  q.add('a');
  q.add('a');
  q.add('b');
  assert.equal(q.length(), 2);
  assert.equal(await q.get(), 'a');
  assert.equal(await q.get(), 'b');
});

test('a key being processed is not handed out twice; an add during processing replays on done', async () => {
  const q = createWorkQueue<string>();
  q.add('a');
  const first = await q.get();
  q.add('a');
  assert.equal(q.length(), 0, 'must not queue a key that is being processed');
  q.done(first as string);
  assert.equal(q.length(), 1);
  assert.equal(await q.get(), 'a');
});

test('a waiting worker gets a key added later', async () => {
  const q = createWorkQueue<string>();
  const pending = q.get();
  q.add('x');
  assert.equal(await pending, 'x');
});

test('addAfter delays; the earlier of two delayed adds wins', () => {
  const clock = fakeClock();
  const q = createWorkQueue<string>({ setTimer: clock.setTimer, now: clock.now });
  q.addAfter('a', 1_000);
  q.addAfter('a', 5_000);
  clock.advance(999);
  assert.equal(q.length(), 0);
  clock.advance(1);
  assert.equal(q.length(), 1);
  clock.advance(10_000);
  assert.equal(q.length(), 1, 'the later add-after was dropped');
});

test('rate-limited adds back off exponentially per key, capped, and forget resets', () => {
  const limiter = exponentialBackoff<string>({ baseDelayMs: 100, maxDelayMs: 1_000 });
  assert.deepEqual([1, 2, 3, 4, 5, 6].map(() => limiter.delayMs('k')), [100, 200, 400, 800, 1_000, 1_000]);
  assert.equal(limiter.delayMs('other'), 100, 'keys back off independently');
  limiter.forget('k');
  assert.equal(limiter.delayMs('k'), 100);
});

test('shutDown releases waiting workers and drops delayed keys', async () => {
  const clock = fakeClock();
  const q = createWorkQueue<string>({ setTimer: clock.setTimer, now: clock.now });
  const waiting = q.get();
  q.addAfter('late', 10);
  q.shutDown();
  assert.equal(await waiting, undefined);
  clock.advance(100);
  assert.equal(await q.get(), undefined);
});

test('bad backoff options are refused at construction', () => {
  assert.throws(() => exponentialBackoff({ baseDelayMs: 0 }), /baseDelayMs/);
  assert.throws(() => exponentialBackoff({ baseDelayMs: 10, maxDelayMs: 5 }), /maxDelayMs/);
});

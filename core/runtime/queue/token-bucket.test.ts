import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createTokenBucket } from './token-bucket.ts';

test('a burst passes at once, then calls are spaced at the rate', async () => {
  const bucket = createTokenBucket({ ratePerSecond: 50, burst: 5 });
  const started = performance.now();
  const times: number[] = [];
  await Promise.all(
    Array.from({ length: 15 }, async () => {
      await bucket.take();
      times.push(performance.now() - started);
    }),
  );
  times.sort((a, b) => a - b);
  assert.ok((times[4] ?? Infinity) < 15, `the burst of 5 went at once (${times[4]} ms)`);
  // 10 more at 50/s need ~200 ms; never faster than the rate allows.
  assert.ok((times[14] ?? 0) >= 190, `15 calls took ${times[14]} ms, the rate allows no less than 200 ms`);
});

test('calls in any window never exceed burst + rate × window', async () => {
  const rate = 100;
  const burst = 3;
  const bucket = createTokenBucket({ ratePerSecond: rate, burst });
  const started = performance.now();
  const times: number[] = [];
  await Promise.all(Array.from({ length: 40 }, async () => {
    await bucket.take();
    times.push(performance.now() - started);
  }));
  times.sort((a, b) => a - b);
  for (let i = 0; i < times.length; i++) {
    for (let j = i; j < times.length; j++) {
      const windowMs = (times[j] ?? 0) - (times[i] ?? 0);
      assert.ok(j - i + 1 <= burst + Math.ceil((rate * (windowMs + 2)) / 1000), `${j - i + 1} calls in ${windowMs.toFixed(1)} ms`);
    }
  }
});

test('callers waiting through a pause come out at the rate, not in one burst', async () => {
  const rate = 50;
  const bucket = createTokenBucket({ ratePerSecond: rate, burst: 5 });
  bucket.pause(200);
  const started = performance.now();
  const times: number[] = [];
  await Promise.all(Array.from({ length: 10 }, async () => {
    await bucket.take();
    times.push(performance.now() - started);
  }));
  times.sort((a, b) => a - b);
  assert.ok((times[0] ?? 0) >= 190, `nothing before the pause ends (${times[0]} ms)`);
  // 10 calls after the pause at 50/s: the last no sooner than 9 intervals (180 ms) after the first.
  assert.ok((times[9] ?? 0) - (times[0] ?? 0) >= 170, `spread ${(times[9] ?? 0) - (times[0] ?? 0)} ms`);
});

test('a pause that begins while a caller waits holds that caller back too', async () => {
  const bucket = createTokenBucket({ ratePerSecond: 10, burst: 1 });
  await bucket.take();
  const started = performance.now();
  const waiting = bucket.take(); // its slot is ~100 ms away
  bucket.pause(300);
  await waiting;
  assert.ok(performance.now() - started >= 290, `went out after ${performance.now() - started} ms, inside the pause`);
});

test('pause holds every caller back', async () => {
  const bucket = createTokenBucket({ ratePerSecond: 1000, burst: 10 });
  bucket.pause(120);
  const started = performance.now();
  await bucket.take();
  assert.ok(performance.now() - started >= 110);
});

test('an aborted wait gives its token back', async () => {
  const bucket = createTokenBucket({ ratePerSecond: 1, burst: 1 });
  await bucket.take();
  const ac = new AbortController();
  const waiting = bucket.take(ac.signal);
  ac.abort();
  await assert.rejects(waiting);
});

/** A clock that moves only when told to, and a sleep that moves it. */
function fakeTime() {
  const clock = {
    t: 1_000,
    now: () => clock.t,
    sleep: async (ms: number) => {
      clock.t += ms;
    },
  };
  return clock;
}

test('waitMs says how long a take would wait, and reserves nothing', async () => {
  const clock = fakeTime();
  const bucket = createTokenBucket({ ratePerSecond: 10, burst: 2, now: clock.now, sleep: clock.sleep });
  assert.equal(bucket.waitMs(), 0, 'the burst is free');
  await bucket.take();
  await bucket.take();
  assert.equal(bucket.waitMs(), 100, 'the burst is spent: the next slot is one interval away');
  assert.equal(bucket.waitMs(), 100, 'asking again reserved nothing');
  clock.t += 40;
  assert.equal(bucket.waitMs(), 60);
  const before = clock.t;
  await bucket.take();
  assert.equal(clock.t - before, 60, 'take waited what waitMs said');
});

test('waitMs includes a pause', () => {
  const clock = fakeTime();
  const bucket = createTokenBucket({ ratePerSecond: 10, burst: 3, now: clock.now, sleep: clock.sleep });
  bucket.pause(2_000);
  assert.equal(bucket.waitMs(), 2_000);
  clock.t += 2_000;
  assert.equal(bucket.waitMs(), 0);
});

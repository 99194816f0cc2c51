// The measurements the cloud-fault test checks the rate budget with: wrong here, that check would pass vacuously.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { busiestWindow, largestBurst } from './rate-budget.ts';

/** What a token bucket of `rate`/s and `burst` lets through when `n` callers all want to go at 0. */
function bucketSchedule(n: number, rate: number, burst: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < burst ? 0 : ((i - burst + 1) / rate) * 1_000));
}

test('a full token bucket schedule bursts exactly its burst; one request more shows', () => {
  const times = bucketSchedule(200, 20, 20);
  const burst = largestBurst(times, 20);
  assert.ok(Math.abs(burst.excess - 20) < 1e-9, `excess ${burst.excess}`);
  assert.equal(busiestWindow(times).count, 39, 'burst + rate × 1 s, less the request exactly 1 s on (half-open)');
  const extra = [...times, 5_000].sort((a, b) => a - b);
  assert.ok(largestBurst(extra, 20).excess > 20, 'an extra request in the steady part breaks the budget');
});

test('a pause that lets reservations pile up shows as a burst above the budget', () => {
  // 20 at 0, then 2 s of nothing, then the 40 that waited plus the 20 the bucket refilled, at once.
  const times = [...Array<number>(20).fill(0), ...Array<number>(60).fill(2_000)];
  const burst = largestBurst(times, 20);
  assert.equal(burst.excess, 60);
  assert.deepEqual([burst.from, burst.to, burst.count], [2_000, 2_000, 60]);
  assert.deepEqual(busiestWindow(times), { count: 60, startsAt: 2_000 });
});

test('spread requests, no requests, and a bad rate', () => {
  const steady = Array.from({ length: 100 }, (_, i) => i * 100);
  assert.ok(Math.abs(largestBurst(steady, 10).excess - 1) < 1e-9, 'exactly at the rate: one request of burst');
  assert.deepEqual(largestBurst([], 5), { excess: 0, count: 0, from: 0, to: 0 });
  assert.deepEqual(busiestWindow([]), { count: 0, startsAt: 0 });
  assert.throws(() => largestBurst([1], 0), /ratePerSecond must be > 0/);
});

import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CallBudgetExhaustedError, ThrottledError } from '../errors/index.ts';
import { createMetrics } from '../runtime/metrics/index.ts';
import { CLOUD_GATE_DEFAULTS, createCloudGates } from './cloud-gates.ts';

const MAX_WAIT = CLOUD_GATE_DEFAULTS.maxAdmissionWaitMs;
const signal = new AbortController().signal;

/** Gates on a clock that moves only when a caller sleeps (a token wait) or the test says so. */
function setUp(ratePerSecond: number, burst = 1) {
  const clock = { t: 1_000 };
  const gates = createCloudGates({
    provider: 'test',
    ratePerSecond,
    burst,
    metrics: createMetrics({ defaultMetrics: false }),
    now: () => clock.t,
    sleep: async (ms) => {
      clock.t += ms;
    },
  });
  /** One reconcile of `resource`: its first call, then `calls - 1` more. Resolves to the ms it waited in all. */
  async function reconcile(resource: string, calls = 1, config = 'pc'): Promise<number> {
    const started = clock.t;
    const gate = gates(config, resource);
    for (let i = 0; i < calls; i++) await gate.acquire(signal);
    return clock.t - started;
  }
  /** The turn a resource is sent away with: its retryAfterMs. */
  async function sentAway(resource: string, config = 'pc'): Promise<number> {
    try {
      await gates(config, resource).acquire(signal);
    } catch (err: unknown) {
      assert.ok(err instanceof CallBudgetExhaustedError, `want CallBudgetExhaustedError, got ${String(err)}`);
      assert.ok(err instanceof ThrottledError, 'the controller requeues it after retryAfterMs');
      return err.retryAfterMs;
    }
    assert.fail(`${resource} was let in`);
  }
  return { clock, gates, reconcile, sentAway };
}

describe('cloud call gates', () => {
  it('a first call that would wait longer than maxAdmissionWaitMs is sent away with the wait, and takes no token', async () => {
    const { clock, reconcile, sentAway } = setUp(1);
    assert.equal(await reconcile('r1'), 0, 'the burst lets the first in at once');
    assert.equal(await sentAway('r2'), 1_000, 'the next token is a second away');
    clock.t += 1_000;
    assert.equal(await reconcile('r2'), 0, 'back at its turn, r2 finds the token it did not take');
  });

  it('calls after the first wait for their slot, even when each wait is longer than maxAdmissionWaitMs (no livelock at low rates)', async () => {
    const { reconcile } = setUp(2);
    assert.ok(1000 / 2 > MAX_WAIT);
    assert.equal(await reconcile('r1', 3), 1_000, 'three calls at 2/s: two waits of 500 ms, none sent away');
  });

  it('resources sent away come back one by one in arrival order, each let in at its turn, without a herd', async () => {
    const { clock, reconcile, sentAway } = setUp(10);
    await reconcile('r0', 3); // reconciles cost 3 calls here
    clock.t += 1_000;
    await reconcile('r1', 3);
    const turns: Array<{ r: string; at: number }> = [];
    for (const r of ['r2', 'r3', 'r4', 'r5']) turns.push({ r, at: clock.t + (await sentAway(r)) });
    for (let i = 1; i < turns.length; i++) {
      const gap = (turns[i]?.at ?? 0) - (turns[i - 1]?.at ?? 0);
      assert.equal(gap, 300, `turns ${turns.map((x) => x.at).join(', ')}: spaced by what a reconcile costs (3 calls × 100 ms, learned)`);
    }
    for (const { r, at } of turns) {
      assert.ok(clock.t <= at, `${r}'s turn at ${at} is not already past (${clock.t})`);
      clock.t = at;
      assert.ok((await reconcile(r, 3)) <= 2 * 100 + MAX_WAIT, `${r} let in at its turn, its calls waiting no longer than the rate asks`);
    }
  });

  it('a turn is kept for its resource: a newcomer arriving at that moment queues behind it, so nobody starves', async () => {
    const { clock, reconcile, sentAway } = setUp(1);
    await reconcile('r0');
    const r1Turn = clock.t + (await sentAway('r1'));
    clock.t = r1Turn;
    const newcomerWait = await sentAway('newcomer');
    assert.equal(newcomerWait, 1_000, 'the newcomer does not take r1\'s turn: it gets the next');
    assert.equal(await reconcile('r1'), 0, 'r1 gets its turn');
    clock.t += newcomerWait;
    assert.equal(await reconcile('newcomer'), 0, 'and the newcomer the next');
  });

  it('a resource woken before its turn (a spec change) keeps its place', async () => {
    const { clock, reconcile, sentAway } = setUp(1);
    await reconcile('r0');
    const first = await sentAway('r1');
    clock.t += 100;
    assert.equal(await sentAway('r1'), first - 100, 'same turn, not a new one at the back');
  });

  it('a pause the cloud ordered sends later calls away too; turns then begin one by one after it', async () => {
    const { clock, gates, reconcile, sentAway } = setUp(10);
    const gate = gates('pc', 'r1');
    await gate.acquire(signal);
    gate.record('GetThing', new ThrottledError('SlowDown', { retryAfterMs: 5_000 }));
    await assert.rejects(gate.acquire(signal), (err: unknown) => {
      assert.ok(err instanceof CallBudgetExhaustedError, String(err));
      assert.equal(err.retryAfterMs, 5_000 - MAX_WAIT, 'back when the pause has no more than maxAdmissionWaitMs to run');
      return true;
    });
    const r2 = await sentAway('r2');
    const r3 = await sentAway('r3');
    assert.ok(r2 >= 5_000 - MAX_WAIT && r3 > r2, `after the pause and apart: ${r2}, ${r3}`);
    clock.t += 5_000 - MAX_WAIT;
    assert.ok((await reconcile('r1')) <= MAX_WAIT, 'r1, back at its turn, is let in');
  });

  it('our own CallBudgetExhaustedError never pauses the bucket', async () => {
    const { gates, reconcile } = setUp(10);
    gates('pc', 'r1').record('GetThing', new CallBudgetExhaustedError('spent', { retryAfterMs: 60_000 }));
    assert.equal(await reconcile('r2'), 0);
  });

  it('another ProviderConfig\'s budget is its own', async () => {
    const { reconcile, sentAway } = setUp(1);
    await reconcile('a1', 1, 'a');
    assert.ok((await sentAway('a2', 'a')) > MAX_WAIT);
    assert.equal(await reconcile('b1', 1, 'b'), 0, 'B is let in at once while A is spent');
  });

  it('rejects a bad setting at construction, naming it', () => {
    assert.throws(
      () => createCloudGates({ provider: 'x', ratePerSecond: 1, burst: 1, metrics: createMetrics({ defaultMetrics: false }), maxAdmissionWaitMs: -1 }),
      /maxAdmissionWaitMs must be >= 0/,
    );
  });
});

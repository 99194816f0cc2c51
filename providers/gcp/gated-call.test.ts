import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotFoundError } from '../../core/errors/index.ts';
import { gated, untilAborted } from './gated-call.ts';

function gate() {
  const seen: Array<{ operation: string; err?: unknown }> = [];
  return {
    seen,
    acquired: 0,
    async acquire(signal: AbortSignal) {
      signal.throwIfAborted();
      this.acquired++;
    },
    record(operation: string, err?: unknown) {
      seen.push(err === undefined ? { operation } : { operation, err });
    },
  };
}

describe('untilAborted', () => {
  it('stops waiting for a call that never answers as soon as the signal aborts, with its reason', async () => {
    const aborter = new AbortController();
    const never = new Promise<never>(() => undefined);
    const waiting = untilAborted(never, aborter.signal);
    const reason = new Error('reconcile deadline');
    setTimeout(() => aborter.abort(reason), 10);
    await assert.rejects(waiting, (err: unknown) => err === reason);
  });

  it('a late failure of an abandoned call is not an unhandled rejection', async () => {
    const aborter = new AbortController();
    aborter.abort(new Error('gone'));
    let fail: (err: Error) => void = () => undefined;
    const late = new Promise<never>((_, reject) => (fail = reject));
    await assert.rejects(untilAborted(late, aborter.signal), /gone/);
    fail(new Error('the call failed after all'));
    // An unhandled rejection would fail this test file.
    await new Promise((resolve) => setImmediate(resolve));
  });

  it('passes the answer through', async () => {
    assert.equal(await untilAborted(Promise.resolve(42), new AbortController().signal), 42);
  });
});

describe('gated', () => {
  it('acquires once and records the success', async () => {
    const g = gate();
    assert.equal(await gated(g, 'GetBucket', new AbortController().signal, async () => 'ok'), 'ok');
    assert.equal(g.acquired, 1);
    assert.deepEqual(g.seen, [{ operation: 'GetBucket' }]);
  });

  it('records the mapped error and rethrows the original for the caller to judge', async () => {
    const g = gate();
    const original = Object.assign(new Error('Not Found'), { code: 404, errors: [{ reason: 'notFound', message: 'Not Found' }] });
    await assert.rejects(gated(g, 'GetBucket', new AbortController().signal, async () => Promise.reject(original)), (err: unknown) => err === original);
    assert.ok(g.seen[0]?.err instanceof NotFoundError);
  });
});

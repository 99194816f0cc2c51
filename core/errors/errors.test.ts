import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CallBudgetExhaustedError, describeError, NotFoundError, TerminalError, ThrottledError, TransientError, wrapError } from './index.ts';

test('wrapping keeps the class that decides retry and the cause chain', () => {
  const cloud = new TerminalError('BucketAlreadyExists: the bucket name is taken', { context: { requestId: 'r1' } });
  const wrapped = wrapError(cloud, 'create failed', { kind: 'Bucket' });
  assert.ok(wrapped instanceof TerminalError);
  assert.equal(wrapped.cause, cloud);
  assert.deepEqual(wrapped.context, { requestId: 'r1', kind: 'Bucket' });
  assert.equal(describeError(wrapped), 'create failed: BucketAlreadyExists: the bucket name is taken');
});

test('a throttled error keeps its retry-after through a wrap', () => {
  const wrapped = wrapError(new ThrottledError('SlowDown', { retryAfterMs: 1234 }), 'observe failed');
  assert.ok(wrapped instanceof ThrottledError);
  assert.equal(wrapped.retryAfterMs, 1234);
});

test('an exhausted call budget stays itself through a wrap (the reconciler keeps it quiet), with its wait', () => {
  const wrapped = wrapError(new CallBudgetExhaustedError('budget spent', { retryAfterMs: 700 }), 'observe failed', { kind: 'Bucket' });
  assert.ok(wrapped instanceof CallBudgetExhaustedError);
  assert.ok(wrapped instanceof ThrottledError, 'the controller requeues it after retryAfterMs');
  assert.equal(wrapped.retryAfterMs, 700);
});

test('an unknown error becomes transient', () => {
  const wrapped = wrapError(new Error('socket hang up'), 'observe failed');
  assert.ok(wrapped instanceof TransientError);
  assert.ok(!(wrapped instanceof NotFoundError));
  assert.equal(describeError(wrapped), 'observe failed: socket hang up');
});

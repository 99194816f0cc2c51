import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ApiException } from '@kubernetes/client-node';
import { retryAfterMs, retryingAfter } from './retry-after.ts';

const answer = (code: number, headers: Record<string, string> = {}) => new ApiException(code, 'message', '{}', headers);

test('what the server asks: a 429 always (1 s without Retry-After), a 5xx only with it, nothing else', () => {
  const cases = [
    { err: answer(429, { 'retry-after': '3' }), ms: 3000, reason: 'storage is (re)initializing after a CRD update' },
    { err: answer(429), ms: 1000, reason: 'a 429 was not processed: safe to send again' },
    { err: answer(503, { 'Retry-After': '2' }), ms: 2000, reason: 'a 5xx with Retry-After, header name in any case' },
    { err: answer(500), ms: undefined, reason: 'a 5xx without it may have been processed' },
    { err: answer(409), ms: undefined, reason: 'a conflict is the caller\'s to handle' },
    { err: new Error('socket hang up'), ms: undefined, reason: 'not an API answer' },
  ];
  for (const c of cases) assert.equal(retryAfterMs(c.err), c.ms, c.reason);
});

test('calls are sent again after the wait asked (capped), at most maxRetries times; other errors pass at once', async () => {
  const waits: number[] = [];
  let calls = 0;
  const api = {
    list: async (n: number) => {
      calls++;
      if (calls < 3) throw answer(429, { 'retry-after': '30' });
      return n * 2;
    },
    conflict: async () => {
      calls++;
      throw answer(409);
    },
  };
  const retrying = retryingAfter(api, { maxWaitMs: 5_000, maxRetries: 2, sleep: async (ms) => waits.push(ms) });
  assert.equal(await retrying.list(21), 42);
  assert.deepEqual(waits, [5_000, 5_000], 'waited twice, each capped');
  calls = 0;
  await assert.rejects(retrying.conflict(), (err: unknown) => err instanceof ApiException && err.code === 409);
  assert.equal(calls, 1, 'a 409 is not sent again');
  const always = retryingAfter({ list: async () => Promise.reject(answer(429)) }, { maxRetries: 2, sleep: async () => undefined });
  await assert.rejects(always.list(), (err: unknown) => err instanceof ApiException && err.code === 429, 'after maxRetries the last answer is thrown');
});

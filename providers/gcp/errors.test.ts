import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '@google-cloud/storage';
import { describeError, NotFoundError, TerminalError, ThrottledError, TransientError } from '../../core/errors/index.ts';
import { parseRetryAfter, toPledgeError } from './errors.ts';

type Class = typeof NotFoundError | typeof ThrottledError | typeof TerminalError | typeof TransientError;

const TOKEN = 'ya29.secret-access-token-never-logged';

/** An ApiError as the library builds it from a JSON API error body, with the request's headers on `response`. */
function apiError(code: number, reason: string | undefined, message: string, headers: Record<string, string> = {}): ApiError {
  const body = { error: { code, message, errors: reason === undefined ? [] : [{ domain: 'global', reason, message }] } };
  return new ApiError({
    code,
    message,
    errors: body.error.errors,
    response: { statusCode: code, headers, body: JSON.stringify(body), request: { headers: { Authorization: `Bearer ${TOKEN}` } } } as never,
  });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`request to http://127.0.0.1:1/storage/v1/b/x failed, reason: connect ${code} 127.0.0.1:1`), { name: 'FetchError', code, type: 'system' });
}

const cases: Array<{ reason: string; err: unknown; want: Class; message: string; retryAfterMs?: number }> = [
  { reason: 'a missing bucket is NotFound', err: apiError(404, 'notFound', 'The specified bucket does not exist.'), want: NotFoundError, message: 'notFound: The specified bucket does not exist.' },
  { reason: '429 is throttling, with the Retry-After it names', err: apiError(429, 'rateLimitExceeded', 'The project exceeded the rate limit.', { 'retry-after': '7' }), want: ThrottledError, message: 'rateLimitExceeded: The project exceeded the rate limit.', retryAfterMs: 7_000 },
  { reason: 'the older 403 rateLimitExceeded is throttling too, not a permission problem', err: apiError(403, 'rateLimitExceeded', 'Rate limit exceeded'), want: ThrottledError, message: 'rateLimitExceeded: Rate limit exceeded' },
  { reason: 'userRateLimitExceeded is throttling', err: apiError(403, 'userRateLimitExceeded', 'User rate limit exceeded'), want: ThrottledError, message: 'userRateLimitExceeded: User rate limit exceeded' },
  { reason: 'an invalid argument needs a spec change', err: apiError(400, 'invalid', 'Invalid bucket name: \'A\''), want: TerminalError, message: 'invalid: Invalid bucket name: \'A\'' },
  { reason: 'a refused credential needs a credentials change', err: apiError(401, 'required', 'Anonymous caller does not have storage.buckets.get access.'), want: TerminalError, message: 'required: Anonymous caller does not have storage.buckets.get access.' },
  { reason: 'a missing permission needs an IAM change', err: apiError(403, 'forbidden', 'sa@p.iam.gserviceaccount.com does not have storage.buckets.create access.'), want: TerminalError, message: 'forbidden: sa@p.iam.gserviceaccount.com does not have storage.buckets.create access.' },
  { reason: 'a name taken by another project needs another name', err: apiError(409, 'conflict', 'The requested bucket name is not available.'), want: TerminalError, message: 'conflict: The requested bucket name is not available.' },
  { reason: 'a precondition that raced another writer passes on retry', err: apiError(412, 'conditionNotMet', 'Precondition Failed'), want: TransientError, message: 'conditionNotMet: Precondition Failed' },
  { reason: 'a request timeout passes on retry', err: apiError(408, undefined, 'Request Timeout'), want: TransientError, message: 'HTTP 408: Request Timeout' },
  { reason: 'a 500 is transient', err: apiError(500, 'internalError', 'Internal Error'), want: TransientError, message: 'internalError: Internal Error' },
  { reason: 'a 503 is transient', err: apiError(503, 'backendError', 'Backend Error'), want: TransientError, message: 'backendError: Backend Error' },
  { reason: 'a 503 that names its wait (Retry-After) is throttling with that wait, as for Azure and AWS', err: apiError(503, 'backendError', 'Backend Error', { 'retry-after': '4' }), want: ThrottledError, message: 'backendError: Backend Error', retryAfterMs: 4_000 },
  { reason: 'a 503 with Retry-After: 0 names no wait: transient, with backoff', err: apiError(503, 'backendError', 'Backend Error', { 'retry-after': '0' }), want: TransientError, message: 'backendError: Backend Error' },
  { reason: 'a status with a non-JSON body keeps the status text', err: new ApiError({ code: 502, errors: [], message: 'Bad Gateway', response: { statusCode: 502, headers: {}, body: '' } as never }), want: TransientError, message: 'HTTP 502: Bad Gateway' },
  { reason: 'a status with nothing at all says so', err: Object.assign(new Error(''), { code: 500 }), want: TransientError, message: 'HTTP 500: no error body' },
  { reason: 'a refused connection is transient', err: networkError('ECONNREFUSED'), want: TransientError, message: 'ECONNREFUSED: request to http://127.0.0.1:1/storage/v1/b/x failed, reason: connect ECONNREFUSED 127.0.0.1:1' },
  { reason: 'fetch puts the Node code on cause', err: new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNRESET'), { code: 'ECONNRESET' }) }), want: TransientError, message: 'ECONNRESET: fetch failed' },
  { reason: 'a deadline is transient', err: new DOMException('The operation was aborted due to timeout', 'TimeoutError'), want: TransientError, message: 'TimeoutError: The operation was aborted due to timeout' },
  { reason: 'something unknown is retried rather than given up on', err: 'a string', want: TransientError, message: 'UnknownError: no message' },
];

describe('toPledgeError (GCS)', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const mapped = toPledgeError(c.err, 'observe failed');
      assert.equal(mapped.message, 'observe failed');
      const inner = mapped.cause;
      assert.ok(inner instanceof c.want, `${c.reason}: got ${inner instanceof Error ? inner.constructor.name : String(inner)}`);
      assert.ok(mapped instanceof c.want, 'the wrapper keeps the class that decides retry');
      assert.equal((inner as Error).message, c.message);
      if (c.retryAfterMs !== undefined) assert.equal((mapped as ThrottledError).retryAfterMs, c.retryAfterMs);
      assert.equal(describeError(mapped), `observe failed: ${c.message}`);
    });
  }

  it('keeps the HTTP status in context and never the SDK error, whose response carries the Authorization header', () => {
    const err = apiError(403, 'forbidden', 'denied');
    assert.ok(JSON.stringify(err.response).includes(TOKEN), 'the premise: the library error holds the token');
    const mapped = toPledgeError(err, 'create failed', { bucket: 'b' });
    assert.equal(mapped.context.httpStatus, 403);
    assert.equal(mapped.context.bucket, 'b');
    const seen = new Set<unknown>();
    const walk = (e: unknown): string => {
      if (!(e instanceof Error) || seen.has(e)) return '';
      seen.add(e);
      return JSON.stringify({ ...e, message: e.message }) + walk(e.cause);
    };
    assert.ok(!walk(mapped).includes(TOKEN));
  });

  it('a throttle without Retry-After gets the default wait', () => {
    const mapped = toPledgeError(apiError(429, 'rateLimitExceeded', 'slow down'), 'update failed');
    assert.ok(mapped instanceof ThrottledError);
    assert.equal(mapped.retryAfterMs, 5_000);
  });
});

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    assert.equal(parseRetryAfter('3'), 3_000);
    assert.equal(parseRetryAfter(new Date(10_000).toUTCString(), 4_000), 6_000);
    assert.equal(parseRetryAfter('soon'), undefined);
    assert.equal(parseRetryAfter(undefined), undefined);
  });
});

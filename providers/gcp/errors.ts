import {
  NotFoundError,
  PledgeError,
  TerminalError,
  ThrottledError,
  TransientError,
  type ErrorContext,
  wrapError,
  parseRetryAfter,
  fieldOf,
  headerOf,
  textOf,
} from '../../core/errors/index.ts';

/** What Pledge reads from a GCS JSON API error (the SDK's ApiError), an OAuth token error or a Node network error. */
export interface GcsErrorInfo {
  /** errors[0].reason (`notFound`, `rateLimitExceeded`), else `HTTP <status>`, else a Node code (`ECONNREFUSED`). */
  reason: string;
  /** The cloud's message; a short stand-in when it sent none. */
  message: string;
  httpStatus?: number;
  /** Milliseconds from the Retry-After header, when present. */
  retryAfterMs?: number;
}

/** Reasons GCS gives for too many requests; the 403 form is older but still sent by some front ends. */
const THROTTLING_REASONS = new Set(['rateLimitExceeded', 'userRateLimitExceeded', 'slowDown']);

/** Node and fetch conditions that mean the request never got a clear answer. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);




/** error.message of a JSON API error body, when the response carried one. */
function bodyMessage(err: unknown): string | undefined {
  const body = field(field(err, 'response'), 'body');
  if (typeof body !== 'string') return text(field(field(body, 'error'), 'message'));
  try {
    return text(field(field(JSON.parse(body) as unknown, 'error'), 'message'));
  } catch {
    return undefined;
  }
}

const field = fieldOf;
const text = textOf;
const header = (err: unknown, name: string) => headerOf(field(field(err, 'response'), 'headers'), name);

export { parseRetryAfter };

/**
 * Reads reason, message and status from anything a GCS call threw: the SDK's ApiError (`code` is the HTTP
 * status, `errors[]` the JSON API's error list), a network error (`code` is a Node code), or an abort.
 */
export function gcsErrorInfo(err: unknown): GcsErrorInfo {
  const rawCode = field(err, 'code');
  const httpStatus = typeof rawCode === 'number' && rawCode >= 100 && rawCode < 600 ? rawCode : undefined;
  const errors = field(err, 'errors');
  const first: unknown = Array.isArray(errors) ? errors[0] : undefined;
  const name = text(field(err, 'name'));
  const nodeCode = text(rawCode) ?? text(field(field(err, 'cause'), 'code'));
  const reason =
    text(field(first, 'reason')) ??
    (httpStatus !== undefined ? `HTTP ${httpStatus}` : undefined) ??
    nodeCode ??
    (name === 'AbortError' || name === 'TimeoutError' ? name : undefined) ??
    'UnknownError';
  // ApiError joins several messages (and the raw body) into a numbered list; the API's own message reads better.
  const raw = text(field(first, 'message')) ?? bodyMessage(err) ?? text(field(err, 'message'));
  const message = raw !== undefined && raw !== reason ? raw : httpStatus === undefined ? 'no message' : 'no error body';
  return { reason, message, httpStatus, retryAfterMs: parseRetryAfter(header(err, 'retry-after')) };
}

type ErrorClass = typeof NotFoundError | typeof ThrottledError | typeof TerminalError | typeof TransientError;

/** The one place that decides what a GCS failure means for the reconciler. */
export function classify(info: GcsErrorInfo): ErrorClass {
  const { reason, httpStatus } = info;
  if (httpStatus === 429 || THROTTLING_REASONS.has(reason)) return ThrottledError;
  // A 503 that names its wait is the service saying when to come back: wait that long and pause the bucket.
  if (httpStatus === 503 && (info.retryAfterMs ?? 0) > 0) return ThrottledError;
  if (httpStatus === 404) return NotFoundError;
  // 408: the request timed out; 412: a precondition raced another writer. Both pass on retry.
  if (httpStatus === 408 || httpStatus === 412) return TransientError;
  // 400 invalid, 401 bad credentials, 403 forbidden, 409 conflict (a name taken by another project), …
  if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500) return TerminalError;
  if (httpStatus !== undefined && httpStatus >= 500) return TransientError;
  if (NETWORK_CODES.has(reason)) return TransientError;
  return TransientError;
}

/**
 * Maps anything a GCS call threw to Pledge's typed errors, wrapped with `message` (what was being attempted).
 * The mapped error's message is `"<reason or code>: <message>"`; its context carries httpStatus.
 *
 * The SDK error is deliberately not kept as `cause`: its `response.request.headers` holds the request's
 * Authorization header, which would reach logs through the error serializer. Reason, message and status are
 * copied instead.
 */
export function toPledgeError(err: unknown, message: string, context: ErrorContext = {}): PledgeError {
  if (err instanceof PledgeError) return wrapError(err, message, context);
  return wrapError(errorFromInfo(gcsErrorInfo(err)), message, context);
}

/** The typed error for what a call answered, with the message `"<reason or code>: <message>"`. */
export function errorFromInfo(info: GcsErrorInfo): PledgeError {
  const Class = classify(info);
  const options = { context: info.httpStatus === undefined ? {} : { httpStatus: info.httpStatus } };
  return Class === ThrottledError
    ? new ThrottledError(`${info.reason}: ${info.message}`, { ...options, retryAfterMs: info.retryAfterMs })
    : new Class(`${info.reason}: ${info.message}`, options);
}

/** Context carried by every Pledge error: what was being done, to what, and the cloud's request id. */
export type ErrorContext = Readonly<Record<string, string | number | undefined>>;

export class PledgeError extends Error {
  readonly context: ErrorContext;
  constructor(message: string, options: { cause?: unknown; context?: ErrorContext } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.context = options.context ?? {};
  }
}

/** The external resource does not exist. */
export class NotFoundError extends PledgeError {}

/** The cloud asked us to slow down; retry no sooner than retryAfterMs. */
export class ThrottledError extends PledgeError {
  readonly retryAfterMs: number;
  constructor(message: string, options: { cause?: unknown; context?: ErrorContext; retryAfterMs?: number } = {}) {
    super(message, options);
    this.retryAfterMs = options.retryAfterMs ?? 5_000;
  }
}

/**
 * Pledge's own call budget for a ProviderConfig (its token bucket) is spent for now: no request was sent. The
 * reconcile gives its worker back and comes again after retryAfterMs; not a cloud failure, so no event or status.
 */
export class CallBudgetExhaustedError extends ThrottledError {}

/** Retrying will not help until the user changes the spec (or the cloud-side state they own). */
export class TerminalError extends PledgeError {}

/** Probably fine on retry: network errors, 5xx, timeouts. */
export class TransientError extends PledgeError {}

/** A configuration value is wrong; raised at startup or connect time. */
export class ConfigError extends PledgeError {}

/**
 * The message a person reads in a condition or event: the wrapping step first, then the
 * innermost cause (usually the cloud's `Code: message`). Never includes context values.
 */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && depth < 8; depth++) {
    if (current instanceof Error) {
      if (current.message && !parts.includes(current.message)) parts.push(current.message);
      current = current.cause;
    } else {
      parts.push(String(current));
      break;
    }
  }
  return parts.join(': ') || 'unknown error';
}

/** Wraps err with a constant message saying what was being attempted, keeping the class that decides retry. */
export function wrapError(err: unknown, message: string, context: ErrorContext = {}): PledgeError {
  if (err instanceof ThrottledError) {
    const Ctor = err.constructor as typeof ThrottledError;
    return new Ctor(message, { cause: err, context: { ...err.context, ...context }, retryAfterMs: err.retryAfterMs });
  }
  if (err instanceof PledgeError) {
    const Ctor = err.constructor as new (m: string, o: { cause?: unknown; context?: ErrorContext }) => PledgeError;
    return new Ctor(message, { cause: err, context: { ...err.context, ...context } });
  }
  return new TransientError(message, { cause: err, context });
}

/** Parses an HTTP Retry-After value: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value.trim()) * 1_000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

// Readers for what SDKs throw: its shape is not trusted, so every step is checked.

/** value[key] when value is an object, else undefined. */
export function fieldOf(value: unknown, key: string): unknown {
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
}

/** value when it is a non-empty string, else undefined. */
export function textOf(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A response header, case-insensitively, from a headers object with get() or a plain record. */
export function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const get = fieldOf(headers, 'get');
  if (typeof get === 'function') return textOf((get as (n: string) => unknown).call(headers, name));
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return textOf(value);
  return undefined;
}

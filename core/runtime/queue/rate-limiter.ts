/** Decides how long a key waits before its next retry. */
export interface RateLimiter<K> {
  delayMs(key: K): number;
  forget(key: K): void;
  retries(key: K): number;
}

export const BACKOFF_DEFAULTS = { baseDelayMs: 1_000, maxDelayMs: 60_000 } as const;
export type BackoffOptions = Partial<{ -readonly [P in keyof typeof BACKOFF_DEFAULTS]: number }>;

/** Per-key exponential backoff: base, 2×base, 4×base … capped at max; forget resets the key. */
export function exponentialBackoff<K>(options: BackoffOptions = {}): RateLimiter<K> {
  const { baseDelayMs, maxDelayMs } = { ...BACKOFF_DEFAULTS, ...options };
  if (!(baseDelayMs > 0)) throw new RangeError(`baseDelayMs must be > 0, got ${baseDelayMs}`);
  if (!(maxDelayMs >= baseDelayMs)) throw new RangeError(`maxDelayMs must be >= baseDelayMs, got ${maxDelayMs}`);
  const failures = new Map<K, number>();
  return {
    delayMs(key) {
      const n = failures.get(key) ?? 0;
      failures.set(key, n + 1);
      // 2 ** n overflows to Infinity for large n, which Math.min caps.
      return Math.min(baseDelayMs * 2 ** n, maxDelayMs);
    },
    forget(key) {
      failures.delete(key);
    },
    retries(key) {
      return failures.get(key) ?? 0;
    },
  };
}

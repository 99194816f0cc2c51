import { setTimeout as delay } from 'node:timers/promises';

/** Calls per second with a burst allowance; waiters are served in arrival order. */
export interface TokenBucket {
  take(signal?: AbortSignal): Promise<void>;
  /** Pushes every waiter back, e.g. after the cloud said "slow down". */
  pause(ms: number): void;
}

export const TOKEN_BUCKET_DEFAULTS = { ratePerSecond: 10, burst: 20 } as const;

export function createTokenBucket(options: { ratePerSecond?: number; burst?: number; now?: () => number } = {}): TokenBucket {
  const rate = options.ratePerSecond ?? TOKEN_BUCKET_DEFAULTS.ratePerSecond;
  const burst = options.burst ?? TOKEN_BUCKET_DEFAULTS.burst;
  if (!(rate > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${rate}`);
  if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
  const now = options.now ?? performance.now.bind(performance);
  let tokens = burst;
  let last = now();
  let pausedUntil = 0;
  // Reservations: each caller takes a token now (possibly going negative) and waits until it is earned.
  // This keeps FIFO order without a waiter list.
  function refill() {
    const t = now();
    tokens = Math.min(burst, tokens + ((t - last) / 1000) * rate);
    last = t;
  }
  return {
    async take(signal) {
      refill();
      tokens -= 1;
      const waitMs = Math.max(tokens < 0 ? (-tokens / rate) * 1000 : 0, pausedUntil - now());
      if (waitMs > 0) {
        try {
          await delay(waitMs, undefined, { signal });
        } catch (err: unknown) {
          tokens += 1; // give the reservation back
          throw err;
        }
      }
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
    },
  };
}

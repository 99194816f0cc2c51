import { setTimeout as delay } from 'node:timers/promises';

/** Calls per second with a burst allowance; callers are served in arrival order. */
export interface TokenBucket {
  take(signal?: AbortSignal): Promise<void>;
  /** How long a take() now would wait, in ms (0 when a token is free); reserves nothing. */
  waitMs(): number;
  /** Holds every caller back, e.g. after the cloud said "slow down"; afterwards calls resume at the rate, with no burst. */
  pause(ms: number): void;
}

export const TOKEN_BUCKET_DEFAULTS = { ratePerSecond: 10, burst: 20 } as const;

/**
 * A token bucket kept as one number, the theoretical arrival time of the next call (GCRA): each caller
 * reserves the next slot and waits for it, so order is kept without a waiter list, and no window of
 * one second ever carries more than burst + rate calls — also across a pause, which moves the next
 * slot past its end instead of letting waiting callers pile up behind it.
 */
export interface TokenBucketOptions {
  ratePerSecond?: number;
  burst?: number;
  /** The clock, in ms (performance.now by default); injected for tests, with sleep. */
  now?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

export function createTokenBucket(options: TokenBucketOptions = {}): TokenBucket {
  const rate = options.ratePerSecond ?? TOKEN_BUCKET_DEFAULTS.ratePerSecond;
  const burst = options.burst ?? TOKEN_BUCKET_DEFAULTS.burst;
  if (!(rate > 0)) throw new RangeError(`ratePerSecond must be > 0, got ${rate}`);
  if (!(burst >= 1)) throw new RangeError(`burst must be >= 1, got ${burst}`);
  const now = options.now ?? performance.now.bind(performance);
  const sleep = options.sleep ?? ((ms: number, signal?: AbortSignal) => delay(ms, undefined, { signal }));
  const interval = 1000 / rate;
  const tolerance = (burst - 1) * interval;
  let nextSlot = now();
  let pausedUntil = 0;
  const bucket: TokenBucket = {
    async take(signal): Promise<void> {
      signal?.throwIfAborted();
      const t = now();
      const slot = Math.max(nextSlot, t);
      nextSlot = slot + interval;
      const waitMs = slot - tolerance - t;
      if (waitMs <= 0) return;
      try {
        await sleep(waitMs, signal);
      } catch (err: unknown) {
        // Give the slot back when nobody reserved after it.
        if (nextSlot === slot + interval) nextSlot = slot;
        throw err;
      }
      // A pause that began while this caller waited holds it back too: it queues again behind the pause.
      if (now() < pausedUntil) return bucket.take(signal);
    },
    waitMs() {
      const t = now();
      return Math.max(0, Math.max(nextSlot, t) - tolerance - t);
    },
    pause(ms) {
      pausedUntil = Math.max(pausedUntil, now() + ms);
      nextSlot = Math.max(nextSlot, pausedUntil + tolerance);
    },
  };
  return bucket;
}

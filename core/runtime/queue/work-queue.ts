import { exponentialBackoff, type RateLimiter } from './rate-limiter.ts';

/**
 * A "stingy" queue of keys: a key waiting twice is queued once, and a key being worked on is never
 * handed to a second worker; adds during processing are replayed when the worker calls done().
 */
export interface WorkQueue<K> {
  add(key: K): void;
  /** Adds the key after ms; an earlier pending add-after for the same key wins. */
  addAfter(key: K, ms: number): void;
  /** Adds the key after the rate limiter's delay for it (per-key backoff). */
  addRateLimited(key: K): void;
  /** Resets the key's backoff. */
  forget(key: K): void;
  /** Waits for the next key; undefined once the queue is shut down. */
  get(): Promise<K | undefined>;
  done(key: K): void;
  /** Keys waiting to be worked on now (not the delayed ones). */
  length(): number;
  /** Stops handing out keys; delayed adds are dropped. */
  shutDown(): void;
}

export interface WorkQueueOptions<K> {
  rateLimiter?: RateLimiter<K>;
  /** Injected for tests. */
  setTimer?: (fn: () => void, ms: number) => { cancel(): void };
  now?: () => number;
}

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  t.unref();
  return { cancel: () => clearTimeout(t) };
};

export function createWorkQueue<K>(options: WorkQueueOptions<K> = {}): WorkQueue<K> {
  const limiter = options.rateLimiter ?? exponentialBackoff<K>();
  const setTimer = options.setTimer ?? realTimer;
  const now = options.now ?? Date.now;
  const queue: K[] = [];
  const dirty = new Set<K>();
  const processing = new Set<K>();
  const delayed = new Map<K, { at: number; timer: { cancel(): void } }>();
  const waiters: Array<(key: K | undefined) => void> = [];
  let shuttingDown = false;

  function add(key: K) {
    if (shuttingDown || dirty.has(key)) return;
    dirty.add(key);
    if (processing.has(key)) return;
    const waiter = waiters.shift();
    if (waiter) {
      dirty.delete(key);
      processing.add(key);
      waiter(key);
    } else {
      queue.push(key);
    }
  }

  function addAfter(key: K, ms: number) {
    if (shuttingDown) return;
    if (ms <= 0) return add(key);
    const at = now() + ms;
    const pending = delayed.get(key);
    if (pending && pending.at <= at) return;
    pending?.timer.cancel();
    const timer = setTimer(() => {
      delayed.delete(key);
      add(key);
    }, ms);
    delayed.set(key, { at, timer });
  }

  return {
    add,
    addAfter,
    addRateLimited: (key) => addAfter(key, limiter.delayMs(key)),
    forget: (key) => limiter.forget(key),
    get() {
      if (shuttingDown) return Promise.resolve(undefined);
      const key = queue.shift();
      if (key !== undefined) {
        dirty.delete(key);
        processing.add(key);
        return Promise.resolve(key);
      }
      return new Promise((resolve) => waiters.push(resolve));
    },
    done(key) {
      processing.delete(key);
      if (dirty.has(key)) {
        dirty.delete(key);
        add(key);
      }
    },
    length: () => queue.length,
    shutDown() {
      shuttingDown = true;
      for (const { timer } of delayed.values()) timer.cancel();
      delayed.clear();
      for (const waiter of waiters.splice(0)) waiter(undefined);
    },
  };
}

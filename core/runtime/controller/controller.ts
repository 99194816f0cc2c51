import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CallBudgetExhaustedError, ThrottledError, TerminalError } from '../../errors/index.ts';
import type { WorkQueue } from '../queue/index.ts';

export interface ReconcileResult {
  /** Reconcile again after this long, with the key's backoff reset. */
  requeueAfterMs?: number;
}

export interface Reconciler {
  /** Throw to retry with per-key backoff; throw TerminalError to stop retrying; ThrottledError waits its retryAfterMs. */
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult>;
}

/** `deferred`: Pledge's own call budget sent the reconcile away (CallBudgetExhaustedError); `throttled`: the cloud did. */
export type ReconcileOutcome = 'success' | 'requeue_after' | 'error' | 'throttled' | 'deferred' | 'terminal';

export const CONTROLLER_DEFAULTS = { workers: 4, reconcileTimeoutMs: 90_000 } as const;

export interface ControllerOptions {
  name: string;
  queue: WorkQueue<string>;
  reconciler: Reconciler;
  logger: Logger;
  workers?: number;
  reconcileTimeoutMs?: number;
  /** Called after each reconcile; metrics hook in here. */
  onReconciled?: (outcome: ReconcileOutcome, durationMs: number) => void;
}

/** Runs workers that take keys from the queue and reconcile them, until the signal aborts. */
export function runController(options: ControllerOptions, signal: AbortSignal): Promise<void> {
  const workers = options.workers ?? CONTROLLER_DEFAULTS.workers;
  const timeoutMs = options.reconcileTimeoutMs ?? CONTROLLER_DEFAULTS.reconcileTimeoutMs;
  if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`workers must be a positive integer, got ${workers}`);
  const { queue, reconciler, logger } = options;

  async function processOne(key: string) {
    const started = performance.now();
    const log = logger.child({ reconcileID: randomUUID(), key });
    let outcome: ReconcileOutcome;
    try {
      const result = await reconciler.reconcile(key, AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]));
      queue.forget(key);
      if (result.requeueAfterMs !== undefined) {
        queue.addAfter(key, result.requeueAfterMs);
        outcome = 'requeue_after';
      } else {
        outcome = 'success';
      }
    } catch (err: unknown) {
      if (err instanceof ThrottledError) {
        queue.addAfter(key, err.retryAfterMs);
        outcome = err instanceof CallBudgetExhaustedError ? 'deferred' : 'throttled';
      } else if (err instanceof TerminalError) {
        queue.forget(key);
        outcome = 'terminal';
      } else {
        queue.addRateLimited(key);
        outcome = 'error';
      }
      log.debug({ err, outcome }, 'reconcile failed');
    }
    options.onReconciled?.(outcome, performance.now() - started);
  }

  async function worker() {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await processOne(key);
      } catch (err: unknown) {
        // processOne handles reconcile errors; this is a bug in a hook, so keep the worker alive.
        logger.error({ err, key }, 'worker failed');
      } finally {
        queue.done(key);
      }
    }
  }

  signal.addEventListener('abort', () => queue.shutDown(), { once: true });
  return Promise.all(Array.from({ length: workers }, worker)).then(() => undefined);
}

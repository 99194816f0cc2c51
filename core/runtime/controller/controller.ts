import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { CallBudgetExhaustedError, ThrottledError, TerminalError } from '../../errors/index.ts';
import { isConflict } from '../../kube/index.ts';
import type { KubeObject } from '../../managed/types.ts';
import type { Informer } from '../informer/index.ts';
import type { PledgeMetrics } from '../metrics/index.ts';
import { createWorkQueue, exponentialBackoff, type WorkQueue, type WorkQueueOptions } from '../queue/index.ts';

export interface ReconcileResult {
  /** Reconcile again after this long, with the key's backoff reset. */
  requeueAfterMs?: number;
  /**
   * The reconcile failed (already recorded in status and events): retry with the key's backoff; a
   * ThrottledError waits its retryAfterMs, a TerminalError is not retried.
   */
  error?: unknown;
}

export interface Reconciler {
  /** Returns what to do next; a thrown error is treated like a returned one (a 409 conflict retries quietly). */
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult>;
}

/** `deferred`: Pledge's own call budget sent the reconcile away (CallBudgetExhaustedError); `throttled`: the cloud did. */
export type ReconcileOutcome = 'success' | 'requeue_after' | 'error' | 'throttled' | 'deferred' | 'terminal' | 'conflict';

export const CONTROLLER_DEFAULTS = {
  workers: 4,
  reconcileTimeoutMs: 90_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  /** Someone else wrote the object first: read the newer version from the cache soon. */
  conflictRequeueMs: 200,
} as const;

export type ControllerSettings = { -readonly [K in keyof typeof CONTROLLER_DEFAULTS]: number };

export interface ControllerOptions extends Partial<ControllerSettings> {
  /** Names the controller in logs and metrics (the kind it reconciles). */
  name: string;
  reconciler: Reconciler;
  logger: Logger;
  metrics?: PledgeMetrics;
  /** The queue's timer and clock, injected by tests. */
  clock?: Pick<WorkQueueOptions<string>, 'setTimer' | 'now'>;
}

/** Which keys an object's change wakes: its own by default. Return [] to ignore the change. */
export type KeysOf<T> = (obj: T, verb: 'add' | 'update' | 'delete') => readonly string[];

export interface Controller {
  readonly name: string;
  enqueue(key: string): void;
  /** Reconciles keys when objects of the informer's type change. */
  watch<T extends KubeObject>(informer: Informer<T>, keysOf?: KeysOf<T>): void;
  /** Runs the workers until the signal aborts; resolves once each has finished its item. */
  start(signal: AbortSignal): Promise<void>;
}

/** `namespace/name` for namespaced objects, `name` otherwise. */
export function objectKey(obj: KubeObject): string | undefined {
  const m = obj.metadata;
  if (!m?.name) return undefined;
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

const ownKey: KeysOf<KubeObject> = (obj, verb) => {
  const key = objectKey(obj);
  return key && verb !== 'delete' ? [key] : [];
};

function validated(options: ControllerOptions): ControllerSettings {
  const s: ControllerSettings = { ...CONTROLLER_DEFAULTS };
  for (const field of Object.keys(CONTROLLER_DEFAULTS) as Array<keyof ControllerSettings>) {
    const value = options[field];
    if (value !== undefined) s[field] = value;
  }
  if (!Number.isInteger(s.workers) || s.workers < 1) throw new RangeError(`${options.name}: workers must be a positive integer, got ${s.workers}`);
  for (const field of ['reconcileTimeoutMs', 'baseBackoffMs', 'maxBackoffMs', 'conflictRequeueMs'] as const) {
    if (!(s[field] > 0)) throw new RangeError(`${options.name}: ${field} must be > 0, got ${s[field]}`);
  }
  return s;
}

/** The one controller builder: a stingy queue with per-key backoff, workers, the four outcomes, metrics. */
export function createController(options: ControllerOptions): Controller {
  const s = validated(options);
  const { name, reconciler, logger, metrics } = options;
  const label = { kind: name };
  // Built here, started by start(): nothing runs before it is asked to.
  const queue: WorkQueue<string> = createWorkQueue<string>({ ...options.clock, rateLimiter: exponentialBackoff({ baseDelayMs: s.baseBackoffMs, maxDelayMs: s.maxBackoffMs }) });
  const depth = () => metrics?.queueDepth.set(label, queue.length());

  function settle(key: string, result: ReconcileResult): ReconcileOutcome {
    const err = result.error;
    if (err === undefined) {
      queue.forget(key);
      if (result.requeueAfterMs === undefined) return 'success';
      queue.addAfter(key, result.requeueAfterMs);
      return 'requeue_after';
    }
    if (isConflict(err)) {
      queue.addAfter(key, s.conflictRequeueMs);
      return 'conflict';
    }
    if (err instanceof ThrottledError) {
      queue.addAfter(key, err.retryAfterMs);
      return err instanceof CallBudgetExhaustedError ? 'deferred' : 'throttled';
    }
    if (err instanceof TerminalError) {
      queue.forget(key);
      return 'terminal';
    }
    queue.addRateLimited(key);
    return 'error';
  }

  async function processOne(key: string, signal: AbortSignal) {
    const started = performance.now();
    let result: ReconcileResult;
    try {
      result = await reconciler.reconcile(key, AbortSignal.any([signal, AbortSignal.timeout(s.reconcileTimeoutMs)]));
    } catch (err: unknown) {
      result = { error: err };
    }
    const outcome = settle(key, result);
    if (result.error !== undefined) logger.debug({ reconcileID: randomUUID(), key, err: result.error, outcome }, 'reconcile failed');
    metrics?.reconciles.inc({ ...label, result: outcome });
    metrics?.reconcileSeconds.observe(label, (performance.now() - started) / 1000);
    depth();
  }

  async function worker(signal: AbortSignal) {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await processOne(key, signal);
      } catch (err: unknown) {
        // processOne settles every reconcile error; this is a bug in a hook, so keep the worker alive.
        logger.error({ err, key }, 'worker failed');
      } finally {
        queue.done(key);
      }
    }
  }

  return {
    name,
    enqueue(key) {
      queue.add(key);
      depth();
    },
    watch<T extends KubeObject>(informer: Informer<T>, keysOf: KeysOf<T> = ownKey) {
      const wake = (verb: 'add' | 'update' | 'delete') => (obj: T) => {
        for (const key of keysOf(obj, verb)) queue.add(key);
        depth();
      };
      informer.on({ add: wake('add'), update: wake('update'), delete: wake('delete') });
    },
    async start(signal) {
      signal.addEventListener('abort', () => queue.shutDown(), { once: true });
      if (signal.aborted) queue.shutDown();
      await Promise.all(Array.from({ length: s.workers }, () => worker(signal)));
    },
  };
}

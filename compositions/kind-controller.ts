import type { Logger } from 'pino';
import { createInformer, isConflict, type Informer, type KubeClient, type ResourceType } from '../core/kube/index.ts';
import type { KubeObject } from '../core/managed/types.ts';
import { runController, type ReconcileResult } from '../core/runtime/controller/index.ts';
import { createWorkQueue, exponentialBackoff, type WorkQueue } from '../core/runtime/queue/index.ts';

export function keyOf(obj: KubeObject): string | undefined {
  const m = obj.metadata;
  if (!m?.name) return undefined;
  return m.namespace ? `${m.namespace}/${m.name}` : m.name;
}

export function splitKey(key: string): { namespace?: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

export interface KindController<T extends KubeObject> {
  informer: Informer<T>;
  queue: WorkQueue<string>;
  run(signal: AbortSignal): Promise<void>;
}

/** An informer on one kind feeding a queue whose workers call reconcile(key); conflicts requeue quietly. */
export function kindController<T extends KubeObject>(options: {
  name: string;
  client: KubeClient;
  type: ResourceType;
  logger: Logger;
  workers?: number;
  reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult>;
  /** Other keys to wake when an object of this kind changes (e.g. the owner). */
  alsoEnqueue?: (obj: T) => void;
}): KindController<T> {
  const queue = createWorkQueue<string>({ rateLimiter: exponentialBackoff({ baseDelayMs: 500, maxDelayMs: 30_000 }) });
  const enqueue = (obj: T) => {
    const key = keyOf(obj);
    if (key) queue.add(key);
    options.alsoEnqueue?.(obj);
  };
  const informer = createInformer<T>({
    client: options.client,
    type: options.type,
    logger: options.logger,
    handlers: { add: enqueue, update: enqueue, delete: (obj) => options.alsoEnqueue?.(obj) },
  });
  return {
    informer,
    queue,
    async run(signal) {
      await informer.start(signal);
      await runController(
        {
          name: options.name,
          queue,
          logger: options.logger,
          workers: options.workers ?? 2,
          reconciler: {
            async reconcile(key, sig) {
              try {
                return await options.reconcile(key, sig);
              } catch (err: unknown) {
                if (isConflict(err)) return { requeueAfterMs: 200 };
                throw err;
              }
            },
          },
        },
        signal,
      );
    },
  };
}

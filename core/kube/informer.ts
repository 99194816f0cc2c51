import { setTimeout as delay } from 'node:timers/promises';
import { makeInformer, type KubernetesObject } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import type { KubeObject } from '../managed/types.ts';
import type { KubeClient, ResourceType } from './client.ts';

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(obj: T): void;
  delete?(obj: T): void;
}

/** A list-watch cache of one kind that restarts itself after errors until its signal aborts. */
export interface Informer<T> {
  /** Resolves once the initial list is in the cache. */
  start(signal: AbortSignal): Promise<void>;
  get(name: string, namespace?: string): T | undefined;
  list(): readonly T[];
}

export const INFORMER_DEFAULTS = { restartBaseMs: 500, restartMaxMs: 30_000 } as const;

export function createInformer<T extends KubeObject>(options: {
  client: KubeClient;
  type: ResourceType;
  handlers: InformerHandlers<T>;
  logger: Logger;
}): Informer<T> {
  const { client, type, handlers, logger } = options;
  const path = `/apis/${type.group}/${type.version}/${type.plural}`;
  const listFn = async () => {
    const list = await client.list<T>(type);
    return list as unknown as { items: KubernetesObject[]; metadata: { resourceVersion?: string } };
  };
  const inner = makeInformer<KubernetesObject>(client.kubeConfig, path, listFn as never);
  if (handlers.add) inner.on('add', (o) => handlers.add?.(o as T));
  if (handlers.update) inner.on('update', (o) => handlers.update?.(o as T));
  if (handlers.delete) inner.on('delete', (o) => handlers.delete?.(o as T));

  let failures = 0;
  let stopSignal: AbortSignal | undefined;
  inner.on('connect', () => {
    failures = 0;
  });
  inner.on('error', (err: unknown) => {
    if (stopSignal?.aborted) return;
    failures++;
    const waitMs = Math.min(INFORMER_DEFAULTS.restartBaseMs * 2 ** (failures - 1), INFORMER_DEFAULTS.restartMaxMs);
    logger.debug({ err, resource: path, waitMs }, 'watch failed, restarting');
    delay(waitMs, undefined, { signal: stopSignal })
      .then(() => inner.start())
      .catch((restartErr: unknown) => {
        if (!stopSignal?.aborted) logger.warn({ err: restartErr, resource: path }, 'watch restart failed');
      });
  });

  return {
    async start(signal: AbortSignal) {
      stopSignal = signal;
      signal.addEventListener('abort', () => void inner.stop(), { once: true });
      await inner.start();
    },
    get: (name, namespace) => inner.get(name, namespace) as T | undefined,
    list: () => inner.list() as readonly T[],
  };
}

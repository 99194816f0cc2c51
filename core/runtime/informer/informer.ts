import { setTimeout as delay } from 'node:timers/promises';
import { ListWatch, Watch, type KubernetesObject, type ListPromise } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { apiErrorMessage, collectionPath, isNotFound, type KubeClient, type ResourceType } from '../../kube/index.ts';
import type { KubeObject } from '../../managed/types.ts';

export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(obj: T): void;
  delete?(obj: T): void;
}

/** Read access to one kind's list-watch cache. */
export interface ObjectCache<T> {
  get(name: string, namespace?: string): T | undefined;
  list(): readonly T[];
}

/**
 * A list-watch cache of one kind, shared by every controller that watches it. It restarts its watch
 * after errors (backing off) until its signal aborts.
 */
export interface Informer<T> extends ObjectCache<T> {
  readonly type: ResourceType;
  /** Adds handlers; objects already in the cache are replayed to a late handler as adds. */
  on(handlers: InformerHandlers<T>): void;
  /** Resolves once the initial list is in the cache. */
  synced(): Promise<void>;
  /** Whether the initial list is in the cache: before it, "not in the cache" does not mean "not there". */
  hasSynced(): boolean;
}

/**
 * The cache keeps the object the handlers see, so this trims the cache itself. managedFields (server-side
 * apply's ownership records) are often the largest part of an object and no reconciler reads them; an update
 * that leaves them out keeps the server's (they are never reset by omission).
 */
function forgetManagedFields(obj: KubernetesObject): void {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
}

/**
 * A watch lasts `watchMinS`–2× that (drawn per informer, so a process's watches do not all end together), then the API
 * server ends it and it resumes from the last resourceVersion; bookmarks keep that version fresh on a quiet kind, so
 * resuming does not fall back to a full list. client-node alone ends any watch that has been silent for 30 s, which
 * reopened every quiet kind's watch twice a minute. A connection silent past the API server's own deadline
 * (`watchSlackS` later) is dead and is abandoned.
 */
export const INFORMER_DEFAULTS = { restartBaseMs: 500, restartMaxMs: 30_000, watchMinS: 300, watchSlackS: 60 } as const;

function watchLasting(kubeConfig: KubeClient['kubeConfig'], seconds: number): Watch {
  // requestTimeoutMs is client-node's silence timeout; it is not in its typings, only in its code.
  return Object.assign(new Watch(kubeConfig), { requestTimeoutMs: (seconds + INFORMER_DEFAULTS.watchSlackS) * 1000 });
}

export interface StartableInformer<T> extends Informer<T> {
  start(signal: AbortSignal): Promise<void>;
}

export function createInformer<T extends KubeObject>(options: { client: KubeClient; type: ResourceType; logger: Logger; fieldSelector?: string }): StartableInformer<T> {
  const { client, type, logger, fieldSelector } = options;
  const watchSeconds = INFORMER_DEFAULTS.watchMinS + Math.floor(Math.random() * INFORMER_DEFAULTS.watchMinS);
  // client-node's watch keeps the path's query and adds its own parameters to it.
  const query = new URLSearchParams({ allowWatchBookmarks: 'true', timeoutSeconds: String(watchSeconds), ...(fieldSelector ? { fieldSelector } : {}) });
  const path = `${collectionPath(type)}?${query}`;
  const resource = collectionPath(type) + (fieldSelector ? `?fieldSelector=${fieldSelector}` : '');
  let listed = false;
  let failures = 0;
  const listFn: ListPromise<KubernetesObject> = async () => {
    const list = await client.list<T>(type, undefined, fieldSelector);
    listed = true;
    failures = 0;
    return { items: list.items as KubernetesObject[], metadata: { resourceVersion: list.metadata?.resourceVersion } };
  };
  const inner = new ListWatch<KubernetesObject>(path, watchLasting(client.kubeConfig, watchSeconds), listFn, false);
  const handlers: Array<InformerHandlers<T>> = [];
  const fan = (verb: keyof InformerHandlers<T>) => (obj: KubernetesObject) => {
    forgetManagedFields(obj);
    for (const h of handlers) h[verb]?.(obj as T);
  };
  inner.on('add', fan('add'));
  inner.on('update', fan('update'));
  inner.on('delete', fan('delete'));

  let stopSignal: AbortSignal | undefined;
  let unserved = false;
  let unlistedWarned = false;
  let started: Promise<void> | undefined;
  let isSynced = false;
  let resolveSynced: () => void = () => {};
  const synced = new Promise<void>((resolve) => (resolveSynced = resolve));
  const markSynced = () => {
    isSynced = true;
    resolveSynced();
  };
  // A failed list does not reject start(): it reports an error (and we restart), so sync is known by `listed`.
  const startOnce = async () => {
    await inner.start();
    // A stop() while the list was in flight does not reach the watch the list then opens (client-node's
    // ListWatch starts it without looking): stop again, or its socket keeps a stopped process alive.
    if (stopSignal?.aborted) await inner.stop();
    if (listed) markSynced();
  };
  inner.on('error', (err: unknown) => {
    if (stopSignal?.aborted) return;
    failures++;
    const waitMs = Math.min(INFORMER_DEFAULTS.restartBaseMs * 2 ** (failures - 1), INFORMER_DEFAULTS.restartMaxMs);
    if (isNotFound(err) && !listed) {
      // The kind is not served (its CRD is not installed): its controller runs with an empty cache rather
      // than holding every other controller back, and the list is tried again until the CRD appears.
      if (!unserved) logger.warn({ resource }, 'not served by the API server (is its CRD installed?); watching for it');
      unserved = true;
      markSynced();
    } else if (!listed && !unlistedWarned) {
      // Until the first list, its objects are unknown (a composite waits for the kinds it composed): say why once.
      unlistedWarned = true;
      logger.warn({ resource, reason: apiErrorMessage(err), waitMs }, 'cannot list; retrying');
    }
    logger.debug({ err, resource, waitMs }, 'watch failed, restarting');
    delay(waitMs, undefined, { signal: stopSignal })
      .then(startOnce)
      .catch((restartErr: unknown) => {
        if (!stopSignal?.aborted) logger.warn({ err: restartErr, resource }, 'watch restart failed');
      });
  });

  return {
    type,
    on(h) {
      handlers.push(h);
      for (const obj of inner.list()) h.add?.(obj as T);
    },
    synced: () => synced,
    hasSynced: () => isSynced,
    start(signal) {
      started ??= (async () => {
        stopSignal = signal;
        signal.addEventListener('abort', () => void inner.stop(), { once: true });
        await startOnce();
      })();
      return started;
    },
    get: (name, namespace) => inner.get(name, namespace) as T | undefined,
    list: () => inner.list() as readonly T[],
  };
}

import type { Logger } from 'pino';
import type { KubeClient, ResourceType } from '../../kube/index.ts';
import type { KubeObject } from '../../managed/types.ts';
import { createInformer, type Informer, type StartableInformer } from './informer.ts';

/**
 * One informer per resource type for the whole process, shared by every controller that watches the
 * type: one watch on the API server and one copy of each object in memory, however many controllers
 * read it. Informers asked for after start() start at once (composite kinds served later).
 */
export interface InformerFactory {
  /** With a field selector, a separate informer holding only the matching objects (e.g. the events one component wrote). */
  informerFor<T extends KubeObject>(type: ResourceType, options?: { fieldSelector?: string }): Informer<T>;
  /** Starts every informer asked for so far and every later one, until the signal aborts. */
  start(signal: AbortSignal): void;
  /** Resolves when every informer asked for so far has listed (rejects when the signal aborts first). */
  synced(signal: AbortSignal): Promise<void>;
  /** Stops the informer of a type that is no longer served (its CRD was deleted). */
  forget(type: ResourceType): void;
  /** The types watched now, for diagnostics and tests. */
  types(): ResourceType[];
}

export function typeKey(type: ResourceType): string {
  return `${type.plural}.${type.group}/${type.version}`;
}

export function createInformerFactory(options: { client: KubeClient; logger: Logger }): InformerFactory {
  const informers = new Map<string, { informer: StartableInformer<KubeObject>; stop: AbortController }>();
  let running: AbortSignal | undefined;

  const launch = (entry: { informer: StartableInformer<KubeObject>; stop: AbortController }, signal: AbortSignal) => {
    entry.informer.start(AbortSignal.any([signal, entry.stop.signal])).catch((err: unknown) => {
      options.logger.warn({ err, resource: typeKey(entry.informer.type) }, 'informer failed to start');
    });
  };

  return {
    informerFor<T extends KubeObject>(type: ResourceType, selected: { fieldSelector?: string } = {}): Informer<T> {
      const key = typeKey(type) + (selected.fieldSelector ? `?${selected.fieldSelector}` : '');
      let entry = informers.get(key);
      if (!entry) {
        entry = { informer: createInformer<KubeObject>({ client: options.client, type, logger: options.logger, fieldSelector: selected.fieldSelector }), stop: new AbortController() };
        informers.set(key, entry);
        if (running) launch(entry, running);
      }
      return entry.informer as unknown as Informer<T>;
    },
    start(signal) {
      running = signal;
      for (const entry of informers.values()) launch(entry, signal);
    },
    async synced(signal) {
      const all = Promise.all([...informers.values()].map((e) => e.informer.synced()));
      const aborted = new Promise<never>((_, reject) => {
        if (signal.aborted) reject(signal.reason);
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
      });
      await Promise.race([all, aborted]);
    },
    forget(type) {
      const key = typeKey(type);
      informers.get(key)?.stop.abort();
      informers.delete(key);
    },
    types: () => [...informers.values()].map((e) => e.informer.type),
  };
}

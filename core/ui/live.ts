import type { ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { KubeObject } from '../managed/types.ts';
import type { InformerFactory } from '../runtime/informer/index.ts';
import { typeKey } from '../runtime/informer/index.ts';
import { allowedOnly, type GetAttributes, type Viewer } from './access.ts';
import { EVENTS, PLEDGE_EVENTS, type Catalog, type KubeEvent } from './catalog.ts';
import type { ConditionHistory } from './history.ts';
import { addressPath } from './paths.ts';

export const LIVE_DEFAULTS = {
  /** Changes are gathered this long and sent as one message: a burst of writes costs one message per client. */
  flushMs: 1_000,
  /** A comment line this often keeps proxies from closing an idle stream. */
  heartbeatMs: 25_000,
  /** New kinds (a composite served later) are picked up this often. */
  rescanMs: 5_000,
  /** More keys than this in one message: the message says "everything" instead. */
  maxKeys: 200,
} as const;

interface Client {
  res: ServerResponse;
  viewer: Viewer;
}

/**
 * Server-sent events: each change to a cached object (or to an Event about it) is noted by its address, and every
 * flushMs the addresses changed are sent to each open page, filtered by what that page's viewer may get. Every
 * change also goes to the condition history (the resource page's timeline). Nothing runs at rest but the heartbeat.
 */
export function createLive(options: { informers: InformerFactory; catalog: Catalog; history: ConditionHistory; logger: Logger; flushMs?: number; heartbeatMs?: number; rescanMs?: number }) {
  const flushMs = options.flushMs ?? LIVE_DEFAULTS.flushMs;
  const clients = new Set<Client>();
  const pending = new Map<string, GetAttributes>();
  const watched = new Set<string>();
  let timer: NodeJS.Timeout | undefined;

  const note = (key: string, attributes: GetAttributes) => {
    pending.set(key, attributes);
    if (!timer && clients.size > 0) {
      timer = setTimeout(flush, flushMs);
      timer.unref();
    }
  };

  function watchNewTypes(): void {
    for (const type of options.informers.types()) {
      const k = typeKey(type);
      if (watched.has(k) || (type.group === '' && type.plural === 'secrets')) continue;
      watched.add(k);
      const isEvents = k === typeKey(EVENTS);
      let replaying = true;
      const changed = (verb: 'add' | 'update' | 'delete') => (obj: KubeObject) => {
        if (isEvents) {
          if (!replaying && clients.size > 0) eventChanged(obj as KubeEvent);
          return;
        }
        const meta = obj.metadata;
        if (!meta?.name) return;
        const ns = type.namespaced ? meta.namespace : undefined;
        const key = addressPath(type, ns, meta.name);
        if (verb === 'delete') options.history.forget(key);
        else options.history.observe(key, obj);
        if (replaying || clients.size === 0) return;
        note(key, { group: type.group, resource: type.plural, ...(ns ? { namespace: ns } : {}) });
      };
      options.informers.informerFor<KubeObject>(type, isEvents ? PLEDGE_EVENTS : {}).on({ add: changed('add'), update: changed('update'), delete: changed('delete') });
      replaying = false;
    }
  }

  function eventChanged(event: KubeEvent): void {
    const io = event.involvedObject;
    const info = options.catalog.byKind(io?.apiVersion ?? '', io?.kind ?? '');
    if (!info || !io?.name) return;
    const ns = info.type.namespaced ? io.namespace : undefined;
    note(addressPath(info.type, ns, io.name), { group: info.type.group, resource: info.type.plural, ...(ns ? { namespace: ns } : {}) });
  }

  function flush(): void {
    timer = undefined;
    const batch = [...pending];
    pending.clear();
    for (const client of clients) {
      allowedOnly(client.viewer, batch, ([, a]) => a)
        .then((allowed) => {
          if (allowed.length === 0 || client.res.writableEnded) return;
          const data = allowed.length > LIVE_DEFAULTS.maxKeys ? { all: true } : { keys: allowed.map(([k]) => k) };
          client.res.write(`event: change\ndata: ${JSON.stringify(data)}\n\n`);
        })
        .catch((err: unknown) => options.logger.debug({ err }, 'web view: a live update was not sent'));
    }
  }

  return {
    start(signal: AbortSignal): void {
      watchNewTypes();
      const rescan = setInterval(watchNewTypes, options.rescanMs ?? LIVE_DEFAULTS.rescanMs);
      const heartbeat = setInterval(() => {
        for (const c of clients) c.res.write(': keep-alive\n\n');
      }, options.heartbeatMs ?? LIVE_DEFAULTS.heartbeatMs);
      rescan.unref();
      heartbeat.unref();
      signal.addEventListener(
        'abort',
        () => {
          clearInterval(rescan);
          clearInterval(heartbeat);
          if (timer) clearTimeout(timer);
          for (const c of clients) c.res.end();
          clients.clear();
        },
        { once: true },
      );
    },
    /** Holds the response open as an event stream until the page goes away. */
    subscribe(res: ServerResponse, viewer: Viewer): void {
      res.writeHead(200, { 'Content-Type': 'text/event-stream; charset=utf-8', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
      res.write('retry: 2000\nevent: hello\ndata: {}\n\n');
      const client = { res, viewer };
      clients.add(client);
      res.on('close', () => clients.delete(client));
    },
    clients: () => clients.size,
  };
}

export type Live = ReturnType<typeof createLive>;

// Time-to-Ready as the bench sees it: a list, then a watch from its resourceVersion, noting the first
// moment each object shows Ready=True. Started before the first create so no transition is missed.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeApi, KubeItem } from './kube-api.ts';
import { resourcePath, type BenchKind } from './kinds.ts';

export interface ReadyWatch {
  /** name → epoch ms of the first event (or list) that showed Ready=True. */
  readyAt: Map<string, number>;
  /** Watch events seen for objects whose name starts with the prefix: a measure of write churn. */
  events(): number;
  /** Resolves once every name is Ready; rejects on timeout with how many are not. */
  waitAllReady(names: readonly string[], options: { timeoutMs: number; onProgress?: (ready: number) => void }): Promise<void>;
  stop(): Promise<void>;
}

const isReady = (item: KubeItem) => item.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Watches kind for objects named prefix*; resolves once the first list is done and the watch is open. */
export async function startReadyWatch(options: { api: KubeApi; kind: BenchKind; prefix: string }): Promise<ReadyWatch> {
  const { api, kind, prefix } = options;
  const readyAt = new Map<string, number>();
  const aborter = new AbortController();
  let events = 0;
  const note = (item: KubeItem) => {
    const name = item.metadata?.name;
    if (name === undefined || !name.startsWith(prefix)) return;
    events++;
    if (!readyAt.has(name) && isReady(item)) readyAt.set(name, Date.now());
  };

  async function list(): Promise<string> {
    const res = await api.call('GET', resourcePath(kind), { signal: aborter.signal });
    if (res.status !== 200) throw new Error(`list ${kind.plural}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    const parsed = JSON.parse(res.body) as { items: KubeItem[]; metadata: { resourceVersion: string } };
    for (const item of parsed.items) note(item);
    return parsed.metadata.resourceVersion;
  }

  let resourceVersion = await list();
  // The loop re-watches from the last resourceVersion when the server ends a watch, and lists again on 410 Gone.
  const loop = (async () => {
    while (!aborter.signal.aborted) {
      let gone = false;
      try {
        await api.watch(
          `${resourcePath(kind)}?watch=1&allowWatchBookmarks=true&resourceVersion=${resourceVersion}&timeoutSeconds=600`,
          (event) => {
            if (event.type === 'ERROR') {
              gone = event.object.status?.code === 410;
              return;
            }
            const rv = event.object.metadata?.resourceVersion;
            if (rv) resourceVersion = rv;
            if (event.type !== 'BOOKMARK') note(event.object);
          },
          aborter.signal,
        );
        if (gone) resourceVersion = await list();
      } catch (err: unknown) {
        if (aborter.signal.aborted) return;
        process.stderr.write(`bench: watch ${kind.plural} broke (${err instanceof Error ? err.message : String(err)}); watching again\n`);
        await sleep(500);
      }
    }
  })();
  // The watch is not confirmed open by anything but its first event; a short pause keeps the first creates after it.
  await sleep(200);

  return {
    readyAt,
    events: () => events,
    async waitAllReady(names, waitOptions) {
      const deadline = Date.now() + waitOptions.timeoutMs;
      let lastCount = -1;
      for (;;) {
        const ready = names.reduce((n, name) => n + (readyAt.has(name) ? 1 : 0), 0);
        if (ready !== lastCount) waitOptions.onProgress?.(ready);
        lastCount = ready;
        if (ready === names.length) return;
        if (Date.now() > deadline) throw new Error(`${names.length - ready} of ${names.length} ${kind.plural} not Ready after ${waitOptions.timeoutMs} ms`);
        await sleep(100);
      }
    },
    async stop() {
      aborter.abort();
      await loop;
    },
  };
}

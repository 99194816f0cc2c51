// --cleanup: deletes what the bench made while the controller still runs (its finalizers need it), and
// waits until none is left, so a shared environment is as it was.
import { setTimeout as sleep } from 'node:timers/promises';
import type { KubeApi } from './kube-api.ts';
import { resourcePath, type BenchKind } from './kinds.ts';

export async function deleteAll(options: { api: KubeApi; kind: BenchKind; names: readonly string[]; concurrency: number; timeoutMs: number }): Promise<void> {
  const { api, kind, names } = options;
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < names.length; i = next++) {
      const res = await api.call('DELETE', resourcePath(kind, names[i]));
      if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new Error(`delete ${kind.kind} ${names[i]}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(options.concurrency, names.length) }, worker));
  const wanted = new Set(names);
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const res = await api.call('GET', resourcePath(kind));
    if (res.status !== 200) throw new Error(`list ${kind.plural}: HTTP ${res.status}`);
    const left = (JSON.parse(res.body) as { items: Array<{ metadata?: { name?: string } }> }).items.filter((i) => wanted.has(i.metadata?.name ?? '')).length;
    if (left === 0) return;
    if (Date.now() > deadline) throw new Error(`${left} ${kind.plural} still there ${options.timeoutMs} ms after their deletion`);
    await sleep(250);
  }
}

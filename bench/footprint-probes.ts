// What runtime-footprint.ts reads besides /proc: the API server's request counters, the controller's own metrics,
// and its live heap through the inspector.
import { mustKubectl } from '../test/integration/harness.ts';

/** apiserver_request_total by verb, for Pledge's groups (*.pledge.dev and the example XRD's group) and for the rest. */
export async function apiRequests(): Promise<Record<'pledge' | 'byResource' | 'other', Map<string, number>>> {
  const text = await mustKubectl(['get', '--raw', '/metrics']);
  const out = { pledge: new Map<string, number>(), byResource: new Map<string, number>(), other: new Map<string, number>() };
  const add = (m: Map<string, number>, key: string, n: number) => m.set(key, (m.get(key) ?? 0) + n);
  for (const match of text.matchAll(/^apiserver_request_total\{([^}]*)\} (\S+)$/gm)) {
    const labels = Object.fromEntries([...(match[1] ?? '').matchAll(/(\w+)="([^"]*)"/g)].map((l) => [l[1], l[2]]));
    const n = Number(match[2]);
    const verb = labels.verb ?? '?';
    const resource = `${labels.resource}${labels.subresource ? `/${labels.subresource}` : ''}`;
    if (/(^|\.)pledge\.dev$/.test(labels.group ?? '') || labels.group === 'platform.example.org') {
      add(out.pledge, verb, n);
      add(out.byResource, `${verb} ${resource}`, n);
    } else add(out.other, `${verb} ${resource}`, n);
  }
  return out;
}

/** pledge_cloud_api_calls_total by operation and pledge_reconcile_total by kind, from the controller's /metrics. */
export async function controllerCounts(metricsUrl: string): Promise<Record<'calls' | 'reconciles', Map<string, number>>> {
  const text = await (await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const by = (metric: string, label: string) => {
    const out = new Map<string, number>();
    for (const m of text.matchAll(new RegExp(`^${metric}\\{([^}]*)\\} (\\S+)$`, 'gm'))) {
      const key = new RegExp(`${label}="([^"]+)"`).exec(m[1] ?? '')?.[1] ?? '?';
      out.set(key, (out.get(key) ?? 0) + Number(m[2]));
    }
    return out;
  };
  return { calls: by('pledge_cloud_api_calls_total', 'operation'), reconciles: by('pledge_reconcile_total', 'kind') };
}

/** heapUsed and external (MiB) after a full GC, asked of the controller over its inspector WebSocket. */
export async function liveHeap(inspectorUrl: string): Promise<{ heapUsed: number; external: number }> {
  const ws = new WebSocket(inspectorUrl);
  const replies = new Map<number, (result: unknown) => void>();
  ws.addEventListener('message', (event) => {
    const reply = JSON.parse(String(event.data)) as { id?: number; result?: unknown };
    if (reply.id !== undefined) replies.get(reply.id)?.(reply.result);
  });
  await new Promise((resolve, reject) => {
    ws.addEventListener('open', resolve, { once: true });
    ws.addEventListener('error', () => reject(new Error(`cannot connect to ${inspectorUrl}`)), { once: true });
  });
  let id = 0;
  const send = (method: string, params: object = {}) =>
    new Promise<unknown>((resolve) => {
      replies.set(++id, resolve);
      ws.send(JSON.stringify({ id, method, params }));
    });
  try {
    await send('HeapProfiler.collectGarbage');
    const result = (await send('Runtime.evaluate', { expression: 'JSON.stringify(process.memoryUsage())', returnByValue: true })) as { result?: { value?: string } };
    const usage = JSON.parse(result.result?.value ?? '{}') as { heapUsed?: number; external?: number };
    return { heapUsed: (usage.heapUsed ?? Number.NaN) / 2 ** 20, external: (usage.external ?? Number.NaN) / 2 ** 20 };
  } finally {
    ws.close();
  }
}

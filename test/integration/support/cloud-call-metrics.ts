// pledge_cloud_api_calls_total from a controller's /metrics, summed by provider and result.

export type CallTotals = Record<string, Record<string, number>>;

const SAMPLE = /^pledge_cloud_api_calls_total\{([^}]*)\}\s+(\S+)$/;
const LABEL = /(\w+)="((?:[^"\\]|\\.)*)"/g;

/** calls[provider][result] over every operation; `all` holds each provider's total. */
export function cloudCallTotals(metricsText: string): CallTotals {
  const totals: CallTotals = {};
  for (const line of metricsText.split('\n')) {
    const match = SAMPLE.exec(line.trim());
    if (!match) continue;
    const labels = Object.fromEntries([...(match[1] ?? '').matchAll(LABEL)].map((m) => [m[1] ?? '', m[2] ?? '']));
    const provider = labels.provider ?? '';
    const value = Number(match[2]);
    const byResult = totals[provider] ?? {};
    totals[provider] = byResult;
    byResult[labels.result ?? ''] = (byResult[labels.result ?? ''] ?? 0) + value;
    byResult.all = (byResult.all ?? 0) + value;
  }
  return totals;
}

export async function scrapeCloudCalls(metricsUrl: string, signal: AbortSignal = AbortSignal.timeout(10_000)): Promise<CallTotals> {
  const res = await fetch(`${metricsUrl}/metrics`, { signal });
  if (!res.ok) throw new Error(`GET ${metricsUrl}/metrics: HTTP ${res.status}`);
  return cloudCallTotals(await res.text());
}

import type { CloudGates } from '../manager/cloud-gates.ts';
import type { PledgeMetrics } from '../runtime/metrics/index.ts';

export interface CloudStats {
  providers: Array<{ provider: string; callsPerSecond: number; callsTotal: number }>;
  budgets: Array<{ provider: string; providerConfig: string; callsPerSecond: number; ratePerSecond: number; burst: number; waitMs: number; pausedMs: number; turnsWaiting: number }>;
}

interface Sample {
  at: number;
  totals: Map<string, number>;
}

export const CLOUD_STATS_DEFAULTS = { sampleEveryMs: 5_000 } as const;

/**
 * Cloud calls per second per provider (pledge_cloud_api_calls_total) and per ProviderConfig (its budget's count),
 * as the rate between the last two samples, taken every few seconds; and each budget as it stands.
 */
export function createCloudStats(options: { metrics: PledgeMetrics; cloudGates: ReadonlyArray<{ provider: string; gates: CloudGates }>; sampleEveryMs?: number }) {
  const every = options.sampleEveryMs ?? CLOUD_STATS_DEFAULTS.sampleEveryMs;
  let previous: Sample | undefined;
  let latest: Sample | undefined;

  async function sample(): Promise<Sample> {
    const totals = new Map<string, number>();
    for (const v of (await options.metrics.cloudCalls.get()).values) {
      const k = `provider\u0000${String(v.labels.provider)}`;
      totals.set(k, (totals.get(k) ?? 0) + v.value);
    }
    for (const { provider, gates } of options.cloudGates) {
      for (const b of gates.budgets()) {
        const k = `budget\u0000${provider}\u0000${b.providerConfig}`;
        totals.set(k, (totals.get(k) ?? 0) + b.callsTotal);
      }
    }
    return { at: performance.now(), totals };
  }

  const rate = (k: string) => {
    if (!previous || !latest) return 0;
    const dt = (latest.at - previous.at) / 1000;
    return dt > 0 ? Math.max(0, ((latest.totals.get(k) ?? 0) - (previous.totals.get(k) ?? 0)) / dt) : 0;
  };

  return {
    start(signal: AbortSignal): void {
      const tick = () => {
        sample()
          .then((s) => {
            previous = latest;
            latest = s;
          })
          .catch(() => {});
      };
      tick();
      const timer = setInterval(tick, every);
      timer.unref();
      signal.addEventListener('abort', () => clearInterval(timer), { once: true });
    },
    now(): CloudStats {
      const providers = new Map<string, number>();
      for (const [k, v] of latest?.totals ?? []) if (k.startsWith('provider\u0000')) providers.set(k.slice('provider\u0000'.length), v);
      for (const { provider } of options.cloudGates) if (!providers.has(provider)) providers.set(provider, 0);
      return {
        providers: [...providers].sort().map(([provider, callsTotal]) => ({ provider, callsTotal, callsPerSecond: rate(`provider\u0000${provider}`) })),
        budgets: options.cloudGates.flatMap(({ provider, gates }) =>
          gates.budgets().map((b) => ({ provider, providerConfig: b.providerConfig, callsPerSecond: rate(`budget\u0000${provider}\u0000${b.providerConfig}`), ratePerSecond: b.ratePerSecond, burst: b.burst, waitMs: b.waitMs, pausedMs: b.pausedMs, turnsWaiting: b.turnsWaiting })),
        ),
      };
    },
  };
}

export type CloudStatsSource = ReturnType<typeof createCloudStats>;

/** Counts of calls by service, operation and outcome: what benchmarks and chaos tests read. */
import type { ServiceName } from './sim-http.ts';

/**
 * ok: answered with 2xx/3xx. error: the simulated cloud answered 4xx/5xx on its own (NoSuchBucket…).
 * throttled, injected-error, outage: cloudsim injected the fault (knobs).
 */
export const OUTCOMES = ['ok', 'error', 'throttled', 'injected-error', 'outage'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** counts[service][operation][outcome]; absent entries are zero. */
export type CounterSnapshot = Partial<Record<ServiceName, Record<string, Partial<Record<Outcome, number>>>>>;

export class Counters {
  #counts: CounterSnapshot = {};

  record(service: ServiceName, operation: string, outcome: Outcome): void {
    const byOperation = (this.#counts[service] ??= {});
    const byOutcome = (byOperation[operation] ??= {});
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
  }

  snapshot(): CounterSnapshot {
    return structuredClone(this.#counts);
  }

  reset(): void {
    this.#counts = {};
  }
}

/** Total calls in a snapshot, optionally of one service and one outcome. */
export function totalCalls(snapshot: CounterSnapshot, filter: { service?: ServiceName; outcome?: Outcome } = {}): number {
  let total = 0;
  for (const [service, byOperation] of Object.entries(snapshot)) {
    if (filter.service !== undefined && service !== filter.service) continue;
    for (const byOutcome of Object.values(byOperation ?? {})) {
      for (const [outcome, n] of Object.entries(byOutcome)) if (filter.outcome === undefined || outcome === filter.outcome) total += n ?? 0;
    }
  }
  return total;
}

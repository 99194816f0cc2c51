// Cloud calls as cloudsim counted them (its admin endpoint's counters), and its per-call latency knob.
import { testEnv } from '../../test/env/index.ts';

type Counters = Record<string, Record<string, Record<string, number>>>;

/** operation → calls answered (every outcome); another service's operations (the token endpoint) as `service.operation`. */
export type CallCounts = Record<string, number>;

export interface CloudCalls {
  snapshot(): Promise<CallCounts>;
  /** Adds latencyMs to every call of the service (null: back to none). */
  setLatency(latencyMs: number | null): Promise<void>;
}

/** The services one kind's calls go to: its API and, for GCS, Google's token endpoint (cloudsim serves both). */
const SERVICES = { gcs: ['gcs', 'google-oauth'], s3: ['s3'] } as const;

export function cloudCalls(service: 'gcs' | 's3'): CloudCalls {
  const adminUrl = testEnv().cloudsim?.adminUrl;
  if (!adminUrl) throw new Error('cloudsim is not running: run under test/env/run.ts');
  const call = async (method: string, path: string, body?: unknown): Promise<unknown> => {
    const res = await fetch(`${adminUrl}/_cloudsim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`cloudsim admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return text === '' ? undefined : (JSON.parse(text) as unknown);
  };
  return {
    async snapshot() {
      const counters = (await call('GET', 'counters')) as Counters;
      const out: CallCounts = {};
      for (const name of SERVICES[service]) {
        for (const [operation, outcomes] of Object.entries(counters[name] ?? {})) {
          out[name === service ? operation : `${name}.${operation}`] = Object.values(outcomes).reduce((a, b) => a + b, 0);
        }
      }
      return out;
    },
    async setLatency(latencyMs) {
      await call('PATCH', 'knobs', { faults: { [service]: latencyMs === null ? null : { latencyMs } } });
    },
  };
}

export function diffCalls(before: CallCounts, after: CallCounts): CallCounts {
  const out: CallCounts = {};
  for (const [op, n] of Object.entries(after)) {
    const d = n - (before[op] ?? 0);
    if (d > 0) out[op] = d;
  }
  return out;
}

export const totalCalls = (counts: CallCounts) => Object.values(counts).reduce((a, b) => a + b, 0);

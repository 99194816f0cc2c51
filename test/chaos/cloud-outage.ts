// The cloud outage of a chaos run: for a window, Azure Resource Manager answers every call with 503 (cloudsim's
// outage) while S3, RDS and GCS refuse most calls with their own 5xx or throttling errors; then all is well again.
import { setTimeout as sleep } from 'node:timers/promises';
import type { CloudsimAdmin, CloudsimService, CounterSnapshot, FaultSettings } from '../integration/support/cloudsim-admin.ts';

export const OUTAGE_DEFAULTS = {
  seconds: 30,
  /** S3, RDS and GCS during the window: 20 % throttled (Retry-After 2 s), half the rest a 5xx. */
  faults: { throttleRate: 0.2, errorRate: 0.5, retryAfterSeconds: 2 } satisfies FaultSettings,
} as const;

const DOWN: CloudsimService = 'arm';
const FAULTY: readonly CloudsimService[] = ['s3', 'rds', 'gcs'];

export interface OutageWindow {
  from: number;
  to: number;
}

/** Clears every fault this module sets; safe to call when none is set. */
export async function endCloudOutage(admin: CloudsimAdmin): Promise<void> {
  await admin.setFaults(Object.fromEntries(FAULTY.map((s) => [s, null])));
  await admin.endOutages();
}

/** Starts the outage and resolves when it is over (faults cleared, even when `signal` aborts the wait). */
export async function cloudOutage(admin: CloudsimAdmin, seconds: number, signal?: AbortSignal): Promise<OutageWindow> {
  const from = Date.now();
  try {
    await admin.outage(DOWN, seconds);
    await admin.setFaults(Object.fromEntries(FAULTY.map((s) => [s, OUTAGE_DEFAULTS.faults])));
    await sleep(Math.max(0, from + seconds * 1000 - Date.now()), undefined, signal ? { signal } : {});
  } finally {
    await endCloudOutage(admin);
  }
  return { from, to: Date.now() };
}

const refusedByOutage = (snapshot: CounterSnapshot) => Object.values(snapshot[DOWN] ?? {}).reduce((n, byOutcome) => n + (byOutcome.outage ?? 0), 0);

/** Resolves once ARM has refused a call with its outage since `before` (or after `maxMs`, or on any error). */
export async function outageBites(admin: CloudsimAdmin, before: CounterSnapshot, maxMs: number): Promise<void> {
  const deadline = Date.now() + maxMs;
  const already = refusedByOutage(before);
  while (Date.now() < deadline) {
    try {
      if (refusedByOutage(await admin.counters()) > already) return;
    } catch {
      // cloudsim did not answer: stop holding the kill; the verdict reads the counters again at the end.
      return;
    }
    await sleep(500);
  }
}

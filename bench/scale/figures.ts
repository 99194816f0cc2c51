// What one run measured (RunRecord, saved as JSON beside the plots) and the figures derived from it.
import type { RequestCounts } from './audit-log.ts';
import type { CallCounts } from './cloud-calls.ts';
import type { Sample } from './sampler.ts';

export interface Phases {
  /** epoch ms: the controller's process started, its controllers running */
  started: number;
  /** RSS empty taken here */
  empty: number;
  /** first create sent */
  rampStart: number;
  /** last Ready seen (or the time-out) */
  allReady: number;
  /** restAfterSeconds after allReady: RSS at rest taken here */
  restStart: number;
  restEnd: number;
}

export interface RunRecord {
  id: string;
  /** ISO time of the start */
  date: string;
  controller: string;
  /** "defaults" or "tuned" */
  mode: string;
  kind: string;
  n: number;
  /** Every object's name is this plus its index. */
  namePrefix: string;
  /** Claims run: composed resources per claim. */
  composedPerObject?: number;
  concurrency: number;
  benchCommand: string;
  controllerCommand: string;
  pollSeconds: number;
  machine: { cpus: number; memGiB: number; node: string; kernel: string };
  /** How many reached Ready before the time-out (n when complete). */
  ready: number;
  createSeconds: number;
  createRetries: number;
  /** per object, in ms from its first apply to its first Ready, sorted ascending */
  readyMs: number[];
  phases: Phases;
  samples: Sample[];
  apiserverSamples: Sample[];
  watchEvents: number;
  api?: { untilReady: RequestCounts; ramp: RequestCounts; rest: RequestCounts };
  cloud?: { service: string; latencyMs: number; ramp: CallCounts; rest: CallCounts };
}

export interface Figures {
  allReadySeconds: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  rssEmptyMiB: number;
  rssPeakMiB: number;
  rssRestMiB: number;
  cpuRampSeconds: number;
  cpuPerMinuteRest: number;
  apiserverCpuRampSeconds?: number;
  loadMeanRamp: number;
  /** Controller requests during the ramp but its lists and watches (a fixed cost), per object: events and secret reads included. */
  apiPerObject?: number;
  apiWritesPerObject?: number;
  /** Requests on the object itself (its URL) before it was first Ready, per object. */
  apiOwnUntilReadyPerObject?: number;
  apiRestPerObjectPerMinute?: number;
  cloudPerObjectRamp?: number;
  cloudPerObjectPerPoll?: number;
  watchEventsPerObject: number;
}

const MiB = 1024 * 1024;

/** The value at quantile q (0..1) of ascending values, nearest rank. */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1));
  return sorted[rank] ?? Number.NaN;
}

/** The sample nearest to t (the last one at or before it when there is one). */
export function sampleAt(samples: readonly Sample[], t: number): Sample | undefined {
  let best: Sample | undefined;
  for (const s of samples) {
    if (s.t <= t) best = s;
    else return best ?? s;
  }
  return best;
}

/** Requests but lists and watches, which a controller makes per kind, not per object. */
const perObjectWork = (counts: RequestCounts) =>
  Object.entries(counts.byRequest).reduce((sum, [what, count]) => (what.startsWith('watch ') || what.startsWith('list ') ? sum : sum + count), 0);

const between = (samples: readonly Sample[], from: number, to: number) => samples.filter((s) => s.t >= from && s.t <= to);
const sumOf = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);

function cpuBetween(samples: readonly Sample[], from: number, to: number): number {
  const a = sampleAt(samples, from);
  const b = sampleAt(samples, to);
  return a && b ? b.cpuSeconds - a.cpuSeconds : Number.NaN;
}

export function figuresOf(run: RunRecord): Figures {
  const { phases, samples, n } = run;
  const rest = (phases.restEnd - phases.restStart) / 1000;
  const ramp = between(samples, phases.rampStart, phases.allReady);
  const api = run.api;
  const cloud = run.cloud;
  return {
    allReadySeconds: (phases.allReady - phases.rampStart) / 1000,
    p50: quantile(run.readyMs, 0.5) / 1000,
    p90: quantile(run.readyMs, 0.9) / 1000,
    p99: quantile(run.readyMs, 0.99) / 1000,
    max: (run.readyMs.at(-1) ?? Number.NaN) / 1000,
    rssEmptyMiB: (sampleAt(samples, phases.empty)?.rssBytes ?? Number.NaN) / MiB,
    rssPeakMiB: Math.max(...samples.map((s) => s.rssBytes)) / MiB,
    rssRestMiB: (sampleAt(samples, phases.restStart)?.rssBytes ?? Number.NaN) / MiB,
    cpuRampSeconds: cpuBetween(samples, phases.rampStart, phases.allReady),
    cpuPerMinuteRest: (cpuBetween(samples, phases.restStart, phases.restEnd) * 60) / rest,
    apiserverCpuRampSeconds: run.apiserverSamples.length > 0 ? cpuBetween(run.apiserverSamples, phases.rampStart, phases.allReady) : undefined,
    loadMeanRamp: ramp.length > 0 ? ramp.reduce((a, s) => a + s.load1, 0) / ramp.length : (samples.at(-1)?.load1 ?? Number.NaN),
    apiPerObject: api ? perObjectWork(api.ramp) / n : undefined,
    apiWritesPerObject: api ? api.ramp.writes / n : undefined,
    apiOwnUntilReadyPerObject: api ? api.untilReady.total / n : undefined,
    apiRestPerObjectPerMinute: api ? (api.rest.total * 60) / rest / n : undefined,
    cloudPerObjectRamp: cloud ? sumOf(cloud.ramp) / n : undefined,
    cloudPerObjectPerPoll: cloud ? sumOf(cloud.rest) / (n * (rest / run.pollSeconds)) : undefined,
    watchEventsPerObject: run.watchEvents / n,
  };
}

/**
 * Fault and timing knobs: latency, injected errors, throttling and outage windows, per service or per
 * operation, plus how long the simulated clouds take to create and delete things.
 */
import { isServiceName, type ServiceName } from './sim-http.ts';

/** Faults for the calls a key matches. Rates are probabilities from 0 to 1. */
export type FaultKnobs = {
  /** Added to every call, in ms. */
  latencyMs?: number;
  /** A random extra delay up to this many ms. */
  latencyJitterMs?: number;
  /** Share of calls answered with the cloud's 5xx. */
  errorRate?: number;
  /** Share of calls answered with the cloud's throttling error. */
  throttleRate?: number;
  /** Retry-After (seconds) on throttling and outage answers. */
  retryAfterSeconds?: number;
};

export const TIMING_DEFAULTS = {
  /** RDS DBInstance `creating` → `available`. */
  rdsCreateMs: 2_000,
  /** RDS DBInstance `modifying` → `available` (changes applied immediately). */
  rdsModifyMs: 1_000,
  /** RDS DBInstance `deleting` → gone. */
  rdsDeleteMs: 1_000,
  /** RDS DBSnapshot `creating` → `available`. */
  rdsSnapshotMs: 1_000,
  /** Azure storage account create: the LRO stays InProgress this long. */
  armCreateMs: 1_000,
  /** Azure resource group delete: the LRO stays InProgress this long. */
  armDeleteMs: 1_000,
  /** Lifetime of Entra and Google access tokens. */
  tokenLifetimeSeconds: 3_599,
} as const;
export type Timings = { -readonly [K in keyof typeof TIMING_DEFAULTS]: number };

export const FAULT_DEFAULTS = { latencyMs: 0, latencyJitterMs: 0, errorRate: 0, throttleRate: 0, retryAfterSeconds: 1 } as const;

export type Knobs = {
  /** Keyed by `*` (every call), a service (`s3`) or `service.Operation` (`s3.HeadBucket`); the most specific wins per field. */
  faults: Record<string, FaultKnobs>;
  /** Services that answer every call with 503 until this time (epoch ms). */
  outages: Partial<Record<ServiceName, number>>;
  timings: Timings;
};

/** A change to the knobs: faults entries replace the entry for their key (null removes it); timings merge. */
export type KnobsPatch = {
  faults?: Record<string, FaultKnobs | null>;
  timings?: Partial<Timings>;
};

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'throttle'; retryAfterSeconds: number }
  | { kind: 'error' }
  | { kind: 'outage'; retryAfterSeconds: number };

export function defaultKnobs(): Knobs {
  return { faults: {}, outages: {}, timings: { ...TIMING_DEFAULTS } };
}

const RATE_FIELDS = ['errorRate', 'throttleRate'] as const;
const NUMBER_FIELDS = ['latencyMs', 'latencyJitterMs', 'retryAfterSeconds', ...RATE_FIELDS] as const;

/** Checks a patch (from flags or the admin endpoint); throws an Error naming the bad field. */
export function validateKnobsPatch(patch: unknown): KnobsPatch {
  if (typeof patch !== 'object' || patch === null) throw new Error('knobs: expected an object');
  const { faults, timings, ...rest } = patch as Record<string, unknown>;
  const extra = Object.keys(rest);
  if (extra.length > 0) throw new Error(`knobs: unknown field ${extra.join(', ')} (expected faults, timings)`);
  const out: KnobsPatch = {};
  if (faults !== undefined) {
    if (typeof faults !== 'object' || faults === null) throw new Error('knobs.faults: expected an object');
    out.faults = {};
    for (const [key, value] of Object.entries(faults)) {
      const service = key.split('.')[0] ?? '';
      if (key !== '*' && !isServiceName(service)) throw new Error(`knobs.faults: unknown service in key ${JSON.stringify(key)}`);
      out.faults[key] = value === null ? null : validateFaults(`knobs.faults[${JSON.stringify(key)}]`, value);
    }
  }
  if (timings !== undefined) {
    if (typeof timings !== 'object' || timings === null) throw new Error('knobs.timings: expected an object');
    out.timings = {};
    for (const [key, value] of Object.entries(timings)) {
      if (!(key in TIMING_DEFAULTS)) throw new Error(`knobs.timings: unknown field ${key}`);
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Error(`knobs.timings.${key}: expected a number >= 0`);
      out.timings[key as keyof Timings] = value;
    }
  }
  return out;
}

function validateFaults(where: string, value: unknown): FaultKnobs {
  if (typeof value !== 'object' || value === null) throw new Error(`${where}: expected an object`);
  const out: FaultKnobs = {};
  for (const [field, v] of Object.entries(value)) {
    if (!(NUMBER_FIELDS as readonly string[]).includes(field)) throw new Error(`${where}.${field}: unknown field`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`${where}.${field}: expected a number >= 0`);
    if ((RATE_FIELDS as readonly string[]).includes(field) && v > 1) throw new Error(`${where}.${field}: expected a rate from 0 to 1`);
    out[field as keyof FaultKnobs] = v;
  }
  return out;
}

export function applyKnobsPatch(knobs: Knobs, patch: KnobsPatch): void {
  for (const [key, value] of Object.entries(patch.faults ?? {})) {
    if (value === null) delete knobs.faults[key];
    else knobs.faults[key] = value;
  }
  Object.assign(knobs.timings, patch.timings ?? {});
}

/** The fault settings for one call: `*`, then the service, then the operation, field by field. */
export function faultsFor(knobs: Knobs, service: ServiceName, operation: string): Required<FaultKnobs> {
  return { ...FAULT_DEFAULTS, ...knobs.faults['*'], ...knobs.faults[service], ...knobs.faults[`${service}.${operation}`] };
}

/** Decides whether this call fails on purpose. Outages come first, then throttling, then errors. */
export function decideFault(options: { knobs: Knobs; service: ServiceName; operation: string; now: number; random: () => number }): FaultDecision {
  const { knobs, service, operation, now, random } = options;
  const faults = faultsFor(knobs, service, operation);
  const until = knobs.outages[service];
  if (until !== undefined && now < until) {
    return { kind: 'outage', retryAfterSeconds: Math.max(1, Math.ceil((until - now) / 1000)) };
  }
  if (faults.throttleRate > 0 && random() < faults.throttleRate) return { kind: 'throttle', retryAfterSeconds: faults.retryAfterSeconds };
  if (faults.errorRate > 0 && random() < faults.errorRate) return { kind: 'error' };
  return { kind: 'none' };
}

/** The delay to add before answering, in ms. */
export function latencyFor(knobs: Knobs, service: ServiceName, operation: string, random: () => number): number {
  const { latencyMs, latencyJitterMs } = faultsFor(knobs, service, operation);
  return latencyMs + (latencyJitterMs > 0 ? random() * latencyJitterMs : 0);
}

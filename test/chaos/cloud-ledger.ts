// The verdict's evidence, from cloudsim alone: how many creates each cloud served (its counters) and which of
// the run's objects it holds (its state). Never from the controller's own status or logs.
import type { CloudsimAdmin, CloudsimOutcome, CloudsimService, CounterSnapshot, HeldNames } from '../integration/support/cloudsim-admin.ts';
import { CHAOS_KIND_INFO, CHAOS_KINDS, oursOf, type ChaosFleet, type ChaosKind } from './chaos-fleet.ts';

const HELD_KEY: Record<ChaosKind, keyof HeldNames> = { s3: 's3', rds: 'rds', arm: 'arm', gcs: 'gcs', account: 'armAccounts' };

export interface CreatesServed {
  /** Answered with success: the cloud made (or, for an idempotent PUT, made again) the object. */
  made: number;
  /** Answered with the cloud's own error, such as "already exists": a second create that reached the cloud. */
  refused: number;
  /** Refused by an injected fault (outage, throttling, error) before the cloud looked at it. */
  faulted: number;
}

function count(snapshot: CounterSnapshot, service: CloudsimService, operation: string, outcomes: readonly CloudsimOutcome[]): number {
  const byOutcome = snapshot[service]?.[operation] ?? {};
  return outcomes.reduce((n, o) => n + (byOutcome[o] ?? 0), 0);
}

/** Creates per kind between two counter snapshots. */
export function createsServed(before: CounterSnapshot, after: CounterSnapshot): Record<ChaosKind, CreatesServed> {
  const out = {} as Record<ChaosKind, CreatesServed>;
  for (const kind of CHAOS_KINDS) {
    const { service, create } = CHAOS_KIND_INFO[kind];
    const delta = (outcomes: readonly CloudsimOutcome[]) => count(after, service, create, outcomes) - count(before, service, create, outcomes);
    out[kind] = { made: delta(['ok']), refused: delta(['error']), faulted: delta(['throttled', 'outage', 'injected-error']) };
  }
  return out;
}

/** Calls per service answered with an injected fault between two snapshots: proof the outage happened. */
export function faultsServed(before: CounterSnapshot, after: CounterSnapshot): Record<'arm' | 's3' | 'rds' | 'gcs', Partial<Record<CloudsimOutcome, number>>> {
  const services = ['arm', 's3', 'rds', 'gcs'] as const;
  const out = {} as Record<(typeof services)[number], Partial<Record<CloudsimOutcome, number>>>;
  for (const service of services) {
    const totals: Partial<Record<CloudsimOutcome, number>> = {};
    for (const outcome of ['outage', 'throttled', 'injected-error'] as const) {
      const sum = (s: CounterSnapshot) => Object.keys(s[service] ?? {}).reduce((n, op) => n + count(s, service, op, [outcome]), 0);
      const d = sum(after) - sum(before);
      if (d > 0) totals[outcome] = d;
    }
    out[service] = totals;
  }
  return out;
}

/** The run's objects cloudsim holds, per kind, each name as often as it is held. */
export async function heldOfRun(admin: CloudsimAdmin, chaos: ChaosFleet, signal?: AbortSignal): Promise<Record<ChaosKind, string[]>> {
  const held = await admin.held(signal);
  return Object.fromEntries(CHAOS_KINDS.map((k) => [k, oursOf(chaos, held[HELD_KEY[k]]).sort()])) as Record<ChaosKind, string[]>;
}

export interface PresenceCheck {
  /** Names expected and not held. */
  missing: string[];
  /** Names held more than once. */
  twice: string[];
  /** Names held that the run never declared (or of another kind). */
  strangers: string[];
}

export function comparePresence(expected: readonly string[], held: readonly string[]): PresenceCheck {
  const want = new Set(expected);
  const seen = new Map<string, number>();
  for (const name of held) seen.set(name, (seen.get(name) ?? 0) + 1);
  return {
    missing: expected.filter((n) => !seen.has(n)),
    twice: [...seen].filter(([, c]) => c > 1).map(([n]) => n),
    strangers: [...seen.keys()].filter((n) => !want.has(n)),
  };
}

/** Names of a kind in the fleet. */
export function namesOf(chaos: ChaosFleet, kind: ChaosKind): string[] {
  return kind === 'account' ? chaos.accounts.map((a) => a.name) : chaos.fleet.names[kind];
}

import { isDeepStrictEqual } from 'node:util';
import type { Condition, ConditionStatus } from './types.ts';

/** Condition reasons: fixed strings a person can search for. */
export const REASONS = {
  available: 'Available',
  creating: 'Creating',
  deleting: 'Deleting',
  unavailable: 'Unavailable',
  reconcileSuccess: 'ReconcileSuccess',
  reconcileError: 'ReconcileError',
  reconcilePaused: 'ReconcilePaused',
  /** Retrying will not help until someone changes the spec or what it depends on (the cloud said no). */
  terminalError: 'TerminalError',
  /** The cloud asked us to slow down; retried at the time it named. */
  throttled: 'Throttled',
  /** A referenced resource is missing or not Ready yet. */
  referencesNotReady: 'ReferencesNotReady',
  /** The ProviderConfig, or a Secret it names, is missing or incomplete; retried. */
  configNotReady: 'ConfigNotReady',
  /** A composed resource reports a terminal error (composites and claims). */
  composedResourceFailed: 'ComposedResourceFailed',
} as const;

/**
 * kstatus's "abnormal-true" conditions (sigs.k8s.io/cli-utils/pkg/kstatus): present only while True, so a
 * settled resource carries just Ready and Synced. Setting one to False removes it.
 */
export const ABNORMAL_TRUE: ReadonlySet<string> = new Set(['Reconciling', 'Stalled']);

const cond = (type: string, status: ConditionStatus, reason: string, message?: string): Condition =>
  message ? { type, status, reason, message } : { type, status, reason };

export const Ready = {
  available: () => cond('Ready', 'True', REASONS.available),
  creating: (message?: string) => cond('Ready', 'False', REASONS.creating, message),
  unavailable: (message?: string) => cond('Ready', 'False', REASONS.unavailable, message),
  deleting: () => cond('Ready', 'False', REASONS.deleting),
};

export const Synced = {
  success: () => cond('Synced', 'True', REASONS.reconcileSuccess),
  paused: () => cond('Synced', 'False', REASONS.reconcilePaused, 'reconciliation is paused by the pledge.dev/paused annotation'),
  /** Synced=False with the reason that says what kind of failure it is (see health/README.md). */
  failed: (reason: string, message: string) => cond('Synced', 'False', reason, message),
};

/** Reconciling=True: the controller is working towards Ready (kstatus InProgress, Argo CD Progressing). */
export const Reconciling = {
  because: (reason: string, message?: string) => cond('Reconciling', 'True', reason, message),
  done: () => cond('Reconciling', 'False', REASONS.reconcileSuccess),
};

/** Stalled=True: no progress without someone's change (kstatus Failed, Argo CD Degraded). */
export const Stalled = {
  because: (reason: string, message?: string) => cond('Stalled', 'True', reason, message),
  clear: () => cond('Stalled', 'False', REASONS.reconcileSuccess),
};

/** Neither reconciling nor stalled: settled (Ready, or paused). */
export const settled = (): Condition[] => [Reconciling.done(), Stalled.clear()];

/**
 * Returns conditions with each given one set, stamped with observedGeneration. lastTransitionTime moves
 * only when status changes, so an unchanged resource produces an identical list and no status write.
 */
export function setConditions(existing: readonly Condition[] | undefined, updates: Condition[], generation: number | undefined, now: Date): Condition[] {
  const out = [...(existing ?? [])];
  for (const update of updates) {
    const i = out.findIndex((c) => c.type === update.type);
    const previous = i >= 0 ? out[i] : undefined;
    const next: Condition = {
      ...update,
      lastTransitionTime: previous && previous.status === update.status ? previous.lastTransitionTime : now.toISOString(),
      ...(generation !== undefined ? { observedGeneration: generation } : {}),
    };
    if (previous && isDeepStrictEqual(stripTime(previous), stripTime(next)) && previous.lastTransitionTime) continue;
    if (i >= 0) out[i] = next;
    else out.push(next);
  }
  return out.filter((c) => !ABNORMAL_TRUE.has(c.type) || c.status === 'True');
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

function stripTime(c: Condition): Omit<Condition, 'lastTransitionTime'> {
  const { lastTransitionTime: _ignored, ...rest } = c;
  return rest;
}

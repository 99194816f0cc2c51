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
} as const;

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
  error: (message: string) => cond('Synced', 'False', REASONS.reconcileError, message),
  paused: () => cond('Synced', 'False', REASONS.reconcilePaused, 'reconciliation is paused by the pledge.dev/paused annotation'),
};

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
  return out;
}

export function getCondition(conditions: readonly Condition[] | undefined, type: string): Condition | undefined {
  return conditions?.find((c) => c.type === type);
}

function stripTime(c: Condition): Omit<Condition, 'lastTransitionTime'> {
  const { lastTransitionTime: _ignored, ...rest } = c;
  return rest;
}

import type { ManagedResource } from './types.ts';

export const ANNOTATIONS = {
  externalName: 'pledge.dev/external-name',
  createPending: 'pledge.dev/external-create-pending',
  createSucceeded: 'pledge.dev/external-create-succeeded',
  createFailed: 'pledge.dev/external-create-failed',
  paused: 'pledge.dev/paused',
  pollInterval: 'pledge.dev/poll-interval',
} as const;

export function annotation(mr: ManagedResource, key: string): string | undefined {
  return mr.metadata.annotations?.[key];
}

export function externalNameOf(mr: ManagedResource): string | undefined {
  return annotation(mr, ANNOTATIONS.externalName) || undefined;
}

export function isPaused(mr: ManagedResource): boolean {
  return annotation(mr, ANNOTATIONS.paused) === 'true';
}

function stamp(mr: ManagedResource, key: string): number {
  const value = annotation(mr, key);
  const ms = value ? Date.parse(value) : NaN;
  return Number.isNaN(ms) ? 0 : ms;
}

/**
 * A create was started and neither its success nor its failure was recorded: the process died
 * (or the record write was lost) while the cloud call was in flight.
 */
export function createOutcomeUnknown(mr: ManagedResource): boolean {
  const pending = stamp(mr, ANNOTATIONS.createPending);
  return pending > 0 && pending > stamp(mr, ANNOTATIONS.createSucceeded) && pending > stamp(mr, ANNOTATIONS.createFailed);
}

/** When the last successful create was recorded, or 0. */
export function createdAt(mr: ManagedResource): number {
  return stamp(mr, ANNOTATIONS.createSucceeded);
}

/** Parses Go-style durations as Kubernetes users write them: 500ms, 30s, 5m, 1h, 1m30s. */
export function parseDuration(text: string): number | undefined {
  const re = /(\d+(?:\.\d+)?)(ms|s|m|h)/g;
  const units: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
  let total = 0;
  let consumed = 0;
  for (const match of text.trim().matchAll(re)) {
    if (match.index !== consumed) return undefined;
    total += Number(match[1]) * (units[match[2] ?? ''] ?? NaN);
    consumed += match[0].length;
  }
  return consumed > 0 && consumed === text.trim().length && Number.isFinite(total) ? total : undefined;
}

import { TerminalError } from '../../core/errors/index.ts';
import { parseGoDuration } from './go-duration.ts';

/** One entry of spec.forProvider.conditionAfter: set this condition once `time` has passed since creation. */
export interface ConditionAfter {
  /** A Go duration (30s, 1m30s, 500ms), measured from metadata.creationTimestamp. */
  time: string;
  conditionType: string;
  conditionStatus: 'True' | 'False' | 'Unknown';
  conditionReason?: string;
}

/** What conditionAfter says at one age of the resource. */
export interface DueConditions {
  /** Per condition type, the entry in force: the one with the latest time that has passed (among equal times, the first listed). */
  byType: Map<string, ConditionAfter>;
  /** Until the next entry's time comes, in ms; undefined when every entry's time has passed. */
  nextInMs?: number;
}

/**
 * The conditions in force once ageMs has passed since creation, as provider-nop decides them: for each type, the
 * entry with the latest time not after the age (provider-nop sorts by time, latest first, with a stable sort, and
 * keeps the first of each type it meets). Bad times are refused at admission; one that slips through is terminal.
 */
export function dueAt(entries: readonly ConditionAfter[], ageMs: number): DueConditions {
  const byType = new Map<string, { entry: ConditionAfter; atMs: number }>();
  let nextInMs: number | undefined;
  entries.forEach((entry, i) => {
    const atMs = parseGoDuration(entry.time);
    if (atMs === undefined) {
      throw new TerminalError(`spec.forProvider.conditionAfter[${i}].time "${entry.time}" is not a duration such as 30s, 1m30s or 500ms`);
    }
    if (atMs > ageMs) {
      nextInMs = Math.min(nextInMs ?? Number.POSITIVE_INFINITY, atMs - ageMs);
      return;
    }
    const held = byType.get(entry.conditionType);
    if (!held || atMs > held.atMs) byType.set(entry.conditionType, { entry, atMs });
  });
  return { byType: new Map([...byType].map(([type, held]) => [type, held.entry])), ...(nextInMs !== undefined ? { nextInMs } : {}) };
}

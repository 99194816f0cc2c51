import type { KubeObject } from '../managed/types.ts';

/** One condition of one object entering a status, as this process saw it. */
export interface Transition {
  type: string;
  status: string;
  reason?: string;
  at: string;
}

export const HISTORY_DEFAULTS = { maxPerObject: 20, maxObjects: 20_000 } as const;

interface Seen {
  type: string;
  status: string;
  reason?: string;
  at?: string;
}

const conditionsOf = (obj: KubeObject): Seen[] => {
  const list = (obj.status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(list) ? (list as Array<Record<string, unknown>>).filter((c) => typeof c.type === 'string').map((c) => ({ type: String(c.type), status: String(c.status), reason: typeof c.reason === 'string' ? c.reason : undefined, at: typeof c.lastTransitionTime === 'string' ? c.lastTransitionTime : undefined })) : [];
};

/**
 * Condition transitions seen since this process started, per object: an object keeps only the last statuses it
 * showed (one short string) until one changes, so a fleet at rest costs a string per object and no work.
 */
export function createConditionHistory(options: { maxPerObject?: number; maxObjects?: number } = {}) {
  const maxPerObject = options.maxPerObject ?? HISTORY_DEFAULTS.maxPerObject;
  const maxObjects = options.maxObjects ?? HISTORY_DEFAULTS.maxObjects;
  const last = new Map<string, string>();
  const transitions = new Map<string, Transition[]>();

  return {
    /** An object as the cache now holds it (an add or an update). */
    observe(key: string, obj: KubeObject): void {
      const now = conditionsOf(obj);
      const signature = JSON.stringify(now.map((c) => [c.type, c.status, c.reason, c.at]));
      const before = last.get(key);
      if (before === signature) return;
      if (before === undefined && last.size >= maxObjects) return;
      last.set(key, signature);
      if (before === undefined) return;
      const previous = (JSON.parse(before) as Array<[string, string, string | undefined, string | undefined]>).map(([type, status, reason, at]) => ({ type, status, reason, at }));
      const list = transitions.get(key) ?? [];
      for (const c of now) {
        const was = previous.find((p) => p.type === c.type);
        if (was && was.status === c.status) continue;
        // The status it left, from when it began, unless that is already recorded.
        if (was?.at && !list.some((t) => t.type === was.type && t.at === was.at)) list.push({ type: was.type, status: was.status, reason: was.reason, at: was.at });
        list.push({ type: c.type, status: c.status, reason: c.reason, at: c.at ?? new Date().toISOString() });
      }
      if (list.length === 0) return;
      transitions.set(key, list.slice(-maxPerObject));
    },
    forget(key: string): void {
      last.delete(key);
      transitions.delete(key);
    },
    of(key: string): readonly Transition[] {
      return transitions.get(key) ?? [];
    },
  };
}

export type ConditionHistory = ReturnType<typeof createConditionHistory>;

import { ANNOTATIONS } from '../managed/annotations.ts';
import type { KubeObject } from '../managed/types.ts';
import { objectKey } from '../runtime/controller/index.ts';

/**
 * Decides which watch events wake a managed resource. Only changes a person or another controller made
 * do: spec (generation), annotations, labels, finalizers and deletion.
 *
 * The create bookkeeping annotations are the controller's own and are left out of the comparison: a
 * failed create writing them must never wake itself into a retry that skips the backoff (the watch event
 * of a write can arrive before the write's own answer, so telling our writes apart by resourceVersion
 * alone is not enough). One bookkeeping change is a person's, though: removing external-create-pending
 * without recording an outcome — what the "create outcome unknown" message asks for. That wakes it.
 * Other writes of ours are noted by resourceVersion so that, when their answer comes first, they don't
 * cost a second reconcile.
 */
export interface ChangeFilter {
  /** True when the object's change should be reconciled. */
  wakes(obj: KubeObject): boolean;
  /** Notes an object this controller wrote (the API server's answer). */
  wrote(obj: KubeObject): void;
  /** Drops what is known of a deleted object, by its key (`namespace/name` or `name`). */
  forget(key: string): void;
}

const BOOKKEEPING: ReadonlySet<string> = new Set([ANNOTATIONS.createPending, ANNOTATIONS.createSucceeded, ANNOTATIONS.createFailed]);

interface Seen {
  print: string;
  pending: boolean;
  outcomes: string;
}

function seenOf(obj: KubeObject): Seen {
  const m = obj.metadata ?? {};
  const annotations = m.annotations ?? {};
  const own = Object.entries(annotations).filter(([k]) => !BOOKKEEPING.has(k));
  return {
    print: JSON.stringify([m.generation, own, m.labels ?? {}, m.finalizers ?? [], m.deletionTimestamp ?? null]),
    pending: annotations[ANNOTATIONS.createPending] !== undefined,
    outcomes: `${annotations[ANNOTATIONS.createSucceeded] ?? ''}|${annotations[ANNOTATIONS.createFailed] ?? ''}`,
  };
}

export function createChangeFilter(): ChangeFilter {
  const seen = new Map<string, Seen>();
  const ownVersions = new Map<string, string>();
  return {
    wakes(obj) {
      const name = objectKey(obj);
      if (!name) return false;
      const now = seenOf(obj);
      const before = seen.get(name);
      seen.set(name, now);
      if (!before) return true;
      const pendingClearedByHand = before.pending && !now.pending && before.outcomes === now.outcomes;
      if (pendingClearedByHand) return true;
      if (obj.metadata?.resourceVersion !== undefined && ownVersions.get(name) === obj.metadata.resourceVersion) return false;
      return before.print !== now.print;
    },
    wrote(obj) {
      const name = objectKey(obj);
      const version = obj.metadata?.resourceVersion;
      if (name && version) ownVersions.set(name, version);
    },
    forget(name) {
      seen.delete(name);
      ownVersions.delete(name);
    },
  };
}

import type { KubeObject } from '../managed/types.ts';

/**
 * Decides which watch events wake a managed resource. Only changes a person or another controller made
 * do: spec (generation), annotations, labels, finalizers and deletion. The controller's own writes are
 * told apart by the resourceVersion they returned, so a status write, a create bookkeeping annotation or
 * a late-init never wakes the resource a second time — while anyone else's edit of the same fields
 * (removing external-create-pending, say) does.
 */
export interface ChangeFilter {
  /** True when the object's change should be reconciled. */
  wakes(obj: KubeObject): boolean;
  /** Notes an object this controller wrote (the API server's answer). */
  wrote(obj: KubeObject): void;
  forget(name: string): void;
}

function fingerprint(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  return JSON.stringify([m.generation, m.annotations ?? {}, m.labels ?? {}, m.finalizers ?? [], m.deletionTimestamp ?? null]);
}

export function createChangeFilter(): ChangeFilter {
  const seen = new Map<string, string>();
  const ownVersions = new Map<string, string>();
  return {
    wakes(obj) {
      const name = obj.metadata?.name;
      if (!name) return false;
      const print = fingerprint(obj);
      const previous = seen.get(name);
      seen.set(name, print);
      if (obj.metadata?.resourceVersion !== undefined && ownVersions.get(name) === obj.metadata.resourceVersion) return false;
      return previous !== print;
    },
    wrote(obj) {
      const name = obj.metadata?.name;
      const version = obj.metadata?.resourceVersion;
      if (name && version) ownVersions.set(name, version);
    },
    forget(name) {
      seen.delete(name);
      ownVersions.delete(name);
    },
  };
}

import type { ManagedResource } from './types.ts';

export const FINALIZER = 'finalizer.managed.pledge.dev';

export function hasFinalizer(mr: ManagedResource): boolean {
  return mr.metadata.finalizers?.includes(FINALIZER) ?? false;
}

/** A copy with the finalizer added, or undefined when it is already there (no write needed). */
export function withFinalizer<T extends ManagedResource>(mr: T): T | undefined {
  if (hasFinalizer(mr)) return undefined;
  return { ...mr, metadata: { ...mr.metadata, finalizers: [...(mr.metadata.finalizers ?? []), FINALIZER] } };
}

/** A copy with the finalizer removed, or undefined when it is not there. */
export function withoutFinalizer<T extends ManagedResource>(mr: T): T | undefined {
  if (!hasFinalizer(mr)) return undefined;
  return { ...mr, metadata: { ...mr.metadata, finalizers: (mr.metadata.finalizers ?? []).filter((f) => f !== FINALIZER) } };
}

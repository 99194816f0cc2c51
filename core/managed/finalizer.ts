import type { KubeObject } from './types.ts';

export const FINALIZER = 'finalizer.managed.pledge.dev';

export function hasFinalizer(obj: KubeObject, finalizer: string = FINALIZER): boolean {
  return obj.metadata?.finalizers?.includes(finalizer) ?? false;
}

/** A copy with the finalizer added, or undefined when it is already there (no write needed). */
export function withFinalizer<T extends KubeObject>(obj: T, finalizer: string = FINALIZER): T | undefined {
  if (hasFinalizer(obj, finalizer)) return undefined;
  return { ...obj, metadata: { ...obj.metadata, finalizers: [...(obj.metadata?.finalizers ?? []), finalizer] } };
}

/** A copy with the finalizer removed, or undefined when it is not there. */
export function withoutFinalizer<T extends KubeObject>(obj: T, finalizer: string = FINALIZER): T | undefined {
  if (!hasFinalizer(obj, finalizer)) return undefined;
  return { ...obj, metadata: { ...obj.metadata, finalizers: (obj.metadata?.finalizers ?? []).filter((f) => f !== finalizer) } };
}

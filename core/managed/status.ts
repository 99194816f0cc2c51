import { isDeepStrictEqual } from 'node:util';
import type { ObjectStore, ResourceType } from '../kube/index.ts';
import { setConditions } from './conditions.ts';
import type { Condition, KubeObject } from './types.ts';

/** Any object with a status that carries conditions: managed resources, composites, claims, XRDs. */
export type WithStatus = KubeObject & { status?: { conditions?: Condition[] } };

/**
 * The status obj would have with these conditions set (stamped with its generation) and these fields
 * merged in, or undefined when that is what it has already. status.observedGeneration becomes the
 * generation (kstatus: the spec was seen) unless observed is false (paused: the spec was not acted on).
 * It changes only with the generation, when the conditions' own observedGeneration changes too: no
 * write of its own.
 */
export function nextStatus<T extends WithStatus>(obj: T, conditions: Condition[], fields: Record<string, unknown>, now: Date, observed = true): NonNullable<T['status']> | undefined {
  const status: Record<string, unknown> = { ...(obj.status ?? {}), ...fields };
  const generation = obj.metadata?.generation;
  if (observed && generation !== undefined) status.observedGeneration = generation;
  status.conditions = setConditions(obj.status?.conditions, conditions, generation, now);
  if (isDeepStrictEqual(status, obj.status ?? {})) return undefined;
  return status as NonNullable<T['status']>;
}

/** Writes the status subresource only when it changed: no write, no new resourceVersion, no watch event. */
export async function writeStatusIfChanged<T extends WithStatus>(
  store: Pick<ObjectStore, 'replaceStatus'>,
  type: ResourceType,
  obj: T,
  update: { conditions: Condition[]; fields?: Record<string, unknown>; now?: Date; observed?: boolean },
): Promise<T> {
  const status = nextStatus(obj, update.conditions, update.fields ?? {}, update.now ?? new Date(), update.observed);
  if (!status) return obj;
  return store.replaceStatus(type, { ...obj, status });
}

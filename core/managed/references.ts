import { TransientError } from '../errors/index.ts';
import type { ResourceType } from '../kube/index.ts';
import type { ObjectCache } from '../runtime/informer/index.ts';
import { externalNameOf } from './annotations.ts';
import { getCondition } from './conditions.ts';
import type { ManagedResource, ReferenceField } from './types.ts';

interface Selector {
  matchLabels?: Record<string, string>;
}

export type Resolution = { mr: ManagedResource; changed: boolean } | { waiting: TransientError };

function isReady(mr: ManagedResource): boolean {
  return getCondition(mr.status?.conditions, 'Ready')?.status === 'True';
}

function referencedValue(target: ManagedResource, ref: ReferenceField): string | undefined {
  if (!ref.fromAtProvider) return externalNameOf(target);
  const v = (target.status?.atProvider as Record<string, unknown> | undefined)?.[ref.fromAtProvider];
  return v === undefined || v === null ? undefined : String(v);
}

/** A namespaced resource (namespace set) references resources of its own namespace only. */
function target(cache: ObjectCache<ManagedResource>, ref: ReferenceField, forProvider: Record<string, unknown>, namespace: string | undefined): ManagedResource | TransientError | undefined {
  const kind = ref.to.gvk.kind;
  const byName = forProvider[`${ref.field}Ref`] as { name?: string } | undefined;
  if (byName?.name) return cache.get(byName.name, namespace) ?? new TransientError(`spec.forProvider.${ref.field}Ref: ${kind} "${byName.name}" not found${namespace ? ` in namespace ${namespace}` : ''}`);
  const bySelector = forProvider[`${ref.field}Selector`] as Selector | undefined;
  if (!bySelector) return undefined;
  const labels = bySelector.matchLabels ?? {};
  const matches = cache
    .list()
    .filter((o) => o.metadata.namespace === namespace && Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v))
    .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
  return matches.find(isReady) ?? matches[0] ?? new TransientError(`spec.forProvider.${ref.field}Selector: no ${kind} matches ${JSON.stringify(labels)}`);
}

/**
 * Fills each unset referencing field from its `<field>Ref` or `<field>Selector`, reading the referenced
 * kind's cache. Returns the resource with the values set (the caller persists it), or what it waits for:
 * a reference to something missing or not Ready yet.
 */
export function resolveReferences(cacheOf: (type: ResourceType) => ObjectCache<ManagedResource>, refs: readonly ReferenceField[], mr: ManagedResource): Resolution {
  const forProvider = { ...(mr.spec.forProvider as Record<string, unknown>) };
  let changed = false;
  for (const ref of refs) {
    if (forProvider[ref.field] !== undefined && forProvider[ref.field] !== '') continue;
    const namespace = mr.metadata.namespace || undefined;
    const found = target(cacheOf({ group: ref.to.gvk.group, version: ref.to.gvk.version, plural: ref.to.plural, ...(namespace ? { namespaced: true } : {}) }), ref, forProvider, namespace);
    if (found === undefined) continue;
    if (found instanceof TransientError) return { waiting: found };
    const value = referencedValue(found, ref);
    if (!isReady(found) || value === undefined) {
      const via = forProvider[`${ref.field}Ref`] === undefined ? 'Selector' : 'Ref';
      return { waiting: new TransientError(`spec.forProvider.${ref.field}${via}: waiting for ${ref.to.gvk.kind} "${found.metadata.name}" to be Ready`) };
    }
    forProvider[ref.field] = value;
    changed = true;
  }
  return changed ? { mr: { ...mr, spec: { ...mr.spec, forProvider } }, changed } : { mr, changed };
}

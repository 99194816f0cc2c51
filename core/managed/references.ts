import { TransientError } from '../errors/index.ts';
import type { KubeClient } from '../kube/index.ts';
import { externalNameOf } from './annotations.ts';
import { getCondition } from './conditions.ts';
import type { ManagedResource, ReferenceField } from './types.ts';

interface Selector {
  matchLabels?: Record<string, string>;
}

function isReady(mr: ManagedResource): boolean {
  return getCondition(mr.status?.conditions, 'Ready')?.status === 'True';
}

function valueOf(target: ManagedResource, ref: ReferenceField): string | undefined {
  if (!ref.fromAtProvider) return externalNameOf(target);
  const v = (target.status?.atProvider as Record<string, unknown> | undefined)?.[ref.fromAtProvider];
  return v === undefined || v === null ? undefined : String(v);
}

/**
 * Fills each unset referencing field from its `<field>Ref` or `<field>Selector`. Returns the resource
 * with the values set (the caller persists it) and whether anything changed. A reference to something
 * missing or not Ready yet is a TransientError: the resource waits with backoff and says what for.
 */
export async function resolveReferences(
  client: KubeClient,
  refs: readonly ReferenceField[],
  mr: ManagedResource,
): Promise<{ mr: ManagedResource; changed: boolean }> {
  const forProvider = { ...(mr.spec.forProvider as Record<string, unknown>) };
  let changed = false;
  for (const ref of refs) {
    if (forProvider[ref.field] !== undefined && forProvider[ref.field] !== '') continue;
    const byName = forProvider[`${ref.field}Ref`] as { name?: string } | undefined;
    const bySelector = forProvider[`${ref.field}Selector`] as Selector | undefined;
    const type = { group: ref.to.gvk.group, version: ref.to.gvk.version, plural: ref.to.plural };
    const kind = ref.to.gvk.kind;
    let target: ManagedResource | undefined;
    if (byName?.name) {
      target = await client.get<ManagedResource>(type, byName.name);
      if (!target) throw new TransientError(`spec.forProvider.${ref.field}Ref: ${kind} "${byName.name}" not found`);
    } else if (bySelector) {
      const labels = bySelector.matchLabels ?? {};
      const matches = (await client.list<ManagedResource>(type)).items
        .filter((o) => Object.entries(labels).every(([k, v]) => o.metadata.labels?.[k] === v))
        .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
      target = matches.find(isReady) ?? matches[0];
      if (!target) throw new TransientError(`spec.forProvider.${ref.field}Selector: no ${kind} matches ${JSON.stringify(labels)}`);
    } else {
      continue;
    }
    const value = valueOf(target, ref);
    if (!isReady(target) || value === undefined) {
      throw new TransientError(`spec.forProvider.${ref.field}: waiting for ${kind} "${target.metadata.name}" to be Ready`);
    }
    forProvider[ref.field] = value;
    changed = true;
  }
  return changed ? { mr: { ...mr, spec: { ...mr.spec, forProvider } }, changed } : { mr, changed };
}

import { createHash } from 'node:crypto';
import type { ObjectStore } from '../core/kube/index.ts';
import type { CompositionSpec } from './render/types.ts';
import { GROUP, LABELS, VERSION, type Composition, type CompositionRevision } from './types.ts';

export const REVISIONS = { group: GROUP, version: VERSION, plural: 'compositionrevisions' } as const;
export const COMPOSITIONS = { group: GROUP, version: VERSION, plural: 'compositions' } as const;

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, canonical((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** A short hash of what a revision snapshots; equal specs give equal hashes whatever the key order. */
export function specHash(spec: CompositionSpec): string {
  const { compositeTypeRef, resources, patchSets, writeConnectionSecretsToNamespace, autoReady } = spec;
  // autoReady only when set: a spec without it keeps the hash it had before the field existed.
  const text = JSON.stringify(canonical({ compositeTypeRef, resources, patchSets, writeConnectionSecretsToNamespace, ...(autoReady === undefined ? {} : { autoReady }) }));
  return createHash('sha256').update(text).digest('hex').slice(0, 10);
}

export function latestRevision(revisions: readonly CompositionRevision[]): CompositionRevision | undefined {
  return [...revisions].sort((a, b) => b.spec.revision - a.spec.revision)[0];
}

export async function listRevisions(client: ObjectStore, compositionName: string): Promise<CompositionRevision[]> {
  return (await client.list<CompositionRevision>(REVISIONS, `${LABELS.compositionName}=${compositionName}`)).items;
}

/**
 * Makes sure the Composition's current spec is its newest revision: a new spec gets a new numbered,
 * immutable snapshot; going back to an earlier spec renumbers that snapshot as the newest.
 * Returns the newest revision.
 */
export async function ensureRevision(client: ObjectStore, composition: Composition): Promise<CompositionRevision> {
  const hash = specHash(composition.spec);
  const revisions = await listRevisions(client, composition.metadata.name);
  const latest = latestRevision(revisions);
  const top = latest?.spec.revision ?? 0;
  const existing = revisions.find((r) => r.metadata.labels?.[LABELS.compositionHash] === hash);
  if (existing) {
    if (existing === latest || existing.spec.revision === top) return existing;
    return client.patch<CompositionRevision>(REVISIONS, existing.metadata.name, { spec: { revision: top + 1 } });
  }
  const { compositeTypeRef, resources, patchSets, writeConnectionSecretsToNamespace, autoReady } = composition.spec;
  return client.create<CompositionRevision>(REVISIONS, {
    apiVersion: `${GROUP}/${VERSION}`,
    kind: 'CompositionRevision',
    metadata: {
      name: `${composition.metadata.name}-${hash.slice(0, 7)}`,
      labels: { ...composition.metadata.labels, [LABELS.compositionName]: composition.metadata.name, [LABELS.compositionHash]: hash },
      ownerReferences: [{ apiVersion: `${GROUP}/${VERSION}`, kind: 'Composition', name: composition.metadata.name, uid: composition.metadata.uid ?? '', controller: true }],
    },
    spec: {
      compositeTypeRef,
      resources,
      ...(patchSets ? { patchSets } : {}),
      ...(writeConnectionSecretsToNamespace ? { writeConnectionSecretsToNamespace } : {}),
      ...(autoReady === undefined ? {} : { autoReady }),
      revision: top + 1,
    },
  });
}

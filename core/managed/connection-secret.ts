import { isDeepStrictEqual } from 'node:util';
import type { ObjectStore } from '../kube/index.ts';
import type { KubeObject, SecretReference } from './types.ts';

/** A Secret reference as written: a namespaced owner's names no namespace (its Secret is in the owner's own). */
export type ConnectionSecretRef = { name: string; namespace?: string };

/** Where the Secret is: the ref's namespace, else the owner's (a namespaced owner's ref names none); undefined for neither. */
export function connectionSecretAt(owner: KubeObject, ref: ConnectionSecretRef | undefined): SecretReference | undefined {
  const namespace = ref?.namespace || owner.metadata?.namespace;
  return ref && namespace ? { name: ref.name, namespace } : undefined;
}

export const CONNECTION_SECRET_TYPE = 'connection.pledge.dev/v1';

type SecretStore = Pick<ObjectStore, 'getSecret' | 'createSecret' | 'replaceSecret' | 'deleteSecret'>;

function toData(details: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

function ownedByOther(secret: { metadata?: { ownerReferences?: Array<{ uid: string }> } } | undefined, owner: KubeObject): boolean {
  const owners = secret?.metadata?.ownerReferences ?? [];
  return owners.length > 0 && !owners.some((o) => o.uid === owner.metadata?.uid);
}

/** What owner's connection secret holds now; empty when it has none, the secret is missing, or another object owns it. */
export async function readConnectionDetails(store: SecretStore, owner: KubeObject, written: ConnectionSecretRef | undefined): Promise<Record<string, string>> {
  const ref = connectionSecretAt(owner, written);
  if (!ref) return {};
  const secret = await store.getSecret(ref.namespace, ref.name);
  // Another object's secret is not ours to read from: its password is not this resource's.
  if (ownedByOther(secret, owner)) return {};
  return Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/**
 * Creates or updates the connection secret at ref, owned by owner (any object: a managed resource, a
 * composite, a claim). Keys already in the secret and not reported again are kept (a generated password
 * must never be lost). Returns the key names written, for logs; values never leave this function.
 */
export async function writeConnectionSecret(store: SecretStore, owner: KubeObject, written: ConnectionSecretRef | undefined, details: Record<string, string>): Promise<string[]> {
  const ref = connectionSecretAt(owner, written);
  if (!ref || Object.keys(details).length === 0) return [];
  const existing = await store.getSecret(ref.namespace, ref.name);
  const data = { ...(existing?.data ?? {}), ...toData(details) };
  const ownerRef = { apiVersion: owner.apiVersion ?? '', kind: owner.kind ?? '', name: owner.metadata?.name ?? '', uid: owner.metadata?.uid ?? '', controller: true };
  if (!existing) {
    await store.createSecret({
      metadata: { name: ref.name, namespace: ref.namespace, ownerReferences: [ownerRef], labels: { 'pledge.dev/managed-by': 'pledge' } },
      type: CONNECTION_SECRET_TYPE,
      data,
    });
    return Object.keys(details);
  }
  if (ownedByOther(existing, owner)) {
    throw new Error(`connection secret ${ref.namespace}/${ref.name} exists and belongs to another object; choose another writeConnectionSecretToRef`);
  }
  const owners = existing.metadata?.ownerReferences ?? [];
  if (isDeepStrictEqual(existing.data ?? {}, data) && owners.length > 0) return [];
  await store.replaceSecret({
    ...existing,
    metadata: { ...existing.metadata, name: ref.name, namespace: ref.namespace, ownerReferences: owners.length > 0 ? owners : [ownerRef] },
    data,
  });
  return Object.keys(details);
}

/** Deletes owner's connection secret with it; an owner reference alone needs a garbage collector. */
export async function deleteConnectionSecret(store: SecretStore, owner: KubeObject, written: ConnectionSecretRef | undefined): Promise<void> {
  const ref = connectionSecretAt(owner, written);
  if (!ref) return;
  const existing = await store.getSecret(ref.namespace, ref.name);
  if (!existing) return;
  if (!(existing.metadata?.ownerReferences ?? []).some((o) => o.uid === owner.metadata?.uid)) return;
  await store.deleteSecret(ref.namespace, ref.name);
}

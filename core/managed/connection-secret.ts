import { isDeepStrictEqual } from 'node:util';
import type { KubeClient } from '../kube/index.ts';
import type { ManagedResource } from './types.ts';

export const CONNECTION_SECRET_TYPE = 'connection.pledge.dev/v1';

function toData(details: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(details).map(([k, v]) => [k, Buffer.from(v, 'utf8').toString('base64')]));
}

/** What the resource's connection secret holds now; empty when it has none or the secret is missing. */
export async function readConnectionDetails(client: KubeClient, mr: ManagedResource): Promise<Record<string, string>> {
  const ref = mr.spec.writeConnectionSecretToRef;
  if (!ref) return {};
  const secret = await client.getSecret(ref.namespace, ref.name);
  // Another object's secret is not ours to read from: its password is not this resource's.
  const owners = secret?.metadata?.ownerReferences ?? [];
  if (owners.length > 0 && !owners.some((o) => o.uid === mr.metadata.uid)) return {};
  return Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/**
 * Creates or updates the connection secret, owned by the managed resource. Keys already in the secret
 * and not reported again are kept (a generated password must never be lost). Returns the key names
 * written, for logs; values never leave this function.
 */
export async function writeConnectionSecret(client: KubeClient, mr: ManagedResource, details: Record<string, string>): Promise<string[]> {
  const ref = mr.spec.writeConnectionSecretToRef;
  if (!ref || Object.keys(details).length === 0) return [];
  const existing = await client.getSecret(ref.namespace, ref.name);
  const data = { ...(existing?.data ?? {}), ...toData(details) };
  const owner = {
    apiVersion: mr.apiVersion ?? '',
    kind: mr.kind ?? '',
    name: mr.metadata.name,
    uid: mr.metadata.uid ?? '',
    controller: true,
  };
  if (!existing) {
    await client.createSecret({
      metadata: { name: ref.name, namespace: ref.namespace, ownerReferences: [owner], labels: { 'pledge.dev/managed-by': 'pledge' } },
      type: CONNECTION_SECRET_TYPE,
      data,
    });
    return Object.keys(details);
  }
  const owners = existing.metadata?.ownerReferences ?? [];
  if (owners.length > 0 && !owners.some((o) => o.uid === owner.uid)) {
    throw new Error(`connection secret ${ref.namespace}/${ref.name} exists and belongs to another object; choose another spec.writeConnectionSecretToRef`);
  }
  if (isDeepStrictEqual(existing.data ?? {}, data) && owners.length > 0) return [];
  await client.replaceSecret({
    ...existing,
    metadata: { ...existing.metadata, name: ref.name, namespace: ref.namespace, ownerReferences: owners.length > 0 ? owners : [owner] },
    data,
  });
  return Object.keys(details);
}

/** Deletes the connection secret with the resource; an owner reference alone needs a garbage collector. */
export async function deleteConnectionSecret(client: KubeClient, mr: ManagedResource): Promise<void> {
  const ref = mr.spec.writeConnectionSecretToRef;
  if (!ref) return;
  const existing = await client.getSecret(ref.namespace, ref.name);
  if (!existing) return;
  if (!(existing.metadata?.ownerReferences ?? []).some((o) => o.uid === mr.metadata.uid)) return;
  await client.deleteSecret(ref.namespace, ref.name);
}

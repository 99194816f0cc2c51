// Server-side apply of plain objects over the API server's REST paths, with the admin token: what `pledge up` installs at
// every start (CRDs, the pledge-system namespace, ProviderConfigs and their Secrets).
import { httpRequest } from './http-get.ts';
import { waitUntil } from './wait-until.ts';

export type ApiAccess = { server: string; caPem: string; token: string; signal?: AbortSignal };

export type ApplyObject = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [field: string]: unknown;
};

const FIELD_MANAGER = 'pledge-up';

/** `/api/v1/namespaces/ns/secrets/name`, `/apis/group/version/plural/name`: the plural is the lowercased kind + s (true of every kind applied here). */
export function objectPath(object: ApplyObject): string {
  const plural = `${object.kind.toLowerCase()}s`;
  const base = object.apiVersion.includes('/') ? `/apis/${object.apiVersion}` : `/api/${object.apiVersion}`;
  const ns = object.metadata.namespace ? `/namespaces/${object.metadata.namespace}` : '';
  return `${base}${ns}/${plural}/${object.metadata.name}`;
}

export async function applyObjects(access: ApiAccess, objects: readonly ApplyObject[]): Promise<void> {
  for (const object of objects) {
    const path = `${objectPath(object)}?fieldManager=${FIELD_MANAGER}&force=true`;
    const res = await httpRequest(`${access.server}${path}`, {
      method: 'PATCH',
      body: JSON.stringify(object),
      contentType: 'application/apply-patch+yaml',
      ca: access.caPem,
      token: access.token,
      signal: access.signal,
      timeoutMs: 30_000,
    });
    // The response of a refused Secret could echo its data: only the status and the object's name are reported.
    if (res.status >= 300) throw new Error(`applying ${object.kind} ${object.metadata.name} failed with HTTP ${res.status}${object.kind === 'Secret' ? '' : `: ${res.body.slice(0, 500)}`}`);
  }
}

/** Waits until every named CRD reports Established=True. */
export async function waitEstablished(access: ApiAccess, names: readonly string[], timeoutMs: number): Promise<void> {
  const pending = new Set(names);
  await waitUntil(
    async () => {
      const res = await httpRequest(`${access.server}/apis/apiextensions.k8s.io/v1/customresourcedefinitions`, { ca: access.caPem, token: access.token, signal: access.signal, timeoutMs: 30_000 });
      const list = JSON.parse(res.body) as { items?: { metadata: { name: string }; status?: { conditions?: { type: string; status: string }[] } }[] };
      for (const crd of list.items ?? []) {
        if (crd.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) pending.delete(crd.metadata.name);
      }
      return pending.size === 0;
    },
    { what: `CRDs to be Established (${[...pending].slice(0, 3).join(', ')}…)`, timeoutMs, signal: access.signal, maxIntervalMs: 200 },
  );
}

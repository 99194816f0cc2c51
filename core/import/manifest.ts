/** The pure part of `pledge import`: which kind a user means, and the managed resource that adopts a cloud resource. */
import { ANNOTATIONS } from '../managed/annotations.ts';
import type { KubeObject, ListedExternal, ManagedKind, ManagementPolicy, Provider } from '../managed/types.ts';

export interface ImportKind {
  provider: Provider;
  kind: ManagedKind;
}

function qualified(k: ImportKind): string {
  return `${k.kind.plural}.${k.kind.gvk.group}`;
}

/**
 * The kind named as kubectl names kinds: `Bucket`, `buckets`, `bucket.s3.aws.pledge.dev`, `buckets.storage.gcp.pledge.dev`
 * (case-insensitive). A short name two kinds share is refused with the qualified names to choose from.
 */
export function resolveKind(providers: readonly Provider[], text: string): ImportKind {
  const wanted = text.toLowerCase();
  const all = providers.flatMap((provider) => provider.kinds.map((kind) => ({ provider, kind })));
  const matches = all.filter(({ kind }) => {
    const names = [kind.gvk.kind.toLowerCase(), kind.plural];
    return names.some((n) => wanted === n || wanted === `${n}.${kind.gvk.group}`);
  });
  const [only] = matches;
  if (matches.length === 1 && only) return only;
  if (matches.length > 1) throw new Error(`kind "${text}" is ambiguous: say which, one of ${matches.map(qualified).join(', ')}`);
  throw new Error(`unknown kind "${text}": Pledge imports ${all.map(qualified).join(', ')}`);
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/;

/** A metadata.name for a cloud name: the same when Kubernetes accepts it, else lower case with other characters as '-'. */
export function kubeName(externalName: string): string {
  if (externalName.length <= 253 && DNS_SUBDOMAIN.test(externalName)) return externalName;
  const cleaned = externalName
    .toLowerCase()
    .replace(/[^-a-z0-9.]+/g, '-')
    .replace(/-{2,}/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '')
    .slice(0, 253)
    .replace(/[-.]+$/, '');
  return cleaned === '' ? 'imported' : cleaned;
}

/** The managed resource that adopts `found`: Observe only unless `manage`, named for the cloud resource. */
export function adoptingResource(
  k: ImportKind,
  found: ListedExternal<unknown>,
  options: { name: string; providerConfig: string; manage: boolean },
): KubeObject {
  const { group, version, kind } = k.kind.gvk;
  const policies: ManagementPolicy[] = options.manage ? ['*'] : ['Observe'];
  return {
    apiVersion: `${group}/${version}`,
    kind,
    metadata: { name: options.name, annotations: { [ANNOTATIONS.externalName]: found.externalName } },
    spec: {
      managementPolicies: policies,
      providerConfigRef: { name: options.providerConfig },
      forProvider: found.forProvider ?? {},
    },
  };
}

/** metadata.names for the found resources, in order: a cleaned name that repeats gets -2, -3, …. */
export function uniqueNames(externalNames: readonly string[], taken: ReadonlySet<string>): string[] {
  const used = new Set(taken);
  return externalNames.map((external) => {
    const base = kubeName(external);
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return name;
  });
}

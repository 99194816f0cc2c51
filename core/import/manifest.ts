/** The pure part of `pledge import`: which kind a user means, and the managed resource that adopts a cloud resource. */
import { ANNOTATIONS } from '../managed/annotations.ts';
import { namespacedProvider } from '../managed/namespaced.ts';
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
 * (case-insensitive). A short name two kinds share is refused with the qualified names to choose from. With a namespace
 * the kind is the namespaced variant (`.m.` group), without one the cluster-scoped kind.
 */
export function resolveKind(providers: readonly Provider[], text: string, options: { namespaced?: boolean } = {}): ImportKind {
  const wanted = text.toLowerCase();
  const scoped = (namespaced: boolean) =>
    providers.flatMap((provider) => (namespaced ? namespacedProvider(provider).kinds : provider.kinds).map((kind) => ({ provider, kind })));
  const named = (list: ImportKind[]) =>
    list.filter(({ kind }) => [kind.gvk.kind.toLowerCase(), kind.plural].some((n) => wanted === n || wanted === `${n}.${kind.gvk.group}`));
  const namespaced = options.namespaced === true;
  const all = scoped(namespaced);
  const matches = named(all);
  const other = matches.length === 0 ? named(scoped(!namespaced))[0] : undefined;
  if (other) {
    throw new Error(namespaced ? `${qualified(other)} is cluster-scoped: leave out -n/--namespace` : `${qualified(other)} is namespaced: give the namespace to import into with -n/--namespace`);
  }
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

/** A namespaced resource's Secret references name no namespace (they are its own): what a list filled in is dropped. */
function withoutSecretNamespaces(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => withoutSecretNamespaces(v, key));
  if (!value || typeof value !== 'object') return value;
  const entries = Object.entries(value as Record<string, unknown>).filter(([k]) => !(/secretref$/i.test(key) && k === 'namespace'));
  return Object.fromEntries(entries.map(([k, v]) => [k, withoutSecretNamespaces(v, k)]));
}

/**
 * The managed resource that adopts `found`: Observe only unless `manage`, named for the cloud resource. A namespaced
 * one (`namespace` given) names its ProviderConfig's kind, and its Secrets are those of its own namespace.
 */
export function adoptingResource(
  k: ImportKind,
  found: ListedExternal<unknown>,
  options: { name: string; providerConfig: string; providerConfigKind?: string; namespace?: string; manage: boolean },
): KubeObject {
  const { group, version, kind } = k.kind.gvk;
  const policies: ManagementPolicy[] = options.manage ? ['*'] : ['Observe'];
  const forProvider = found.forProvider ?? {};
  return {
    apiVersion: `${group}/${version}`,
    kind,
    metadata: { name: options.name, ...(options.namespace ? { namespace: options.namespace } : {}), annotations: { [ANNOTATIONS.externalName]: found.externalName } },
    spec: {
      managementPolicies: policies,
      providerConfigRef: { name: options.providerConfig, ...(options.namespace && options.providerConfigKind ? { kind: options.providerConfigKind } : {}) },
      forProvider: options.namespace ? withoutSecretNamespaces(forProvider) : forProvider,
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

/**
 * Which ProviderConfig a managed resource uses and which Secrets it may read — the rules the reconciler's connect
 * step applies, shared with the read-only session of `pledge plan` so both resolve a resource the same way. Only
 * the lookups differ (an informer cache there, a GET here).
 */
import { ConfigError } from '../errors/index.ts';
import { CLUSTER_PROVIDER_CONFIG, DEFAULT_PROVIDER_CONFIG_KIND, PROVIDER_CONFIG } from './namespaced.ts';
import type { KubeObject, ManagedKind, ManagedResource, SecretKeySelector } from './types.ts';

export interface ProviderConfigRef {
  name: string;
  /** Set for a namespaced ProviderConfig only: the resource's own namespace. */
  namespace?: string;
  /** `ProviderConfig` of a cluster-scoped resource, or a namespaced resource's ProviderConfig / ClusterProviderConfig. */
  kind: string;
  /** How the reference reads in call-gate keys: `name`, or `namespace/name` for a namespaced ProviderConfig. */
  id: string;
  /** How it reads in messages. */
  described: string;
}

/** The ProviderConfig a resource names; a namespaced resource's kind other than the two known ones is refused. */
export function providerConfigRef(kind: Pick<ManagedKind, 'namespaced'>, mr: ManagedResource): ProviderConfigRef {
  const name = mr.spec.providerConfigRef?.name ?? 'default';
  if (!kind.namespaced) return { name, kind: PROVIDER_CONFIG, id: name, described: `ProviderConfig "${name}"` };
  const namespace = mr.metadata.namespace ?? '';
  const refKind = mr.spec.providerConfigRef?.kind ?? DEFAULT_PROVIDER_CONFIG_KIND;
  if (refKind === CLUSTER_PROVIDER_CONFIG) return { name, kind: refKind, id: name, described: `ClusterProviderConfig "${name}"` };
  if (refKind !== PROVIDER_CONFIG) throw new ConfigError(`spec.providerConfigRef.kind must be ${PROVIDER_CONFIG} or ${CLUSTER_PROVIDER_CONFIG}, got "${refKind}"`);
  // Only the resource's own namespace: another team's ProviderConfig of the same name is never found.
  return { name, namespace, kind: refKind, id: `${namespace}/${name}`, described: `ProviderConfig "${name}" in namespace ${namespace}` };
}

/** A namespaced ProviderConfig's Secret references name no namespace: they are in its own (set here for the provider's code). */
export function localized(value: unknown, namespace: string, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => localized(v, namespace, key));
  if (!value || typeof value !== 'object') return value;
  const o = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, localized(v, namespace, k)]));
  return /secretref$/i.test(key) ? { ...o, namespace } : o;
}

/** The config as the provider's code reads it: a namespaced ProviderConfig with its Secret references made local. */
export function providerConfigAsRead(ref: ProviderConfigRef, config: KubeObject | undefined): KubeObject | undefined {
  return config && ref.namespace !== undefined ? (localized(config, ref.namespace) as KubeObject) : config;
}

/** The Secret references a ProviderConfig's spec holds (`…SecretRef` / `secretRef` objects), as `namespace/name`. */
function secretRefsOf(value: unknown, key = '', found = new Set<string>()): Set<string> {
  if (Array.isArray(value)) for (const v of value) secretRefsOf(v, key, found);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (/secretref$/i.test(key) && typeof o.name === 'string') found.add(`${o.namespace ?? ''}/${o.name}`);
    for (const [k, v] of Object.entries(o)) secretRefsOf(v, k, found);
  }
  return found;
}

/**
 * The Secrets a resource may read: a cluster-scoped one any; a namespaced one those of its own namespace (a
 * reference naming none is there), and besides only the Secret its ClusterProviderConfig names for credentials.
 * Returns the reference to read, or throws naming the rule.
 */
export function secretAccess(kind: Pick<ManagedKind, 'namespaced' | 'gvk'>, mr: ManagedResource, ref: ProviderConfigRef, config: KubeObject | undefined): (secret: SecretKeySelector) => SecretKeySelector {
  if (!kind.namespaced) return (secret) => secret;
  const own = mr.metadata.namespace ?? '';
  const clusterConfigSecrets = ref.namespace !== undefined ? new Set<string>() : secretRefsOf(config?.spec);
  return (secret) => {
    const namespace = secret.namespace || own;
    if (namespace !== own && !clusterConfigSecrets.has(`${namespace}/${secret.name}`)) {
      throw new ConfigError(`Secret ${namespace}/${secret.name}: a namespaced ${kind.gvk.kind} reads Secrets in its own namespace (${own}) only`);
    }
    return { ...secret, namespace };
  };
}

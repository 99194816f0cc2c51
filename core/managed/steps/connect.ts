import { ConfigError } from '../../errors/index.ts';
import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { readConnectionDetails } from '../connection-secret.ts';
import { CLUSTER_PROVIDER_CONFIG, DEFAULT_PROVIDER_CONFIG_KIND, PROVIDER_CONFIG } from '../namespaced.ts';
import type { ConnectContext, KubeObject, ManagedResource, SecretKeySelector } from '../types.ts';
import { fail, next, type ReconcileDeps, type Step } from './pass.ts';

async function readSecret(deps: ReconcileDeps, ref: SecretKeySelector): Promise<string> {
  const secret = await deps.store.getSecret(ref.namespace, ref.name);
  if (!secret) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} not found`);
  const value = secret.data?.[ref.key];
  if (value === undefined) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} has no key "${ref.key}"`);
  return Buffer.from(value, 'base64').toString('utf8');
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

/** A namespaced ProviderConfig's Secret references name no namespace: they are in its own (set here for the provider's code). */
function localized(value: unknown, namespace: string, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => localized(v, namespace, key));
  if (!value || typeof value !== 'object') return value;
  const o = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, localized(v, namespace, k)]));
  return /secretref$/i.test(key) ? { ...o, namespace } : o;
}

interface ResolvedConfig {
  /** How the reference reads in messages and call-gate keys: `name`, or `namespace/name` for a namespaced ProviderConfig. */
  id: string;
  described: string;
  config?: KubeObject;
}

function resolveConfig(deps: ReconcileDeps, mr: ManagedResource): ResolvedConfig {
  const name = mr.spec.providerConfigRef?.name ?? 'default';
  if (!deps.kind.namespaced) return { id: name, described: `ProviderConfig "${name}"`, config: deps.getProviderConfig(name) };
  const namespace = mr.metadata.namespace ?? '';
  const kind = mr.spec.providerConfigRef?.kind ?? DEFAULT_PROVIDER_CONFIG_KIND;
  if (kind === CLUSTER_PROVIDER_CONFIG) return { id: name, described: `ClusterProviderConfig "${name}"`, config: deps.getProviderConfig(name, undefined, kind) };
  if (kind !== PROVIDER_CONFIG) throw new ConfigError(`spec.providerConfigRef.kind must be ${PROVIDER_CONFIG} or ${CLUSTER_PROVIDER_CONFIG}, got "${kind}"`);
  // Only the resource's own namespace: another team's ProviderConfig of the same name is never found.
  const config = deps.getProviderConfig(name, namespace, kind);
  return { id: `${namespace}/${name}`, described: `ProviderConfig "${name}" in namespace ${namespace}`, config: config && (localized(config, namespace) as KubeObject) };
}

/**
 * The Secrets a resource may read: a cluster-scoped one any; a namespaced one those of its own namespace (a
 * reference naming none is there), and besides only the Secret its ClusterProviderConfig names for credentials.
 */
function secretReader(deps: ReconcileDeps, mr: ManagedResource, resolved: ResolvedConfig): ConnectContext['readSecret'] {
  if (!deps.kind.namespaced) return (ref) => readSecret(deps, ref);
  const own = mr.metadata.namespace ?? '';
  const clusterConfigSecrets = resolved.id.includes('/') ? new Set<string>() : secretRefsOf(resolved.config?.spec);
  return async (ref) => {
    const namespace = ref.namespace || own;
    if (namespace !== own && !clusterConfigSecrets.has(`${namespace}/${ref.name}`)) {
      throw new ConfigError(`Secret ${namespace}/${ref.name}: a namespaced ${deps.kind.gvk.kind} reads Secrets in its own namespace (${own}) only`);
    }
    return readSecret(deps, { ...ref, namespace });
  };
}

/** Resolves the ProviderConfig and asks the kind for a client of the cloud. */
export const connect: Step = async (deps, pass) => {
  const { mr } = pass;
  let resolved: ResolvedConfig;
  try {
    resolved = resolveConfig(deps, mr);
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
  const providerConfig = resolved.config ?? (deps.kind.providerConfigOptional ? { metadata: { name: resolved.id } } : undefined);
  if (!providerConfig) {
    const err = new ConfigError(`${resolved.described} (spec.providerConfigRef.name) not found`);
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
  try {
    const ctx: ConnectContext = {
      providerConfig,
      readSecret: secretReader(deps, mr, { ...resolved, config: providerConfig }),
      connectionDetails: await readConnectionDetails(deps.store, mr, mr.spec.writeConnectionSecretToRef),
      calls: deps.cloudCalls(resolved.id, mr.metadata.namespace ? `${mr.metadata.namespace}/${mr.metadata.name}` : mr.metadata.name),
      signal: pass.signal,
    };
    return next({ ...pass, external: await deps.kind.connect(mr, ctx) });
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotConnect, step: 'connect', err });
  }
};

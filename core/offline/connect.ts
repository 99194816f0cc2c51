/**
 * A read-only cloud session outside the controller, for verbs that look without changing anything
 * (`pledge plan`, `pledge import`): it finds a managed resource's kind and provider, reads its ProviderConfig
 * and credential Secrets from the cluster (GETs only: no status, event or annotation is ever written), connects
 * through the kind's own `connect`, and hands back a client that can only observe. create, update and delete
 * are not reachable from here: the returned client has no such methods. The call gate records every cloud
 * operation by name (a provider records after the call), so a verb can check `writes()` is empty and fail loudly
 * if a provider's observe ever made one.
 */
import type { KubeClient, ResourceType } from '../kube/index.ts';
import { ConfigError } from '../errors/index.ts';
import { connectionSecretAt, type ConnectionSecretRef } from '../managed/connection-secret.ts';
import { namespacedProvider } from '../managed/namespaced.ts';
import { providerConfigAsRead, providerConfigRef, secretAccess, type ProviderConfigRef } from '../managed/provider-config-ref.ts';
import type {
  CloudCallGate,
  ConnectContext,
  ListedExternal,
  ListQuery,
  KubeObject,
  ManagedKind,
  ManagedResource,
  Observation,
  Provider,
  SecretKeySelector,
} from '../managed/types.ts';

/** The only cluster reads a session makes: GET and LIST, never a write. */
export type ReadOnlyKube = Pick<KubeClient, 'get' | 'list' | 'getSecret'>;

/** A managed kind with the provider that serves it. */
export interface KindOf {
  provider: Provider;
  kind: ManagedKind;
  type: ResourceType;
}

/** What a read-only client can do: observe one managed resource, and list the kind's resources when the kind can. */
export interface ObserveOnlyClient {
  observe(mr: ManagedResource, signal: AbortSignal): Promise<Observation<unknown, unknown>>;
  list?(query: ListQuery, signal: AbortSignal): Promise<Array<ListedExternal<unknown>>>;
}

/** One cloud call a session let through, for a verb's summary (and tests): operation names only, no arguments. */
export interface RecordedCall {
  providerConfig: string;
  operation: string;
  failed: boolean;
}

export interface ReadOnlySession {
  /** The kind serving apiVersion/kind, or undefined when no provider serves it. */
  kindOf(apiVersion: string | undefined, kind: string | undefined): KindOf | undefined;
  /** The ProviderConfig of that provider by name, read from the cluster (cached for the session). */
  providerConfig(provider: Provider, name: string, signal: AbortSignal): Promise<KubeObject>;
  /**
   * The ConnectContext a kind's connect (or a provider's list, for import) needs, for a ProviderConfig:
   * Secrets are read from the cluster on demand, connectionDetails are the resource's connection secret today.
   */
  contextFor(kindOf: KindOf, providerConfigName: string, signal: AbortSignal, mr?: ManagedResource): Promise<ConnectContext>;
  /** Connects mr's kind with its ProviderConfig's credentials; the client can only observe. */
  connect(mr: ManagedResource, signal: AbortSignal): Promise<ObserveOnlyClient>;
  /** Every cloud call made so far (names only). */
  readonly calls: readonly RecordedCall[];
  /** The calls among them whose operation changes the cloud: always empty unless a provider's observe misbehaves. */
  writes(): RecordedCall[];
}

/** Cloud operations that change something, by the verb their name starts with (AWS, Azure and GCP naming alike). */
const WRITE_VERB = /^(create|put|update|delete|patch|insert|modify|remove|restore|reboot|start|stop|tag|untag|set|add|attach|detach|begin)/i;

export function isWriteOperation(operation: string): boolean {
  return WRITE_VERB.test(operation);
}

function apiVersionOf(gvk: { group: string; version: string }): string {
  return gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
}

/** A resource that names only a ProviderConfig: what a lookup by name (import's list, providerConfig()) resolves. */
function probe(name: string): ManagedResource {
  return { metadata: { name: 'pledge-probe' }, spec: { forProvider: {}, providerConfigRef: { name } } };
}

/** Opens a session over a cluster (read-only use of it) for these providers. */
export function readOnlySession(kube: ReadOnlyKube, providers: readonly Provider[]): ReadOnlySession {
  const calls: RecordedCall[] = [];
  const configs = new Map<string, Promise<KubeObject>>();

  // Every kind a provider serves: the cluster-scoped ones and their namespaced variants (`.m.` groups).
  const served = providers.flatMap((provider) => [...provider.kinds, ...namespacedProvider(provider).kinds].map((kind) => ({ provider, kind })));

  function kindOf(apiVersion: string | undefined, kind: string | undefined): KindOf | undefined {
    const found = served.find((s) => apiVersionOf(s.kind.gvk) === apiVersion && s.kind.gvk.kind === kind);
    if (!found) return undefined;
    const { gvk, plural, namespaced } = found.kind;
    return { ...found, type: { group: gvk.group, version: gvk.version, plural, ...(namespaced ? { namespaced: true } : {}) } };
  }

  /** A ProviderConfig, ClusterProviderConfig or namespaced ProviderConfig, as the resource's reference resolves. */
  function configFor(k: KindOf, ref: ProviderConfigRef): Promise<KubeObject> {
    const key = `${k.provider.name}/${k.kind.namespaced ? 'm' : ''}/${ref.kind}/${ref.id}`;
    let found = configs.get(key);
    if (!found) {
      const namespaced = k.kind.namespaced ? namespacedProvider(k.provider) : undefined;
      const { gvk, plural } = !namespaced ? k.provider.providerConfig : ref.namespace !== undefined ? namespaced.providerConfig : namespaced.clusterProviderConfig;
      found = kube.get<KubeObject>({ group: gvk.group, version: gvk.version, plural, ...(ref.namespace !== undefined ? { namespaced: true } : {}) }, ref.name, ref.namespace).then((pc) => {
        if (!pc) throw new ConfigError(`${ref.described} (${plural}.${gvk.group}) not found in the cluster`);
        return providerConfigAsRead(ref, pc) as KubeObject;
      });
      configs.set(key, found);
    }
    return found;
  }

  function providerConfig(provider: Provider, name: string): Promise<KubeObject> {
    const kind = provider.kinds[0];
    if (!kind) return Promise.reject(new ConfigError(`provider ${provider.name} serves no kind`));
    return configFor({ provider, kind, type: { group: kind.gvk.group, version: kind.gvk.version, plural: kind.plural } }, providerConfigRef(kind, probe(name)));
  }

  async function readSecret(ref: SecretKeySelector): Promise<string> {
    const secret = await kube.getSecret(ref.namespace, ref.name);
    if (!secret) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} not found`);
    const value = secret.data?.[ref.key];
    if (value === undefined) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} has no key "${ref.key}"`);
    return Buffer.from(value, 'base64').toString('utf8');
  }

  async function connectionDetails(mr: ManagedResource | undefined, written: ConnectionSecretRef | undefined): Promise<Record<string, string>> {
    const ref = mr && connectionSecretAt(mr, written);
    if (!mr || !ref) return {};
    const secret = await kube.getSecret(ref.namespace, ref.name);
    const owners = secret?.metadata?.ownerReferences ?? [];
    // Another object's secret is not this resource's (the controller's rule, connection-secret.ts).
    if (owners.length > 0 && !owners.some((o) => o.uid === mr.metadata.uid)) return {};
    return Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
  }

  function gate(providerConfigName: string): CloudCallGate {
    return {
      async acquire() {},
      record(operation, err) {
        calls.push({ providerConfig: providerConfigName, operation, failed: err !== undefined });
      },
    };
  }

  async function contextFor(k: KindOf, name: string, signal: AbortSignal, mr?: ManagedResource): Promise<ConnectContext> {
    const ref = providerConfigRef(k.kind, mr ?? probe(name));
    let pc: KubeObject;
    try {
      pc = await configFor(k, ref);
    } catch (err: unknown) {
      if (!(err instanceof ConfigError && k.kind.providerConfigOptional)) throw err;
      pc = { metadata: { name } };
    }
    // The controller's rule: a namespaced resource reads Secrets of its own namespace only.
    const allowed = mr ? secretAccess(k.kind, mr, ref, pc) : (secret: SecretKeySelector) => secret;
    return {
      providerConfig: pc,
      readSecret: async (secret) => readSecret(allowed(secret)),
      connectionDetails: await connectionDetails(mr, mr?.spec.writeConnectionSecretToRef),
      calls: gate(ref.id),
      signal,
    };
  }

  async function connect(mr: ManagedResource, signal: AbortSignal): Promise<ObserveOnlyClient> {
    const k = kindOf(mr.apiVersion, mr.kind);
    if (!k) throw new ConfigError(`no provider serves ${mr.kind} (${mr.apiVersion})`);
    const external = await k.kind.connect(mr, await contextFor(k, mr.spec.providerConfigRef?.name ?? 'default', signal, mr));
    const list = external.list?.bind(external);
    return { observe: (target, s) => external.observe(target, s), ...(list ? { list } : {}) };
  }

  return {
    kindOf,
    providerConfig: (provider, name) => providerConfig(provider, name),
    contextFor,
    connect,
    get calls() {
      return calls;
    },
    writes: () => calls.filter((c) => isWriteOperation(c.operation)),
  };
}

import type { ObjectStore, ResourceType } from '../kube/index.ts';
import { createManagedReconciler } from '../managed/reconciler.ts';
import type { KubeObject, ManagedKind, ManagedResource, Provider } from '../managed/types.ts';
import { createController, objectKey } from '../runtime/controller/index.ts';
import { namespacedProvider } from '../managed/namespaced.ts';
import { TOKEN_BUCKET_DEFAULTS } from '../runtime/queue/index.ts';
import { createChangeFilter } from './change-filter.ts';
import { createCloudGates } from './cloud-gates.ts';
import type { Manager } from './manager.ts';

export const MANAGED_DEFAULTS = {
  workers: 4,
  pollIntervalMs: 60_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  cloudRatePerSecond: TOKEN_BUCKET_DEFAULTS.ratePerSecond,
  cloudBurst: TOKEN_BUCKET_DEFAULTS.burst,
} as const;

export type ManagedSettings = { -readonly [K in keyof typeof MANAGED_DEFAULTS]: number };

export function resourceTypeOf(kind: { gvk: { group: string; version: string }; plural: string; namespaced?: boolean }): ResourceType {
  return { group: kind.gvk.group, version: kind.gvk.version, plural: kind.plural, ...(kind.namespaced ? { namespaced: true } : {}) };
}

/** The client, with every object it writes noted so the kind's own writes never wake it again. */
function noting(store: ObjectStore, wrote: (obj: KubeObject) => void): ObjectStore {
  return {
    get: (type, name, namespace) => store.get(type, name, namespace),
    list: (type, selector) => store.list(type, selector),
    apply: (type, body, fieldManager) => store.apply(type, body, fieldManager),
    create: (type, body) => store.create(type, body),
    delete: (type, name, namespace) => store.delete(type, name, namespace),
    patch: (type, name, patch, namespace) => store.patch(type, name, patch, namespace),
    replace: async (type, body) => {
      const written = await store.replace(type, body);
      wrote(written);
      return written;
    },
    replaceStatus: async (type, body) => {
      const written = await store.replaceStatus(type, body);
      wrote(written);
      return written;
    },
    getSecret: (namespace, name) => store.getSecret(namespace, name),
    createSecret: (secret) => store.createSecret(secret),
    replaceSecret: (secret) => store.replaceSecret(secret),
    deleteSecret: (namespace, name) => store.deleteSecret(namespace, name),
  };
}

/** One controller per managed kind of every provider, on the manager's shared informers. */
export function managedSettings(options: Partial<ManagedSettings> = {}): ManagedSettings {
  const settings: ManagedSettings = { ...MANAGED_DEFAULTS };
  for (const field of Object.keys(MANAGED_DEFAULTS) as Array<keyof ManagedSettings>) settings[field] = options[field] ?? settings[field];
  return settings;
}

export function addManagedControllers(manager: Manager, providers: readonly Provider[], settings: ManagedSettings): void {
  const { informers } = manager;
  for (const provider of providers) {
    const configs = informers.informerFor<KubeObject>(resourceTypeOf(provider.providerConfig));
    addKinds(manager, provider.name, provider.kinds, (name) => configs.get(name), settings);
    // The namespaced variants (`.m.` groups): a namespaced ProviderConfig in the resource's namespace, or a ClusterProviderConfig.
    const namespaced = namespacedProvider(provider);
    const local = informers.informerFor<KubeObject>(resourceTypeOf(namespaced.providerConfig));
    const cluster = informers.informerFor<KubeObject>(resourceTypeOf(namespaced.clusterProviderConfig));
    addKinds(manager, provider.name, namespaced.kinds, (name, namespace) => (namespace ? local.get(name, namespace) : cluster.get(name)), settings);
  }
}

function addKinds(
  manager: Manager,
  providerName: string,
  kinds: readonly ManagedKind[],
  getProviderConfig: (name: string, namespace?: string) => KubeObject | undefined,
  settings: ManagedSettings,
): void {
  const { informers, metrics, recorder } = manager;
  const cacheOf = (type: ResourceType) => informers.informerFor<ManagedResource>(type);
  const cloudCalls = createCloudGates({ provider: providerName, ratePerSecond: settings.cloudRatePerSecond, burst: settings.cloudBurst, metrics });
  manager.cloudGates.push({ provider: providerName, gates: cloudCalls });
  for (const kind of kinds) {
    const type = resourceTypeOf(kind);
    const logger = manager.logger.child({ controller: `${kind.plural}.${kind.gvk.group}` });
    const cache = cacheOf(type);
    const changes = createChangeFilter();
    const reconciler = createManagedReconciler({
      kind,
      type,
      store: noting(manager.client, changes.wrote),
      cache,
      cacheOf,
      getProviderConfig,
      // The resource's key lets the gate keep its turn when the budget sends it away.
      cloudCalls: (providerConfigName, name) => cloudCalls(providerConfigName, `${kind.plural}.${kind.gvk.group}/${name}`),
      recorder,
      logger,
      metrics,
      pollIntervalMs: settings.pollIntervalMs,
    });
    const controller = createController({
      name: kind.gvk.kind,
      reconciler,
      logger,
      metrics,
      workers: settings.workers,
      baseBackoffMs: settings.baseBackoffMs,
      maxBackoffMs: settings.maxBackoffMs,
    });
    controller.watch(cache, (obj, verb) => {
      const key = objectKey(obj);
      if (!key) return [];
      if (verb === 'delete') {
        changes.forget(key);
        return [];
      }
      return changes.wakes(obj) ? [key] : [];
    });
    manager.add(controller);
  }
}

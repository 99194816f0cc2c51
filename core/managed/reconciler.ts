import type { Logger } from 'pino';
import { ConfigError } from '../errors/index.ts';
import type { ObjectStore, ResourceType } from '../kube/index.ts';
import { splitKey, type Reconciler } from '../runtime/controller/index.ts';
import type { EventRecorder } from '../runtime/events/index.ts';
import type { ObjectCache } from '../runtime/informer/index.ts';
import { createMetrics, type PledgeMetrics } from '../runtime/metrics/index.ts';
import { externalNameOf } from './annotations.ts';
import { managementPolicies } from './policies.ts';
import { connect } from './steps/connect.ts';
import { stopIfCreateOutcomeUnknown } from './steps/create-outcome.ts';
import { createIfMissing } from './steps/create.ts';
import { deleteOrOrphan } from './steps/delete.ts';
import { initialize, saveInitialized } from './steps/initialize.ts';
import { lateInitialize } from './steps/late-initialize.ts';
import { observe } from './steps/observe.ts';
import { RECONCILER_DEFAULTS, type Pass, type ReconcileDeps, type ReconcilerSettings, type Step } from './steps/pass.ts';
import { stopIfPaused } from './steps/paused.ts';
import { publishConnection } from './steps/publish-connection.ts';
import { reportObserved } from './steps/report.ts';
import { resolveReferencesStep } from './steps/resolve-references.ts';
import { updateIfDrifted } from './steps/update.ts';
import type { CloudCallGate, KubeObject, ManagedKind, ManagedResource } from './types.ts';

export { RECONCILER_DEFAULTS, type ReconcilerSettings };

/** The steps of a reconcile, in order; each returns the pass for the next step or the result. */
export const APPLY_STEPS: readonly Step[] = [
  stopIfPaused,
  initialize,
  resolveReferencesStep,
  stopIfCreateOutcomeUnknown,
  connect,
  observe,
  createIfMissing,
  lateInitialize,
  saveInitialized,
  updateIfDrifted,
  publishConnection,
  reportObserved,
];
export const DELETE_STEPS: readonly Step[] = [stopIfPaused, deleteOrOrphan];

export interface ManagedReconcilerOptions extends Partial<ReconcilerSettings> {
  kind: ManagedKind;
  type: ResourceType;
  store: ObjectStore;
  /** The managed resources of this kind (the informer cache). */
  cache: ObjectCache<ManagedResource>;
  /** Caches of other managed kinds, for references. */
  cacheOf(type: ResourceType): ObjectCache<ManagedResource>;
  /** A ProviderConfig of the kind's provider, by name; for a namespaced kind, the ProviderConfig in namespace or (no namespace) the ClusterProviderConfig. */
  getProviderConfig(name: string, namespace?: string, kind?: string): KubeObject | undefined;
  /** The call gate (token bucket + metrics) of a ProviderConfig, for one reconcile of the named resource. */
  cloudCalls(providerConfigName: string, resourceName: string): CloudCallGate;
  recorder: EventRecorder;
  logger: Logger;
  metrics?: PledgeMetrics;
  random?: () => number;
  now?: () => Date;
}

function settingsOf(options: ManagedReconcilerOptions): ReconcilerSettings {
  const s: ReconcilerSettings = { ...RECONCILER_DEFAULTS };
  for (const field of Object.keys(RECONCILER_DEFAULTS) as Array<keyof ReconcilerSettings>) {
    const value = options[field];
    if (value !== undefined) s[field] = value;
  }
  for (const field of ['pollIntervalMs', 'notReadyPollMs', 'creationGraceMs', 'deletePollMs', 'afterCreateMs'] as const) {
    if (!(s[field] > 0)) throw new ConfigError(`${field} must be > 0, got ${s[field]}`);
  }
  if (!(s.pollJitter >= 0 && s.pollJitter < 1)) throw new ConfigError(`pollJitter must be in [0, 1), got ${s.pollJitter}`);
  return s;
}

/** The managed-resource reconciler: every policy lives here, once, for every provider's kinds. */
export function createManagedReconciler(options: ManagedReconcilerOptions): Reconciler {
  const deps: ReconcileDeps = {
    kind: options.kind,
    type: options.type,
    store: options.store,
    recorder: options.recorder,
    metrics: options.metrics ?? createMetrics({ defaultMetrics: false }),
    settings: settingsOf(options),
    getProviderConfig: options.getProviderConfig,
    cloudCalls: options.cloudCalls,
    cacheOf: options.cacheOf,
    random: options.random ?? Math.random,
    now: options.now ?? (() => new Date()),
  };
  return {
    async reconcile(key, signal) {
      const { name, namespace } = splitKey(key);
      const cached = options.cache.get(name, namespace);
      if (!cached) return {};
      const mr = structuredClone(cached);
      let pass: Pass = {
        mr,
        signal,
        policy: managementPolicies(mr),
        details: {},
        log: options.logger.child({ kind: deps.kind.gvk.kind, name, ...(namespace ? { namespace } : {}), uid: mr.metadata.uid, resourceVersion: mr.metadata.resourceVersion, externalName: externalNameOf(mr) }),
      };
      for (const step of mr.metadata.deletionTimestamp ? DELETE_STEPS : APPLY_STEPS) {
        const decision = await step(deps, pass);
        if ('done' in decision) return decision.done;
        pass = decision.next;
      }
      return {};
    },
  };
}

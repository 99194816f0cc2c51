import type { ResourceType } from '../core/kube/index.ts';
import type { ControllerModule, Manager } from '../core/manager/index.ts';
import type { KubeObject, Provider } from '../core/managed/types.ts';
import { createController, objectKey, splitKey, type Controller } from '../core/runtime/controller/index.ts';
import { reconcileClaim } from './claim-binding.ts';
import { COMPOSITE_DEFAULTS, reconcileComposite, type CompositeCaches, type CompositeTimings } from './composite-reconciler.ts';
import { KindRegistry } from './kind-registry.ts';
import { compositionCrds } from './pledge-crds.ts';
import { COMPOSITIONS, ensureRevision, REVISIONS } from './revisions.ts';
import { LABELS, type Claim, type Composite, type CompositeResourceDefinition, type Composition, type CompositionRevision } from './types.ts';
import { reconcileXrd, servedVersion, XRDS, type XrdServing } from './xrd-controller.ts';

export const COMPOSITION_DEFAULTS = { workers: 2, baseBackoffMs: 500, maxBackoffMs: 30_000, ...COMPOSITE_DEFAULTS } as const;
export type CompositionSettings = { -readonly [K in Exclude<keyof typeof COMPOSITION_DEFAULTS, 'connectionSecretNamespace'>]: number };

interface Served {
  stop: AbortController;
  composites: Controller;
  compositeType: ResourceType;
  claimType?: ResourceType;
}

/** Compositions: XRDs become served APIs live, Compositions get revisions, composites and claims reconcile. */
export function compositionsModule(options: Partial<CompositionSettings> = {}): ControllerModule {
  return {
    name: 'compositions',
    crds: compositionCrds,
    setup: (manager, { providers, settings }) => {
      // The composites follow the managed controllers' poll interval and workers unless told otherwise.
      const inherited = { pollIntervalMs: settings.pollIntervalMs, workers: settings.workers, baseBackoffMs: settings.baseBackoffMs, maxBackoffMs: settings.maxBackoffMs };
      setupCompositions(manager, providers, { ...COMPOSITION_DEFAULTS, ...inherited, ...definedOnly(options) });
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function ownerOf(obj: KubeObject): string | undefined {
  const owner = obj.metadata?.ownerReferences?.find((o) => o.controller === true);
  return owner ? `${String(owner.apiVersion)}|${String(owner.kind)}` : undefined;
}

function setupCompositions(manager: Manager, providers: readonly Provider[], settings: CompositionSettings): void {
  const { informers, logger, recorder } = manager;
  const store = manager.client;
  const kinds = KindRegistry.fromProviders(providers);
  const served = new Map<string, Served>();
  const byCompositeKind = new Map<string, Controller>();
  const timings: CompositeTimings = settings;
  const controllerSettings = { workers: settings.workers, baseBackoffMs: settings.baseBackoffMs, maxBackoffMs: settings.maxBackoffMs, metrics: manager.metrics };
  const compositions = informers.informerFor<Composition>(COMPOSITIONS);
  const revisions = informers.informerFor<CompositionRevision>(REVISIONS);
  const xrds = informers.informerFor<CompositeResourceDefinition>(XRDS);

  // A composed resource's change wakes its own composite, found by its controller owner reference.
  const wakeOwner = (obj: KubeObject) => {
    const owner = ownerOf(obj);
    const name = obj.metadata?.ownerReferences?.find((o) => o.controller === true)?.name;
    if (owner && typeof name === 'string') byCompositeKind.get(owner)?.enqueue(name);
  };
  for (const provider of providers) {
    for (const kind of provider.kinds) {
      informers.informerFor({ group: kind.gvk.group, version: kind.gvk.version, plural: kind.plural }).on({ add: wakeOwner, update: wakeOwner, delete: wakeOwner });
    }
  }

  const caches = (composites: CompositeCaches['composites']): CompositeCaches => ({ composites, compositions, revisions, of: (type) => informers.informerFor(type) });

  const serving: XrdServing = {
    serve(xrd) {
      if (served.has(xrd.metadata.name)) return;
      const version = servedVersion(xrd);
      const compositeType: ResourceType = { group: xrd.spec.group, version, plural: xrd.spec.names.plural };
      kinds.add(`${xrd.spec.group}/${version}`, xrd.spec.names.kind, compositeType);
      const log = logger.child({ xrd: xrd.metadata.name });
      const current = () => xrds.get(xrd.metadata.name) ?? xrd;
      const compositeCache = informers.informerFor<Composite>(compositeType);
      const composites = createController({
        name: xrd.spec.names.kind,
        logger: log,
        ...controllerSettings,
        reconciler: { reconcile: (key) => reconcileComposite({ store, caches: caches(compositeCache), xrd: current, type: compositeType, kinds, recorder, logger: log, timings }, key) },
      });
      composites.watch(compositeCache);
      // A new revision moves the composites of its Composition (those on the Automatic policy re-render).
      composites.watch(revisions, (r) => compositeCache.list().filter((xr) => xr.spec.compositionRef?.name === r.metadata?.labels?.[LABELS.compositionName]).map((xr) => xr.metadata.name));
      const entry: Served = { stop: new AbortController(), composites, compositeType };
      served.set(xrd.metadata.name, entry);
      byCompositeKind.set(`${xrd.spec.group}/${version}|${xrd.spec.names.kind}`, composites);
      manager.add(composites, entry.stop.signal);
      if (xrd.spec.claimNames) {
        const claimType: ResourceType = { group: xrd.spec.group, version, plural: xrd.spec.claimNames.plural, namespaced: true };
        const claimCache = informers.informerFor<Claim>(claimType);
        const claims = createController({
          name: xrd.spec.claimNames.kind,
          logger: log,
          ...controllerSettings,
          reconciler: {
            reconcile: (key) => {
              const { namespace = 'default', name } = splitKey(key);
              return reconcileClaim({ store, claims: claimCache, composites: compositeCache, xrd: current, claimType, compositeType, recorder, logger: log, timings }, namespace, name);
            },
          },
        });
        claims.watch(claimCache);
        claims.watch(compositeCache, (xr) => (xr.spec?.claimRef ? [`${xr.spec.claimRef.namespace}/${xr.spec.claimRef.name}`] : []));
        entry.claimType = claimType;
        manager.add(claims, entry.stop.signal);
      }
      log.info({ kind: xrd.spec.names.kind, claim: xrd.spec.claimNames?.kind }, 'serving composite resource definition');
    },
    retire(xrd) {
      const entry = served.get(xrd.metadata.name);
      if (!entry) return;
      entry.stop.abort();
      served.delete(xrd.metadata.name);
      byCompositeKind.delete(`${entry.compositeType.group}/${entry.compositeType.version}|${xrd.spec.names.kind}`);
      informers.forget(entry.compositeType);
      if (entry.claimType) informers.forget(entry.claimType);
    },
  };

  const definitions = createController({
    name: 'CompositeResourceDefinition',
    logger: logger.child({ controller: 'xrds' }),
    ...controllerSettings,
    reconciler: { reconcile: (key, signal) => reconcileXrd({ store, xrds, serving, recorder, logger }, key, signal) },
  });
  definitions.watch(xrds);
  manager.add(definitions);

  const revisionsController = createController({
    name: 'Composition',
    logger: logger.child({ controller: 'compositions' }),
    ...controllerSettings,
    reconciler: {
      async reconcile(key) {
        const composition = compositions.get(key);
        if (!composition) return {};
        const revision = await ensureRevision(store, composition);
        logger.debug({ composition: key, revision: revision.spec.revision }, 'composition revision current');
        return {};
      },
    },
  });
  revisionsController.watch(compositions, (c, verb) => (verb === 'delete' ? [] : [objectKey(c) ?? '']).filter(Boolean));
  manager.add(revisionsController);
}

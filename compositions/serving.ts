import type { ResourceType } from '../core/kube/index.ts';
import type { KubeObject } from '../core/managed/types.ts';
import type { Manager } from '../core/manager/index.ts';
import { createController, splitKey, type Controller, type ControllerOptions } from '../core/runtime/controller/index.ts';
import type { Informer } from '../core/runtime/informer/index.ts';
import { reconcileClaim } from './claim-binding.ts';
import { reconcileComposite, type CompositeCaches, type CompositeTimings } from './composite-reconciler.ts';
import type { KindRegistry } from './kind-registry.ts';
import { compositionFields, isV2Style, LABELS, xrdScope, type Claim, type Composite, type CompositeResourceDefinition, type Composition, type CompositionRevision } from './types.ts';
import { compositeTypeOf, type XrdServing } from './xrd-controller.ts';

interface Served {
  stop: AbortController;
  compositeType: ResourceType;
  claimType?: ResourceType;
}

export interface ServingOptions {
  manager: Manager;
  kinds: KindRegistry;
  xrds: Informer<CompositeResourceDefinition>;
  compositions: Informer<Composition>;
  revisions: Informer<CompositionRevision>;
  timings: CompositeTimings;
  controller: Pick<ControllerOptions, 'workers' | 'baseBackoffMs' | 'maxBackoffMs' | 'metrics'>;
  /** The informer of a composed kind, with the handler that wakes its owner (created on first use). */
  composedInformer(type: ResourceType): Informer<KubeObject>;
  /** Composite controllers by `apiVersion|kind`, for waking a composite when what it composed changes. */
  byCompositeKind: Map<string, Controller>;
}

/** Starts and stops the composite and claim controllers of each XRD, on the manager's shared informers. */
export function createServing(o: ServingOptions): XrdServing {
  const served = new Map<string, Served>();
  const { manager, kinds } = o;
  const store = manager.client;
  const { recorder } = manager;

  function compositeController(xrd: CompositeResourceDefinition, type: ResourceType, cache: Informer<Composite>): Controller {
    const caches: CompositeCaches = { composites: cache, compositions: o.compositions, revisions: o.revisions, of: o.composedInformer };
    const logger = manager.logger.child({ xrd: xrd.metadata.name });
    const xrdNow = () => o.xrds.get(xrd.metadata.name) ?? xrd;
    const controller = createController({
      name: xrd.spec.names.kind,
      logger,
      ...o.controller,
      reconciler: { reconcile: (key) => reconcileComposite({ store, caches, xrd: xrdNow, type, kinds, recorder, logger, timings: o.timings }, key) },
    });
    controller.watch(cache);
    // A new revision moves the composites of its Composition (those on the Automatic policy re-render).
    controller.watch(o.revisions, (r) =>
      cache
        .list()
        .filter((xr) => compositionFields(xrdNow(), xr).compositionRef?.name === r.metadata?.labels?.[LABELS.compositionName])
        .map((xr) => (xr.metadata.namespace ? `${xr.metadata.namespace}/${xr.metadata.name}` : xr.metadata.name)),
    );
    return controller;
  }

  function claimController(xrd: CompositeResourceDefinition, claimType: ResourceType, compositeType: ResourceType, composites: Informer<Composite>): Controller {
    const claimCache = manager.informers.informerFor<Claim>(claimType);
    const logger = manager.logger.child({ xrd: xrd.metadata.name });
    const xrdNow = () => o.xrds.get(xrd.metadata.name) ?? xrd;
    const controller = createController({
      name: xrd.spec.claimNames?.kind ?? `${xrd.spec.names.kind}Claim`,
      logger,
      ...o.controller,
      reconciler: {
        reconcile: (key) => {
          const { namespace = 'default', name } = splitKey(key);
          const ctx = { store, claims: claimCache, composites, xrd: xrdNow, claimType, compositeType, recorder, logger, timings: o.timings };
          return reconcileClaim(ctx, namespace, name);
        },
      },
    });
    controller.watch(claimCache);
    controller.watch(composites, (xr) => (xr.spec?.claimRef ? [`${xr.spec.claimRef.namespace}/${xr.spec.claimRef.name}`] : []));
    return controller;
  }

  return {
    serve(xrd) {
      if (served.has(xrd.metadata.name)) return;
      const compositeType = compositeTypeOf(xrd);
      const { version } = compositeType;
      kinds.add(`${xrd.spec.group}/${version}`, xrd.spec.names.kind, compositeType);
      const composites = manager.informers.informerFor<Composite>(compositeType);
      const entry: Served = { stop: new AbortController(), compositeType };
      const controller = compositeController(xrd, compositeType, composites);
      o.byCompositeKind.set(`${xrd.spec.group}/${version}|${xrd.spec.names.kind}`, controller);
      manager.add(controller, entry.stop.signal);
      if (xrd.spec.claimNames && !isV2Style(xrd)) {
        entry.claimType = { group: xrd.spec.group, version, plural: xrd.spec.claimNames.plural, namespaced: true };
        manager.add(claimController(xrd, entry.claimType, compositeType, composites), entry.stop.signal);
      }
      served.set(xrd.metadata.name, entry);
      manager.logger.info({ xrd: xrd.metadata.name, kind: xrd.spec.names.kind, scope: xrdScope(xrd), claim: entry.claimType ? xrd.spec.claimNames?.kind : undefined }, 'serving composite resource definition');
    },
    retire(xrd) {
      const entry = served.get(xrd.metadata.name);
      if (!entry) return;
      entry.stop.abort();
      served.delete(xrd.metadata.name);
      o.byCompositeKind.delete(`${entry.compositeType.group}/${entry.compositeType.version}|${xrd.spec.names.kind}`);
      manager.informers.forget(entry.compositeType);
      if (entry.claimType) manager.informers.forget(entry.claimType);
    },
  };
}

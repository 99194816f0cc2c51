import type { ResourceType } from '../core/kube/index.ts';
import type { ControllerModule, Manager } from '../core/manager/index.ts';
import type { KubeObject, Provider } from '../core/managed/types.ts';
import { createController, objectKey, type Controller } from '../core/runtime/controller/index.ts';
import { typeKey, type Informer } from '../core/runtime/informer/index.ts';
import { addCompositionCommands } from './cli/index.ts';
import { useComposedKinds } from './composed-validation.ts';
import { COMPOSITE_DEFAULTS, type CompositeTimings } from './composite-reconciler.ts';
import { KindRegistry } from './kind-registry.ts';
import { expandForPlan } from './plan-expand.ts';
import { compositionCrds } from './pledge-crds.ts';
import { COMPOSITIONS, ensureRevision, REVISIONS } from './revisions.ts';
import { createServing } from './serving.ts';
import type { CompositeResourceDefinition, Composition, CompositionRevision } from './types.ts';
import { selfAccessCheck } from './access-check.ts';
import { reconcileXrd, XRDS } from './xrd-controller.ts';

export const COMPOSITION_DEFAULTS = { workers: 2, baseBackoffMs: 500, maxBackoffMs: 30_000, ...COMPOSITE_DEFAULTS } as const;
export type CompositionSettings = { -readonly [K in Exclude<keyof typeof COMPOSITION_DEFAULTS, 'connectionSecretNamespace'>]: number };

/** Compositions: XRDs become served APIs live, Compositions get revisions, composites and claims reconcile. */
export function compositionsModule(options: Partial<CompositionSettings> = {}): ControllerModule {
  return {
    name: 'compositions',
    crds: compositionCrds,
    addCommands: addCompositionCommands,
    expand: (obj, source) => expandForPlan(obj, source),
    setup: (manager, { providers, settings }) => {
      useComposedKinds(providers);
      // The composites follow the managed controllers' poll interval and workers unless told otherwise.
      const inherited = { pollIntervalMs: settings.pollIntervalMs, workers: settings.workers, baseBackoffMs: settings.baseBackoffMs, maxBackoffMs: settings.maxBackoffMs };
      setupCompositions(manager, providers, { ...COMPOSITION_DEFAULTS, ...inherited, ...definedOnly(options) });
    },
  };
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** A composed resource's change wakes its own composite (found by its controller owner reference), nothing else. */
function wakeOwner(byCompositeKind: ReadonlyMap<string, Controller>, kinds: KindRegistry) {
  return (obj: KubeObject) => {
    const owner = obj.metadata?.ownerReferences?.find((o) => o.controller === true);
    if (!owner || typeof owner.name !== 'string') return;
    // A namespaced owner is in its dependent's namespace (Kubernetes allows no other).
    const namespaced = kinds.resolve(String(owner.apiVersion), String(owner.kind)).namespaced && obj.metadata?.namespace;
    byCompositeKind.get(`${String(owner.apiVersion)}|${String(owner.kind)}`)?.enqueue(namespaced ? `${obj.metadata?.namespace}/${owner.name}` : owner.name);
  };
}

function setupCompositions(manager: Manager, providers: readonly Provider[], settings: CompositionSettings): void {
  const { informers, logger, recorder } = manager;
  const store = manager.client;
  const checkAccess = selfAccessCheck(manager.client.kubeConfig);
  const timings: CompositeTimings = settings;
  const controller = { workers: settings.workers, baseBackoffMs: settings.baseBackoffMs, maxBackoffMs: settings.maxBackoffMs, metrics: manager.metrics };
  const compositions = informers.informerFor<Composition>(COMPOSITIONS);
  const revisions = informers.informerFor<CompositionRevision>(REVISIONS);
  const xrds = informers.informerFor<CompositeResourceDefinition>(XRDS);
  const byCompositeKind = new Map<string, Controller>();
  const kinds = KindRegistry.fromProviders(providers);
  const wake = wakeOwner(byCompositeKind, kinds);
  const woken = new Set<string>();
  const composedInformer = (type: ResourceType): Informer<KubeObject> => {
    const informer = informers.informerFor<KubeObject>(type);
    if (!woken.has(typeKey(type))) {
      woken.add(typeKey(type));
      informer.on({ add: wake, update: wake, delete: wake });
    }
    return informer;
  };
  // Before any composite kind is served: the managed kinds of both scopes. A built-in kind (ConfigMap, …) is
  // watched from the first time a composite composes one, so `pledge run` pays nothing for it otherwise.
  for (const type of kinds.types()) composedInformer(type);
  const serving = createServing({ manager, kinds, xrds, compositions, revisions, timings, controller, byCompositeKind, composedInformer });

  const definitions = createController({
    name: 'CompositeResourceDefinition',
    logger: logger.child({ controller: 'xrds' }),
    ...controller,
    reconciler: { reconcile: (key, signal) => reconcileXrd({ store, xrds, serving, recorder, logger, checkAccess }, key, signal) },
  });
  definitions.watch(xrds);
  manager.add(definitions);

  const revisionsController = createController({
    name: 'Composition',
    logger: logger.child({ controller: 'compositions' }),
    ...controller,
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

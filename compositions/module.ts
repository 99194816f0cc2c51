import type { Logger } from 'pino';
import type { CustomResourceDefinition } from '../core/crd/index.ts';
import { createInformer, type KubeClient, type ResourceType } from '../core/kube/index.ts';
import { setConditions } from '../core/managed/conditions.ts';
import type { Condition, KubeObject } from '../core/managed/types.ts';
import type { ControllerModule, ModuleContext } from '../core/manager/index.ts';
import type { EventRecorder } from '../core/runtime/events/index.ts';
import { reconcileClaim } from './claim-binding.ts';
import { reconcileComposite } from './composite-reconciler.ts';
import { kindController, splitKey, type KindController } from './kind-controller.ts';
import { KindRegistry } from './kind-registry.ts';
import { compositionCrds } from './pledge-crds.ts';
import { COMPOSITIONS, ensureRevision } from './revisions.ts';
import { GROUP, LABELS, VERSION, type Claim, type Composite, type CompositeResourceDefinition, type Composition } from './types.ts';
import { claimCrd, compositeCrd } from './xrd-to-crd.ts';

const XRDS: ResourceType = { group: GROUP, version: VERSION, plural: 'compositeresourcedefinitions' };
const CRDS: ResourceType = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
const XRD_FINALIZER = 'definition.pledge.dev';

interface Served {
  stop: AbortController;
  composites: KindController<Composite>;
  generation: number | undefined;
}

function servedVersion(xrd: CompositeResourceDefinition): string {
  return (xrd.spec.versions.find((v) => v.referenceable) ?? xrd.spec.versions[0])?.name ?? 'v1';
}

async function waitEstablished(client: KubeClient, name: string, signal: AbortSignal): Promise<void> {
  for (let i = 0; i < 100; i++) {
    signal.throwIfAborted();
    const crd = await client.get<KubeObject & { status?: { conditions?: Condition[] } }>(CRDS, name);
    if (crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`CRD ${name} did not become Established`);
}

/** Compositions: XRDs become served APIs live, Compositions get revisions, composites and claims reconcile. */
export function compositionsModule(): ControllerModule {
  return {
    name: 'compositions',
    crds: compositionCrds,
    run: (ctx, signal) => runCompositions(ctx, signal),
  };
}

async function runCompositions(ctx: ModuleContext, signal: AbortSignal): Promise<void> {
  const { client, logger, recorder } = ctx;
  const kinds = KindRegistry.fromProviders(ctx.providers);
  const served = new Map<string, Served>();
  const runs: Array<Promise<void>> = [];

  // A composed resource changing wakes its composite at once (a claim is Ready within moments of its last resource).
  const wakeComposite = (obj: KubeObject) => {
    const xrName = obj.metadata?.labels?.[LABELS.composite];
    if (!xrName) return;
    for (const s of served.values()) s.composites.queue.add(xrName);
  };
  for (const provider of ctx.providers) {
    for (const kind of provider.kinds) {
      const informer = createInformer<KubeObject>({
        client,
        type: { group: kind.gvk.group, version: kind.gvk.version, plural: kind.plural },
        logger,
        handlers: { add: wakeComposite, update: wakeComposite, delete: wakeComposite },
      });
      runs.push(informer.start(signal));
    }
  }

  const revisions = kindController<Composition>({
    name: 'compositions',
    client,
    type: COMPOSITIONS,
    logger: logger.child({ controller: 'compositions' }),
    async reconcile(key) {
      const composition = await client.get<Composition>(COMPOSITIONS, key);
      if (!composition) return {};
      const revision = await ensureRevision(client, composition);
      logger.debug({ composition: key, revision: revision.spec.revision }, 'composition revision current');
      // Automatic composites move to the newest revision.
      for (const s of served.values()) for (const xr of s.composites.informer.list()) if (xr.spec.compositionRef?.name === key) s.composites.queue.add(xr.metadata.name);
      return {};
    },
  });
  runs.push(revisions.run(signal));

  async function serve(xrd: CompositeResourceDefinition): Promise<void> {
    const existing = served.get(xrd.metadata.name);
    if (existing && existing.generation === xrd.metadata.generation) return;
    const crds = [compositeCrd(xrd), claimCrd(xrd)].filter((c): c is CustomResourceDefinition => c !== undefined);
    for (const crd of crds) {
      await client.apply(CRDS, crd as unknown as KubeObject, 'pledge-xrd');
      await waitEstablished(client, crd.metadata.name, signal);
    }
    if (existing) {
      existing.generation = xrd.metadata.generation;
      return;
    }
    const version = servedVersion(xrd);
    const compositeType: ResourceType = { group: xrd.spec.group, version, plural: xrd.spec.names.plural };
    kinds.add(`${xrd.spec.group}/${version}`, xrd.spec.names.kind, compositeType);
    const stop = new AbortController();
    const scoped = AbortSignal.any([signal, stop.signal]);
    const log = logger.child({ xrd: xrd.metadata.name });
    let claims: KindController<Claim> | undefined;
    const composites = kindController<Composite>({
      name: xrd.spec.names.kind,
      client,
      type: compositeType,
      logger: log,
      reconcile: (key) => reconcileComposite({ client, xrd: current(xrd), type: compositeType, kinds, recorder, logger: log }, key),
      alsoEnqueue: (xr) => {
        const claim = xr.spec?.claimRef;
        if (claim && claims) claims.queue.add(`${claim.namespace}/${claim.name}`);
        wakeComposite(xr);
      },
    });
    served.set(xrd.metadata.name, { stop, composites, generation: xrd.metadata.generation });
    runs.push(composites.run(scoped));
    if (xrd.spec.claimNames) {
      const claimType: ResourceType = { group: xrd.spec.group, version, plural: xrd.spec.claimNames.plural, namespaced: true };
      claims = kindController<Claim>({
        name: xrd.spec.claimNames.kind,
        client,
        type: claimType,
        logger: log,
        reconcile: (key) => {
          const { namespace, name } = splitKey(key);
          return reconcileClaim({ client, xrd: current(xrd), claimType, compositeType, recorder, logger: log }, namespace ?? 'default', name);
        },
      });
      runs.push(claims.run(scoped));
    }
    log.info({ kind: xrd.spec.names.kind, claim: xrd.spec.claimNames?.kind }, 'serving composite resource definition');
  }

  const latestXrd = new Map<string, CompositeResourceDefinition>();
  const current = (xrd: CompositeResourceDefinition) => latestXrd.get(xrd.metadata.name) ?? xrd;

  const definitions = kindController<CompositeResourceDefinition>({
    name: 'compositeresourcedefinitions',
    client,
    type: XRDS,
    logger: logger.child({ controller: 'xrds' }),
    reconcile: async (key) => {
      let xrd = await client.get<CompositeResourceDefinition>(XRDS, key);
      if (!xrd) return {};
      latestXrd.set(key, xrd);
      if (xrd.metadata.deletionTimestamp) return retire(client, xrd, served, recorder, logger);
      if (!xrd.metadata.finalizers?.includes(XRD_FINALIZER)) {
        xrd = await client.replace(XRDS, { ...xrd, metadata: { ...xrd.metadata, finalizers: [...(xrd.metadata.finalizers ?? []), XRD_FINALIZER] } });
      }
      try {
        await serve(xrd);
      } catch (err: unknown) {
        const message = `cannot serve the composite resource: ${err instanceof Error ? err.message : String(err)}`;
        recorder.warning(xrd, 'CannotServeCompositeResource', message);
        await writeXrdStatus(client, xrd, [{ type: 'Established', status: 'False', reason: 'ReconcileError', message }]);
        throw err;
      }
      const conditions: Condition[] = [{ type: 'Established', status: 'True', reason: 'WatchingCompositeResource' }];
      if (xrd.spec.claimNames) conditions.push({ type: 'Offered', status: 'True', reason: 'WatchingCompositeResourceClaim' });
      await writeXrdStatus(client, xrd, conditions);
      return {};
    },
  });
  runs.push(definitions.run(signal));
  await Promise.all(runs);
}

async function writeXrdStatus(client: KubeClient, xrd: CompositeResourceDefinition, conditions: Condition[]): Promise<void> {
  const next = setConditions(xrd.status?.conditions, conditions, xrd.metadata.generation, new Date());
  if (JSON.stringify(next) === JSON.stringify(xrd.status?.conditions ?? [])) return;
  await client.replaceStatus(XRDS, { ...xrd, status: { ...(xrd.status ?? {}), conditions: next } });
}

/** An XRD being deleted: refused (kept, with a condition saying why) while composites or claims exist. */
async function retire(client: KubeClient, xrd: CompositeResourceDefinition, served: Map<string, Served>, recorder: EventRecorder, logger: Logger) {
  const version = servedVersion(xrd);
  const composites = (await client.list({ group: xrd.spec.group, version, plural: xrd.spec.names.plural }).catch(() => ({ items: [] }))).items.length;
  const claims = xrd.spec.claimNames
    ? (await client.list({ group: xrd.spec.group, version, plural: xrd.spec.claimNames.plural, namespaced: true }).catch(() => ({ items: [] }))).items.length
    : 0;
  if (composites + claims > 0) {
    const message = `cannot delete: ${composites} ${xrd.spec.names.kind} and ${claims} ${xrd.spec.claimNames?.kind ?? 'claim'} instances still exist; delete them first`;
    recorder.warning(xrd, 'DeletionBlocked', message);
    await writeXrdStatus(client, xrd, [{ type: 'Established', status: 'True', reason: 'DeletionBlocked', message }]);
    return { requeueAfterMs: 5_000 };
  }
  const s = served.get(xrd.metadata.name);
  s?.stop.abort();
  served.delete(xrd.metadata.name);
  for (const crd of [compositeCrd(xrd), claimCrd(xrd)]) if (crd) await client.delete(CRDS, crd.metadata.name);
  const finalizers = (xrd.metadata.finalizers ?? []).filter((f) => f !== XRD_FINALIZER);
  await client.patch(XRDS, xrd.metadata.name, { metadata: { finalizers, resourceVersion: xrd.metadata.resourceVersion } });
  logger.info({ xrd: xrd.metadata.name }, 'composite resource definition removed');
  return {};
}


import type { Logger } from 'pino';
import type { CustomResourceDefinition } from '../core/crd/index.ts';
import { apiErrorMessage, isNotFound, type ObjectStore, type ResourceType } from '../core/kube/index.ts';
import { withFinalizer, withoutFinalizer } from '../core/managed/finalizer.ts';
import { writeStatusIfChanged } from '../core/managed/status.ts';
import type { Condition, KubeObject } from '../core/managed/types.ts';
import type { ReconcileResult } from '../core/runtime/controller/index.ts';
import { EVENT_REASONS, type EventRecorder } from '../core/runtime/events/index.ts';
import type { ObjectCache } from '../core/runtime/informer/index.ts';
import { accessFor, describeAccess, type AccessCheck } from './access-check.ts';
import { GROUP, isV2Style, VERSION, xrdScope, type CompositeResourceDefinition } from './types.ts';
import { claimCrd, compositeCrd } from './xrd-to-crd.ts';

export const XRDS: ResourceType = { group: GROUP, version: VERSION, plural: 'compositeresourcedefinitions' };
export const CRDS: ResourceType = { group: 'apiextensions.k8s.io', version: 'v1', plural: 'customresourcedefinitions' };
export const XRD_FINALIZER = 'definition.pledge.dev';
export const XRD_DEFAULTS = { establishTimeoutMs: 10_000, establishPollMs: 100, blockedRequeueMs: 5_000, forbiddenRequeueMs: 30_000 } as const;

/** Serving an XRD's kinds: the composite and claim controllers, started and stopped with it. */
export interface XrdServing {
  /** Starts (or keeps) the controllers of the XRD's kinds; its CRDs are Established. */
  serve(xrd: CompositeResourceDefinition): void;
  /** Stops them; the CRDs are about to go. */
  retire(xrd: CompositeResourceDefinition): void;
}

export interface XrdContext {
  store: ObjectStore;
  xrds: ObjectCache<CompositeResourceDefinition>;
  serving: XrdServing;
  recorder: EventRecorder;
  logger: Logger;
  /** Which permissions on the XRD's kinds this process lacks; unset (unit tests): none. */
  checkAccess?: AccessCheck;
}

export function servedVersion(xrd: CompositeResourceDefinition): string {
  return (xrd.spec.versions.find((v) => v.referenceable) ?? xrd.spec.versions[0])?.name ?? 'v1';
}

/** The REST resource of the XRD's composites: namespaced for scope Namespaced. */
export function compositeTypeOf(xrd: CompositeResourceDefinition): ResourceType {
  const type: ResourceType = { group: xrd.spec.group, version: servedVersion(xrd), plural: xrd.spec.names.plural };
  return xrdScope(xrd) === 'Namespaced' ? { ...type, namespaced: true } : type;
}

export function crdsOf(xrd: CompositeResourceDefinition): CustomResourceDefinition[] {
  return [compositeCrd(xrd), claimCrd(xrd)].filter((c): c is CustomResourceDefinition => c !== undefined);
}

async function waitEstablished(store: ObjectStore, name: string, signal: AbortSignal): Promise<void> {
  for (let waited = 0; waited < XRD_DEFAULTS.establishTimeoutMs; waited += XRD_DEFAULTS.establishPollMs) {
    signal.throwIfAborted();
    const crd = await store.get<KubeObject & { status?: { conditions?: Condition[] } }>(CRDS, name);
    if (crd?.status?.conditions?.some((c) => c.type === 'Established' && c.status === 'True')) return;
    await new Promise((r) => setTimeout(r, XRD_DEFAULTS.establishPollMs));
  }
  throw new Error(`CRD ${name} did not become Established within ${XRD_DEFAULTS.establishTimeoutMs / 1000} s`);
}

function writeXrdStatus(ctx: XrdContext, xrd: CompositeResourceDefinition, conditions: Condition[]): Promise<CompositeResourceDefinition> {
  return writeStatusIfChanged(ctx.store, XRDS, xrd, { conditions });
}

/**
 * How many instances of a kind exist. Only a successful list counts: a timeout or a 5xx is an error,
 * never "none" — the answer decides whether every composite and claim of the API may be deleted. A 404
 * means the kind is not served (its CRD is gone), so none can exist.
 */
async function countInstances(store: ObjectStore, type: ResourceType): Promise<number> {
  try {
    return (await store.list(type)).items.length;
  } catch (err: unknown) {
    if (isNotFound(err)) return 0;
    throw err;
  }
}

/** An XRD being deleted: refused (kept, with a condition saying why) while composites or claims exist. */
async function retire(ctx: XrdContext, xrd: CompositeResourceDefinition): Promise<ReconcileResult> {
  const version = servedVersion(xrd);
  const composites = await countInstances(ctx.store, compositeTypeOf(xrd));
  const claims = xrd.spec.claimNames && !isV2Style(xrd) ? await countInstances(ctx.store, { group: xrd.spec.group, version, plural: xrd.spec.claimNames.plural, namespaced: true }) : 0;
  if (composites + claims > 0) {
    const message = `cannot delete: ${composites} ${xrd.spec.names.kind} and ${claims} ${xrd.spec.claimNames?.kind ?? 'claim'} instances still exist; delete them first`;
    ctx.recorder.warning(xrd, EVENT_REASONS.deletionBlocked, message);
    await writeXrdStatus(ctx, xrd, [{ type: 'Established', status: 'True', reason: 'DeletionBlocked', message }]);
    return { requeueAfterMs: XRD_DEFAULTS.blockedRequeueMs };
  }
  ctx.serving.retire(xrd);
  for (const crd of crdsOf(xrd)) await ctx.store.delete(CRDS, crd.metadata.name);
  const released = withoutFinalizer(xrd, XRD_FINALIZER);
  if (released) await ctx.store.replace(XRDS, released);
  ctx.logger.info({ xrd: xrd.metadata.name }, 'composite resource definition removed');
  return {};
}

/** One reconcile of an XRD: its CRDs applied and Established, its kinds' controllers running. */
export async function reconcileXrd(ctx: XrdContext, name: string, signal: AbortSignal): Promise<ReconcileResult> {
  const cached = ctx.xrds.get(name);
  if (!cached) return {};
  let xrd = structuredClone(cached);
  if (xrd.metadata.deletionTimestamp) return retire(ctx, xrd);
  // Before anything is made for it: an API in a group Pledge may not use would be served by controllers whose
  // every request is refused. Say which permission is missing, on the XRD, and look again later (an upgrade of
  // the chart with the group added fixes it without touching the XRD).
  const missing = (await ctx.checkAccess?.(accessFor(xrd))) ?? [];
  if (missing.length > 0) {
    const message = `Pledge's service account may not ${missing.map(describeAccess).join(', ')}: grant them (Helm chart: add ${xrd.spec.group} to rbac.compositionGroups)`;
    ctx.recorder.warning(xrd, EVENT_REASONS.cannotServeComposite, message);
    await writeXrdStatus(ctx, xrd, [{ type: 'Established', status: 'False', reason: 'MissingPermission', message }]);
    return { requeueAfterMs: XRD_DEFAULTS.forbiddenRequeueMs };
  }
  const withIt = withFinalizer(xrd, XRD_FINALIZER);
  if (withIt) xrd = await ctx.store.replace(XRDS, withIt);
  try {
    for (const crd of crdsOf(xrd)) {
      await ctx.store.apply(CRDS, crd as unknown as KubeObject, 'pledge-xrd');
      await waitEstablished(ctx.store, crd.metadata.name, signal);
    }
    ctx.serving.serve(xrd);
  } catch (err: unknown) {
    const message = `cannot serve the composite resource: ${apiErrorMessage(err)}`;
    ctx.recorder.warning(xrd, EVENT_REASONS.cannotServeComposite, message);
    await writeXrdStatus(ctx, xrd, [{ type: 'Established', status: 'False', reason: 'ReconcileError', message }, { type: 'Reconciling', status: 'True', reason: 'ReconcileError', message }]);
    return { error: err };
  }
  const conditions: Condition[] = [{ type: 'Established', status: 'True', reason: 'WatchingCompositeResource' }, { type: 'Reconciling', status: 'False', reason: 'ReconcileSuccess' }];
  if (xrd.spec.claimNames && !isV2Style(xrd)) conditions.push({ type: 'Offered', status: 'True', reason: 'WatchingCompositeResourceClaim' });
  await writeXrdStatus(ctx, xrd, conditions);
  return {};
}

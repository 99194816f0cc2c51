import type { Logger } from 'pino';
import type { ObjectStore, ResourceType } from '../core/kube/index.ts';
import { ANNOTATIONS } from '../core/managed/annotations.ts';
import { getCondition, settled, Synced } from '../core/managed/conditions.ts';
import { readConnectionDetails, writeConnectionSecret } from '../core/managed/connection-secret.ts';
import { withFinalizer, withoutFinalizer } from '../core/managed/finalizer.ts';
import { nextStatus } from '../core/managed/status.ts';
import type { Condition } from '../core/managed/types.ts';
import type { ReconcileResult } from '../core/runtime/controller/index.ts';
import { EVENT_REASONS, type EventRecorder } from '../core/runtime/events/index.ts';
import type { ObjectCache } from '../core/runtime/informer/index.ts';
import { compositeNameForClaim } from './composed-names.ts';
import { COMPOSITE_DEFAULTS, compositeSecretRef } from './composite-reconciler.ts';
import { CROSSPLANE_LABELS, LABELS, type Claim, type Composite, type CompositeResourceDefinition } from './types.ts';

export const CLAIM_FINALIZER = 'claim.pledge.dev';
const FIELD_MANAGER = 'pledge-claim';

export interface ClaimContext {
  store: ObjectStore;
  claims: ObjectCache<Claim>;
  composites: ObjectCache<Composite>;
  xrd(): CompositeResourceDefinition;
  claimType: ResourceType;
  compositeType: ResourceType;
  recorder: EventRecorder;
  logger: Logger;
  timings: { deletePollMs: number };
}

/** The claim's spec as the composite's: everything but the claim-only fields, plus the way back. */
export function compositeSpec(claim: Claim, xrName: string): Record<string, unknown> {
  const { resourceRef: _r, writeConnectionSecretToRef, ...rest } = claim.spec;
  return {
    ...rest,
    claimRef: { apiVersion: claim.apiVersion, kind: claim.kind, name: claim.metadata.name, namespace: claim.metadata.namespace },
    ...(writeConnectionSecretToRef ? { writeConnectionSecretToRef: { name: xrName, namespace: COMPOSITE_DEFAULTS.connectionSecretNamespace } } : {}),
  };
}

/**
 * Argo CD's tracking label (label tracking, its default before 3.0) stays on the claim: on the composite,
 * which is not in git, Argo CD would take it for one of the Application's objects, show the Application
 * OutOfSync for ever and, with prune on, delete it (and with it the cloud resources).
 */
const NOT_PROPAGATED = new Set(['app.kubernetes.io/instance']);

function propagatedLabels(labels: Record<string, string> | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(labels ?? {}).filter(([k]) => !NOT_PROPAGATED.has(k)));
}

/** A deleted claim deletes its composite, waits for it to go, then lets go of its secret and finalizer. */
async function unbind(ctx: ClaimContext, claim: Claim, xrName: string): Promise<ReconcileResult> {
  const xr = ctx.composites.get(xrName);
  if (xr) {
    if (!xr.metadata.deletionTimestamp) await ctx.store.delete(ctx.compositeType, xrName);
    return { requeueAfterMs: ctx.timings.deletePollMs };
  }
  const { namespace } = claim.metadata;
  if (claim.spec.writeConnectionSecretToRef) await ctx.store.deleteSecret(namespace, claim.spec.writeConnectionSecretToRef.name);
  const released = withoutFinalizer(claim, CLAIM_FINALIZER);
  if (released) await ctx.store.replace(ctx.claimType, released);
  return {};
}

function strip(c: Condition): Condition {
  const { lastTransitionTime: _t, observedGeneration: _g, ...rest } = c;
  return rest;
}

/**
 * Status flows back: the composite's fields and its Ready/Synced/Reconciling/Stalled, so app teams (and
 * Argo CD, Flux) read one object. The claim's generation counts as observed once its composite has
 * observed its own: a claim change is not "current" before the composite acted on it.
 */
async function reflectStatus(ctx: ClaimContext, claim: Claim, xr: Composite): Promise<void> {
  const { conditions: xrConditions, observedGeneration: xrObserved, ...xrStatus } = xr.status ?? {};
  const waiting = 'waiting for the composite resource';
  const ready = getCondition(xrConditions, 'Ready') ?? { type: 'Ready', status: 'False' as const, reason: 'Creating', message: waiting };
  const synced = getCondition(xrConditions, 'Synced') ?? { type: 'Synced', status: 'True' as const, reason: 'ReconcileSuccess' };
  const reconciling = getCondition(xrConditions, 'Reconciling') ?? (getCondition(xrConditions, 'Ready') ? { type: 'Reconciling', status: 'False' as const, reason: 'ReconcileSuccess' } : { type: 'Reconciling', status: 'True' as const, reason: 'Creating', message: waiting });
  const stalled = getCondition(xrConditions, 'Stalled') ?? { type: 'Stalled', status: 'False' as const, reason: 'ReconcileSuccess' };
  const observed = xrObserved !== undefined && xrObserved === xr.metadata.generation;
  const status = nextStatus(claim, [strip(ready), strip(synced), strip(reconciling), strip(stalled)], xrStatus, new Date(), observed);
  if (!status) return;
  if (synced.status === 'False' && getCondition(claim.status?.conditions, 'Synced')?.message !== synced.message) {
    ctx.recorder.warning(claim, EVENT_REASONS.compositeNotSynced, synced.message ?? 'composite resource not synced');
  }
  await ctx.store.replaceStatus(ctx.claimType, { ...claim, status });
}

/** One reconcile of a claim: bind (create or update) its composite, and bring status and secret back. */
export async function reconcileClaim(ctx: ClaimContext, namespace: string, name: string): Promise<ReconcileResult> {
  const cached = ctx.claims.get(name, namespace);
  if (!cached) return {};
  let claim = structuredClone(cached);
  const xrName = claim.spec.resourceRef?.name ?? compositeNameForClaim(namespace, name);
  if (claim.metadata.annotations?.[ANNOTATIONS.paused] === 'true') {
    // Its composite is neither updated nor deleted; the spec is not acted on.
    const status = nextStatus(claim, [Synced.paused(), ...settled()], {}, new Date(), false);
    if (status) await ctx.store.replaceStatus(ctx.claimType, { ...claim, status });
    return {};
  }
  if (claim.metadata.deletionTimestamp) return unbind(ctx, claim, xrName);
  const withIt = withFinalizer(claim, CLAIM_FINALIZER);
  if (withIt) claim = await ctx.store.replace(ctx.claimType, withIt);

  const desired = {
    apiVersion: claim.apiVersion,
    kind: ctx.xrd().spec.names.kind,
    metadata: {
      name: xrName,
      labels: {
        ...propagatedLabels(claim.metadata.labels),
        [LABELS.claimName]: name,
        [LABELS.claimNamespace]: namespace,
        // Crossplane's own, as its claim controller sets them on the composite: its composed resources inherit them.
        [CROSSPLANE_LABELS.claimName]: name,
        [CROSSPLANE_LABELS.claimNamespace]: namespace,
      },
    },
    spec: compositeSpec(claim, xrName),
  } as Composite;
  const xr = await ctx.store.apply<Composite>(ctx.compositeType, desired, FIELD_MANAGER);
  if (!claim.spec.resourceRef) {
    claim = await ctx.store.patch<Claim>(ctx.claimType, name, { spec: { resourceRef: { apiVersion: xr.apiVersion, kind: xr.kind, name: xrName } } }, namespace);
  }
  const secretRef = claim.spec.writeConnectionSecretToRef;
  if (secretRef) {
    const details = await readConnectionDetails(ctx.store, xr, compositeSecretRef(xr));
    await writeConnectionSecret(ctx.store, claim, { name: secretRef.name, namespace }, details);
  }
  await reflectStatus(ctx, claim, xr);
  return {};
}

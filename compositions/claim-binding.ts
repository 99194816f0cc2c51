import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import type { KubeClient, ResourceType } from '../core/kube/index.ts';
import { getCondition, setConditions } from '../core/managed/conditions.ts';
import { readConnectionDetails, writeConnectionSecret } from '../core/managed/connection-secret.ts';
import type { Condition, ManagedResource } from '../core/managed/types.ts';
import type { ReconcileResult } from '../core/runtime/controller/index.ts';
import type { EventRecorder } from '../core/runtime/events/index.ts';
import { compositeNameForClaim } from './composed-names.ts';
import { COMPOSITE_DEFAULTS } from './composite-reconciler.ts';
import { LABELS, type Claim, type Composite, type CompositeResourceDefinition } from './types.ts';

export const CLAIM_FINALIZER = 'claim.pledge.dev';
const FIELD_MANAGER = 'pledge-claim';

export interface ClaimContext {
  client: KubeClient;
  xrd: CompositeResourceDefinition;
  claimType: ResourceType;
  compositeType: ResourceType;
  recorder: EventRecorder;
  logger: Logger;
}

/** The claim's spec as the composite's: everything but the claim-only fields, plus the way back. */
function compositeSpec(claim: Claim, xrName: string): Record<string, unknown> {
  const { resourceRef: _r, writeConnectionSecretToRef, ...rest } = claim.spec;
  return {
    ...rest,
    claimRef: { apiVersion: claim.apiVersion, kind: claim.kind, name: claim.metadata.name, namespace: claim.metadata.namespace },
    ...(writeConnectionSecretToRef ? { writeConnectionSecretToRef: { name: xrName, namespace: COMPOSITE_DEFAULTS.connectionSecretNamespace } } : {}),
  };
}

/** One reconcile of a claim: bind (create or update) its composite, and bring status and secret back. */
export async function reconcileClaim(ctx: ClaimContext, namespace: string, name: string): Promise<ReconcileResult> {
  const { client } = ctx;
  let claim = await client.get<Claim>(ctx.claimType, name, namespace);
  if (!claim) return {};
  const xrName = claim.spec.resourceRef?.name ?? compositeNameForClaim(namespace, name);

  if (claim.metadata.deletionTimestamp) {
    const xr = await client.get<Composite>(ctx.compositeType, xrName);
    if (xr) {
      if (!xr.metadata.deletionTimestamp) await client.delete(ctx.compositeType, xrName);
      return { requeueAfterMs: 1_000 };
    }
    if (claim.spec.writeConnectionSecretToRef) await client.deleteSecret(namespace, claim.spec.writeConnectionSecretToRef.name);
    const finalizers = (claim.metadata.finalizers ?? []).filter((f) => f !== CLAIM_FINALIZER);
    await client.patch(ctx.claimType, name, { metadata: { finalizers, resourceVersion: claim.metadata.resourceVersion } }, namespace);
    return {};
  }
  if (!claim.metadata.finalizers?.includes(CLAIM_FINALIZER)) {
    claim = await client.replace(ctx.claimType, { ...claim, metadata: { ...claim.metadata, finalizers: [...(claim.metadata.finalizers ?? []), CLAIM_FINALIZER] } });
  }

  const xr = await client.apply<Composite>(
    ctx.compositeType,
    {
      apiVersion: claim.apiVersion,
      kind: ctx.xrd.spec.names.kind,
      metadata: { name: xrName, labels: { ...claim.metadata.labels, [LABELS.claimName]: name, [LABELS.claimNamespace]: namespace } },
      spec: compositeSpec(claim, xrName),
    } as Composite,
    FIELD_MANAGER,
  );
  if (!claim.spec.resourceRef) {
    claim = await client.patch<Claim>(ctx.claimType, name, { spec: { resourceRef: { apiVersion: xr.apiVersion, kind: xr.kind, name: xrName } } }, namespace);
  }

  if (claim.spec.writeConnectionSecretToRef) {
    const details = await readConnectionDetails(client, xr as unknown as ManagedResource);
    const asOwner = { ...claim, spec: { forProvider: {}, writeConnectionSecretToRef: { name: claim.spec.writeConnectionSecretToRef.name, namespace } } };
    await writeConnectionSecret(client, asOwner as unknown as ManagedResource, details);
  }

  // Status flows back: the composite's fields and its conditions, so app teams read one object.
  const { conditions: xrConditions, ...xrStatus } = xr.status ?? {};
  const ready = getCondition(xrConditions as Condition[] | undefined, 'Ready') ?? { type: 'Ready', status: 'False' as const, reason: 'Creating', message: 'waiting for the composite resource' };
  const synced = getCondition(xrConditions as Condition[] | undefined, 'Synced') ?? { type: 'Synced', status: 'True' as const, reason: 'ReconcileSuccess' };
  const status = { ...(claim.status ?? {}), ...xrStatus };
  status.conditions = setConditions(claim.status?.conditions, [strip(ready), strip(synced)], claim.metadata.generation, new Date());
  if (!isDeepStrictEqual(status, claim.status ?? {})) {
    if (synced.status === 'False' && getCondition(claim.status?.conditions, 'Synced')?.message !== synced.message) {
      ctx.recorder.warning(claim, 'CompositeResourceNotSynced', synced.message ?? 'composite resource not synced');
    }
    await client.replaceStatus(ctx.claimType, { ...claim, status });
  }
  return {};
}

function strip(c: Condition): Condition {
  const { lastTransitionTime: _t, observedGeneration: _g, ...rest } = c;
  return rest;
}

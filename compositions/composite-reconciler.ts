import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { describeError } from '../core/errors/index.ts';
import type { KubeClient, ResourceType } from '../core/kube/index.ts';
import { setConditions } from '../core/managed/conditions.ts';
import { readConnectionDetails, writeConnectionSecret } from '../core/managed/connection-secret.ts';
import type { Condition, ManagedResource } from '../core/managed/types.ts';
import type { ReconcileResult } from '../core/runtime/controller/index.ts';
import type { EventRecorder } from '../core/runtime/events/index.ts';
import { composedName } from './composed-names.ts';
import type { KindRegistry } from './kind-registry.ts';
import { render } from './render/index.ts';
import type { KubeResource, ObservedComposed } from './render/types.ts';
import { COMPOSITIONS, latestRevision, listRevisions } from './revisions.ts';
import { ANNOTATION_RESOURCE_NAME, LABELS, type Composite, type CompositeResourceDefinition, type Composition, type ResourceRef } from './types.ts';

export const COMPOSITE_FINALIZER = 'composite.pledge.dev';
export const FIELD_MANAGER = 'pledge-composition';
export const COMPOSITE_DEFAULTS = { pollIntervalMs: 60_000, notReadyPollMs: 5_000, connectionSecretNamespace: 'pledge-system' } as const;

export const COMPOSITE_REASONS = {
  composed: 'ComposedResources',
  cannotSelectComposition: 'CannotSelectComposition',
  cannotRender: 'CannotComposeResources',
  cannotApply: 'CannotApplyComposedResource',
  deletingComposed: 'DeletingComposedResources',
  renderWarning: 'ComposedResourceWarning',
} as const;

export interface CompositeContext {
  client: KubeClient;
  xrd: CompositeResourceDefinition;
  type: ResourceType;
  kinds: KindRegistry;
  recorder: EventRecorder;
  logger: Logger;
  now?: () => Date;
}

const cond = (type: string, status: 'True' | 'False', reason: string, message?: string): Condition => (message ? { type, status, reason, message } : { type, status, reason });

async function writeStatus(ctx: CompositeContext, xr: Composite, status: Record<string, unknown>, conditions: Condition[]): Promise<Composite> {
  const next = { ...(xr.status ?? {}), ...status };
  next.conditions = setConditions(xr.status?.conditions, conditions, xr.metadata.generation, (ctx.now ?? (() => new Date()))());
  if (isDeepStrictEqual(next, xr.status ?? {})) return xr;
  return ctx.client.replaceStatus(ctx.type, { ...xr, status: next });
}

async function failed(ctx: CompositeContext, xr: Composite, reason: string, message: string): Promise<ReconcileResult> {
  ctx.logger.info({ composite: xr.metadata.name, reason }, message);
  ctx.recorder.warning(xr, reason, message);
  await writeStatus(ctx, xr, {}, [cond('Synced', 'False', 'ReconcileError', message)]);
  return { requeueAfterMs: 10_000 };
}

/** spec.compositionRef, else the first Composition matching spec.compositionSelector, else the XRD's default. */
async function selectComposition(ctx: CompositeContext, xr: Composite): Promise<string | undefined> {
  if (xr.spec.compositionRef?.name) return xr.spec.compositionRef.name;
  const labels = xr.spec.compositionSelector?.matchLabels;
  if (labels) {
    const selector = Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(',');
    const candidates = (await ctx.client.list<Composition>(COMPOSITIONS, selector)).items
      .filter((c) => c.spec.compositeTypeRef.kind === xr.kind && c.spec.compositeTypeRef.apiVersion === xr.apiVersion)
      .sort((a, b) => a.metadata.name.localeCompare(b.metadata.name));
    return candidates[0]?.metadata.name;
  }
  return ctx.xrd.spec.defaultCompositionRef?.name;
}

async function observe(ctx: CompositeContext, xr: Composite, templates: string[]): Promise<Record<string, ObservedComposed>> {
  const observed: Record<string, ObservedComposed> = {};
  for (const ref of xr.spec.resourceRefs ?? []) {
    const found = await ctx.client.get<ManagedResource>(ctx.kinds.resolve(ref.apiVersion, ref.kind), ref.name);
    const template = found?.metadata.annotations?.[ANNOTATION_RESOURCE_NAME];
    if (!found || !template || !templates.includes(template)) continue;
    observed[template] = { resource: found as unknown as KubeResource, connectionDetails: await readConnectionDetails(ctx.client, found) };
  }
  return observed;
}

async function deleteComposed(ctx: CompositeContext, xr: Composite): Promise<number> {
  let remaining = 0;
  for (const ref of xr.spec.resourceRefs ?? []) {
    const type = ctx.kinds.resolve(ref.apiVersion, ref.kind);
    if (await ctx.client.get(type, ref.name)) {
      remaining++;
      await ctx.client.delete(type, ref.name);
    }
  }
  return remaining;
}

/** One reconcile of a composite resource: select, render, apply, prune, report. */
export async function reconcileComposite(ctx: CompositeContext, name: string): Promise<ReconcileResult> {
  const { client } = ctx;
  let xr = await client.get<Composite>(ctx.type, name);
  if (!xr) return {};

  if (xr.metadata.deletionTimestamp) {
    const remaining = await deleteComposed(ctx, xr);
    if (remaining > 0) {
      await writeStatus(ctx, xr, {}, [cond('Ready', 'False', 'Deleting', `waiting for ${remaining} composed resource(s) to be deleted`)]);
      return { requeueAfterMs: 1_000 };
    }
    const finalizers = (xr.metadata.finalizers ?? []).filter((f) => f !== COMPOSITE_FINALIZER);
    if (finalizers.length !== (xr.metadata.finalizers ?? []).length) await client.patch(ctx.type, name, { metadata: { finalizers, resourceVersion: xr.metadata.resourceVersion } });
    return {};
  }
  if (!xr.metadata.finalizers?.includes(COMPOSITE_FINALIZER)) {
    xr = await client.replace(ctx.type, { ...xr, metadata: { ...xr.metadata, finalizers: [...(xr.metadata.finalizers ?? []), COMPOSITE_FINALIZER] } });
  }

  const compositionName = await selectComposition(ctx, xr);
  if (!compositionName) return failed(ctx, xr, COMPOSITE_REASONS.cannotSelectComposition, `no Composition selected: set spec.compositionRef, a matching spec.compositionSelector, or the XRD's defaultCompositionRef`);
  const revisions = await listRevisions(client, compositionName);
  const latest = latestRevision(revisions);
  if (!latest) return failed(ctx, xr, COMPOSITE_REASONS.cannotSelectComposition, `Composition "${compositionName}" not found (or has no revision yet)`);
  const policy = xr.spec.compositionUpdatePolicy ?? ctx.xrd.spec.defaultCompositionUpdatePolicy ?? 'Automatic';
  const pinned = policy === 'Manual' ? revisions.find((r) => r.metadata.name === xr?.spec.compositionRevisionRef?.name) : undefined;
  const revision = pinned ?? latest;
  const selection = { compositionRef: { name: compositionName }, compositionRevisionRef: { name: revision.metadata.name }, compositionUpdatePolicy: policy };
  if (xr.spec.compositionRef?.name !== compositionName || xr.spec.compositionRevisionRef?.name !== revision.metadata.name || xr.spec.compositionUpdatePolicy !== policy) {
    xr = await client.patch<Composite>(ctx.type, name, { spec: selection });
  }

  const templates = revision.spec.resources.map((r) => r.name);
  const observed = await observe(ctx, xr, templates);
  const result = render({ composite: xr as unknown as KubeResource, composition: revision.spec, observed });
  if (result.errors.length > 0) {
    const message = `Composition "${compositionName}" (revision ${revision.spec.revision}): ${result.errors.map((e) => `resource "${e.resource}": ${e.message}`).join('; ')}`;
    return failed(ctx, xr, COMPOSITE_REASONS.cannotRender, message);
  }

  const secretNamespace = revision.spec.writeConnectionSecretsToNamespace ?? COMPOSITE_DEFAULTS.connectionSecretNamespace;
  const refs: ResourceRef[] = [];
  for (const composed of result.resources) {
    const desired = structuredClone(composed.resource) as KubeResource & { spec?: Record<string, unknown> };
    const objectName = desired.metadata?.name || composedName(name, composed.name);
    const claim = xr.spec.claimRef;
    desired.metadata = {
      ...desired.metadata,
      name: objectName,
      labels: {
        ...desired.metadata?.labels,
        [LABELS.composite]: name,
        ...(claim ? { [LABELS.claimName]: claim.name, [LABELS.claimNamespace]: claim.namespace } : {}),
      },
      annotations: { ...desired.metadata?.annotations, [ANNOTATION_RESOURCE_NAME]: composed.name },
      ownerReferences: [{ apiVersion: xr.apiVersion, kind: xr.kind, name, uid: xr.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
    };
    const template = revision.spec.resources.find((r) => r.name === composed.name);
    if (template?.connectionDetails?.some((d) => d.type === 'FromConnectionSecretKey' || d.fromConnectionSecretKey) && desired.spec && !desired.spec.writeConnectionSecretToRef) {
      desired.spec.writeConnectionSecretToRef = { name: objectName, namespace: secretNamespace };
    }
    try {
      await client.apply(ctx.kinds.resolve(desired.apiVersion, desired.kind), desired, FIELD_MANAGER);
    } catch (err: unknown) {
      return failed(ctx, xr, COMPOSITE_REASONS.cannotApply, `cannot apply composed resource "${composed.name}" (${desired.kind} ${objectName}): ${describeError(apiMessage(err))}`);
    }
    refs.push({ apiVersion: desired.apiVersion, kind: desired.kind, name: objectName });
  }

  // Prune what the composition no longer has.
  for (const old of xr.spec.resourceRefs ?? []) {
    if (!refs.some((r) => r.kind === old.kind && r.name === old.name && r.apiVersion === old.apiVersion)) {
      await client.delete(ctx.kinds.resolve(old.apiVersion, old.kind), old.name);
    }
  }
  if (!isDeepStrictEqual(xr.spec.resourceRefs ?? [], refs)) {
    xr = await client.patch<Composite>(ctx.type, name, { spec: { resourceRefs: refs } });
  }

  if (xr.spec.writeConnectionSecretToRef) {
    const keys = ctx.xrd.spec.connectionSecretKeys;
    const details = keys ? Object.fromEntries(Object.entries(result.connectionDetails).filter(([k]) => keys.includes(k))) : result.connectionDetails;
    await writeConnectionSecret(client, xr as unknown as ManagedResource, details);
  }

  for (const warning of result.warnings ?? []) ctx.recorder.warning(xr, COMPOSITE_REASONS.renderWarning, `resource "${warning.resource}": ${warning.message}`);
  const notReady = [...result.resources.filter((r) => !r.ready).map((r) => r.name), ...(result.skipped ?? [])];
  const { conditions: _c, ...renderedStatus } = (result.composite.status ?? {}) as Record<string, unknown>;
  const skippedWhy = (result.warnings ?? []).filter((w) => result.skipped?.includes(w.resource)).map((w) => w.message);
  const skippedNote = skippedWhy.length > 0 ? ` (not composed yet: ${skippedWhy.join('; ')})` : '';
  const ready = notReady.length === 0 ? cond('Ready', 'True', 'Available') : cond('Ready', 'False', 'Creating', `waiting for ${notReady.join(', ')}${skippedNote}`);
  await writeStatus(ctx, xr, renderedStatus, [ready, cond('Synced', 'True', 'ReconcileSuccess')]);
  return { requeueAfterMs: notReady.length === 0 ? COMPOSITE_DEFAULTS.pollIntervalMs : COMPOSITE_DEFAULTS.notReadyPollMs };
}

/** The API server's own message (e.g. a schema violation naming the field) rather than "HTTP 422". */
function apiMessage(err: unknown): unknown {
  const body = (err as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: string };
      if (parsed.message) return new Error(parsed.message);
    } catch {
      return err;
    }
  }
  return err;
}

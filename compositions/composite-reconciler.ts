import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { fieldOf } from '../core/errors/index.ts';
import { apiErrorMessage, type ObjectStore, type ResourceType } from '../core/kube/index.ts';
import { ANNOTATIONS } from '../core/managed/annotations.ts';
import { getCondition, REASONS, settled, Synced } from '../core/managed/conditions.ts';
import { readConnectionDetails, writeConnectionSecret } from '../core/managed/connection-secret.ts';
import { withFinalizer, withoutFinalizer } from '../core/managed/finalizer.ts';
import { writeStatusIfChanged } from '../core/managed/status.ts';
import type { Condition, KubeObject } from '../core/managed/types.ts';
import { splitKey, type ReconcileResult } from '../core/runtime/controller/index.ts';
import { EVENT_REASONS, type EventReason, type EventRecorder } from '../core/runtime/events/index.ts';
import type { ObjectCache } from '../core/runtime/informer/index.ts';
import { DEFAULT_CONNECTION_SECRET_NAMESPACE, desiredObject } from './composed-object.ts';
import { selectComposition } from './composition-selection.ts';
import { scopeProblems } from './composed-scope.ts';
import { composedProblems } from './composed-validation.ts';
import type { KindRegistry } from './kind-registry.ts';
import { render } from './render/index.ts';
import type { KubeResource, ObservedComposed } from './render/types.ts';
import { latestRevision } from './revisions.ts';
import { ANNOTATION_RESOURCE_NAME, compositionFields, compositionFieldsPatch, LABELS, type Composite, type CompositeResourceDefinition, type Composition, type CompositionRevision, type ResourceRef } from './types.ts';

export const COMPOSITE_FINALIZER = 'composite.pledge.dev';
export const FIELD_MANAGER = 'pledge-composition';
export const COMPOSITE_DEFAULTS = { pollIntervalMs: 60_000, notReadyPollMs: 5_000, errorRequeueMs: 10_000, deletePollMs: 1_000, connectionSecretNamespace: DEFAULT_CONNECTION_SECRET_NAMESPACE } as const;
export type CompositeTimings = { -readonly [K in Exclude<keyof typeof COMPOSITE_DEFAULTS, 'connectionSecretNamespace'>]: number };

/** What a composite reconcile reads: every object comes from a shared informer cache, never a GET. */
export interface CompositeCaches {
  composites: ObjectCache<Composite>;
  compositions: ObjectCache<Composition>;
  revisions: ObjectCache<CompositionRevision>;
  /** The cache of any composed kind (started on first use: it may not have listed yet). */
  of(type: ResourceType): ObjectCache<KubeObject> & { hasSynced(): boolean };
}

export interface CompositeContext {
  store: ObjectStore;
  caches: CompositeCaches;
  xrd(): CompositeResourceDefinition;
  type: ResourceType;
  kinds: KindRegistry;
  recorder: EventRecorder;
  logger: Logger;
  timings: CompositeTimings;
  now?: () => Date;
}

const cond = (type: string, status: 'True' | 'False', reason: string, message?: string): Condition => (message ? { type, status, reason, message } : { type, status, reason });

function writeStatus(ctx: CompositeContext, xr: Composite, conditions: Condition[], fields: Record<string, unknown> = {}): Promise<Composite> {
  return writeStatusIfChanged(ctx.store, ctx.type, xr, { conditions, fields, now: (ctx.now ?? (() => new Date()))() });
}

const CLEARED = { reconciling: cond('Reconciling', 'False', REASONS.reconcileSuccess), stalled: cond('Stalled', 'False', REASONS.reconcileSuccess) };

/**
 * No Composition to select, one that does not render, or a composed resource the API server finds invalid
 * waits for a person (Stalled); any other failure to apply is retried (Reconciling). The message is kept.
 */
async function failed(ctx: CompositeContext, xr: Composite, reason: EventReason, message: string, retryable = false): Promise<ReconcileResult> {
  ctx.logger.info({ composite: xr.metadata.name, reason }, message);
  ctx.recorder.warning(xr, reason, message);
  const health = retryable
      ? [cond('Synced', 'False', REASONS.reconcileError, message), cond('Reconciling', 'True', REASONS.reconcileError, message), CLEARED.stalled]
      : [cond('Synced', 'False', REASONS.terminalError, message), cond('Stalled', 'True', REASONS.terminalError, message), CLEARED.reconciling];
  await writeStatus(ctx, xr, health);
  return { requeueAfterMs: ctx.timings.errorRequeueMs };
}

function composedCache(ctx: CompositeContext, ref: ResourceRef): ReturnType<CompositeCaches['of']> {
  return ctx.caches.of(ctx.kinds.resolve(ref.apiVersion, ref.kind));
}

/** Where a composed resource lives: a namespaced composite's are in its namespace; a cluster one's say so in the ref. */
function composedNamespace(ctx: CompositeContext, xr: Composite, ref: ResourceRef): string | undefined {
  return ctx.kinds.resolve(ref.apiVersion, ref.kind).namespaced ? (ref.namespace ?? xr.metadata.namespace) : undefined;
}

function getComposed(ctx: CompositeContext, xr: Composite, ref: ResourceRef): KubeObject | undefined {
  return composedCache(ctx, ref).get(ref.name, composedNamespace(ctx, xr, ref));
}

function refsOf(ctx: CompositeContext, xr: Composite): ResourceRef[] {
  return compositionFields(ctx.xrd(), xr).resourceRefs ?? [];
}

/**
 * A composed kind's cache that has not listed yet (its informer starts when first asked for, as after a
 * restart) would report the composite's resources missing: not Ready, or released before they are deleted.
 */
function unsyncedKinds(ctx: CompositeContext, xr: Composite): string[] {
  return [...new Set(refsOf(ctx, xr).filter((ref) => !composedCache(ctx, ref).hasSynced()).map((ref) => ref.kind))];
}

const SYNC_WAIT_MS = 500;

async function observe(ctx: CompositeContext, xr: Composite, templates: string[]): Promise<Record<string, ObservedComposed>> {
  const observed: Record<string, ObservedComposed> = {};
  for (const ref of refsOf(ctx, xr)) {
    const found = getComposed(ctx, xr, ref) as (KubeObject & { spec?: { writeConnectionSecretToRef?: { name: string; namespace?: string } } }) | undefined;
    const template = found?.metadata?.annotations?.[ANNOTATION_RESOURCE_NAME];
    if (!found || !template || !templates.includes(template)) continue;
    const secretRef = found.spec?.writeConnectionSecretToRef;
    // A namespaced resource's secret is in its own namespace (the ref has a name only).
    const namespace = secretRef?.namespace ?? found.metadata?.namespace;
    const details = await readConnectionDetails(ctx.store, found, secretRef && namespace ? { name: secretRef.name, namespace } : undefined);
    observed[template] = { resource: asResource({ apiVersion: '', kind: '', ...found }), connectionDetails: details };
  }
  return observed;
}

/** Deletes what the composite composed; resolves to how many are still there. */
async function deleteComposed(ctx: CompositeContext, xr: Composite): Promise<number> {
  let remaining = 0;
  for (const ref of refsOf(ctx, xr)) {
    if (!getComposed(ctx, xr, ref)) continue;
    remaining++;
    await ctx.store.delete(ctx.kinds.resolve(ref.apiVersion, ref.kind), ref.name, composedNamespace(ctx, xr, ref));
  }
  return remaining;
}

async function finalize(ctx: CompositeContext, xr: Composite): Promise<ReconcileResult> {
  const remaining = await deleteComposed(ctx, xr);
  if (remaining > 0) {
    const message = `waiting for ${remaining} composed resource(s) to be deleted`;
    await writeStatus(ctx, xr, [cond('Ready', 'False', 'Deleting', message), cond('Reconciling', 'True', 'Deleting', message), CLEARED.stalled]);
    return { requeueAfterMs: ctx.timings.deletePollMs };
  }
  const released = withoutFinalizer(xr, COMPOSITE_FINALIZER);
  if (released) await ctx.store.replace(ctx.type, released);
  return {};
}

/** The composite's connection secret: a namespaced composite's is in its own namespace (the ref names it only). */
export function compositeSecretRef(xr: Composite): { name: string; namespace: string } | undefined {
  const ref = xr.spec.writeConnectionSecretToRef;
  const namespace = xr.metadata.namespace ?? ref?.namespace;
  return ref && namespace ? { name: ref.name, namespace } : undefined;
}

/** The composition revision to render: the newest, or the pinned one under the Manual policy; written to spec. */
async function selectRevision(ctx: CompositeContext, xr: Composite): Promise<{ xr: Composite; revision: CompositionRevision } | { error: string }> {
  const compositionName = selectComposition(ctx.xrd(), xr, ctx.caches.compositions.list());
  if (!compositionName) return { error: `no Composition selected: set spec.compositionRef, a matching spec.compositionSelector, or the XRD's defaultCompositionRef` };
  const revisions = ctx.caches.revisions.list().filter((r) => r.metadata.labels?.[LABELS.compositionName] === compositionName);
  const latest = latestRevision(revisions);
  if (!latest) return { error: `Composition "${compositionName}" not found (or has no revision yet)` };
  const fields = compositionFields(ctx.xrd(), xr);
  const policy = fields.compositionUpdatePolicy ?? ctx.xrd().spec.defaultCompositionUpdatePolicy ?? 'Automatic';
  const pinned = policy === 'Manual' ? revisions.find((r) => r.metadata.name === fields.compositionRevisionRef?.name) : undefined;
  const revision = pinned ?? latest;
  if (fields.compositionRef?.name === compositionName && fields.compositionRevisionRef?.name === revision.metadata.name && fields.compositionUpdatePolicy === policy) return { xr, revision };
  const selection = { compositionRef: { name: compositionName }, compositionRevisionRef: { name: revision.metadata.name }, compositionUpdatePolicy: policy };
  return { xr: await ctx.store.patch<Composite>(ctx.type, xr.metadata.name, compositionFieldsPatch(ctx.xrd(), selection), xr.metadata.namespace), revision };
}

/** Applies every composed resource and prunes what the composition no longer has; records the refs. */
async function applyComposed(ctx: CompositeContext, xr: Composite, revision: CompositionRevision, resources: ReadonlyArray<{ name: string; resource: KubeResource }>): Promise<{ xr: Composite } | { error: string; retryable: boolean }> {
  const refs: ResourceRef[] = [];
  for (const composed of resources) {
    const desired = desiredObject(xr, revision, composed);
    const objectName = desired.metadata?.name ?? '';
    const type = ctx.kinds.resolve(desired.apiVersion, desired.kind);
    // Its kind's informer (started on first use for a built-in kind): the object's changes wake this composite.
    ctx.caches.of(type);
    try {
      await ctx.store.apply(type, desired, FIELD_MANAGER);
    } catch (err: unknown) {
      // 400 and 422: the rendered object is invalid; the same render will be refused again.
      const code = fieldOf(err, 'code');
      return { error: `cannot apply composed resource "${composed.name}" (${desired.kind} ${objectName}): ${apiErrorMessage(err)}`, retryable: code !== 400 && code !== 422 };
    }
    // A cluster composite's namespaced resources carry their namespace; a namespaced composite's are in its own.
    const namespace = type.namespaced && !xr.metadata.namespace ? desired.metadata?.namespace : undefined;
    refs.push({ apiVersion: desired.apiVersion, kind: desired.kind, name: objectName, ...(namespace ? { namespace } : {}) });
  }
  const before = refsOf(ctx, xr);
  for (const old of before) {
    if (!refs.some((r) => r.kind === old.kind && r.name === old.name && r.apiVersion === old.apiVersion && r.namespace === old.namespace)) {
      await ctx.store.delete(ctx.kinds.resolve(old.apiVersion, old.kind), old.name, composedNamespace(ctx, xr, old));
    }
  }
  if (isDeepStrictEqual(before, refs)) return { xr };
  return { xr: await ctx.store.patch<Composite>(ctx.type, xr.metadata.name, compositionFieldsPatch(ctx.xrd(), { resourceRefs: refs }), xr.metadata.namespace) };
}

/** One reconcile of a composite resource: select, render, apply, prune, report. */
export async function reconcileComposite(ctx: CompositeContext, key: string): Promise<ReconcileResult> {
  const { name, namespace } = splitKey(key);
  const cached = ctx.caches.composites.get(name, namespace);
  if (!cached) return {};
  let xr = structuredClone(cached);
  if (xr.metadata.annotations?.[ANNOTATIONS.paused] === 'true') {
    // Left alone, deletion included, like a paused managed resource; the spec is not acted on.
    await writeStatusIfChanged(ctx.store, ctx.type, xr, { conditions: [Synced.paused(), ...settled()], now: (ctx.now ?? (() => new Date()))(), observed: false });
    return {};
  }
  const unsynced = unsyncedKinds(ctx, xr);
  if (unsynced.length > 0) {
    ctx.logger.debug({ composite: xr.metadata.name, kinds: unsynced }, 'waiting for the caches of composed kinds to list');
    return { requeueAfterMs: SYNC_WAIT_MS };
  }
  if (xr.metadata.deletionTimestamp) return finalize(ctx, xr);
  const withIt = withFinalizer(xr, COMPOSITE_FINALIZER);
  if (withIt) xr = await ctx.store.replace(ctx.type, withIt);

  const selected = await selectRevision(ctx, xr);
  if ('error' in selected) return failed(ctx, xr, EVENT_REASONS.cannotSelectComposition, selected.error);
  const { revision } = selected;
  xr = selected.xr;
  const templates = revision.spec.resources.map((r) => r.name);
  const result = render({ composite: asResource(xr), composition: revision.spec, observed: await observe(ctx, xr, templates) });
  if (result.errors.length > 0) {
    const message = `Composition "${compositionFields(ctx.xrd(), xr).compositionRef?.name}" (revision ${revision.spec.revision}): ${result.errors.map((e) => `resource "${e.resource}": ${e.message}`).join('; ')}`;
    return failed(ctx, xr, EVENT_REASONS.cannotCompose, message);
  }
  const misplaced = scopeProblems(ctx.kinds, xr, result.resources);
  if (misplaced) return failed(ctx, xr, EVENT_REASONS.cannotCompose, `Composition "${compositionFields(ctx.xrd(), xr).compositionRef?.name}" (revision ${revision.spec.revision}): ${misplaced}`);
  const invalid = await composedProblems(result.resources.map((r) => ({ template: r.name, object: desiredObject(xr, revision, r) })));
  if (invalid) return failed(ctx, xr, EVENT_REASONS.cannotCompose, `Composition "${compositionFields(ctx.xrd(), xr).compositionRef?.name}" (revision ${revision.spec.revision}): ${invalid}`);
  const applied = await applyComposed(ctx, xr, revision, result.resources);
  if ('error' in applied) return failed(ctx, xr, EVENT_REASONS.cannotApplyComposed, applied.error, applied.retryable);
  xr = applied.xr;

  const keys = ctx.xrd().spec.connectionSecretKeys;
  const details = keys ? Object.fromEntries(Object.entries(result.connectionDetails).filter(([k]) => keys.includes(k))) : result.connectionDetails;
  await writeConnectionSecret(ctx.store, xr, compositeSecretRef(xr), details);
  return report(ctx, xr, result, observedProblems(ctx, xr, templates));
}

type Composed = KubeObject & { kind?: string; status?: { conditions?: Condition[] } };

/**
 * What the composed resources say is wrong, for the composite's health: the first one Stalled (a terminal
 * cloud error, named with its message), else the first one not Synced (throttled, waiting for a reference…).
 */
function observedProblems(ctx: CompositeContext, xr: Composite, templates: string[]): { stalled?: string; waiting?: { reason: string; message: string } } {
  const out: { stalled?: string; waiting?: { reason: string; message: string } } = {};
  for (const ref of refsOf(ctx, xr)) {
    const found = getComposed(ctx, xr, ref) as Composed | undefined;
    const template = found?.metadata?.annotations?.[ANNOTATION_RESOURCE_NAME];
    if (!found || !template || !templates.includes(template)) continue;
    const who = `resource "${template}" (${ref.kind} ${ref.name})`;
    const stalled = getCondition(found.status?.conditions, 'Stalled');
    if (stalled?.status === 'True' && !out.stalled) out.stalled = `${who}: ${stalled.message ?? stalled.reason}`;
    const synced = getCondition(found.status?.conditions, 'Synced');
    if (synced?.status === 'False' && !out.waiting && stalled?.status !== 'True') out.waiting = { reason: synced.reason, message: `${who}: ${synced.message ?? synced.reason}` };
  }
  return out;
}

/** The composite's Ready condition after a render (also what `pledge render` prints). */
export function compositeReadiness(result: ReturnType<typeof render>): { notReady: string[]; waitingFor: string; ready: Condition } {
  const notReady = [...result.resources.filter((r) => !r.ready).map((r) => r.name), ...(result.skipped ?? [])];
  const skippedWhy = (result.warnings ?? []).filter((w) => result.skipped?.includes(w.resource)).map((w) => w.message);
  const skippedNote = skippedWhy.length > 0 ? ` (not composed yet: ${skippedWhy.join('; ')})` : '';
  const waitingFor = `waiting for ${notReady.join(', ')}${skippedNote}`;
  return { notReady, waitingFor, ready: notReady.length === 0 ? cond('Ready', 'True', 'Available') : cond('Ready', 'False', 'Creating', waitingFor) };
}

async function report(ctx: CompositeContext, xr: Composite, result: ReturnType<typeof render>, problems: ReturnType<typeof observedProblems>): Promise<ReconcileResult> {
  for (const warning of result.warnings ?? []) ctx.recorder.warning(xr, EVENT_REASONS.composedResourceWarning, `resource "${warning.resource}": ${warning.message}`);
  const { notReady, waitingFor, ready } = compositeReadiness(result);
  const { conditions: _c, ...renderedStatus } = (result.composite.status ?? {}) as Record<string, unknown>;
  // Health (health/README.md): a composed resource's terminal error stalls the composite, named, even a Ready one
  // (its spec cannot be reached); otherwise it converges.
  const health =
    problems.stalled ? [cond('Stalled', 'True', REASONS.composedResourceFailed, problems.stalled), CLEARED.reconciling]
    : notReady.length === 0 ? [CLEARED.reconciling, CLEARED.stalled]
    : problems.waiting ? [cond('Reconciling', 'True', problems.waiting.reason, problems.waiting.message), CLEARED.stalled]
    : [cond('Reconciling', 'True', REASONS.creating, waitingFor), CLEARED.stalled];
  await writeStatus(ctx, xr, [ready, cond('Synced', 'True', 'ReconcileSuccess'), ...health], renderedStatus);
  return { requeueAfterMs: notReady.length === 0 ? ctx.timings.pollIntervalMs : ctx.timings.notReadyPollMs };
}

/** Objects read from the API server are plain JSON: the renderer's view of them, typed once here. */
function asResource(obj: KubeObject & { apiVersion: string; kind: string }): KubeResource {
  return obj as unknown as KubeResource;
}


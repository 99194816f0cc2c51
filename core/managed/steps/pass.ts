import type { Logger } from 'pino';
import { CallBudgetExhaustedError, ConfigError, describeError, TerminalError, ThrottledError, wrapError } from '../../errors/index.ts';
import { EVENT_REASONS } from '../../runtime/events/index.ts';
import type { ObjectStore, ResourceType } from '../../kube/index.ts';
import type { ReconcileResult } from '../../runtime/controller/index.ts';
import type { EventReason, EventRecorder } from '../../runtime/events/index.ts';
import type { ObjectCache } from '../../runtime/informer/index.ts';
import type { PledgeMetrics } from '../../runtime/metrics/index.ts';
import { ANNOTATIONS, parseDuration } from '../annotations.ts';
import { getCondition, Reconciling, REASONS, Stalled, Synced } from '../conditions.ts';
import type { PolicyDecision } from '../policies.ts';
import { nextStatus } from '../status.ts';
import type { CloudCallGate, Condition, ExternalClient, KubeObject, ManagedKind, ManagedResource, Observation } from '../types.ts';

export const RECONCILER_DEFAULTS = {
  pollIntervalMs: 60_000,
  /** Poll sooner while the cloud object exists but is not usable yet (e.g. an RDS instance creating). */
  notReadyPollMs: 10_000,
  pollJitter: 0.1,
  /** After a create, an eventually consistent API may not show the object yet; don't create twice. */
  creationGraceMs: 30_000,
  /** Wait between checks that a deleted cloud object is gone. */
  deletePollMs: 2_000,
  /** Check a just-created resource this soon. */
  afterCreateMs: 1_000,
} as const;

export type ReconcilerSettings = { -readonly [K in keyof typeof RECONCILER_DEFAULTS]: number };

/** What every step of one kind's reconciler may use; built once per kind. */
export interface ReconcileDeps {
  kind: ManagedKind;
  type: ResourceType;
  store: ObjectStore;
  recorder: EventRecorder;
  metrics: PledgeMetrics;
  settings: ReconcilerSettings;
  getProviderConfig(name: string, namespace?: string, kind?: string): KubeObject | undefined;
  /** The call gate (token bucket + metrics) of a ProviderConfig, for one reconcile of the named resource. */
  cloudCalls(providerConfigName: string, resourceName: string): CloudCallGate;
  /** The cache of another managed kind, for references. */
  cacheOf(type: ResourceType): ObjectCache<ManagedResource>;
  random(): number;
  now(): Date;
}

/** One reconcile in progress: the resource as last written, and what the steps so far learned. */
export interface Pass {
  mr: ManagedResource;
  log: Logger;
  signal: AbortSignal;
  policy: PolicyDecision;
  external?: ExternalClient<unknown, unknown>;
  observation?: Observation<unknown, unknown>;
  /** Connection details gathered by create, observe and update, published together. */
  details: Record<string, string>;
  /**
   * mr carries metadata not written yet (finalizer, external name): the next metadata write takes it
   * along, so a new resource costs one write before its create, not two.
   */
  unsaved?: boolean;
}

export type Decision = { next: Pass } | { done: ReconcileResult };
export type Step = (deps: ReconcileDeps, pass: Pass) => Promise<Decision>;

export const next = (pass: Pass): Decision => ({ next: pass });
export const done = (result: ReconcileResult = {}): Decision => ({ done: result });

export function jittered(deps: ReconcileDeps, ms: number): number {
  const j = deps.settings.pollJitter;
  return Math.round(ms * (1 + j * (2 * deps.random() - 1)));
}

/** The resource's own poll interval (annotation) or the controller's. */
export function pollInterval(deps: ReconcileDeps, mr: ManagedResource): number {
  const raw = mr.metadata.annotations?.[ANNOTATIONS.pollInterval];
  const parsed = raw ? parseDuration(raw) : undefined;
  return parsed && parsed > 0 ? parsed : deps.settings.pollIntervalMs;
}

export async function writeMetadata(deps: ReconcileDeps, mr: ManagedResource): Promise<ManagedResource> {
  return deps.store.replace(deps.type, mr);
}

/** Writes the pass's resource (with any unsaved metadata) and returns the pass with what was written. */
export async function save(deps: ReconcileDeps, pass: Pass, mr: ManagedResource = pass.mr): Promise<Pass> {
  return { ...pass, mr: await writeMetadata(deps, mr), unsaved: false };
}

/** Writes status only when it differs; observes time-to-ready on the first Ready=True. */
export async function writeStatus(deps: ReconcileDeps, mr: ManagedResource, conditions: Condition[], atProvider?: Record<string, unknown>, observed = true): Promise<ManagedResource> {
  const status = nextStatus(mr, conditions, atProvider === undefined ? {} : { atProvider }, deps.now(), observed);
  if (!status) return mr;
  const was = getCondition(mr.status?.conditions, 'Ready');
  if (getCondition(status.conditions, 'Ready')?.status === 'True' && was?.status !== 'True' && was?.reason !== 'Unavailable') {
    const born = Date.parse(mr.metadata.creationTimestamp ?? '');
    if (!Number.isNaN(born)) deps.metrics.timeToReadySeconds.observe({ kind: deps.kind.gvk.kind }, (deps.now().getTime() - born) / 1000);
  }
  return deps.store.replaceStatus(deps.type, { ...mr, status });
}

/**
 * What a failure means for health (health/README.md): Synced=False with a reason per class; a terminal
 * one is Stalled (no progress without a change), any other keeps the resource Reconciling.
 */
export function failureConditions(err: unknown, event: EventReason, message: string): Condition[] {
  if (err instanceof TerminalError) return [Synced.failed(REASONS.terminalError, message), Stalled.because(REASONS.terminalError, message), Reconciling.done()];
  const reason =
    err instanceof ThrottledError ? REASONS.throttled
    : event === EVENT_REASONS.cannotResolveReferences ? REASONS.referencesNotReady
    : err instanceof ConfigError ? REASONS.configNotReady
    : REASONS.reconcileError;
  return [Synced.failed(reason, message), Reconciling.because(reason, message), Stalled.clear()];
}

/**
 * Records a failed step: a Warning event, Synced=False with the cloud's message, and a result that
 * retries with backoff — at the poll interval for a TerminalError (the user must change something;
 * never a hot loop). A budget wait of our own is not a failure: it only requeues.
 */
export async function fail(deps: ReconcileDeps, pass: Pass, failure: { reason: EventReason; step: string; err: unknown; ready?: Condition }): Promise<Decision> {
  const wrapped = wrapError(failure.err, `${failure.step} failed`);
  if (wrapped instanceof CallBudgetExhaustedError) {
    // Nothing was sent (core/manager/cloud-gates.ts): no event, no status; the key comes back at its turn.
    pass.log.debug({ step: failure.step, retryAfterMs: wrapped.retryAfterMs }, 'call budget spent, requeue');
    return done({ error: wrapped });
  }
  const message = describeError(wrapped);
  pass.log.info({ err: wrapped, reason: failure.reason }, message);
  deps.recorder.warning(pass.mr, failure.reason, message);
  const conditions = failureConditions(wrapped, failure.reason, message);
  await writeStatus(deps, pass.mr, failure.ready ? [failure.ready, ...conditions] : conditions);
  if (wrapped instanceof TerminalError) return done({ requeueAfterMs: jittered(deps, pollInterval(deps, pass.mr)) });
  return done({ error: wrapped });
}

import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { CallBudgetExhaustedError, ConfigError, describeError, TerminalError, wrapError } from '../errors/index.ts';
import { isConflict, type KubeClient, type ResourceType } from '../kube/index.ts';
import type { ReconcileResult, Reconciler } from '../runtime/controller/index.ts';
import type { EventRecorder } from '../runtime/events/index.ts';
import { createMetrics, type PledgeMetrics } from '../runtime/metrics/index.ts';
import { ANNOTATIONS, createdAt, createOutcomeUnknown, externalNameOf, isPaused, parseDuration } from './annotations.ts';
import { getCondition, Ready, REASONS, setConditions, Synced } from './conditions.ts';
import { deleteConnectionSecret, readConnectionDetails, writeConnectionSecret } from './connection-secret.ts';
import { EVENT_REASONS } from './events.ts';
import { hasFinalizer, withFinalizer, withoutFinalizer } from './finalizer.ts';
import { managementPolicies } from './policies.ts';
import { crashPoint } from './crash-points.ts';
import { resolveReferences } from './references.ts';
import type { CloudCallGate, Condition, ConnectContext, ExternalClient, KubeObject, ManagedKind, ManagedResource, Observation, SecretKeySelector } from './types.ts';

export const RECONCILER_DEFAULTS = {
  pollIntervalMs: 60_000,
  /** Poll sooner while the cloud object exists but is not usable yet (e.g. an RDS instance creating). */
  notReadyPollMs: 10_000,
  pollJitter: 0.1,
  /** After a create, an eventually consistent API may not show the object yet; don't create twice. */
  creationGraceMs: 30_000,
  /** Wait between checks that a deleted cloud object is gone. */
  deletePollMs: 2_000,
  conflictRequeueMs: 200,
  /** How soon a resource waiting for a referenced resource checks again. */
  referenceWaitMs: 2_000,
} as const;

export interface ManagedReconcilerOptions {
  kind: ManagedKind;
  type: ResourceType;
  client: KubeClient;
  /** Reads the managed resource from the informer cache. */
  getManaged(name: string): ManagedResource | undefined;
  /** Reads a ProviderConfig by name (of the kind's provider). */
  getProviderConfig(name: string): KubeObject | undefined;
  /** The call gate (token bucket + metrics) of a ProviderConfig, by name, for one reconcile of the named resource. */
  cloudCalls(providerConfigName: string, resourceName: string): CloudCallGate;
  recorder: EventRecorder;
  logger: Logger;
  metrics?: PledgeMetrics;
  pollIntervalMs?: number;
  notReadyPollMs?: number;
  pollJitter?: number;
  creationGraceMs?: number;
  deletePollMs?: number;
  random?: () => number;
  now?: () => Date;
}

type Settings = Required<Pick<ManagedReconcilerOptions, Exclude<keyof typeof RECONCILER_DEFAULTS, 'conflictRequeueMs' | 'referenceWaitMs'> | 'random' | 'now'>> & {
  conflictRequeueMs: number;
  referenceWaitMs: number;
};

/** Outcome of a step that ends the reconcile (already recorded in status and events). */
class StepDone {
  readonly result: ReconcileResult;
  constructor(result: ReconcileResult) {
    this.result = result;
  }
}

/**
 * The managed-resource reconciler: every policy lives here, once, for every provider's kinds.
 * Each reconcile runs the named steps in order; a step either returns the (possibly updated) resource
 * or throws StepDone with the result.
 */
export function createManagedReconciler(options: ManagedReconcilerOptions): Reconciler {
  const s: Settings = {
    ...RECONCILER_DEFAULTS,
    random: Math.random,
    now: () => new Date(),
    ...definedOnly(options),
  } as Settings;
  for (const field of ['pollIntervalMs', 'notReadyPollMs', 'creationGraceMs', 'deletePollMs'] as const) {
    if (!(s[field] > 0)) throw new ConfigError(`${field} must be > 0, got ${s[field]}`);
  }
  if (!(s.pollJitter >= 0 && s.pollJitter < 1)) throw new ConfigError(`pollJitter must be in [0, 1), got ${s.pollJitter}`);
  const { kind, type, client, recorder } = options;
  const metrics = options.metrics ?? createMetrics({ defaultMetrics: false });

  const jittered = (ms: number) => Math.round(ms * (1 + s.pollJitter * (2 * s.random() - 1)));

  function pollInterval(mr: ManagedResource): number {
    const raw = mr.metadata.annotations?.[ANNOTATIONS.pollInterval];
    const parsed = raw ? parseDuration(raw) : undefined;
    return parsed && parsed > 0 ? parsed : s.pollIntervalMs;
  }

  async function writeMetadata(mr: ManagedResource): Promise<ManagedResource> {
    return client.replace(type, mr);
  }

  /** Writes status only when it differs from what the object already has. */
  async function writeStatus(mr: ManagedResource, conditions: Condition[], atProvider?: Record<string, unknown>): Promise<ManagedResource> {
    const status = { ...(mr.status ?? {}) };
    status.conditions = setConditions(status.conditions, conditions, mr.metadata.generation, s.now());
    if (atProvider !== undefined) status.atProvider = atProvider;
    if (isDeepStrictEqual(status, mr.status ?? {})) return mr;
    const wasReady = getCondition(mr.status?.conditions, 'Ready');
    if (getCondition(status.conditions, 'Ready')?.status === 'True' && wasReady?.status !== 'True' && wasReady?.reason !== 'Unavailable') {
      const born = Date.parse(mr.metadata.creationTimestamp ?? '');
      if (!Number.isNaN(born)) metrics.timeToReadySeconds.observe({ kind: kind.gvk.kind }, (s.now().getTime() - born) / 1000);
    }
    return client.replaceStatus(type, { ...mr, status });
  }

  /** Records a failure: Warning event, Synced=False with the cloud's message, and the error for backoff. */
  async function fail(mr: ManagedResource, log: Logger, reason: string, step: string, err: unknown, ready?: Condition, retryAfterMs?: number): Promise<never> {
    const wrapped = wrapError(err, `${step} failed`);
    // Our own call budget for the ProviderConfig is spent and the call was not sent (core/manager/cloud-gates.ts): not a
    // cloud failure, so no event and no status. The controller requeues the key after retryAfterMs, freeing the worker.
    if (wrapped instanceof CallBudgetExhaustedError) {
      log.debug({ step, retryAfterMs: wrapped.retryAfterMs }, 'call budget spent, requeue');
      throw wrapped;
    }
    const message = describeError(wrapped);
    log.info({ err: wrapped, reason }, message);
    recorder.warning(mr, reason, message);
    await writeStatus(mr, ready ? [ready, Synced.error(message)] : [Synced.error(message)]);
    if (retryAfterMs !== undefined) throw new StepDone({ requeueAfterMs: retryAfterMs });
    if (wrapped instanceof TerminalError) {
      // The user must change something; check again at the poll interval, never in a hot loop.
      throw new StepDone({ requeueAfterMs: jittered(pollInterval(mr)) });
    }
    throw wrapped;
  }

  async function connect(mr: ManagedResource, log: Logger, signal: AbortSignal): Promise<ExternalClient<unknown, unknown>> {
    const configName = mr.spec.providerConfigRef?.name ?? 'default';
    try {
      const providerConfig = options.getProviderConfig(configName);
      if (!providerConfig) throw new ConfigError(`ProviderConfig "${configName}" (spec.providerConfigRef.name) not found`);
      const ctx: ConnectContext = {
        providerConfig,
        readSecret: (ref, sig) => readSecret(client, ref, sig),
        connectionDetails: await readConnectionDetails(client, mr),
        // The resource's name lets the gate keep its turn when the budget sends it away.
        calls: options.cloudCalls(configName, mr.metadata.name),
        signal,
      };
      return await kind.connect(mr, ctx);
    } catch (err: unknown) {
      return fail(mr, log, EVENT_REASONS.cannotConnect, 'connect', err);
    }
  }

  async function deletePath(mr: ManagedResource, log: Logger, signal: AbortSignal): Promise<ReconcileResult> {
    if (!hasFinalizer(mr)) return {};
    const policy = managementPolicies(mr);
    if (policy.delete) {
      const external = await connect(mr, log, signal);
      let observation: Observation<unknown, unknown>;
      try {
        observation = await external.observe(mr, signal);
      } catch (err: unknown) {
        return fail(mr, log, EVENT_REASONS.cannotObserve, 'observe', err);
      }
      if (observation.exists) {
        try {
          await external.delete(mr, signal);
        } catch (err: unknown) {
          return fail(mr, log, EVENT_REASONS.cannotDelete, 'delete', err, Ready.deleting());
        }
        // A cloud delete can take a while; say so once, not at every check.
        if (getCondition(mr.status?.conditions, 'Ready')?.reason !== REASONS.deleting) {
          log.info('deleting external resource');
          recorder.normal(mr, EVENT_REASONS.deletedExternal, `deleting ${kind.gvk.kind} ${externalNameOf(mr) ?? mr.metadata.name}`);
        }
        await writeStatus(mr, [Ready.deleting(), Synced.success()]);
        // Come back to confirm it is gone before the finalizer goes.
        return { requeueAfterMs: s.deletePollMs };
      }
    } else {
      log.info('orphaning external resource');
      recorder.normal(mr, EVENT_REASONS.orphaned, 'external resource kept (deletionPolicy Orphan or managementPolicies without Delete)');
    }
    await deleteConnectionSecret(client, mr);
    const released = withoutFinalizer(mr);
    if (released) await writeMetadata(released);
    log.info('finalizer removed');
    return {};
  }

  async function initialize(mr: ManagedResource): Promise<ManagedResource> {
    let next = withFinalizer(mr) ?? mr;
    if (kind.deterministicExternalName && !externalNameOf(next)) {
      next = { ...next, metadata: { ...next.metadata, annotations: { ...next.metadata.annotations, [ANNOTATIONS.externalName]: next.metadata.name } } };
    }
    return next === mr ? mr : writeMetadata(next);
  }

  /** Writes annotations that must not be lost, re-reading the object on conflicts. */
  async function recordAnnotations(mr: ManagedResource, annotations: Record<string, string>): Promise<ManagedResource> {
    let current = mr;
    for (let attempt = 0; ; attempt++) {
      try {
        return await writeMetadata({ ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, ...annotations } } });
      } catch (err: unknown) {
        if (!isConflict(err) || attempt >= 5) throw err;
        const fresh = await client.get<ManagedResource>(type, current.metadata.name);
        if (!fresh) throw err;
        current = fresh;
      }
    }
  }

  async function create(mr: ManagedResource, external: ExternalClient<unknown, unknown>, log: Logger, signal: AbortSignal): Promise<ReconcileResult> {
    const stamp = () => s.now().toISOString();
    // Written before the cloud call with optimistic concurrency: a stale cache fails here, not in the cloud.
    let current = await writeMetadata({
      ...mr,
      metadata: { ...mr.metadata, annotations: { ...mr.metadata.annotations, [ANNOTATIONS.createPending]: stamp() } },
    });
    let result;
    crashPoint('before-create');
    try {
      result = await external.create(current, signal);
      crashPoint('after-create');
    } catch (err: unknown) {
      current = await recordAnnotations(current, { [ANNOTATIONS.createFailed]: stamp() });
      return fail(current, log, EVENT_REASONS.cannotCreate, 'create', err, Ready.creating());
    }
    const annotations: Record<string, string> = { [ANNOTATIONS.createSucceeded]: stamp() };
    if (result.externalName) annotations[ANNOTATIONS.externalName] = result.externalName;
    current = await recordAnnotations(current, annotations);
    crashPoint('after-create-recorded');
    // Right after create: a generated password exists nowhere else.
    const keys = await publishConnectionDetails(current, log, result.connectionDetails ?? {});
    log.info({ externalName: externalNameOf(current), connectionKeys: keys }, 'created external resource');
    recorder.normal(current, EVENT_REASONS.createdExternal, `created ${kind.gvk.kind} ${externalNameOf(current) ?? ''}`.trim());
    await writeStatus(current, [Ready.creating(), Synced.success()]);
    return { requeueAfterMs: 1_000 };
  }

  async function publishConnectionDetails(mr: ManagedResource, log: Logger, details: Record<string, string>): Promise<string[]> {
    try {
      return await writeConnectionSecret(client, mr, details);
    } catch (err: unknown) {
      return fail(mr, log, EVENT_REASONS.cannotPublishConnection, 'write connection secret', err);
    }
  }

  /** Fills unset forProvider fields from what the cloud reports, and persists them. */
  async function lateInitialize(mr: ManagedResource, lateInit: Record<string, unknown> | undefined, log: Logger): Promise<ManagedResource> {
    if (!lateInit) return mr;
    const forProvider = { ...(mr.spec.forProvider as Record<string, unknown>) };
    const filled = Object.keys(lateInit).filter((k) => forProvider[k] === undefined && lateInit[k] !== undefined);
    if (filled.length === 0) return mr;
    for (const k of filled) forProvider[k] = lateInit[k];
    const written = await writeMetadata({ ...mr, spec: { ...mr.spec, forProvider } });
    log.info({ fields: filled }, 'late-initialized');
    return written;
  }

  async function reconcileOnce(name: string, signal: AbortSignal): Promise<ReconcileResult> {
    const cached = options.getManaged(name);
    if (!cached) return {};
    let mr = structuredClone(cached);
    const log = options.logger.child({
      kind: kind.gvk.kind,
      name,
      uid: mr.metadata.uid,
      resourceVersion: mr.metadata.resourceVersion,
      externalName: externalNameOf(mr),
    });

    if (isPaused(mr)) {
      log.debug('paused');
      await writeStatus(mr, [Synced.paused()]);
      return {};
    }
    if (mr.metadata.deletionTimestamp) return deletePath(mr, log, signal);

    const policy = managementPolicies(mr);
    mr = await initialize(mr);
    if (kind.references?.length) {
      try {
        const resolved = await resolveReferences(client, kind.references, mr);
        if (resolved.changed) mr = await writeMetadata(resolved.mr);
      } catch (err: unknown) {
        if (isConflict(err)) throw err;
        // Waiting on another resource is not a failure to back off from: check again soon.
        return fail(mr, log, EVENT_REASONS.cannotResolveReferences, 'resolve references', err, undefined, s.referenceWaitMs);
      }
    }
    if (createOutcomeUnknown(mr) && !kind.deterministicExternalName) {
      const message =
        `a create was started at ${mr.metadata.annotations?.[ANNOTATIONS.createPending]} but its result was never recorded, ` +
        `and ${kind.gvk.kind} names are chosen by the cloud: check the cloud for a resource made then; if it exists set the ` +
        `${ANNOTATIONS.externalName} annotation to its name, otherwise remove the ${ANNOTATIONS.createPending} annotation`;
      log.info(message);
      recorder.warning(mr, EVENT_REASONS.createOutcomeUnknown, message);
      await writeStatus(mr, [Synced.error(message)]);
      return {};
    }

    const external = await connect(mr, log, signal);
    let observation: Observation<unknown, unknown>;
    try {
      observation = await external.observe(mr, signal);
    } catch (err: unknown) {
      return fail(mr, log, EVENT_REASONS.cannotObserve, 'observe', err);
    }

    if (!observation.exists) {
      if (!policy.create) {
        await writeStatus(mr, [Ready.unavailable('external resource does not exist and managementPolicies do not allow Create'), Synced.success()]);
        return { requeueAfterMs: jittered(pollInterval(mr)) };
      }
      const sinceCreate = s.now().getTime() - createdAt(mr);
      if (sinceCreate < s.creationGraceMs) {
        log.debug({ sinceCreate }, 'created recently, waiting for the cloud to show it');
        return { requeueAfterMs: Math.min(s.notReadyPollMs, s.creationGraceMs - sinceCreate) };
      }
      return create(mr, external, log, signal);
    }

    if (policy.lateInitialize) mr = await lateInitialize(mr, observation.lateInit as Record<string, unknown> | undefined, log);

    let details = observation.connectionDetails ?? {};
    if (observation.upToDate === false && policy.update) {
      try {
        const updated = await external.update(mr, signal);
        details = { ...details, ...updated.connectionDetails };
      } catch (err: unknown) {
        return fail(mr, log, EVENT_REASONS.cannotUpdate, 'update', err);
      }
      const diff = observation.diff ? `: ${observation.diff}` : '';
      log.info({ diff: observation.diff }, 'updated external resource');
      recorder.normal(mr, EVENT_REASONS.updatedExternal, `updated ${kind.gvk.kind} ${externalNameOf(mr) ?? ''}${diff}`);
    }

    const published = await publishConnectionDetails(mr, log, details);
    if (published.length > 0) log.info({ connectionKeys: published }, 'connection secret written');

    const ready = observation.ready ?? true;
    await writeStatus(mr, [ready ? Ready.available() : Ready.creating(), Synced.success()], observation.atProvider as Record<string, unknown> | undefined);
    const waitMs = ready ? jittered(pollInterval(mr)) : Math.min(s.notReadyPollMs, pollInterval(mr));
    log.debug({ waitMs, upToDate: observation.upToDate !== false }, 'observed, requeue');
    return { requeueAfterMs: waitMs };
  }

  return {
    async reconcile(name, signal) {
      try {
        return await reconcileOnce(name, signal);
      } catch (err: unknown) {
        if (err instanceof StepDone) return err.result;
        if (isConflict(err)) return { requeueAfterMs: s.conflictRequeueMs };
        throw err;
      }
    },
  };
}

async function readSecret(client: KubeClient, ref: SecretKeySelector, _signal: AbortSignal): Promise<string> {
  const secret = await client.getSecret(ref.namespace, ref.name);
  if (!secret) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} not found`);
  const value = secret.data?.[ref.key];
  if (value === undefined) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} has no key "${ref.key}"`);
  return Buffer.from(value, 'base64').toString('utf8');
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

import { setTimeout as delay } from 'node:timers/promises';
import { ThrottledError } from '../../errors/index.ts';
import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { ANNOTATIONS, createdAt, externalNameOf } from '../annotations.ts';
import { Ready, Reconciling, REASONS, Stalled, Synced } from '../conditions.ts';
import { crashPoint } from '../crash-points.ts';
import { isConflict, isNotFound } from '../../kube/index.ts';
import type { CreateResult, ManagedResource } from '../types.ts';
import { publishConnectionDetails } from './publish-connection.ts';
import { done, fail, jittered, next, pollInterval, writeMetadata, writeStatus, type Decision, type Pass, type ReconcileDeps, type Step } from './pass.ts';

/** The object a create was for is no longer there: deleted (`replaced` false), or deleted and made again. */
class ObjectGoneError extends Error {
  readonly replaced: boolean;
  constructor(replaced: boolean) {
    super(replaced ? 'the object was deleted and made again' : 'the object was deleted');
    this.replaced = replaced;
  }
}

/** Writes annotations that must not be lost, re-reading the object on conflicts; never onto another object of its name. */
async function recordAnnotations(deps: ReconcileDeps, mr: ManagedResource, annotations: Record<string, string>): Promise<ManagedResource> {
  let current = mr;
  for (let attempt = 0; ; attempt++) {
    try {
      return await writeMetadata(deps, { ...current, metadata: { ...current.metadata, annotations: { ...current.metadata.annotations, ...annotations } } });
    } catch (err: unknown) {
      if (isNotFound(err)) throw new ObjectGoneError(false);
      if (!isConflict(err) || attempt >= 5) throw err;
      const fresh = await deps.store.get<ManagedResource>(deps.type, current.metadata.name, current.metadata.namespace);
      if (!fresh || fresh.metadata.uid !== mr.metadata.uid) throw new ObjectGoneError(fresh !== undefined);
      current = fresh;
    }
  }
}

const UNDO_ATTEMPTS = 5;

/**
 * The object was deleted while its create was in flight: the API server lets a delete that read the object before
 * its finalizer was written remove it anyway. Nothing will reconcile it again, so the external resource just made is
 * deleted here (kept under deletionPolicy Orphan, or for a new object of the same name, which will adopt it).
 */
async function undoCreate(pass: Pass, mr: ManagedResource, external: NonNullable<Pass['external']>, replaced: boolean): Promise<Decision> {
  const externalName = externalNameOf(mr) ?? mr.metadata.name;
  if (replaced || !pass.policy.delete) {
    const why = replaced ? 'a new object of its name will adopt it' : 'deletionPolicy Orphan or managementPolicies without Delete';
    pass.log.warn({ externalName }, `deleted while its external resource was being created; external resource kept (${why})`);
    return done();
  }
  for (let attempt = 1; ; attempt++) {
    try {
      await external.delete(mr, pass.signal);
      pass.log.warn({ externalName }, 'deleted while its external resource was being created; deleting the external resource');
      return done();
    } catch (err: unknown) {
      if (attempt >= UNDO_ATTEMPTS || pass.signal.aborted) {
        pass.log.error({ err, externalName }, 'deleted while its external resource was being created, and the external resource could not be deleted: delete it in the cloud');
        return done();
      }
      await delay(err instanceof ThrottledError ? err.retryAfterMs : 1_000 * 2 ** (attempt - 1), undefined, { signal: pass.signal }).catch(() => undefined);
    }
  }
}

/**
 * Crash-safe create: the pending annotation is written before the cloud call (with optimistic
 * concurrency, so a stale cache fails here, not in the cloud), and the outcome right after it.
 */
async function create(deps: ReconcileDeps, pass: Pass): Promise<Decision> {
  const stamp = () => deps.now().toISOString();
  const external = pass.external;
  if (!external) throw new TypeError('create needs a connected client');
  // Carries what initialize added (finalizer, external name): one write before the cloud call.
  let mr = await writeMetadata(deps, { ...pass.mr, metadata: { ...pass.mr.metadata, annotations: { ...pass.mr.metadata.annotations, [ANNOTATIONS.createPending]: stamp() } } });
  let result: CreateResult;
  crashPoint('before-create');
  try {
    result = await external.create(mr, pass.signal);
    crashPoint('after-create');
  } catch (err: unknown) {
    mr = await recordAnnotations(deps, mr, { [ANNOTATIONS.createFailed]: stamp() });
    return fail(deps, { ...pass, mr }, { reason: EVENT_REASONS.cannotCreate, step: 'create', err, ready: Ready.creating() });
  }
  const annotations: Record<string, string> = { [ANNOTATIONS.createSucceeded]: stamp() };
  if (result.externalName) annotations[ANNOTATIONS.externalName] = result.externalName;
  try {
    mr = await recordAnnotations(deps, mr, annotations);
  } catch (err: unknown) {
    if (!(err instanceof ObjectGoneError)) throw err;
    return undoCreate(pass, { ...mr, metadata: { ...mr.metadata, annotations: { ...mr.metadata.annotations, ...annotations } } }, external, err.replaced);
  }
  crashPoint('after-create-recorded');
  // Right after create: a generated password exists nowhere else.
  const published = await publishConnectionDetails(deps, { ...pass, mr }, { ...pass.details, ...result.connectionDetails });
  if (!('keys' in published)) return published;
  pass.log.info({ externalName: externalNameOf(mr), connectionKeys: published.keys }, 'created external resource');
  deps.recorder.normal(mr, EVENT_REASONS.createdExternal, `created ${deps.kind.gvk.kind} ${externalNameOf(mr) ?? ''}`.trim());
  return observeCreated(deps, { ...pass, mr, unsaved: false, details: { ...pass.details, ...result.connectionDetails } }, external);
}

/**
 * Looks at what was just made, in the same reconcile: when the cloud shows it, the rest of the steps
 * report it (often Ready at once: one status write, not two, and no second reconcile). An eventually
 * consistent cloud that does not show it yet, or fails to say, is asked again shortly.
 */
async function observeCreated(deps: ReconcileDeps, pass: Pass, external: NonNullable<Pass['external']>): Promise<Decision> {
  try {
    const observation = await external.observe(pass.mr, pass.signal);
    if (observation.exists) return next({ ...pass, observation, details: { ...pass.details, ...observation.connectionDetails } });
  } catch (err: unknown) {
    pass.log.debug({ err }, 'observe right after create failed; checking again shortly');
  }
  await writeStatus(deps, pass.mr, [Ready.creating(), Synced.success(), Reconciling.because(REASONS.creating), Stalled.clear()]);
  return done({ requeueAfterMs: deps.settings.afterCreateMs });
}

/** Creates what does not exist, when the policies allow it and no create is still settling in the cloud. */
export const createIfMissing: Step = async (deps, pass) => {
  if (pass.observation?.exists) return next(pass);
  if (!pass.policy.create) {
    const why = 'external resource does not exist and managementPolicies do not allow Create';
    await writeStatus(deps, pass.mr, [Ready.unavailable(why), Synced.success(), Stalled.because(REASONS.unavailable, why), Reconciling.done()]);
    return done({ requeueAfterMs: jittered(deps, pollInterval(deps, pass.mr)) });
  }
  const sinceCreate = deps.now().getTime() - createdAt(pass.mr);
  if (sinceCreate < deps.settings.creationGraceMs) {
    pass.log.debug({ sinceCreate }, 'created recently, waiting for the cloud to show it');
    return done({ requeueAfterMs: Math.min(deps.settings.notReadyPollMs, deps.settings.creationGraceMs - sinceCreate) });
  }
  return create(deps, pass);
};

import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { externalNameOf } from '../annotations.ts';
import { getCondition, Ready, Reconciling, REASONS, Stalled, Synced } from '../conditions.ts';
import { deleteConnectionSecret } from '../connection-secret.ts';
import { hasFinalizer, withoutFinalizer } from '../finalizer.ts';
import { connect } from './connect.ts';
import { stopIfCreateOutcomeUnknown } from './create-outcome.ts';
import { observe } from './observe.ts';
import { done, fail, writeMetadata, writeStatus, type Decision, type Pass, type ReconcileDeps, type Step } from './pass.ts';

/** Asks the cloud to delete, then comes back until it is gone; says so once, not at every check. */
async function deleteExternal(deps: ReconcileDeps, pass: Pass): Promise<Decision> {
  if (!pass.external) throw new TypeError('delete needs a connected client');
  try {
    await pass.external.delete(pass.mr, pass.signal);
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotDelete, step: 'delete', err, ready: Ready.deleting() });
  }
  if (getCondition(pass.mr.status?.conditions, 'Ready')?.reason !== REASONS.deleting) {
    pass.log.info('deleting external resource');
    deps.recorder.normal(pass.mr, EVENT_REASONS.deletedExternal, `deleting ${deps.kind.gvk.kind} ${externalNameOf(pass.mr) ?? pass.mr.metadata.name}`);
  }
  await writeStatus(deps, pass.mr, [Ready.deleting(), Synced.success(), Reconciling.because(REASONS.deleting), Stalled.clear()]);
  return done({ requeueAfterMs: deps.settings.deletePollMs });
}

/** The cloud object is gone or kept: the connection secret goes, then the finalizer. */
async function release(deps: ReconcileDeps, pass: Pass): Promise<Decision> {
  await deleteConnectionSecret(deps.store, pass.mr, pass.mr.spec.writeConnectionSecretToRef);
  const released = withoutFinalizer(pass.mr);
  if (released) await writeMetadata(deps, released);
  pass.log.info('finalizer removed');
  return done();
}

/** The delete path: delete the cloud object (or orphan it, per deletionPolicy and managementPolicies), then let go. */
export const deleteOrOrphan: Step = async (deps, pass) => {
  if (!hasFinalizer(pass.mr)) return done();
  if (!pass.policy.delete) {
    pass.log.info('orphaning external resource');
    deps.recorder.normal(pass.mr, EVENT_REASONS.orphaned, 'external resource kept (deletionPolicy Orphan or managementPolicies without Delete)');
    return release(deps, pass);
  }
  // Without its name, observe would report a cloud object it cannot find as gone, and letting go would leak it.
  const known = await stopIfCreateOutcomeUnknown(deps, pass);
  if ('done' in known) return known;
  const connected = await connect(deps, pass);
  if ('done' in connected) return connected;
  const observed = await observe(deps, connected.next);
  if ('done' in observed) return observed;
  if (observed.next.observation?.exists) return deleteExternal(deps, observed.next);
  return release(deps, observed.next);
};

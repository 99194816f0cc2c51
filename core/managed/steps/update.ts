import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { externalNameOf } from '../annotations.ts';
import { fail, next, type Step } from './pass.ts';

/** Puts drift back: when the cloud differs from forProvider and the policies allow Update. */
export const updateIfDrifted: Step = async (deps, pass) => {
  const { observation, external } = pass;
  if (observation?.upToDate !== false || !pass.policy.update || !external) return next(pass);
  let details = pass.details;
  try {
    const updated = await external.update(pass.mr, pass.signal);
    details = { ...details, ...updated.connectionDetails };
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotUpdate, step: 'update', err });
  }
  const diff = observation.diff ? `: ${observation.diff}` : '';
  pass.log.info({ diff: observation.diff }, 'updated external resource');
  deps.recorder.normal(pass.mr, EVENT_REASONS.updatedExternal, `updated ${deps.kind.gvk.kind} ${externalNameOf(pass.mr) ?? ''}${diff}`);
  return next({ ...pass, details });
};

import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { ANNOTATIONS, createOutcomeUnknown } from '../annotations.ts';
import { TerminalError } from '../../errors/index.ts';
import { done, failureConditions, next, writeStatus, type Step } from './pass.ts';

/**
 * A create whose result was never recorded, for a kind whose names the cloud chooses: creating again
 * could leak a second cloud object, so stop and ask a person. Removing the pending annotation (as the
 * message says) is a change of the object and wakes it again.
 */
export const stopIfCreateOutcomeUnknown: Step = async (deps, pass) => {
  const { mr } = pass;
  if (!createOutcomeUnknown(mr) || deps.kind.deterministicExternalName) return next(pass);
  const kind = deps.kind.gvk.kind;
  const message =
    `a create was started at ${mr.metadata.annotations?.[ANNOTATIONS.createPending]} but its result was never recorded, ` +
    `and ${kind} names are chosen by the cloud: check the cloud for a resource made then; if it exists set the ` +
    `${ANNOTATIONS.externalName} annotation to its name, otherwise remove the ${ANNOTATIONS.createPending} annotation`;
  pass.log.info(message);
  deps.recorder.warning(mr, EVENT_REASONS.createOutcomeUnknown, message);
  // Stalled: only a person can tell what the cloud holds.
  await writeStatus(deps, mr, failureConditions(new TerminalError(message), EVENT_REASONS.createOutcomeUnknown, message));
  return done();
};

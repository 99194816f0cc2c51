import { isPaused } from '../annotations.ts';
import { settled, Synced } from '../conditions.ts';
import { done, next, writeStatus, type Step } from './pass.ts';

/**
 * A paused resource is left alone entirely (deletion included) until the annotation goes. Its spec is not
 * acted on, so status.observedGeneration stays where it was: a change made while paused shows as not observed.
 */
export const stopIfPaused: Step = async (deps, pass) => {
  if (!isPaused(pass.mr)) return next(pass);
  pass.log.debug('paused');
  await writeStatus(deps, pass.mr, [Synced.paused(), ...settled()], undefined, false);
  return done();
};

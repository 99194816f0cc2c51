import { isPaused } from '../annotations.ts';
import { Synced } from '../conditions.ts';
import { done, next, writeStatus, type Step } from './pass.ts';

/** A paused resource is left alone entirely (deletion included) until the annotation goes. */
export const stopIfPaused: Step = async (deps, pass) => {
  if (!isPaused(pass.mr)) return next(pass);
  pass.log.debug('paused');
  await writeStatus(deps, pass.mr, [Synced.paused()]);
  return done();
};

import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { fail, next, type Step } from './pass.ts';

/** Asks the cloud what exists; the observation is data, the next steps decide. */
export const observe: Step = async (deps, pass) => {
  if (!pass.external) throw new TypeError('observe needs a connected client');
  try {
    const observation = await pass.external.observe(pass.mr, pass.signal);
    return next({ ...pass, observation, details: { ...pass.details, ...observation.connectionDetails } });
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotObserve, step: 'observe', err });
  }
};

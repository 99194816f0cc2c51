import { Ready, Synced } from '../conditions.ts';
import { done, jittered, pollInterval, writeStatus, type Step } from './pass.ts';

/** Ready and Synced from the observation, atProvider written; back at the poll interval, sooner while not ready. */
export const reportObserved: Step = async (deps, pass) => {
  const observation = pass.observation;
  const ready = observation?.ready ?? true;
  await writeStatus(deps, pass.mr, [ready ? Ready.available() : Ready.creating(), Synced.success()], observation?.atProvider as Record<string, unknown> | undefined);
  const interval = pollInterval(deps, pass.mr);
  const waitMs = ready ? jittered(deps, interval) : Math.min(deps.settings.notReadyPollMs, interval);
  pass.log.debug({ waitMs, upToDate: observation?.upToDate !== false }, 'observed, requeue');
  return done({ requeueAfterMs: waitMs });
};

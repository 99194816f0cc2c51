import { Ready, Reconciling, REASONS, settled, Stalled, Synced } from '../conditions.ts';
import { done, jittered, pollInterval, writeStatus, type Step } from './pass.ts';

/** The soonest a provider's recheckAfterMs brings a resource back: a provider answering 0 again and again is no hot loop. */
export const MIN_RECHECK_MS = 100;

/** Ready and Synced from the observation, atProvider written; back at the poll interval, sooner while not ready. */
export const reportObserved: Step = async (deps, pass) => {
  const observation = pass.observation;
  const ready = observation?.ready ?? true;
  const own = (observation?.conditions ?? []).filter((c) => c.type !== 'Ready' && c.type !== 'Synced');
  const health = ready ? [Ready.available(), ...settled()] : [Ready.creating(), Reconciling.because(REASONS.creating), Stalled.clear()];
  await writeStatus(deps, pass.mr, [...health, Synced.success(), ...own], observation?.atProvider as Record<string, unknown> | undefined);
  const interval = pollInterval(deps, pass.mr);
  const usualMs = ready ? jittered(deps, interval) : Math.min(deps.settings.notReadyPollMs, interval);
  const recheckMs = observation?.recheckAfterMs;
  // Not jittered: the moment is the provider's to name (a condition due at creation + 3 s).
  const waitMs = recheckMs === undefined || Number.isNaN(recheckMs) ? usualMs : Math.min(usualMs, Math.max(MIN_RECHECK_MS, Math.ceil(recheckMs)));
  pass.log.debug({ waitMs, upToDate: observation?.upToDate !== false }, 'observed, requeue');
  return done({ requeueAfterMs: waitMs });
};

import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { writeConnectionSecret } from '../connection-secret.ts';
import { fail, next, type Decision, type Pass, type ReconcileDeps, type Step } from './pass.ts';

/** Writes the connection secret when its content changed; returns the key names written (never values). */
export async function publishConnectionDetails(deps: ReconcileDeps, pass: Pass, details: Record<string, string>): Promise<Decision | { keys: string[] }> {
  try {
    return { keys: await writeConnectionSecret(deps.store, pass.mr, pass.mr.spec.writeConnectionSecretToRef, details) };
  } catch (err: unknown) {
    return fail(deps, pass, { reason: EVENT_REASONS.cannotPublishConnection, step: 'write connection secret', err });
  }
}

export const publishConnection: Step = async (deps, pass) => {
  const published = await publishConnectionDetails(deps, pass, pass.details);
  if (!('keys' in published)) return published;
  if (published.keys.length > 0) pass.log.info({ connectionKeys: published.keys }, 'connection secret written');
  return next(pass);
};

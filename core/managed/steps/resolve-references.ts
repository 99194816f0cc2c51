import { EVENT_REASONS } from '../../runtime/events/index.ts';
import { resolveReferences } from '../references.ts';
import { fail, next, save, type Step } from './pass.ts';

/**
 * Fills referencing fields from the referenced resources (read from their caches). Waiting for one
 * to exist or become Ready is reported on Synced and retried with the key's backoff.
 */
export const resolveReferencesStep: Step = async (deps, pass) => {
  const refs = deps.kind.references;
  if (!refs?.length) return next(pass);
  const resolved = resolveReferences(deps.cacheOf, refs, pass.mr);
  if ('waiting' in resolved) return fail(deps, pass, { reason: EVENT_REASONS.cannotResolveReferences, step: 'resolve references', err: resolved.waiting });
  if (!resolved.changed) return next(pass);
  return next(await save(deps, pass, resolved.mr));
};

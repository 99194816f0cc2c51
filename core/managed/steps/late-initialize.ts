import { next, save, type Step } from './pass.ts';

/** Fills unset forProvider fields from what the cloud reports, and persists them; set fields are never overwritten. */
export const lateInitialize: Step = async (deps, pass) => {
  const lateInit = pass.observation?.lateInit as Record<string, unknown> | undefined;
  if (!pass.policy.lateInitialize || !lateInit) return next(pass);
  const forProvider = { ...(pass.mr.spec.forProvider as Record<string, unknown>) };
  const filled = Object.keys(lateInit).filter((k) => forProvider[k] === undefined && lateInit[k] !== undefined);
  if (filled.length === 0) return next(pass);
  for (const k of filled) forProvider[k] = lateInit[k];
  const saved = await save(deps, pass, { ...pass.mr, spec: { ...pass.mr.spec, forProvider } });
  pass.log.info({ fields: filled }, 'late-initialized');
  return next(saved);
};

import { ANNOTATIONS, externalNameOf } from '../annotations.ts';
import { withFinalizer } from '../finalizer.ts';
import { initialExternalName } from '../namespaced.ts';
import { next, save, type Step } from './pass.ts';

/**
 * Adds the finalizer and, for kinds whose cloud name is the resource's, the external name — in memory:
 * the next metadata write (the create-pending annotation, a reference, late-init, or saveInitialized)
 * carries them, always before any cloud write.
 */
export const initialize: Step = async (deps, pass) => {
  let mr = withFinalizer(pass.mr) ?? pass.mr;
  const name = externalNameOf(mr) ? undefined : initialExternalName(deps.kind, mr);
  if (name !== undefined) {
    mr = { ...mr, metadata: { ...mr.metadata, annotations: { ...mr.metadata.annotations, [ANNOTATIONS.externalName]: name } } };
  }
  return next(mr === pass.mr ? pass : { ...pass, mr, unsaved: true });
};

/** Writes what initialize added when no other write has yet: before anything is reported as observed. */
export const saveInitialized: Step = async (deps, pass) => next(pass.unsaved ? await save(deps, pass) : pass);

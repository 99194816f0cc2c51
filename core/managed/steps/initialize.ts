import { ANNOTATIONS, externalNameOf } from '../annotations.ts';
import { withFinalizer } from '../finalizer.ts';
import { namespacedExternalName } from '../namespaced.ts';
import { next, save, type Step } from './pass.ts';

/**
 * Adds the finalizer and, for kinds whose cloud name is the resource's, the external name — in memory:
 * the next metadata write (the create-pending annotation, a reference, late-init, or saveInitialized)
 * carries them, always before any cloud write.
 */
export const initialize: Step = async (deps, pass) => {
  let mr = withFinalizer(pass.mr) ?? pass.mr;
  if (deps.kind.deterministicExternalName && !externalNameOf(mr)) {
    // Namespaced: the namespace is part of the cloud name, so that two teams' resources of one name never meet.
    const name = deps.kind.namespaced && mr.metadata.namespace ? namespacedExternalName(mr.metadata.namespace, mr.metadata.name, deps.kind.namespacedName) : mr.metadata.name;
    mr = { ...mr, metadata: { ...mr.metadata, annotations: { ...mr.metadata.annotations, [ANNOTATIONS.externalName]: name } } };
  }
  return next(mr === pass.mr ? pass : { ...pass, mr, unsaved: true });
};

/** Writes what initialize added when no other write has yet: before anything is reported as observed. */
export const saveInitialized: Step = async (deps, pass) => next(pass.unsaved ? await save(deps, pass) : pass);

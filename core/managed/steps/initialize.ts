import { ANNOTATIONS, externalNameOf } from '../annotations.ts';
import { withFinalizer } from '../finalizer.ts';
import { next, writeMetadata, type Step } from './pass.ts';

/** Adds the finalizer and, for kinds whose cloud name is the resource's, the external name. One write at most. */
export const initialize: Step = async (deps, pass) => {
  let mr = withFinalizer(pass.mr) ?? pass.mr;
  if (deps.kind.deterministicExternalName && !externalNameOf(mr)) {
    mr = { ...mr, metadata: { ...mr.metadata, annotations: { ...mr.metadata.annotations, [ANNOTATIONS.externalName]: mr.metadata.name } } };
  }
  if (mr === pass.mr) return next(pass);
  return next({ ...pass, mr: await writeMetadata(deps, mr) });
};

// P&T's input validation (validate.go) for patch sets, templates, patches, readiness checks and
// connection details. P&T refuses the whole input on the first problem; we check each template on
// its own so that every broken template is named, with P&T's message for it.

import { connectionDetailName, connectionDetailType, CONNECTION_DETAIL_TYPES } from './connection-details.ts';
import { TO_FIELD_PATH_POLICIES } from './merge.ts';
import { READINESS_CHECK_TYPES } from './readiness.ts';
import type { Config } from './transforms.ts';
import type { ComposedTemplate, ConnectionDetail, Patch, ReadinessCheck } from './types.ts';
import { formatFieldError, invalid, required, validateTransform, within, type FieldError } from './validate-transforms.ts';

export const patchType = (p: Patch): string => p.type ?? 'FromCompositeFieldPath';
export const toFieldPathOf = (p: Patch): string => (p.toFieldPath === undefined || p.toFieldPath === null ? (p.fromFieldPath ?? '') : p.toFieldPath);

function validateCombine(c: Config): FieldError | undefined {
  switch (c.strategy ?? '') {
    case 'string':
      if (!c.string || typeof c.string !== 'object') return required('string', 'string must be set for combine strategy string');
      break;
    case '':
      return required('strategy', 'a combine strategy must be provided');
    default:
      return invalid('strategy', c.strategy, 'unknown strategy type');
  }
  const variables = Array.isArray(c.variables) ? (c.variables as Config[]) : [];
  if (variables.length === 0) return required('variables', 'at least one variable must be provided');
  for (const [i, v] of variables.entries()) {
    if (typeof v?.fromFieldPath !== 'string' || v.fromFieldPath === '') return required(`variables[${i}].fromFieldPath`, 'fromFieldPath must be set for each combine variable');
  }
  return undefined;
}

/** P&T's ValidatePatch; inPatchSet says whether p sits in a PatchSet (which cannot nest). */
export function validatePatch(p: Patch, inPatchSet: boolean): FieldError | undefined {
  const type = patchType(p);
  switch (type) {
    case 'FromCompositeFieldPath':
    case 'ToCompositeFieldPath':
    case 'FromEnvironmentFieldPath':
    case 'ToEnvironmentFieldPath':
      if (!p.fromFieldPath) return required('fromFieldPath', `fromFieldPath must be set for patch type ${type}`);
      break;
    case 'PatchSet':
      if (inPatchSet) return invalid('type', type, `patch type *v1beta1.PatchSetPatch does not support patch of type ${type}`);
      if (!p.patchSetName) return required('patchSetName', `patchSetName must be set for patch type ${type}`);
      break;
    case 'CombineFromComposite':
    case 'CombineToComposite':
    case 'CombineFromEnvironment':
    case 'CombineToEnvironment':
      if (!p.combine || typeof p.combine !== 'object') return required('combine', `combine must be set for patch type ${type}`);
      if (toFieldPathOf(p) === '') return required('toFieldPath', `toFieldPath must be set for patch type ${type}`);
      // P&T checks neither transforms nor policy of a combine patch.
      return within('combine', validateCombine(p.combine as Config));
    default:
      return invalid('type', type, 'unknown patch type');
  }
  for (const [i, t] of (p.transforms ?? []).entries()) {
    const err = within(`transforms[${i}]`, validateTransform(t));
    if (err) return err;
  }
  if (p.policy) {
    const to = p.policy.toFieldPath ?? 'Replace';
    if (!(TO_FIELD_PATH_POLICIES as readonly string[]).includes(to)) return invalid('policy.toFieldPathPolicy', to, 'unknown toFieldPathPolicy');
    const from = p.policy.fromFieldPath ?? 'Optional';
    if (from !== 'Optional' && from !== 'Required') return invalid('policy.fromFieldPathPolicy', from, 'unknown fromFieldPathPolicy');
  }
  return undefined;
}

function validateReadinessCheck(r: ReadinessCheck): FieldError | undefined {
  if (!(READINESS_CHECK_TYPES as readonly string[]).includes(r.type)) return invalid('type', r.type, 'unknown readiness check type');
  switch (r.type) {
    case 'None':
      return undefined;
    case 'MatchString':
      if (typeof r.matchString !== 'string') return required('matchString', 'cannot be nil for type MatchString');
      break;
    case 'MatchInteger':
      if (r.matchInteger === undefined || r.matchInteger === null) return required('matchInteger', 'cannot be nil for type MatchInteger');
      if (!Number.isInteger(r.matchInteger)) return invalid('matchInteger', r.matchInteger, 'must be an integer');
      break;
    case 'MatchCondition': {
      // P&T accepts a missing matchCondition here and then crashes on it; we refuse it.
      const m = r.matchCondition;
      if (!m) return required('matchCondition', 'cannot be empty for type MatchCondition');
      if (!m.type) return required('matchCondition.type', 'cannot be empty for type MatchCondition');
      if (!m.status) return required('matchCondition.status', 'cannot be empty for type MatchCondition');
      return undefined;
    }
    default:
      break;
  }
  if (typeof r.fieldPath !== 'string') return required('fieldPath', 'cannot be empty');
  return undefined;
}

function validateConnectionDetail(d: ConnectionDetail): FieldError | undefined {
  const type = connectionDetailType(d);
  if (type === undefined || type === '') return required('type', 'connection detail type is required');
  if (!(CONNECTION_DETAIL_TYPES as readonly string[]).includes(type)) return invalid('type', type, 'unknown connection detail type');
  if (!connectionDetailName(d)) return required('name', 'name is required');
  if (type === 'FromValue' && typeof d.value !== 'string') return required('value', 'value connection detail requires a value');
  if (type === 'FromConnectionSecretKey' && typeof d.fromConnectionSecretKey !== 'string') return required('fromConnectionSecretKey', 'from connection secret key connection detail requires a key');
  if (type === 'FromFieldPath' && typeof d.fromFieldPath !== 'string') return required('fromFieldPath', 'from field path connection detail requires a field path');
  return undefined;
}

function validateTemplate(t: ComposedTemplate): FieldError | undefined {
  if (!t.name) return required('name', 'name is required');
  const lists: Array<[string, unknown[] | undefined, (x: never) => FieldError | undefined]> = [
    ['patches', t.patches, (p: Patch) => validatePatch(p, false)],
    ['connectionDetails', t.connectionDetails, validateConnectionDetail],
    ['readinessChecks', t.readinessChecks, validateReadinessCheck],
  ];
  for (const [name, items, check] of lists) {
    for (const [i, item] of (items ?? []).entries()) {
      const err = within(`${name}[${i}]`, check(item as never));
      if (err) return err;
    }
  }
  return undefined;
}

const INVALID_INPUT = 'invalid Function input';

/** The message for an invalid template at index i, or undefined when it is valid. */
export function templateProblem(t: ComposedTemplate, i: number): string | undefined {
  const err = within(`resources[${i}]`, validateTemplate(t));
  return err ? `${INVALID_INPUT}: ${formatFieldError(err)}` : undefined;
}

/** The message for an invalid patch set, or undefined. P&T does not prefix its field path. */
export function patchSetProblem(ps: { name?: string; patches?: Patch[] }): string | undefined {
  if (!ps.name) return `${INVALID_INPUT}: ${formatFieldError(required('name', 'name is required'))}`;
  for (const [i, p] of (ps.patches ?? []).entries()) {
    const err = within(`patches[${i}]`, validatePatch(p, true));
    if (err) return `${INVALID_INPUT}: ${formatFieldError(err)}`;
  }
  return undefined;
}

// crossplane-runtime's Paved.MergeValue, which merges with mergo (dario.cat/mergo v1). The
// toFieldPath policies map onto two mergo options: overwrite (keep the source's value over the
// destination's) and appendSlice (append arrays instead of replacing them).

import { deepEqual, isObject, type JsonObject, type JsonValue } from './json-value.ts';
import { getValue, isNotFound, setValue, wrap } from './field-path.ts';

export interface MergeOptions {
  /** mergo.WithOverride: the source wins over a non-empty destination value. */
  overwrite: boolean;
  /** mergo.WithAppendSlice: arrays are appended to, not replaced. */
  appendSlice: boolean;
}

export const TO_FIELD_PATH_POLICIES = [
  'Replace',
  'MergeObjects',
  'MergeObjectsAppendArrays',
  'ForceMergeObjects',
  'ForceMergeObjectsAppendArrays',
  'MergeObject',
  'AppendArray',
] as const;

/** The merge a toFieldPath policy asks for; undefined means replace. */
export function mergeOptionsFor(policy: string | undefined): MergeOptions | undefined {
  switch (policy ?? 'Replace') {
    case 'Replace':
      return undefined;
    case 'MergeObjects':
    case 'MergeObject':
      return { overwrite: false, appendSlice: false };
    case 'MergeObjectsAppendArrays':
      return { overwrite: false, appendSlice: true };
    case 'ForceMergeObjects':
      return { overwrite: true, appendSlice: false };
    case 'ForceMergeObjectsAppendArrays':
    case 'AppendArray':
      return { overwrite: true, appendSlice: true };
    default:
      throw new Error(`invalid patch policy ${policy}`);
  }
}

/** mergo's isEmptyValue for decoded JSON: zero values count as empty. */
function isEmpty(v: JsonValue | undefined): boolean {
  if (v === undefined || v === null) return true;
  if (typeof v === 'string' || Array.isArray(v)) return v.length === 0;
  if (typeof v === 'boolean') return !v;
  if (typeof v === 'number') return v === 0;
  return Object.keys(v).length === 0;
}

/** Go type name used in mergo's slice error. */
const goType = (v: JsonValue | undefined): string =>
  Array.isArray(v) ? '[]interface {}' : isObject(v) ? 'map[string]interface {}' : typeof v === 'string' ? 'string' : typeof v === 'number' ? (Number.isInteger(v) ? 'int64' : 'float64') : typeof v === 'boolean' ? 'bool' : '<nil>';

/** mergo's deepMerge of src into the dst map, in place. */
function mergeMaps(dst: JsonObject, src: JsonObject, mo: MergeOptions): void {
  for (const key of Object.keys(src)) {
    const s = src[key] as JsonValue;
    const had = Object.hasOwn(dst, key);
    const d = dst[key];
    if (s === null) {
      if (mo.overwrite) dst[key] = null;
      continue;
    }
    if (isObject(s)) {
      if (had && isObject(d)) mergeMaps(d, s, mo);
    } else if (Array.isArray(s)) {
      let slice: JsonValue = had && d !== null ? (d as JsonValue) : [];
      if ((mo.overwrite || Object.keys(dst).length === 0) && !mo.appendSlice) slice = s;
      else if (mo.appendSlice) {
        if (!Array.isArray(slice)) throw new Error(`cannot append two slices with different type (${goType(s)}, ${goType(slice)})`);
        slice = [...slice, ...s];
      }
      dst[key] = slice;
    }
    if (had && !isEmpty(d)) {
      if (Array.isArray(s)) continue;
      if (isObject(s) && isObject(d)) continue;
    }
    if (mo.overwrite || !had || isEmpty(d)) dst[key] = s;
  }
}

/** crossplane-runtime's merge(dst, src): the wrapped top-level value, merged by mergo. */
export function mergeValues(dst: JsonValue | undefined, src: JsonValue, mo: MergeOptions): JsonValue {
  if (dst === undefined || dst === null || src === null) return src;
  if (mo.appendSlice && Array.isArray(dst) && Array.isArray(src)) src = src.filter((x) => !dst.some((y) => deepEqual(x, y)));
  const wrapper: JsonObject = { arg: dst };
  try {
    mergeMaps(wrapper, { arg: src }, mo);
  } catch (err: unknown) {
    throw wrap(err, 'failed to merge values');
  }
  return wrapper.arg as JsonValue;
}

/** Paved.MergeValue: sets path to value, merged with what is there when options are given. */
export function mergeValue(root: JsonObject, path: string, value: JsonValue, mo: MergeOptions | undefined): void {
  let dst: JsonValue | undefined;
  if (mo) {
    try {
      dst = getValue(root, path);
    } catch (err: unknown) {
      if (!isNotFound(err)) throw err;
      dst = undefined;
    }
  }
  setValue(root, path, mo ? mergeValues(dst, value, mo) : value);
}

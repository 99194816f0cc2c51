// P&T's transforms (transforms.go): map, match, math, string, convert. Inputs are Go values as
// P&T sees them (numbers are float64, see json-value.ts); errors carry P&T's texts.

import { convertTransform } from './convert-transform.ts';
import { wrap } from './field-path.ts';
import { compileGoRegexp } from './go-regexp.ts';
import { goTypeName, isObject, type GoValue, type JsonValue } from './json-value.ts';
import { stringTransform } from './string-transform.ts';
import type { Transform } from './types.ts';

export type Config = Record<string, unknown>;

/** The config object under key, or undefined when absent or not an object. */
export function configOf(t: Config, key: string): Config | undefined {
  const v = t[key];
  return isObject(v) ? (v as Config) : undefined;
}

/** Runs transforms in order; a failure names the transform's index, as P&T does. */
export function resolveTransforms(ts: readonly Transform[] | undefined, input: GoValue): GoValue {
  let value = input;
  (ts ?? []).forEach((t, i) => {
    try {
      value = resolveTransform(t, value);
    } catch (err: unknown) {
      throw wrap(err, `transform at index ${i} returned error`);
    }
  });
  return value;
}

/** One transform (P&T's Resolve). */
export function resolveTransform(t: Transform, input: GoValue): GoValue {
  const type = String(t.type);
  const config = configOf(t, type);
  if (!['math', 'map', 'match', 'string', 'convert'].includes(type)) throw new Error(`transform type ${type} is not supported`);
  if (!config) throw new Error(`given transform type ${type} requires configuration`);
  try {
    switch (type) {
      case 'math':
        return mathTransform(config, input);
      case 'map':
        return mapTransform(config, input);
      case 'match':
        return matchTransform(config, input);
      case 'string':
        return stringTransform(config, input);
      default:
        return convertTransform(config, input);
    }
  } catch (err: unknown) {
    throw wrap(err, `${type} transform could not resolve`);
  }
}

function mathTransform(t: Config, input: GoValue): GoValue {
  const type = t.type;
  if (typeof input !== 'number' && typeof input !== 'bigint') throw new Error(`input is required to be a number for math transformer, got ${goTypeName(input)}`);
  const operand = (key: string): bigint => BigInt(Math.trunc(Number(t[key])));
  switch (type) {
    case 'Multiply': {
      const m = operand('multiply');
      return typeof input === 'bigint' ? BigInt.asIntN(64, input * m) : input * Number(m);
    }
    case 'ClampMin':
    case 'ClampMax': {
      // P&T compares the input truncated to an int64, and returns either the clamp (an int64)
      // or the input unchanged, whatever its type.
      const asInt = typeof input === 'bigint' ? input : goFloatToInt64(input);
      const clamp = operand(type === 'ClampMin' ? 'clampMin' : 'clampMax');
      if (type === 'ClampMin' ? asInt < clamp : asInt > clamp) return clamp;
      return input;
    }
    default:
      throw new Error(`type ${String(type)} is not supported for math transform type`);
  }
}

/** Go's int64(f) on amd64: truncation; NaN and out-of-range values give the minimum int64. */
export function goFloatToInt64(f: number): bigint {
  if (!Number.isFinite(f) || f >= 2 ** 63 || f < -(2 ** 63)) return -(1n << 63n);
  return BigInt(Math.trunc(f));
}

function mapTransform(t: Config, input: GoValue): GoValue {
  if (typeof input !== 'string') throw new Error(`type ${goTypeName(input)} is not supported for map transform`);
  if (!Object.hasOwn(t, input)) throw new Error(`key ${input} is not found in map`);
  return t[input] as JsonValue;
}

function matchTransform(t: Config, input: GoValue): GoValue {
  const patterns = Array.isArray(t.patterns) ? (t.patterns as Config[]) : [];
  for (const [i, p] of patterns.entries()) {
    let matched: boolean;
    try {
      matched = patternMatches(p, input);
    } catch (err: unknown) {
      throw wrap(err, `cannot match pattern at index ${i}`);
    }
    if (matched) return (p.result ?? null) as JsonValue;
  }
  if (t.fallbackTo === 'Input') {
    if (t.fallbackValue !== undefined && t.fallbackValue !== null) throw new Error('cannot set both a fallback value and the fallback to input flag');
    return input;
  }
  return (t.fallbackValue ?? null) as JsonValue;
}

function patternMatches(p: Config, input: GoValue): boolean {
  switch (p.type) {
    case 'literal':
      if (typeof p.literal !== 'string') throw new Error('literal is required by type literal');
      if (typeof input !== 'string') throw new Error(`unsupported input type '${goTypeName(input)}'`);
      return input === p.literal;
    case 'regexp': {
      if (typeof p.regexp !== 'string') throw new Error('regexp is required by type regexp');
      let re: RegExp;
      try {
        re = compileGoRegexp(p.regexp);
      } catch (err: unknown) {
        throw wrap(err, 'cannot compile regexp');
      }
      if (input === null) throw new Error(`unsupported input type 'null'`);
      if (typeof input !== 'string') throw new Error(`unsupported input type '${goTypeName(input)}'`);
      return re.test(input);
    }
    default:
      throw new Error(`unsupported pattern type '${String(p.type ?? '')}'`);
  }
}


import { isDeepStrictEqual } from 'node:util';
import type { FieldDiff } from './types.ts';

/** A managed setting (compared only when the spec sets it) as one FieldDiff, or none when it matches. */
export function settingDiff(path: string, desired: unknown, observed: unknown, upToDate: boolean = desired === undefined || isDeepStrictEqual(desired, observed)): FieldDiff[] {
  return upToDate ? [] : [{ path, desired, observed }];
}

/**
 * A map managed exactly when set (tags): one FieldDiff per key added, changed or removed. Keys go in brackets
 * when they are not plain identifiers (`tags[cost-centre]`), so a path always reads back to one key.
 */
export function mapDiffs(path: string, desired: Record<string, string> | undefined, observed: Record<string, string> | undefined): FieldDiff[] {
  if (desired === undefined) return [];
  const have = observed ?? {};
  const keys = [...new Set([...Object.keys(desired), ...Object.keys(have)])].sort();
  return keys.filter((k) => desired[k] !== have[k]).map((k) => ({ path: keyPath(path, k), desired: desired[k], observed: have[k] }));
}

export function keyPath(path: string, key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `${path}.${key}` : `${path}[${key}]`;
}

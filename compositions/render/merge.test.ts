// toFieldPath policies, which crossplane-runtime implements with mergo: MergeObjects keeps what the
// destination has (unless it is a zero value), ForceMergeObjects lets the source win, *AppendArrays
// appends arrays (leaving out source items already in a top-level destination array).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject, JsonValue } from './json-value.ts';
import { mergeOptionsFor, mergeValue } from './merge.ts';

interface Case {
  reason: string;
  policy: string;
  dst: JsonValue | undefined;
  src: JsonValue;
  want?: JsonValue;
  err?: string;
}

const cases: Case[] = [
  { reason: 'Replace sets the value whatever is there', policy: 'Replace', dst: { a: 1, b: 2 }, src: { a: 9 }, want: { a: 9 } },
  { reason: 'MergeObjects adds keys and keeps existing values', policy: 'MergeObjects', dst: { a: 1, b: 2 }, src: { a: 9, c: 3 }, want: { a: 1, b: 2, c: 3 } },
  { reason: 'MergeObjects replaces zero values ("" 0 false)', policy: 'MergeObjects', dst: { s: '', n: 0, f: false }, src: { s: 'x', n: 5, f: true }, want: { s: 'x', n: 5, f: true } },
  { reason: 'MergeObjects merges nested objects', policy: 'MergeObjects', dst: { t: { a: 1 } }, src: { t: { a: 2, b: 3 } }, want: { t: { a: 1, b: 3 } } },
  { reason: 'MergeObjects keeps an existing array', policy: 'MergeObjects', dst: { l: [1] }, src: { l: [2] }, want: { l: [1] } },
  { reason: 'MergeObjects fills an empty array', policy: 'MergeObjects', dst: { l: [] }, src: { l: [2] }, want: { l: [2] } },
  { reason: 'MergeObjects ignores a null in the source', policy: 'MergeObjects', dst: { a: 1 }, src: { a: null }, want: { a: 1 } },
  { reason: 'MergeObjects onto a string keeps the string', policy: 'MergeObjects', dst: 'keep', src: { a: 1 }, want: 'keep' },
  { reason: 'MergeObjects onto nothing sets the value', policy: 'MergeObjects', dst: undefined, src: { a: 1 }, want: { a: 1 } },
  { reason: 'MergeObject is the old name of MergeObjects', policy: 'MergeObject', dst: { a: 1 }, src: { a: 2, b: 2 }, want: { a: 1, b: 2 } },
  { reason: 'ForceMergeObjects lets the source win', policy: 'ForceMergeObjects', dst: { a: 1, b: 2 }, src: { a: 9, c: 3 }, want: { a: 9, b: 2, c: 3 } },
  { reason: 'ForceMergeObjects sets a null from the source', policy: 'ForceMergeObjects', dst: { a: 1 }, src: { a: null }, want: { a: null } },
  { reason: 'ForceMergeObjects replaces arrays', policy: 'ForceMergeObjects', dst: { l: [1] }, src: { l: [2] }, want: { l: [2] } },
  { reason: 'ForceMergeObjects replaces a string with an object', policy: 'ForceMergeObjects', dst: 's', src: { a: 1 }, want: { a: 1 } },
  { reason: 'AppendArray appends, leaving out items already there', policy: 'AppendArray', dst: [1, 2], src: [2, 3], want: [1, 2, 3] },
  { reason: 'AppendArray compares objects deeply', policy: 'AppendArray', dst: [{ a: 1 }], src: [{ a: 1 }, { a: 2 }], want: [{ a: 1 }, { a: 2 }] },
  { reason: 'AppendArray onto nothing sets the array', policy: 'AppendArray', dst: undefined, src: [1], want: [1] },
  { reason: 'AppendArray onto an object fails as mergo does', policy: 'AppendArray', dst: { a: 1 }, src: [1], err: 'failed to merge values: cannot append two slices with different type ([]interface {}, map[string]interface {})' },
  { reason: 'ForceMergeObjectsAppendArrays appends nested arrays without removing duplicates', policy: 'ForceMergeObjectsAppendArrays', dst: { l: [1], a: 1 }, src: { l: [1, 2], a: 2 }, want: { l: [1, 1, 2], a: 2 } },
  { reason: 'MergeObjectsAppendArrays appends arrays and keeps scalars', policy: 'MergeObjectsAppendArrays', dst: { l: ['x'], a: 1 }, src: { l: ['y'], a: 2, b: 3 }, want: { l: ['x', 'y'], a: 1, b: 3 } },
  { reason: 'a nested append onto a string fails', policy: 'MergeObjectsAppendArrays', dst: { l: 's' }, src: { l: ['y'] }, err: 'failed to merge values: cannot append two slices with different type ([]interface {}, string)' },
  { reason: 'a null source always replaces', policy: 'MergeObjects', dst: { a: 1 }, src: null, want: null },
];

describe('mergeValue', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const root: JsonObject = c.dst === undefined ? { spec: {} } : { spec: { x: structuredClone(c.dst) } };
      const src = structuredClone(c.src);
      const mo = mergeOptionsFor(c.policy);
      if (c.err !== undefined) {
        assert.throws(() => mergeValue(root, 'spec.x', src, mo), { message: c.err });
        return;
      }
      mergeValue(root, 'spec.x', src, mo);
      assert.deepEqual((root.spec as JsonObject).x, c.want);
    });
  }

  it('refuses an unknown policy', () => {
    assert.throws(() => mergeOptionsFor('Overlay'), { message: 'invalid patch policy Overlay' });
  });
});

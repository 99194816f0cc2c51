// map, match and math transforms, and how a pipeline of transforms reports a failure.
// A JSON number is a Go float64 (a JS number); a Go int64 is a bigint.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GoValue } from './json-value.ts';
import { resolveTransform, resolveTransforms } from './transforms.ts';
import type { Transform } from './types.ts';

interface Case {
  reason: string;
  transform: Record<string, unknown>;
  input: GoValue;
  want?: GoValue;
  err?: string;
}

function run(cases: Case[]): void {
  for (const c of cases) {
    it(c.reason, () => {
      const t = c.transform as Transform;
      if (c.err !== undefined) {
        assert.throws(() => resolveTransform(t, c.input), { message: c.err });
        return;
      }
      assert.deepEqual(resolveTransform(t, c.input), c.want);
    });
  }
}

describe('map transform', () => {
  const map = { type: 'map', map: { 'us-east-1': 'use1', big: { cpu: 4 }, n: 7 } };
  run([
    { reason: 'maps a string key to its value', transform: map, input: 'us-east-1', want: 'use1' },
    { reason: 'values may be objects', transform: map, input: 'big', want: { cpu: 4 } },
    { reason: 'values may be numbers (float64)', transform: map, input: 'n', want: 7 },
    { reason: 'a missing key is an error naming it', transform: map, input: 'eu', err: 'map transform could not resolve: key eu is not found in map' },
    { reason: 'only strings can be looked up (a JSON number is a float64)', transform: map, input: 3, err: 'map transform could not resolve: type float64 is not supported for map transform' },
    { reason: 'a bool is not a key either', transform: map, input: true, err: 'map transform could not resolve: type bool is not supported for map transform' },
    { reason: 'a map needs its configuration', transform: { type: 'map' }, input: 'x', err: 'given transform type map requires configuration' },
  ]);
});

describe('match transform', () => {
  const match = {
    type: 'match',
    match: {
      patterns: [
        { type: 'literal', literal: 'small', result: 1 },
        { type: 'regexp', regexp: '^prod-(db|web)-\\d+$', result: { tier: 'prod' } },
        { type: 'literal', literal: 'small', result: 'never: the first match wins' },
      ],
      fallbackValue: 'default',
    },
  };
  run([
    { reason: 'a literal pattern matches the whole string', transform: match, input: 'small', want: 1 },
    { reason: 'a regexp pattern matches anywhere it is anchored to', transform: match, input: 'prod-db-12', want: { tier: 'prod' } },
    { reason: 'no match gives the fallback value', transform: match, input: 'medium', want: 'default' },
    {
      reason: 'no match and no fallback value gives null',
      transform: { type: 'match', match: { patterns: [{ type: 'literal', literal: 'a', result: 1 }] } },
      input: 'b',
      want: null,
    },
    {
      reason: 'fallbackTo Input returns the input unchanged',
      transform: { type: 'match', match: { patterns: [{ type: 'literal', literal: 'a', result: 1 }], fallbackTo: 'Input' } },
      input: 'b',
      want: 'b',
    },
    {
      reason: 'fallbackTo Input with a fallback value is an error',
      transform: { type: 'match', match: { patterns: [{ type: 'literal', literal: 'a', result: 1 }], fallbackTo: 'Input', fallbackValue: 'x' } },
      input: 'b',
      err: 'match transform could not resolve: cannot set both a fallback value and the fallback to input flag',
    },
    { reason: 'a literal pattern needs a string input', transform: match, input: 5, err: "match transform could not resolve: cannot match pattern at index 0: unsupported input type 'float64'" },
    {
      reason: 'a regexp pattern names null input as null',
      transform: { type: 'match', match: { patterns: [{ type: 'regexp', regexp: 'x', result: 1 }] } },
      input: null,
      err: "match transform could not resolve: cannot match pattern at index 0: unsupported input type 'null'",
    },
    {
      reason: 'a pattern without a type is refused when it is tried',
      transform: { type: 'match', match: { patterns: [{ literal: 'a', result: 1 }] } },
      input: 'a',
      err: "match transform could not resolve: cannot match pattern at index 0: unsupported pattern type ''",
    },
  ]);
});

describe('math transform', () => {
  run([
    { reason: 'Multiply of a float64 stays a float64', transform: { type: 'math', math: { type: 'Multiply', multiply: 3 } }, input: 2.5, want: 7.5 },
    { reason: 'Multiply of an int64 stays an int64', transform: { type: 'math', math: { type: 'Multiply', multiply: 3 } }, input: 4n, want: 12n },
    { reason: 'ClampMin below the minimum gives the minimum, as an int64', transform: { type: 'math', math: { type: 'ClampMin', clampMin: 2 } }, input: 1, want: 2n },
    { reason: 'ClampMin above the minimum returns the input as it was', transform: { type: 'math', math: { type: 'ClampMin', clampMin: 2 } }, input: 5.5, want: 5.5 },
    { reason: 'ClampMin compares the input truncated to an integer', transform: { type: 'math', math: { type: 'ClampMin', clampMin: 3 } }, input: 2.9, want: 3n },
    { reason: 'ClampMax above the maximum gives the maximum', transform: { type: 'math', math: { type: 'ClampMax', clampMax: 3 } }, input: 10, want: 3n },
    { reason: 'ClampMax lets 3.5 through against 3: truncated, it is not above', transform: { type: 'math', math: { type: 'ClampMax', clampMax: 3 } }, input: 3.5, want: 3.5 },
    { reason: 'a string is not a number', transform: { type: 'math', math: { type: 'Multiply', multiply: 2 } }, input: '3', err: 'math transform could not resolve: input is required to be a number for math transformer, got string' },
    { reason: 'an unknown math type', transform: { type: 'math', math: { type: 'Divide' } }, input: 3, err: 'math transform could not resolve: type Divide is not supported for math transform type' },
  ]);
});

describe('resolveTransforms', () => {
  it('runs transforms in order, feeding each the last output', () => {
    const ts = [
      { type: 'convert', convert: { toType: 'int64' } },
      { type: 'math', math: { type: 'Multiply', multiply: 1024 } },
      { type: 'string', string: { type: 'Format', fmt: '%dKi' } },
    ] as Transform[];
    assert.equal(resolveTransforms(ts, 4), '4096Ki');
  });
  it('names the index of the transform that failed', () => {
    const ts = [
      { type: 'string', string: { type: 'Convert', convert: 'ToLower' } },
      { type: 'map', map: { a: 'b' } },
    ] as Transform[];
    assert.throws(() => resolveTransforms(ts, 'X'), { message: 'transform at index 1 returned error: map transform could not resolve: key x is not found in map' });
  });
  it('refuses an unknown transform type', () => {
    assert.throws(() => resolveTransforms([{ type: 'lookup' } as unknown as Transform], 'x'), { message: 'transform at index 0 returned error: transform type lookup is not supported' });
  });
  it('returns the input when there are no transforms', () => {
    assert.deepEqual(resolveTransforms(undefined, { a: 1 }), { a: 1 });
  });
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandWildcards, FieldNotFoundError, formatPath, getValue, isNotFound, parsePath, setValue, wrap } from './field-path.ts';
import type { JsonObject } from './json-value.ts';

describe('parsePath', () => {
  const cases: Array<{ reason: string; path: string; want?: string[]; err?: string }> = [
    { reason: 'dotted fields', path: 'spec.forProvider.region', want: ['spec', 'forProvider', 'region'] },
    { reason: 'an index in brackets', path: 'spec.a[0].b', want: ['spec', 'a', '#0', 'b'] },
    { reason: 'a bracketed key may contain dots and slashes', path: 'metadata.labels[foo.bar/baz]', want: ['metadata', 'labels', 'foo.bar/baz'] },
    { reason: 'quotes around a bracketed key are dropped', path: "metadata.annotations['a.b']", want: ['metadata', 'annotations', 'a.b'] },
    { reason: 'a wildcard is a field named *', path: 'spec.list[*].x', want: ['spec', 'list', '*', 'x'] },
    { reason: 'consecutive indexes', path: 'a[0][1]', want: ['a', '#0', '#1'] },
    { reason: 'a field right after a bracket needs no dot', path: 'a[0]b', want: ['a', '#0', 'b'] },
    { reason: 'a dotted number is a field, not an index', path: 'a.0', want: ['a', '0'] },
    { reason: 'an empty path has no segments', path: '', want: [] },
    { reason: 'a leading period', path: '.a', err: "unexpected '.' at position 0" },
    { reason: 'a trailing period', path: 'a.', err: "unexpected '.' at position 1" },
    { reason: 'two periods', path: 'a..b', err: "unexpected '.' at position 2" },
    { reason: 'a period before a bracket', path: 'a.[0]', err: "unexpected '[' at position 2" },
    { reason: 'an unterminated bracket', path: 'a[0', err: "unterminated '[' at position 1" },
    { reason: 'empty brackets', path: 'a[]', err: "unexpected ']' at position 2" },
    { reason: 'a stray closing bracket', path: 'a]', err: "unexpected ']' at position 1" },
    { reason: 'a bracket inside brackets', path: 'a[b[c]', err: "unexpected '[' at position 3" },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      if (c.err) {
        assert.throws(() => parsePath(c.path), { message: c.err });
        return;
      }
      const got = parsePath(c.path).map((s) => (s.type === 'index' ? `#${s.index}` : s.field));
      assert.deepEqual(got, c.want);
    });
  }

  it('formats segments back as crossplane-runtime does (dotted keys in brackets)', () => {
    assert.equal(formatPath(parsePath('metadata.labels[a.b].c[2]')), 'metadata.labels[a.b].c[2]');
    assert.equal(formatPath(parsePath('a[*]')), 'a[*]');
  });
});

describe('getValue', () => {
  const obj: JsonObject = { spec: { a: [{ b: 1 }, null], s: 'str', n: null, labels: { 'foo.bar/baz': 'v' } } };
  const cases: Array<{ reason: string; path: string; want?: unknown; err?: string; notFound?: boolean }> = [
    { reason: 'a nested value through an array', path: 'spec.a[0].b', want: 1 },
    { reason: 'a key with dots', path: 'spec.labels[foo.bar/baz]', want: 'v' },
    { reason: 'a null value is found, as null', path: 'spec.n', want: null },
    { reason: 'a missing field is not found, named in full', path: 'spec.missing', err: 'spec.missing: no such field', notFound: true },
    { reason: 'an index past the end is not found', path: 'spec.a[5]', err: 'spec.a[5]: no such element', notFound: true },
    { reason: 'a field under null is not found', path: 'spec.n.x', err: 'spec.n: expected map, got nil', notFound: true },
    { reason: 'a field under an array element that is null is not found', path: 'spec.a[1].x', err: 'spec.a[1]: expected map, got nil', notFound: true },
    { reason: 'a field under a string is an error, not "not found"', path: 'spec.s.x', err: 'spec.s: not an object', notFound: false },
    { reason: 'an index into an object is an error', path: 'spec[0]', err: 'spec: not an array', notFound: false },
    { reason: 'a bad path is an error naming the path', path: 'spec..a', err: 'cannot parse path "spec..a": unexpected \'.\' at position 5', notFound: false },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      if (c.err === undefined) {
        assert.deepEqual(getValue(obj, c.path), c.want);
        return;
      }
      let caught: unknown;
      try {
        getValue(obj, c.path);
      } catch (err: unknown) {
        caught = err;
      }
      assert.ok(caught instanceof Error, 'expected an error');
      assert.equal(caught.message, c.err);
      assert.equal(isNotFound(caught), c.notFound);
    });
  }

  it('sees "not found" through wrapping', () => {
    const wrapped = wrap(wrap(new FieldNotFoundError('x: no such field'), 'inner'), 'outer');
    assert.equal(wrapped.message, 'outer: inner: x: no such field');
    assert.ok(isNotFound(wrapped));
    assert.ok(!isNotFound(wrap(new Error('boom'), 'outer')));
  });
});

describe('setValue', () => {
  const cases: Array<{ reason: string; start: JsonObject; path: string; value: unknown; want?: JsonObject; err?: string }> = [
    { reason: 'paves missing objects', start: {}, path: 'spec.a.b', value: 1, want: { spec: { a: { b: 1 } } } },
    { reason: 'paves a missing array with nulls up to the index', start: {}, path: 'spec.list[2]', value: 'x', want: { spec: { list: [null, null, 'x'] } } },
    { reason: 'grows an existing array', start: { a: [1] }, path: 'a[2].b', value: true, want: { a: [1, null, { b: true }] } },
    { reason: 'paves a null array element into an object', start: { a: [null] }, path: 'a[0].b', value: 2, want: { a: [{ b: 2 }] } },
    { reason: 'replaces a scalar at the end of the path', start: { a: { b: 'old' } }, path: 'a.b', value: { c: 1 }, want: { a: { b: { c: 1 } } } },
    { reason: 'writes a key with dots', start: {}, path: 'metadata.labels[a.b/c]', value: 'v', want: { metadata: { labels: { 'a.b/c': 'v' } } } },
    { reason: 'cannot write through a string', start: { a: 's' }, path: 'a.b', value: 1, err: 'a is not an object' },
    { reason: 'does not pave through an explicit null field', start: { a: null }, path: 'a.b', value: 1, err: 'a is not an object' },
    { reason: 'cannot index an object', start: { a: {} }, path: 'a[0]', value: 1, err: 'a is not an array' },
    { reason: 'refuses indexes over 1024', start: {}, path: 'a[1025]', value: 1, err: 'index 1025 is greater than max allowed index 1024' },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const obj = structuredClone(c.start);
      if (c.err) {
        assert.throws(() => setValue(obj, c.path, c.value as never), { message: c.err });
        return;
      }
      setValue(obj, c.path, c.value as never);
      assert.deepEqual(obj, c.want);
    });
  }
});

describe('expandWildcards', () => {
  const obj: JsonObject = { spec: { list: [{ x: 1 }, { x: 2 }], map: { a: { x: 1 }, b: { x: 2 } }, empty: [], nil: null, s: 'str' } };
  const expand = (path: string): string[] => expandWildcards(obj, path).map(formatPath);
  it('expands an array wildcard to each index', () => {
    assert.deepEqual(expand('spec.list[*].x'), ['spec.list[0].x', 'spec.list[1].x']);
  });
  it('expands an object wildcard to each key', () => {
    assert.deepEqual(expand('spec.map[*].x').sort(), ['spec.map.a.x', 'spec.map.b.x']);
  });
  it('expands to nothing when a parent is missing or the array is empty', () => {
    assert.deepEqual(expand('spec.missing[*].x'), []);
    assert.deepEqual(expand('spec.empty[*].x'), []);
  });
  it('reports a wildcard over null as not found', () => {
    assert.throws(() => expand('spec.nil[*]'), (err: unknown) => isNotFound(err));
  });
  it('refuses a wildcard over a scalar', () => {
    assert.throws(() => expand('spec.s[*]'), /unexpected wildcard usage/);
  });
});

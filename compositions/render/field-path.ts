// Field paths as crossplane-runtime's fieldpath package reads them: `spec.a[0].b`,
// `metadata.labels[foo.bar/baz]`, `spec.list[*].x` (wildcards only where a caller expands them).
// Error texts follow that package, since P&T passes them through to its messages.

import { isObject, type JsonValue } from './json-value.ts';

export type Segment = { type: 'field'; field: string } | { type: 'index'; index: number };

/** Largest array index a write may use (crossplane-runtime DefaultMaxFieldPathIndex). */
export const MAX_FIELD_PATH_INDEX = 1024;

/** A field path reached something that does not exist; P&T treats this as "source missing". */
export class FieldNotFoundError extends Error {}

/** Whether err, or anything it wraps, says a field was not found. */
export function isNotFound(err: unknown): boolean {
  for (let current = err, depth = 0; current instanceof Error && depth < 32; current = current.cause, depth++) {
    if (current instanceof FieldNotFoundError) return true;
  }
  return false;
}

/** Go's errors.Wrap: `message: cause`, keeping the cause so isNotFound still sees it. */
export function wrap(err: unknown, message: string): Error {
  const inner = err instanceof Error ? err.message : String(err);
  return new Error(`${message}: ${inner}`, { cause: err });
}

function fieldSegment(s: string): Segment {
  return { type: 'field', field: trimQuotes(s) };
}

function trimQuotes(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && (s[start] === "'" || s[start] === '"')) start++;
  while (end > start && (s[end - 1] === "'" || s[end - 1] === '"')) end--;
  return s.slice(start, end);
}

function fieldOrIndex(s: string): Segment {
  if (/^\d+$/.test(s) && Number(s) <= 0xffffffff) return { type: 'index', index: Number(s) };
  return fieldSegment(s);
}

function parseError(message: string, pos: number): Error {
  return new Error(`${message} at position ${pos}`);
}

/** Parses a field path, failing with the lexer's message and position as crossplane-runtime does. */
export function parsePath(path: string): Segment[] {
  const segments: Segment[] = [];
  let pos = 0;
  let start = 0;
  const emitField = (): void => {
    if (pos > start) segments.push(fieldSegment(path.slice(start, pos)));
    start = pos;
  };
  for (;;) {
    // Lexing a field: up to the next '.' or '['.
    let i = pos;
    for (; i < path.length; i++) {
      const c = path[i];
      if (c === ']') throw parseError(`unexpected ']'`, i);
      if (c === '[' || c === '.') break;
    }
    pos = i;
    emitField();
    if (pos >= path.length) return segments;
    if (path[pos] === '.') {
      if (pos === 0 || pos === path.length - 1) throw parseError(`unexpected '.'`, pos);
      pos++;
      start = pos;
      if (path[pos] === '.') throw parseError(`unexpected '.'`, pos);
      if (path[pos] === '[') throw parseError(`unexpected '['`, pos);
      continue;
    }
    // A left bracket: a field name or an index up to the next ']'.
    if (!path.slice(pos).includes(']')) throw parseError(`unterminated '['`, pos);
    pos++;
    start = pos;
    const rbi = path.indexOf(']', pos) - pos;
    if (rbi === 0) throw parseError(`unexpected ']'`, pos);
    const lbi = path.slice(pos, pos + rbi).indexOf('[');
    if (lbi > -1) throw parseError(`unexpected '['`, pos + lbi);
    segments.push(fieldOrIndex(path.slice(pos, pos + rbi)));
    pos += rbi + 1;
    start = pos;
  }
}

/** Segments back to a path string, as crossplane-runtime's Segments.String does (used in messages). */
export function formatPath(segments: readonly Segment[]): string {
  let out = '';
  for (const s of segments) {
    if (s.type === 'index') out += `[${s.index}]`;
    else if (s.field === '*' || s.field.includes('.')) out += `[${s.field}]`;
    else out += `.${s.field}`;
  }
  return out.startsWith('.') ? out.slice(1) : out;
}

function parseOrWrap(path: string): Segment[] {
  try {
    return parsePath(path);
  } catch (err: unknown) {
    throw wrap(err, `cannot parse path ${goQuote(path)}`);
  }
}

/** Go's %q for plain strings (enough for paths in messages). */
export function goQuote(s: string): string {
  return JSON.stringify(s);
}

export function getSegments(root: JsonValue, s: readonly Segment[]): JsonValue {
  let it: JsonValue = root;
  for (let i = 0; i < s.length; i++) {
    const current = s[i] as Segment;
    const final = i === s.length - 1;
    if (current.type === 'index') {
      if (!Array.isArray(it)) throw new Error(`${formatPath(s.slice(0, i))}: not an array`);
      if (current.index >= it.length) throw new FieldNotFoundError(`${formatPath(s.slice(0, i + 1))}: no such element`);
      it = it[current.index] as JsonValue;
    } else if (isObject(it)) {
      if (!Object.hasOwn(it, current.field)) throw new FieldNotFoundError(`${formatPath(s.slice(0, i + 1))}: no such field`);
      it = it[current.field] as JsonValue;
    } else if (it === null) {
      throw new FieldNotFoundError(`${formatPath(s.slice(0, i))}: expected map, got nil`);
    } else {
      throw new Error(`${formatPath(s.slice(0, i))}: not an object`);
    }
    if (final) return it;
  }
  return null;
}

/** The value at path; throws FieldNotFoundError when it is absent. An empty path gives null. */
export function getValue(root: JsonValue, path: string): JsonValue {
  return getSegments(root, parseOrWrap(path));
}

/** Creates what the next segment needs (an object or a long enough array) under container[key]. */
function prepare(container: Record<string, JsonValue> | JsonValue[], key: string | number, next: Segment): void {
  const c = container as Record<string | number, JsonValue>;
  const exists = Array.isArray(container) ? c[key] !== null && c[key] !== undefined : Object.hasOwn(container, key);
  if (!exists) {
    c[key] = next.type === 'index' ? new Array<JsonValue>(next.index + 1).fill(null) : {};
    return;
  }
  const value = c[key];
  if (next.type !== 'index' || !Array.isArray(value) || next.index < value.length) return;
  while (value.length <= next.index) value.push(null);
}

/** Writes value at the parsed path, paving objects and arrays on the way. Mutates root. */
export function setSegments(root: Record<string, JsonValue>, s: readonly Segment[], value: JsonValue): void {
  for (const segment of s) {
    if (segment.type === 'index' && segment.index > MAX_FIELD_PATH_INDEX) {
      throw new Error(`index ${segment.index} is greater than max allowed index ${MAX_FIELD_PATH_INDEX}`);
    }
  }
  let into: JsonValue = root;
  for (let i = 0; i < s.length; i++) {
    const current = s[i] as Segment;
    const next = s[i + 1];
    if (current.type === 'index') {
      if (!Array.isArray(into)) throw new Error(`${formatPath(s.slice(0, i))} is not an array`);
      if (!next) {
        into[current.index] = value;
        return;
      }
      prepare(into, current.index, next);
      into = into[current.index] as JsonValue;
    } else {
      if (!isObject(into)) throw new Error(`${formatPath(s.slice(0, i))} is not an object`);
      if (!next) {
        into[current.field] = value;
        return;
      }
      prepare(into, current.field, next);
      into = into[current.field] as JsonValue;
    }
  }
}

export function setValue(root: Record<string, JsonValue>, path: string, value: JsonValue): void {
  setSegments(root, parseOrWrap(path), value);
}

function expand(data: JsonValue, segments: readonly Segment[]): Segment[][] {
  for (let i = 0; i < segments.length; i++) {
    const current = segments[i] as Segment;
    if (current.type === 'field' && current.field === '*') {
      const it = i === 0 ? data : getSegments(data, segments.slice(0, i));
      const keys: Segment[] = Array.isArray(it)
        ? it.map((_, ix) => ({ type: 'index', index: ix }) as const)
        : isObject(it)
          ? Object.keys(it).map((k) => ({ type: 'field', field: k }) as const)
          : [];
      if (it === null) throw new FieldNotFoundError(`wildcard field ${goQuote(formatPath(segments.slice(0, i)))} is not found in the path`);
      if (!Array.isArray(it) && !isObject(it)) throw new Error(`${goQuote(formatPath(segments.slice(0, i)))}: unexpected wildcard usage`);
      const out: Segment[][] = [];
      for (const k of keys) out.push(...expand(data, [...segments.slice(0, i), k, ...segments.slice(i + 1)]));
      return out;
    }
    try {
      getSegments(data, segments.slice(0, i + 1));
    } catch (err: unknown) {
      if (isNotFound(err)) return [];
      throw err;
    }
  }
  return [[...segments]];
}

/** Expands `[*]` over arrays and objects that exist; absent parents expand to nothing. */
export function expandWildcards(data: JsonValue, path: string): Segment[][] {
  const segments = parseOrWrap(path);
  try {
    return expand(data, segments);
  } catch (err: unknown) {
    throw wrap(err, `cannot expand wildcards for segments: ${goQuote(formatPath(segments))}`);
  }
}

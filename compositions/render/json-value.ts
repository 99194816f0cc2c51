// Values as P&T sees them. Everything read from the XR or a composed resource reaches P&T
// through protobuf Structs, so every number is a Go float64 (a JS number here). Some transforms
// produce Go int64 values (convert to int/int64, math clamps, multiply of an int64); those are
// BigInts here, so that formatting and type checks can tell the two apart as Go does.

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** A value inside a transform pipeline: JSON, plus bigint for a Go int64. */
export type GoValue = null | boolean | number | bigint | string | GoValue[] | { [key: string]: GoValue };

export function isObject<T>(v: T): v is Extract<T, Record<string, unknown>> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Go's %T of a decoded JSON value. */
export function goTypeName(v: GoValue | undefined): string {
  if (v === null || v === undefined) return '<nil>';
  switch (typeof v) {
    case 'string':
      return 'string';
    case 'number':
      return 'float64';
    case 'bigint':
      return 'int64';
    case 'boolean':
      return 'bool';
    default:
      return Array.isArray(v) ? '[]interface {}' : 'map[string]interface {}';
  }
}

/** Deep copy of JSON data (objects and arrays only; scalars are immutable). */
export function cloneJson<T extends JsonValue>(v: T): T {
  return structuredClone(v);
}

/**
 * P&T's toValidJSON: a round trip through JSON, so int64s become plain numbers and the result
 * shares nothing with its input. NaN and infinities cannot be encoded, as in Go.
 */
export function toValidJson(v: GoValue): JsonValue {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return v;
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'number') {
    if (Number.isNaN(v)) throw new Error('cannot marshal value to JSON: json: unsupported value: NaN');
    if (!Number.isFinite(v)) throw new Error(`cannot marshal value to JSON: json: unsupported value: ${v > 0 ? '+Inf' : '-Inf'}`);
    return v;
  }
  if (Array.isArray(v)) return v.map(toValidJson);
  const out: JsonObject = {};
  for (const [k, val] of Object.entries(v)) out[k] = toValidJson(val);
  return out;
}

/** Go's reflect.DeepEqual over decoded JSON (an int64 never equals a float64). */
export function deepEqual(a: GoValue, b: GoValue): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => deepEqual(x, b[i] as GoValue));
  const ka = Object.keys(a);
  const bo = b as Record<string, GoValue>;
  return ka.length === Object.keys(bo).length && ka.every((k) => Object.hasOwn(bo, k) && deepEqual((a as Record<string, GoValue>)[k] as GoValue, bo[k] as GoValue));
}

const HTML_ESCAPES: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026', '\u2028': '\\u2028', '\u2029': '\\u2029' };

function goJsonString(s: string): string {
  // JSON.stringify already escapes quotes, backslashes and control characters like Go 1.22+
  // (\b \f \n \r \t short forms, \u00XX otherwise); Go also escapes HTML characters.
  return JSON.stringify(s.toWellFormed()).replace(/[<>&\u2028\u2029]/g, (c) => HTML_ESCAPES[c] ?? c);
}

/** Go's encoding/json.Marshal of a decoded value: sorted keys, HTML-safe strings. */
export function goJsonMarshal(v: GoValue): string {
  if (v === null) return 'null';
  switch (typeof v) {
    case 'string':
      return goJsonString(v);
    case 'boolean':
      return String(v);
    case 'bigint':
      return v.toString();
    case 'number':
      if (!Number.isFinite(v)) throw new Error(`json: unsupported value: ${Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf'}`);
      return Object.is(v, -0) ? '-0' : JSON.stringify(v);
    default:
      if (Array.isArray(v)) return `[${v.map(goJsonMarshal).join(',')}]`;
      return `{${Object.keys(v)
        .sort(compareBytes)
        .map((k) => `${goJsonString(k)}:${goJsonMarshal((v as Record<string, GoValue>)[k] as GoValue)}`)
        .join(',')}}`;
  }
}

/** Go's string ordering: by UTF-8 bytes (which is code point order). */
export function compareBytes(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

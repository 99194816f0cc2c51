/**
 * Bucket policies are JSON documents that S3 (like IAM) stores in its own normal form: whitespace gone,
 * one-element lists written as a scalar, account ids as root ARNs, condition values as strings. Pledge
 * compares the meaning, never the text, so a policy that S3 merely reformatted is not drift.
 */

export const POLICY_MAX_LENGTH = 20_480;

/** Keys whose value is a set of strings that S3 may write as a scalar when it has one element. */
const SET_VALUED = new Set(['Action', 'NotAction', 'Resource', 'NotResource']);
/** Keys whose value is a principal: "*" or a map of principal type to a set of ids. */
const PRINCIPAL_VALUED = new Set(['Principal', 'NotPrincipal']);

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

function isObject(value: unknown): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A set of scalars in a fixed order: a scalar and a one-element list are the same set. */
function stringSet(value: Json, map: (s: string) => string = (s) => s): Json {
  const items = Array.isArray(value) ? value : [value];
  if (!items.every((v) => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean')) return canonical(value);
  return [...new Set(items.map((v) => map(String(v))))].sort();
}

/** S3 rewrites a bare account id in an AWS principal as the account's root ARN. */
function awsPrincipal(id: string): string {
  return /^\d{12}$/.test(id) ? `arn:aws:iam::${id}:root` : id;
}

function principal(value: Json): Json {
  if (!isObject(value)) return value;
  return sortedObject(Object.fromEntries(Object.entries(value).map(([type, ids]) => [type, stringSet(ids, type === 'AWS' ? awsPrincipal : undefined)])));
}

/** Condition: {operator: {key: values}}; S3 writes values as strings, and one-element lists as scalars. */
function condition(value: Json): Json {
  if (!isObject(value)) return canonical(value);
  return sortedObject(
    Object.fromEntries(
      Object.entries(value).map(([operator, keys]) => [
        operator,
        isObject(keys) ? sortedObject(Object.fromEntries(Object.entries(keys).map(([k, v]) => [k, stringSet(v)]))) : canonical(keys),
      ]),
    ),
  );
}

function sortedObject(value: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.keys(value).sort().map((k) => [k, value[k] ?? null]));
}

function statement(value: Json): Json {
  if (!isObject(value)) return canonical(value);
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = SET_VALUED.has(key) ? stringSet(v) : PRINCIPAL_VALUED.has(key) ? principal(v) : key === 'Condition' ? condition(v) : canonical(v);
  }
  return sortedObject(out);
}

function canonical(value: Json): Json {
  if (Array.isArray(value)) return value.map(canonical);
  if (isObject(value)) return sortedObject(Object.fromEntries(Object.entries(value).map(([k, v]) => [k, canonical(v)])));
  return value;
}

/** The policy in a canonical form: keys sorted, sets sorted, statements in a fixed order (their order has no meaning). */
export function canonicalPolicy(document: unknown): Json {
  if (!isObject(document)) return canonical(document as Json);
  const out: Record<string, Json> = {};
  for (const [key, v] of Object.entries(document)) {
    if (key === 'Statement') {
      const statements = (Array.isArray(v) ? v : [v]).map(statement);
      out[key] = statements.map((s) => [JSON.stringify(s), s] as const).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, s]) => s);
    } else out[key] = canonical(v);
  }
  return sortedObject(out);
}

/** Why `text` is not a usable policy document, or undefined when it is one. Never repeats the text. */
export function policyProblem(text: string): string | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err: unknown) {
    // V8's message may quote the text; keep only where parsing stopped.
    const where = err instanceof SyntaxError ? /at position \d+(?: \(line \d+ column \d+\))?/.exec(err.message)?.[0] : undefined;
    return `spec.forProvider.policy is not valid JSON${where ? ` (${where})` : ''}`;
  }
  if (!isObject(parsed)) return 'spec.forProvider.policy must be a JSON object with a Statement';
  if (!('Statement' in parsed)) return 'spec.forProvider.policy has no Statement';
  return undefined;
}

/**
 * True when two policy documents mean the same. A document that does not parse equals only the same
 * text (S3 would have refused it, so the cloud never holds one; the spec's is refused before any call).
 */
export function policiesEqual(desired: string, observed: string): boolean {
  let a: unknown;
  let b: unknown;
  try {
    a = JSON.parse(desired);
    b = JSON.parse(observed);
  } catch {
    return desired === observed;
  }
  return JSON.stringify(canonicalPolicy(a)) === JSON.stringify(canonicalPolicy(b));
}

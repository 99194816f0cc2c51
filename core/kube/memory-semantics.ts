// The API server's semantics the memory store imitates for unit tests: JSON merge patch and equality label selectors.
import { ApiException } from '@kubernetes/client-node';
import type { KubeObject, ObjectMeta } from '../managed/types.ts';

export const MODIFIED = 'the object has been modified; please apply your changes to the latest version and try again';

/** An API error as @kubernetes/client-node throws it: the code, and the Status body as text. */
export function apiError(code: number, reason: string, message: string): ApiException<string> {
  const body = JSON.stringify({ kind: 'Status', apiVersion: 'v1', status: 'Failure', message, reason, code });
  return new ApiException(code, message, body, {});
}

/** metadata without the fields set to undefined, so a stored object has only what was given. */
export function defined(meta: ObjectMeta): ObjectMeta {
  return Object.fromEntries(Object.entries(meta).filter(([, v]) => v !== undefined)) as ObjectMeta;
}

/** Everything the generation counts: the object without metadata and status. */
export function specPart(obj: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = obj;
  return rest;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** RFC 7386 JSON merge patch: objects merge, null deletes, everything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isRecord(patch)) return structuredClone(patch);
  const out: Record<string, unknown> = isRecord(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete out[key];
    else out[key] = mergePatch(out[key], value);
  }
  return out;
}

/** `a=b,c==d,e!=f,g,!h`; set-based selectors (`in`, `notin`) are refused, not ignored. */
export function selectorMatches(selector: string | undefined, labels: Record<string, string>): boolean {
  if (!selector) return true;
  return selector.split(',').map((s) => s.trim()).filter(Boolean).every((term) => {
    const ne = /^([^!=\s]+)\s*!=\s*(\S*)$/.exec(term);
    if (ne) return labels[ne[1] ?? ''] !== ne[2];
    const eq = /^([^!=\s]+)\s*==?\s*(\S*)$/.exec(term);
    if (eq) return labels[eq[1] ?? ''] === eq[2];
    if (/^![^!=\s]+$/.test(term)) return !(term.slice(1) in labels);
    if (/^[^!=\s]+$/.test(term)) return term in labels;
    throw new TypeError(`memory store: unsupported label selector term "${term}"`);
  });
}

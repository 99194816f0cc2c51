// What `pledge validate` checks in a Composition beyond its own schema: P&T's input rules (patches,
// transforms, readiness checks, connection details well-formed), every base template against its
// kind's schema (required fields aside: patches fill them), and every field path against the schema
// of the side it reads or writes (the XR's or the composed kind's).
import type { JSONSchema } from '../../core/crd/index.ts';
import { OBJECT_META, type FieldProblem, type SchemaValidator } from '../../core/validate/index.ts';
import { compositionSpecOf } from '../crossplane-input.ts';
import { parsePath } from '../render/field-path.ts';
import type { ComposedTemplate, CompositionSpec, Patch } from '../render/types.ts';
import { patchSetProblem, patchType, templateProblem, toFieldPathOf } from '../render/validate.ts';

type Path = Array<string | number>;
type JsonObject = { [key: string]: unknown };

export interface CompositionProblem {
  /** Field path inside the Composition object. */
  path: Path;
  message: string;
}

const ROOT_FIELDS = new Set(['apiVersion', 'kind']);

/** Where a field path stops existing in a schema: undefined when it exists (or the schema leaves it open). */
export function missingField(schema: JSONSchema, fieldPath: string): string | undefined {
  let segments: ReturnType<typeof parsePath>;
  try {
    segments = parsePath(fieldPath.replaceAll('[*]', '[0]'));
  } catch (err) {
    return `invalid field path: ${(err as Error).message}`;
  }
  let at: JSONSchema | undefined = schema;
  const walked: string[] = [];
  for (const [i, s] of segments.entries()) {
    if (!at) return walked.join('.');
    if (at['x-kubernetes-preserve-unknown-fields'] === true && !at.properties && !at.items) return undefined;
    if (i === 0 && s.type === 'field' && ROOT_FIELDS.has(s.field)) return segments.length === 1 ? undefined : s.field;
    if (i === 0 && s.type === 'field' && s.field === 'metadata') {
      at = OBJECT_META;
      walked.push('metadata');
      continue;
    }
    if (s.type === 'index') {
      walked.push(`[${s.index}]`);
      at = at.type === 'array' || at.items ? at.items : undefined;
      if (!at) return walked.join('.').replace(/\.\[/g, '[');
      continue;
    }
    walked.push(s.field);
    const next: JSONSchema | undefined = at.properties?.[s.field] ?? (typeof at.additionalProperties === 'object' ? at.additionalProperties : undefined);
    if (!next) {
      if (at.additionalProperties === true) return undefined;
      return walked.join('.').replace(/\.\[/g, '[');
    }
    at = next;
  }
  return undefined;
}

interface Sides {
  xr?: JSONSchema;
  xrName: string;
}

function checkPath(schema: JSONSchema | undefined, side: string, fieldPath: unknown, at: Path, out: CompositionProblem[]): void {
  if (!schema || typeof fieldPath !== 'string' || fieldPath === '') return;
  const missing = missingField(schema, fieldPath);
  if (missing === undefined) return;
  if (missing.startsWith('invalid')) out.push({ path: at, message: `${fieldPath}: ${missing}` });
  else out.push({ path: at, message: `${fieldPath} is not in the schema of ${side}${missing === fieldPath ? '' : ` (it has no ${missing})`}` });
}

function checkPatch(p: Patch, at: Path, sides: Sides, composed: JSONSchema | undefined, composedName: string, out: CompositionProblem[]): void {
  const type = patchType(p);
  const fromXr = type === 'FromCompositeFieldPath' || type === 'CombineFromComposite';
  const toXr = type === 'ToCompositeFieldPath' || type === 'CombineToComposite';
  if (!fromXr && !toXr) return;
  const [source, sourceName, target, targetName] = fromXr ? [sides.xr, sides.xrName, composed, composedName] : [composed, composedName, sides.xr, sides.xrName];
  if (type.startsWith('Combine')) {
    const variables = Array.isArray((p.combine as JsonObject | undefined)?.variables) ? ((p.combine as JsonObject).variables as JsonObject[]) : [];
    for (const [i, v] of variables.entries()) checkPath(source, sourceName, v?.fromFieldPath, [...at, 'combine', 'variables', i, 'fromFieldPath'], out);
  } else {
    checkPath(source, sourceName, p.fromFieldPath, [...at, 'fromFieldPath'], out);
  }
  checkPath(target, targetName, toFieldPathOf(p), [...at, p.toFieldPath ? 'toFieldPath' : 'fromFieldPath'], out);
}

async function checkTemplate(t: ComposedTemplate, at: Path, spec: CompositionSpec, sides: Sides, schemas: SchemaValidator, out: CompositionProblem[]): Promise<void> {
  const base = (t.base ?? {}) as JsonObject;
  const apiVersion = String(base.apiVersion ?? '');
  const kind = String(base.kind ?? '');
  const composed = schemas.schemaOf(apiVersion, kind);
  const composedName = `${kind} (${apiVersion})`;
  if (!composed) {
    out.push({ path: [...at, 'base', 'kind'], message: `unknown kind ${kind} (apiVersion ${apiVersion}): no CRD for it among Pledge's kinds, the files or --crds` });
  } else {
    for (const p of (await schemas.validate(base, true)) ?? []) out.push({ path: [...at, 'base', ...p.path], message: `${p.field}: ${p.message}` });
  }
  for (const [i, p] of (t.patches ?? []).entries()) {
    if (patchType(p) === 'PatchSet') {
      const setIndex = (spec.patchSets ?? []).findIndex((s) => s.name === p.patchSetName);
      const set = spec.patchSets?.[setIndex];
      if (!set) {
        out.push({ path: [...at, 'patches', i, 'patchSetName'], message: `no PatchSet named "${String(p.patchSetName)}"` });
        continue;
      }
      for (const [j, q] of (set.patches ?? []).entries()) checkPatch(q, [...at.slice(0, -2), 'patchSets', setIndex, 'patches', j], sides, composed, `${composedName} (template "${t.name}")`, out);
      continue;
    }
    checkPatch(p, [...at, 'patches', i], sides, composed, composedName, out);
  }
  for (const [i, d] of (t.connectionDetails ?? []).entries()) {
    if (typeof d.fromFieldPath === 'string') checkPath(composed, composedName, d.fromFieldPath, [...at, 'connectionDetails', i, 'fromFieldPath'], out);
  }
  for (const [i, r] of (t.readinessChecks ?? []).entries()) {
    if (typeof r.fieldPath === 'string' && r.fieldPath !== '') checkPath(composed, composedName, r.fieldPath, [...at, 'readinessChecks', i, 'fieldPath'], out);
  }
}

/** The field a P&T input message names (`invalid Function input: resources[0].patches[2].transforms[0].map: …`), as segments. */
function problemPath(message: string, fallback: string): Path {
  const named = /^invalid Function input: ([A-Za-z0-9_.[\]]+):/.exec(message)?.[1] ?? fallback;
  return named
    .split(/\.|(?=\[)/)
    .filter(Boolean)
    .map((s) => (/^\[\d+\]$/.test(s) ? Number(s.slice(1, -1)) : s));
}

/** Every problem of a Composition (Pledge's or Crossplane's format), each with its field path in the object. */
export async function compositionProblems(composition: JsonObject, schemas: SchemaValidator): Promise<CompositionProblem[]> {
  const input = compositionSpecOf(composition);
  if ('error' in input) return [{ path: input.path, message: input.error }];
  const spec = input.spec;
  const prefix: Path = input.format === 'pledge' || !Array.isArray((composition.spec as JsonObject).pipeline) ? ['spec'] : ['spec', 'pipeline', 0, 'input'];
  const out: CompositionProblem[] = [];
  const ref = spec.compositeTypeRef ?? { apiVersion: '', kind: '' };
  const xr = schemas.schemaOf(ref.apiVersion, ref.kind);
  if (!xr) out.push({ path: ['spec', 'compositeTypeRef'], message: `unknown composite kind ${ref.kind} (apiVersion ${ref.apiVersion}): no XRD for it in the files or --crds` });
  const sides: Sides = { xr, xrName: `${ref.kind} (${ref.apiVersion})` };
  for (const [i, set] of (spec.patchSets ?? []).entries()) {
    const problem = patchSetProblem(set);
    if (problem) out.push({ path: [...prefix, 'patchSets', i, ...problemPath(problem, '').slice(0)], message: problem });
  }
  for (const [i, t] of (spec.resources ?? []).entries()) {
    const at = [...prefix, 'resources', i];
    const problem = templateProblem(t, i);
    if (problem) out.push({ path: [...prefix, ...problemPath(problem, `resources[${i}]`)], message: problem });
    await checkTemplate(t, at, spec, sides, schemas, out);
  }
  return out;
}

export type { FieldProblem };

// Crossplane's own Composition files, taken unchanged: an apiextensions.crossplane.io Composition in
// Pipeline mode whose steps run function-patch-and-transform has, as each step's input, exactly what a
// pledge.dev Composition's spec holds (resources, patchSets). Any other function is refused by name:
// Pledge renders only patch-and-transform's semantics.
import type { CompositionSpec } from './render/types.ts';
import { GROUP, VERSION } from './types.ts';

export const CROSSPLANE_GROUP = 'apiextensions.crossplane.io';
export const PATCH_AND_TRANSFORM = {
  /** The name Crossplane's own docs and `crossplane render` examples give the Function. */
  functionName: 'function-patch-and-transform',
  inputApiVersion: 'pt.fn.crossplane.io/v1beta1',
  inputKind: 'Resources',
} as const;
export const AUTO_READY = { functionName: 'function-auto-ready', inputGroup: 'autoready.fn.crossplane.io/' } as const;

type JsonObject = { [key: string]: unknown };
const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a Composition file (either format) says, or the reason it cannot be rendered, with its field path. */
export type CompositionInput = { spec: CompositionSpec; format: 'pledge' | 'crossplane' } | { error: string; path: Array<string | number> };

/** Function name -> its package, from Crossplane `pkg.crossplane.io` Function objects (render's functions file). */
export function functionPackages(objects: readonly JsonObject[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const o of objects) {
    if (o.kind !== 'Function' || typeof o.apiVersion !== 'string' || !o.apiVersion.startsWith('pkg.crossplane.io/')) continue;
    const name = isObject(o.metadata) ? o.metadata.name : undefined;
    const pkg = isObject(o.spec) ? o.spec.package : undefined;
    if (typeof name === 'string') out.set(name, typeof pkg === 'string' ? pkg : '');
  }
  return out;
}

export function isPatchAndTransformInput(input: unknown): input is JsonObject {
  return isObject(input) && input.apiVersion === PATCH_AND_TRANSFORM.inputApiVersion && input.kind === PATCH_AND_TRANSFORM.inputKind;
}

/** The P&T `Resources` input holding a Pledge Composition spec's resources and patchSets (the other direction). */
export function patchAndTransformInput(spec: JsonObject): JsonObject {
  const input: JsonObject = { apiVersion: PATCH_AND_TRANSFORM.inputApiVersion, kind: PATCH_AND_TRANSFORM.inputKind, resources: spec.resources ?? [] };
  if (spec.patchSets !== undefined) input.patchSets = spec.patchSets;
  return input;
}

/** The function a step runs, by its package when the functions file names one, else by its name. */
function stepFunction(step: JsonObject, functions: Map<string, string> | undefined): { fn: string; pkg: string | undefined } {
  const fn = isObject(step.functionRef) && typeof step.functionRef.name === 'string' ? step.functionRef.name : '';
  return { fn, pkg: functions?.get(fn) };
}

/** A function-auto-ready step: by package, or (no functions file) by the name Crossplane's docs give it, with no input or its own. */
export function isAutoReadyStep(step: JsonObject, functions?: Map<string, string>): boolean {
  const { fn, pkg } = stepFunction(step, functions);
  const named = pkg !== undefined && pkg !== '' ? /function-auto-ready(:|@|$)/.test(pkg) : fn === AUTO_READY.functionName;
  const input = step.input;
  return named && (input === undefined || (isObject(input) && typeof input.apiVersion === 'string' && input.apiVersion.startsWith(AUTO_READY.inputGroup)));
}

function pipelineSpec(spec: JsonObject, functions: Map<string, string> | undefined): CompositionInput {
  const pipeline = spec.pipeline;
  if (!Array.isArray(pipeline) || pipeline.length === 0) return { error: 'a Pipeline Composition needs at least one step', path: ['spec', 'pipeline'] };
  // One P&T step, optionally followed by function-auto-ready steps (autoReady on the Pledge side).
  const autoReadySteps = pipeline.slice(1).filter((s: unknown) => isObject(s) && isAutoReadyStep(s, functions)).length;
  if (pipeline.length - autoReadySteps > 1) {
    return { error: `Pledge renders one function-patch-and-transform step, optionally followed by function-auto-ready; this pipeline has ${pipeline.length} steps`, path: ['spec', 'pipeline'] };
  }
  const step: unknown = pipeline[0];
  const at = ['spec', 'pipeline', 0];
  if (!isObject(step)) return { error: 'a pipeline step must be an object', path: at };
  const { fn, pkg } = stepFunction(step, functions);
  const label = `step "${String(step.step ?? '')}" runs function "${fn}"`;
  if (functions && pkg === undefined) return { error: `${label}, which no Function in the functions file defines`, path: [...at, 'functionRef', 'name'] };
  if (pkg !== undefined && pkg !== '' && !/function-patch-and-transform(:|@|$)/.test(pkg)) {
    return { error: `${label} (package ${pkg}): Pledge renders only function-patch-and-transform`, path: [...at, 'functionRef', 'name'] };
  }
  if (!isPatchAndTransformInput(step.input)) {
    return {
      error: `${label}: Pledge renders only function-patch-and-transform (input ${PATCH_AND_TRANSFORM.inputApiVersion} ${PATCH_AND_TRANSFORM.inputKind})`,
      path: [...at, 'input'],
    };
  }
  const { resources, patchSets } = step.input;
  if (isObject(step.input.environment)) return { error: `${label}: environment patches are not supported by Pledge`, path: [...at, 'input', 'environment'] };
  const out: JsonObject = { compositeTypeRef: spec.compositeTypeRef, resources: resources ?? [] };
  if (patchSets !== undefined) out.patchSets = patchSets;
  if (spec.writeConnectionSecretsToNamespace !== undefined) out.writeConnectionSecretsToNamespace = spec.writeConnectionSecretsToNamespace;
  if (autoReadySteps > 0) out.autoReady = true;
  return { spec: out as CompositionSpec, format: 'crossplane' };
}

/**
 * The Composition spec Pledge renders, from a pledge.dev/v1 Composition or a Crossplane one (Pipeline
 * mode with one function-patch-and-transform step, or Crossplane 1.x's classic `mode: Resources`).
 * `functions`, when given (render's functions file), must define the step's function as P&T.
 */
export function compositionSpecOf(doc: JsonObject, functions?: Map<string, string>): CompositionInput {
  if (doc.kind !== 'Composition') return { error: `expected a Composition, found kind ${String(doc.kind)}`, path: ['kind'] };
  const spec = doc.spec;
  if (!isObject(spec)) return { error: 'the Composition has no spec', path: ['spec'] };
  if (doc.apiVersion === `${GROUP}/${VERSION}`) return { spec: spec as CompositionSpec, format: 'pledge' };
  if (typeof doc.apiVersion !== 'string' || !doc.apiVersion.startsWith(`${CROSSPLANE_GROUP}/`)) {
    return { error: `unknown Composition apiVersion ${String(doc.apiVersion)} (expected ${GROUP}/${VERSION} or ${CROSSPLANE_GROUP}/v1)`, path: ['apiVersion'] };
  }
  const mode = spec.mode ?? (spec.pipeline === undefined ? 'Resources' : 'Pipeline');
  if (mode === 'Pipeline') return pipelineSpec(spec, functions);
  if (mode === 'Resources') {
    const out: JsonObject = { compositeTypeRef: spec.compositeTypeRef, resources: spec.resources ?? [] };
    for (const key of ['patchSets', 'writeConnectionSecretsToNamespace']) if (spec[key] !== undefined) out[key] = spec[key];
    return { spec: out as CompositionSpec, format: 'crossplane' };
  }
  return { error: `unknown Composition mode ${String(mode)}`, path: ['spec', 'mode'] };
}

/** The template-name annotation of observed composed resources: Pledge's own, or Crossplane's. */
export const RESOURCE_NAME_ANNOTATIONS = ['pledge.dev/composition-resource-name', 'crossplane.io/composition-resource-name'] as const;

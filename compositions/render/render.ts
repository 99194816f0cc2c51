// One render of a composition, as function-patch-and-transform's RunFunction does it (fn.go):
// for each template, the desired resource is its base with From* patches applied; To* patches
// copy from the observed composed resource into the desired XR; connection details and readiness
// come from the observed composed resource. Pure: inputs are never mutated.

import { extractConnectionDetails } from './connection-details.ts';
import { isNotFound } from './field-path.ts';
import { cloneJson, isObject, type JsonObject, type JsonValue } from './json-value.ts';
import { applyComposedPatch, describePatch, resolvePatchSets, toComposedResource } from './patches.ts';
import { isAutoReady } from './auto-ready.ts';
import { isReady } from './readiness.ts';
import type { ComposedTemplate, KubeResource, Patch, RenderInput, RenderProblem, RenderResult, RenderedComposed } from './types.ts';
import { patchSetProblem, templateProblem } from './validate.ts';

/** The Composition environment: P&T's empty default (environment patches read nothing from it). */
const EMPTY_ENVIRONMENT: JsonObject = { apiVersion: 'internal.crossplane.io/v1alpha1', kind: 'Environment' };

const asJson = (r: KubeResource): JsonObject => r as unknown as JsonObject;

/** Objects in overlay merged into base key by key; anything else in overlay replaces. */
export function mergeOverlay(base: JsonObject, overlay: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [k, v] of Object.entries(overlay)) {
    const b = out[k];
    out[k] = isObject(v) && isObject(b) ? mergeOverlay(b, v) : cloneJson(v);
  }
  return out;
}

interface TemplateOutcome {
  rendered?: RenderedComposed;
  skipped?: boolean;
  connectionDetails: Record<string, string>;
}

function renderTemplate(t: ComposedTemplate, patches: readonly Patch[], input: RenderInput, desiredComposite: JsonObject, problems: RenderProblem[]): TemplateOutcome {
  const problem = (message: string, fatal: boolean): void => {
    problems.push({ resource: t.name, message, fatal });
  };
  const base = t.base as JsonValue;
  if (!isObject(base)) {
    problem(`composed resource ${JSON.stringify(t.name)} has no base template, and was not produced by a previous Function in the pipeline`, true);
    return { connectionDetails: {} };
  }
  if (typeof base.kind !== 'string' || base.kind === '') {
    problem(`cannot parse base template of composed resource ${JSON.stringify(t.name)}: Object 'Kind' is missing in '${JSON.stringify(base)}'`, true);
    return { connectionDetails: {} };
  }
  const desired = cloneJson(base);
  const observed = input.observed[t.name];
  let connectionDetails: Record<string, string> = {};
  let ready = false;
  if (observed) {
    connectionDetails = extractConnectionDetails(asJson(observed.resource), observed.connectionDetails ?? {}, t.connectionDetails);
    try {
      ready = isReady(asJson(observed.resource), t.readinessChecks);
    } catch (err: unknown) {
      problem(`cannot check readiness of composed resource ${JSON.stringify(t.name)}: ${(err as Error).message}`, false);
    }
    // An auto-ready step after P&T decides whatever P&T did not mark ready.
    if (!ready && input.composition.autoReady === true) ready = isAutoReady(asJson(observed.resource));
  }
  const targets = {
    observedComposite: asJson(input.composite),
    desiredComposite,
    observedComposed: observed ? asJson(observed.resource) : undefined,
    desiredComposed: desired,
    environment: cloneJson(EMPTY_ENVIRONMENT),
  };
  for (const [i, p] of patches.entries()) {
    try {
      applyComposedPatch(p, targets);
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      if (!isNotFound(err)) {
        problem(`cannot render composed resource ${JSON.stringify(t.name)} ${describePatch(p, i)}: ${message}`, true);
        return { connectionDetails };
      }
      // A missing source skips the patch, unless the policy requires it: then a resource that
      // does not exist yet is not created until the source appears.
      if (p.policy?.fromFieldPath !== 'Required') continue;
      if (toComposedResource(p) && !observed) {
        problem(`not adding new composed resource ${JSON.stringify(t.name)} to desired state because ${describePatch(p, i)} has 'policy.fromFieldPath: Required': ${message}`, false);
        return { skipped: true, connectionDetails };
      }
      problem(`cannot render composed resource ${JSON.stringify(t.name)} ${describePatch(p, i)}: ignoring 'policy.fromFieldPath: Required' because 'to' resource already exists: ${message}`, false);
    }
  }
  if (observed) keepObservedIdentity(desired, asJson(observed.resource));
  return { rendered: { name: t.name, resource: desired as unknown as KubeResource, ready }, connectionDetails };
}

/**
 * An existing composed resource keeps its name, namespace and generateName whatever the base or a
 * patch says (P&T copies them from the observed resource, and Crossplane again after the pipeline).
 */
function keepObservedIdentity(desired: JsonObject, observed: JsonObject): void {
  const from = isObject(observed.metadata) ? observed.metadata : {};
  const meta: JsonObject = isObject(desired.metadata) ? desired.metadata : {};
  for (const key of ['name', 'namespace', 'generateName']) {
    const value = from[key];
    if (typeof value === 'string' && value !== '') meta[key] = value;
    else delete meta[key];
  }
  if (Object.keys(meta).length > 0 || isObject(desired.metadata)) desired.metadata = meta;
}

/** Renders a composition for one XR. See RenderResult for how to read the outcome. */
export function render(input: RenderInput): RenderResult {
  const problems: RenderProblem[] = [];
  const sets = new Map<string, readonly Patch[]>();
  for (const ps of input.composition.patchSets ?? []) {
    const bad = patchSetProblem(ps);
    if (bad) problems.push({ resource: '', message: bad, fatal: true });
    else sets.set(ps.name, ps.patches ?? []);
  }
  const templates = input.composition.resources ?? [];
  if (templates.length === 0) problems.push({ resource: '', message: 'invalid Function input: resources: Required value: resources or environment patches are required', fatal: true });

  const desiredComposite: JsonObject = { apiVersion: input.composite.apiVersion, kind: input.composite.kind };
  const resources: RenderedComposed[] = [];
  const skipped: string[] = [];
  const connectionDetails: Record<string, string> = {};
  for (const [i, t] of templates.entries()) {
    const invalid = templateProblem(t, i);
    if (invalid) {
      problems.push({ resource: t.name ?? '', message: invalid, fatal: true });
      continue;
    }
    let patches: Patch[];
    try {
      patches = resolvePatchSets(t.patches, sets);
    } catch (err: unknown) {
      problems.push({ resource: t.name, message: (err as Error).message, fatal: true });
      continue;
    }
    const outcome = renderTemplate(t, patches, input, desiredComposite, problems);
    Object.assign(connectionDetails, outcome.connectionDetails);
    if (outcome.rendered) {
      // Templates are keyed by name in P&T's desired state: a later one of the same name replaces
      // an earlier one (unless it was held back).
      const same = resources.findIndex((r) => r.name === t.name);
      if (same >= 0) resources[same] = outcome.rendered;
      else resources.push(outcome.rendered);
    }
    if (outcome.skipped) skipped.push(t.name);
  }

  // Crossplane applies the desired XR through the status subresource: only its status counts.
  const desiredStatus = desiredComposite.status;
  const composite = (isObject(desiredStatus) ? mergeOverlay(cloneJson(asJson(input.composite)), { status: desiredStatus }) : cloneJson(asJson(input.composite))) as unknown as KubeResource;
  return {
    composite,
    desiredComposite: desiredComposite as unknown as KubeResource,
    resources,
    connectionDetails,
    errors: problems.filter((p) => p.fatal),
    warnings: problems.filter((p) => !p.fatal),
    skipped,
  };
}

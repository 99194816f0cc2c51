// `pledge convert`: Crossplane objects as Pledge objects. XRDs (v1 and v2), Compositions (Pipeline
// mode of function-patch-and-transform, optionally followed by function-auto-ready; read through
// crossplane-input.ts as `pledge render` reads them), ProviderConfigs and managed resources of the
// provider kinds in kind-map.ts. Whatever has no Pledge counterpart is left out and reported with
// its field path; nothing is dropped silently. Anything else (XRs, claims, Secrets) passes unchanged.
import { compositionCrds } from '../pledge-crds.ts';
import { AUTO_READY, compositionSpecOf, CROSSPLANE_GROUP, isAutoReadyStep, PATCH_AND_TRANSFORM } from '../crossplane-input.ts';
import type { CompositionSpec } from '../render/types.ts';
import { GROUP, VERSION } from '../types.ts';
import { bucketNameOf, isBucketVersioning, isUpboundBucket, selectsControllerBucket, statusPath, versioningOf } from './bucket-versioning.ts';
import { groupOf, isProviderKind, mappingFor, type KindMapping } from './kind-map.ts';
import { convertFieldPath, convertManaged, type Unconverted } from './managed.ts';
import { isObject, userMetadata, type Converted, type JsonObject } from './objects.ts';
import { CLOUD_OF, convertProviderConfig } from './provider-config.ts';

function xrdSpecKeys(): string[] {
  const xrd = compositionCrds().find((c) => c.metadata.name === `compositeresourcedefinitions.${GROUP}`) as unknown as
    | { spec: { versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> } }
    | undefined;
  return Object.keys(xrd?.spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties ?? {});
}

function convertXrd(doc: JsonObject): Converted {
  const spec = isObject(doc.spec) ? doc.spec : {};
  const known = xrdSpecKeys();
  const unconverted: Unconverted[] = [];
  const out: JsonObject = {};
  for (const [key, value] of Object.entries(spec)) {
    if (known.includes(key)) out[key] = value;
    else unconverted.push({ path: `spec.${key}`, reason: "Pledge's CompositeResourceDefinition has no such field" });
  }
  // Crossplane's v2 XRDs become pledge.dev/v2 ones (scope defaulting to Namespaced, as theirs); the default is
  // written out all the same, for the tools that read an XRD file without an API server.
  const v2 = doc.apiVersion === `${CROSSPLANE_GROUP}/v2`;
  if (v2 && out.scope === undefined) out.scope = 'Namespaced';
  return { object: { apiVersion: `${GROUP}/${v2 ? 'v2' : VERSION}`, kind: 'CompositeResourceDefinition', metadata: userMetadata(doc.metadata), spec: out }, unconverted };
}

const FROM_COMPOSITE = new Set(['FromCompositeFieldPath', 'CombineFromComposite', 'FromEnvironmentFieldPath', 'CombineFromEnvironment']);
const TO_COMPOSITE = new Set(['ToCompositeFieldPath', 'CombineToComposite', 'ToEnvironmentFieldPath', 'CombineToEnvironment']);

/** A patch of a mapped template with its composed-side field paths renamed; undefined (and reported) when one has no counterpart. */
function convertPatch(patch: JsonObject, mapping: KindMapping, at: string, unconverted: Unconverted[]): JsonObject | undefined {
  const type = typeof patch.type === 'string' ? patch.type : 'FromCompositeFieldPath';
  const rename = (key: string, path: unknown): string | undefined => {
    if (typeof path !== 'string') return undefined;
    const target = convertFieldPath(path, mapping);
    if (target === undefined) unconverted.push({ path: `${at}.${key}`, reason: `${path}: Pledge's ${mapping.kind} has no counterpart of this field` });
    return target;
  };
  const out = structuredClone(patch);
  if (FROM_COMPOSITE.has(type) && patch.toFieldPath !== undefined) {
    const to = rename('toFieldPath', patch.toFieldPath);
    if (to === undefined) return undefined;
    out.toFieldPath = to;
  }
  if (TO_COMPOSITE.has(type)) {
    if (patch.fromFieldPath !== undefined) {
      const from = rename('fromFieldPath', patch.fromFieldPath);
      if (from === undefined) return undefined;
      out.fromFieldPath = from;
    }
    const combine = isObject(out.combine) ? out.combine : undefined;
    if (combine && Array.isArray(combine.variables)) {
      for (const [i, v] of combine.variables.entries()) {
        if (!isObject(v)) continue;
        const from = rename(`combine.variables[${i}].fromFieldPath`, v.fromFieldPath);
        if (from === undefined) return undefined;
        v.fromFieldPath = from;
      }
    }
  }
  return out;
}

function convertTemplate(template: JsonObject, at: string, unconverted: Unconverted[]): JsonObject | undefined {
  const base = isObject(template.base) ? template.base : undefined;
  const mapping = mappingFor(base?.apiVersion, base?.kind);
  if (!base || !mapping) {
    if (base && isProviderKind(base.apiVersion)) {
      unconverted.push({ path: `${at}`, reason: `template "${String(template.name)}": Pledge has no ${String(base.apiVersion)} ${String(base.kind)} (no kind of ${groupOf(String(base.apiVersion))})` });
      return undefined;
    }
    return template;
  }
  const out: JsonObject = { ...template };
  const converted = convertManaged(base, mapping, `${at}.base`);
  unconverted.push(...converted.problems);
  out.base = converted.object;
  if (Array.isArray(template.patches)) {
    out.patches = template.patches.flatMap((p, i) => {
      const c = isObject(p) ? convertPatch(p, mapping, `${at}.patches[${i}]`, unconverted) : p;
      return c === undefined ? [] : [c];
    });
  }
  if (Array.isArray(template.readinessChecks)) {
    out.readinessChecks = template.readinessChecks.flatMap((c, i) => {
      if (!isObject(c) || typeof c.fieldPath !== 'string' || c.fieldPath === '') return [c];
      const path = convertFieldPath(c.fieldPath, mapping);
      if (path === undefined) {
        unconverted.push({ path: `${at}.readinessChecks[${i}]`, reason: `${c.fieldPath}: Pledge's ${mapping.kind} has no counterpart of this field` });
        return [];
      }
      return [{ ...c, fieldPath: path }];
    });
  }
  if (Array.isArray(template.connectionDetails)) {
    out.connectionDetails = template.connectionDetails.flatMap((d, i) => {
      if (!isObject(d) || typeof d.fromFieldPath !== 'string') return [d];
      const path = convertFieldPath(d.fromFieldPath, mapping);
      if (path === undefined) {
        unconverted.push({ path: `${at}.connectionDetails[${i}]`, reason: `${d.fromFieldPath}: Pledge's ${mapping.kind} has no counterpart of this field` });
        return [];
      }
      return [{ ...d, fromFieldPath: path }];
    });
  }
  return out;
}

/** A patchSet patch into a forProvider field that a template using it calls otherwise (or lacks) cannot be shared as is. */
function checkPatchSets(spec: CompositionSpec, at: string, unconverted: Unconverted[]): void {
  for (const [s, set] of (spec.patchSets ?? []).entries()) {
    for (const [i, patch] of set.patches.entries()) {
      const path = patch.toFieldPath;
      if (typeof path !== 'string' || !FROM_COMPOSITE.has(patch.type ?? 'FromCompositeFieldPath')) continue;
      for (const t of spec.resources) {
        const mapping = mappingFor(t.base?.apiVersion, t.base?.kind);
        const uses = t.patches?.some((p) => p.type === 'PatchSet' && p.patchSetName === set.name);
        if (mapping && uses && convertFieldPath(path, mapping) !== path) {
          unconverted.push({ path: `${at}.patchSets[${s}].patches[${i}]`, reason: `${path}: template "${t.name}" is a Pledge ${mapping.kind}, which calls this field otherwise or lacks it` });
        }
      }
    }
  }
}

function convertComposition(doc: JsonObject, functions?: Map<string, string>): Converted {
  const input = compositionSpecOf(doc, functions);
  if ('error' in input) return { unconverted: [{ path: input.path.join('.').replace(/\.(\d+)/g, '[$1]'), reason: input.error }] };
  const unconverted: Unconverted[] = [];
  const spec = isObject(doc.spec) ? doc.spec : {};
  for (const key of Object.keys(spec)) {
    if (!['compositeTypeRef', 'mode', 'pipeline', 'resources', 'patchSets', 'writeConnectionSecretsToNamespace'].includes(key)) {
      unconverted.push({ path: `spec.${key}`, reason: "Pledge's Composition has no such field" });
    }
  }
  // Where the templates sit in the source: the P&T step's input, or the classic spec.
  let at = 'spec';
  if (Array.isArray(spec.pipeline)) {
    at = 'spec.pipeline[0].input';
    for (const [i, step] of spec.pipeline.entries()) {
      if (!isObject(step)) continue;
      for (const key of Object.keys(step)) {
        if (!['step', 'functionRef', 'input'].includes(key)) unconverted.push({ path: `spec.pipeline[${i}].${key}`, reason: 'Pledge runs no function: a step has nothing but its input' });
      }
      const stepInput = isObject(step.input) ? step.input : {};
      const allowed = i === 0 ? ['apiVersion', 'kind', 'resources', 'patchSets'] : isAutoReadyStep(step, functions) ? ['apiVersion', 'kind'] : [];
      for (const key of Object.keys(stepInput)) {
        if (!allowed.includes(key)) unconverted.push({ path: `spec.pipeline[${i}].input.${key}`, reason: `not part of what Pledge takes from ${i === 0 ? PATCH_AND_TRANSFORM.functionName : AUTO_READY.functionName}` });
      }
    }
  }
  const out = structuredClone(input.spec);
  checkPatchSets(input.spec, at, unconverted);
  const versioning = versioningTemplates(input.spec.resources as unknown as JsonObject[], at, unconverted);
  out.resources = input.spec.resources.flatMap((t, i) => {
    if (versioning.merged.has(i)) return [];
    const c = convertTemplate(t as JsonObject, `${at}.resources[${i}]`, unconverted);
    if (c && versioning.into === i) mergeVersioning(c, versioning);
    return c === undefined ? [] : [c as CompositionSpec['resources'][number]];
  });
  const note = versioning.merged.size > 0 ? `BucketVersioning template(s) merged into the Bucket template as spec.forProvider.versioning (their region patches dropped: the Bucket's own region applies)` : undefined;
  return { object: { apiVersion: `${GROUP}/${VERSION}`, kind: 'Composition', metadata: userMetadata(doc.metadata), spec: out }, unconverted, ...(note ? { note } : {}) };
}

interface VersioningMerge {
  /** Indexes of BucketVersioning templates folded into the Bucket template. */
  merged: Set<number>;
  /** Index of the one Bucket template. */
  into?: number;
  versioning?: string;
  patches: JsonObject[];
}

/** BucketVersioning templates that select the composite's one Bucket (matchControllerRef): their status, and status patches, go to it. */
function versioningTemplates(templates: JsonObject[], at: string, unconverted: Unconverted[]): VersioningMerge {
  const out: VersioningMerge = { merged: new Set(), patches: [] };
  const buckets = templates.flatMap((t, i) => (isObject(t.base) && isUpboundBucket(t.base) ? [i] : []));
  for (const [i, t] of templates.entries()) {
    const base = isObject(t.base) ? t.base : undefined;
    if (!base || !isBucketVersioning(base)) continue;
    const where = `${at}.resources[${i}]`;
    if (!selectsControllerBucket(base) || buckets.length !== 1) {
      unconverted.push({ path: where, reason: `template "${String(t.name)}": a BucketVersioning becomes its Bucket's spec.forProvider.versioning only when it selects the composite's one Bucket (bucketSelector.matchControllerRef: true)` });
      out.merged.add(i);
      continue;
    }
    out.merged.add(i);
    out.into = buckets[0];
    const v = versioningOf(base, `${where}.base`);
    unconverted.push(...v.unconverted);
    if (v.versioning) out.versioning = v.versioning;
    const status = statusPath(base);
    for (const [j, patch] of (Array.isArray(t.patches) ? t.patches : []).entries()) {
      if (!isObject(patch)) continue;
      const type = typeof patch.type === 'string' ? patch.type : 'FromCompositeFieldPath';
      if (FROM_COMPOSITE.has(type) && (patch.toFieldPath === status || patch.toFieldPath === status.replace('[0]', ''))) {
        out.patches.push({ ...structuredClone(patch), toFieldPath: 'spec.forProvider.versioning' });
      } else if (!(FROM_COMPOSITE.has(type) && patch.toFieldPath === 'spec.forProvider.region')) {
        unconverted.push({ path: `${where}.patches[${j}]`, reason: 'a BucketVersioning patch other than its status (or its region, the Bucket\'s own) has no place on the Bucket' });
      }
    }
  }
  return out;
}

/** The object's spec.forProvider, created when absent. */
function forProviderIn(object: JsonObject): JsonObject {
  if (!isObject(object.spec)) object.spec = {};
  const spec = object.spec as JsonObject;
  if (!isObject(spec.forProvider)) spec.forProvider = {};
  return spec.forProvider as JsonObject;
}

function mergeVersioning(template: JsonObject, merge: VersioningMerge): void {
  if (merge.versioning && isObject(template.base)) forProviderIn(template.base).versioning = merge.versioning;
  if (merge.patches.length > 0) template.patches = [...(Array.isArray(template.patches) ? template.patches : []), ...merge.patches];
}

export type { Converted } from './objects.ts';

/** One Crossplane object as Pledge's. `functions` (Function name -> package) tells steps apart by package. */
export function convertObject(doc: JsonObject, functions?: Map<string, string>): Converted {
  const apiVersion = typeof doc.apiVersion === 'string' ? doc.apiVersion : '';
  const group = groupOf(apiVersion);
  if (group === CROSSPLANE_GROUP && doc.kind === 'CompositeResourceDefinition') return convertXrd(doc);
  if (group === CROSSPLANE_GROUP && doc.kind === 'Composition') return convertComposition(doc, functions);
  if (group === 'pkg.crossplane.io' && (doc.kind === 'Function' || doc.kind === 'Provider' || doc.kind === 'Configuration' || doc.kind === 'DeploymentRuntimeConfig')) {
    return { unconverted: [], note: `dropped: Pledge installs no packages (its compositions run patch-and-transform natively, its providers are built in)` };
  }
  const cloud = CLOUD_OF[group];
  if (cloud && doc.kind === 'ProviderConfig') return convertProviderConfig(doc, cloud);
  const mapping = mappingFor(apiVersion, doc.kind);
  if (mapping) {
    const { object, problems } = convertManaged(doc, mapping);
    return { object, unconverted: problems };
  }
  if (isProviderKind(apiVersion)) return { unconverted: [{ path: 'kind', reason: `Pledge has no ${apiVersion} ${String(doc.kind)}` }] };
  return { object: doc, unconverted: [] };
}

/**
 * Every object of a set of files: as convertObject, and a standalone BucketVersioning is folded into the
 * converted Bucket it names (by name or external name) among the same objects.
 */
export function convertObjects(docs: readonly JsonObject[], functions?: Map<string, string>): Converted[] {
  const out = docs.map((d) => (isBucketVersioning(d) ? { unconverted: [] } : convertObject(d, functions)) as Converted);
  for (const [i, doc] of docs.entries()) {
    if (!isBucketVersioning(doc)) continue;
    const name = bucketNameOf(doc);
    const target = docs.findIndex((b) => {
      const meta = isObject(b.metadata) ? b.metadata : {};
      const external = isObject(meta.annotations) ? meta.annotations['crossplane.io/external-name'] : undefined;
      return isUpboundBucket(b) && name !== undefined && (meta.name === name || external === name);
    });
    const bucket = out[target]?.object;
    if (target < 0 || !bucket) {
      out[i] = { unconverted: [{ path: 'spec.forProvider', reason: `Pledge keeps versioning on the Bucket: no Bucket ${name ?? '(unnamed)'} among the inputs to fold it into` }] };
      continue;
    }
    const v = versioningOf(doc, '');
    if (v.versioning) forProviderIn(bucket).versioning = v.versioning;
    out[i] = { unconverted: v.unconverted, note: `folded into Bucket ${name} as spec.forProvider.versioning${v.versioning ? `: ${v.versioning}` : ''}` };
  }
  return out;
}

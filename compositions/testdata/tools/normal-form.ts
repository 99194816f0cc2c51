// The normal form both renderers' outputs are brought to before they are compared (see ../README.md).
// Pure functions: no I/O. The differential test can build a NormalForm from Pledge's render() and
// compare serialiseNormalForm(...) with the case's expected.yaml byte for byte.
import { stringify } from 'yaml';
import { type JsonObject, isObject, objectAt, RESOURCE_NAME_ANNOTATION } from './case-files.ts';

export const COMPOSITE_LABEL = 'crossplane.io/composite';

export interface NormalComposed {
  /** The template name (resources[].name); crossplane.io/composition-resource-name in render's output. */
  name: string;
  /** Whether the function marked it ready. Absent where render does not tell (see README). */
  ready?: boolean;
  /** The desired composed resource, with the metadata the renderer adds removed. */
  resource: JsonObject;
}

export interface NormalForm {
  /** The XR after the render: the input XR with the desired XR deep-merged over it. */
  composite: JsonObject;
  /** Whether the XR would be Ready (every composed resource ready and none held back). */
  compositeReady: boolean;
  /** Sorted by name. */
  resources: NormalComposed[];
  /** XR connection details, values as plain strings. */
  connectionDetails: Record<string, string>;
}

export function deepCopy<T>(value: T): T {
  return structuredClone(value);
}

/**
 * Objects merge key by key, recursively; anything else (scalars, arrays, null) in `over` replaces
 * what `base` has. This is what server-side apply does with granular maps and atomic lists.
 */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out = deepCopy(base);
  for (const [key, value] of Object.entries(over)) {
    const current = out[key];
    out[key] = isObject(current) && isObject(value) ? deepMerge(current, value) : deepCopy(value);
  }
  return out;
}

function dropEmptyMap(parent: JsonObject, key: string): void {
  const v = parent[key];
  if (isObject(v) && Object.keys(v).length === 0) delete parent[key];
}

export interface ComposedMetadataContext {
  /** The XR's metadata.name: render sets generateName "<name>-" and label crossplane.io/composite. */
  compositeName: string;
  /** metadata.name / metadata.namespace of the observed resource for this template, when one exists. */
  observedName?: string;
  observedNamespace?: string;
}

/**
 * Removes what a renderer adds to a desired composed resource around the template's own content:
 * the composition-resource-name annotation, the crossplane.io/composite label, ownerReferences,
 * generateName "<xr>-", and the name/namespace copied from the observed resource. Then drops
 * labels, annotations and metadata if they are left empty. Applying it to a resource that has none
 * of these (Pledge's output) only drops empty maps.
 */
export function normaliseComposed(resource: JsonObject, context: ComposedMetadataContext): JsonObject {
  const out = deepCopy(resource);
  const metadata = objectAt(out, 'metadata');
  if (metadata === undefined) return out;
  const annotations = objectAt(metadata, 'annotations');
  if (annotations !== undefined) delete annotations[RESOURCE_NAME_ANNOTATION];
  const labels = objectAt(metadata, 'labels');
  if (labels !== undefined && labels[COMPOSITE_LABEL] === context.compositeName) delete labels[COMPOSITE_LABEL];
  delete metadata.ownerReferences;
  if (metadata.generateName === `${context.compositeName}-`) delete metadata.generateName;
  if (context.observedName !== undefined && metadata.name === context.observedName) delete metadata.name;
  if (context.observedNamespace !== undefined && metadata.namespace === context.observedNamespace) delete metadata.namespace;
  dropEmptyMap(metadata, 'annotations');
  dropEmptyMap(metadata, 'labels');
  dropEmptyMap(out, 'metadata');
  return out;
}

/** What a renderer produced, in the shape of Pledge's RenderResult (structurally; no import). */
export interface RendererOutput {
  composite: JsonObject;
  resources: Array<{ name: string; resource: JsonObject; ready: boolean }>;
  connectionDetails: Record<string, string>;
}

/**
 * The normal form of a renderer's output for one case: `input` is the case (xr.yaml and
 * observed.yaml), `compositeReady` whatever the renderer says of the XR's readiness. `withReady`
 * false leaves `ready` out of every resource, as the goldens do where render does not tell.
 */
export function toNormalForm(
  input: { composite: JsonObject; observed: JsonObject[] },
  output: RendererOutput,
  compositeReady: boolean,
  withReady = true,
): NormalForm {
  const compositeName = String(objectAt(input.composite, 'metadata')?.name ?? '');
  const observedMeta = new Map<string, JsonObject | undefined>();
  for (const o of input.observed) {
    const meta = objectAt(o, 'metadata');
    const name = objectAt(meta ?? {}, 'annotations')?.[RESOURCE_NAME_ANNOTATION];
    if (typeof name === 'string') observedMeta.set(name, meta);
  }
  const resources = output.resources.map((r): NormalComposed => {
    const meta = observedMeta.get(r.name);
    const resource = normaliseComposed(r.resource, {
      compositeName,
      observedName: typeof meta?.name === 'string' ? meta.name : undefined,
      observedNamespace: typeof meta?.namespace === 'string' ? meta.namespace : undefined,
    });
    return withReady ? { name: r.name, ready: r.ready, resource } : { name: r.name, resource };
  });
  return { composite: output.composite, compositeReady, resources, connectionDetails: output.connectionDetails };
}

/** Key order is made canonical by the serialiser; resources are sorted by name here. */
export function canonicalNormalForm(form: NormalForm): NormalForm {
  const resources = [...form.resources].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return { ...form, resources };
}

export const serialiseOptions = { sortMapEntries: true, lineWidth: 0, minContentWidth: 0, indent: 2 } as const;

/** expected.yaml of a case where the function returned a fatal result: Crossplane renders nothing. */
export function serialiseFatal(): string {
  return stringify({ fatal: true }, serialiseOptions);
}

/** The exact bytes of expected.yaml: YAML (the `yaml` package) with map keys sorted, no line folding. */
export function serialiseNormalForm(form: NormalForm): string {
  return stringify(canonicalNormalForm(form), serialiseOptions);
}

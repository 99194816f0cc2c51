// `pledge plan` for claims and XRs: the composed resources a claim or XR from a file would get, rendered the way the
// claim binding and the composite reconciler do it, reading the cluster (GET/LIST only) and writing nothing.
import type { JSONSchema } from '../core/crd/index.ts';
import type { ResourceType } from '../core/kube/index.ts';
import type { KubeObject } from '../core/managed/types.ts';
import type { ComposedRef, Expansion, ExpansionSource } from '../core/plan/expansion.ts';
import { unknownFields } from '../core/plan/schema-check.ts';
import { compositeSpec } from './claim-binding.ts';
import { compositeNameForClaim } from './composed-names.ts';
import { desiredObject } from './composed-object.ts';
import { selectComposition } from './composition-selection.ts';
import { KindRegistry } from './kind-registry.ts';
import { render } from './render/index.ts';
import type { KubeResource, ObservedComposed } from './render/types.ts';
import { COMPOSITIONS, REVISIONS } from './revisions.ts';
import { ANNOTATION_RESOURCE_NAME, compositionFields, compositionFieldsPatch, GROUP, LABELS, xrdScope, type Claim, type Composite, type CompositeResourceDefinition, type Composition, type CompositionRevision } from './types.ts';
import { XRDS } from './xrd-controller.ts';

const PLEDGE_API = `${GROUP}/v1`;

function ofKind<T extends KubeObject>(objects: readonly KubeObject[], kind: string): T[] {
  return objects.filter((o) => o.apiVersion === PLEDGE_API && o.kind === kind) as T[];
}

function groupOf(apiVersion: string | undefined): { group: string; version: string } {
  const [group = '', version = ''] = (apiVersion ?? '').split('/');
  return { group, version };
}

/** The XRDs to know kinds by: the files' first, then the cluster's. */
async function definitions(source: ExpansionSource): Promise<CompositeResourceDefinition[]> {
  const local = ofKind<CompositeResourceDefinition>(source.local, 'CompositeResourceDefinition');
  const remote = source.kube ? (await source.kube.list<CompositeResourceDefinition>(XRDS)).items : [];
  return [...local, ...remote.filter((r) => !local.some((l) => l.metadata.name === r.metadata.name))];
}

async function compositions(source: ExpansionSource): Promise<Composition[]> {
  const local = ofKind<Composition>(source.local, 'Composition');
  if (source.localCompositionsOnly || !source.kube) return local;
  const remote = (await source.kube.list<Composition>(COMPOSITIONS)).items;
  return [...local, ...remote.filter((r) => !local.some((l) => l.metadata.name === r.metadata.name))];
}

/** The spec to render: a Manual XR's pinned revision from the cluster, else the Composition (its newest revision's content). */
async function compositionSpec(source: ExpansionSource, xrd: CompositeResourceDefinition, xr: Composite, live: Composite | undefined, composition: Composition): Promise<{ spec: Composition['spec']; label: string }> {
  const kept = live ? compositionFields(xrd, live) : undefined;
  const pinned = kept?.compositionUpdatePolicy === 'Manual' ? kept.compositionRevisionRef?.name : undefined;
  if (pinned && source.kube && !source.localCompositionsOnly && compositionFields(xrd, xr).compositionUpdatePolicy !== 'Automatic') {
    const revision = await source.kube.get<CompositionRevision>(REVISIONS, pinned);
    if (revision) return { spec: revision.spec, label: `${composition.metadata.name} (revision ${revision.spec.revision}, pinned)` };
  }
  return { spec: composition.spec, label: composition.metadata.name };
}

function asResource(obj: KubeObject): KubeResource {
  return { ...obj, apiVersion: obj.apiVersion ?? '', kind: obj.kind ?? '' } as KubeResource;
}

/** The API server's defaulting, which a file skips: schema defaults filled in where the object leaves a field unset. */
function withDefaults(value: unknown, schema: JSONSchema | undefined): unknown {
  if (!schema || typeof value !== 'object' || value === null || Array.isArray(value)) return value;
  const out: Record<string, unknown> = { ...(value as Record<string, unknown>) };
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (out[key] === undefined && child.default !== undefined) out[key] = structuredClone(child.default);
    if (out[key] !== undefined) out[key] = withDefaults(out[key], child);
  }
  return out;
}

function specSchema(xrd: CompositeResourceDefinition, version: string): JSONSchema | undefined {
  return xrd.spec.versions.find((v) => v.name === version)?.schema?.openAPIV3Schema?.properties?.spec;
}

/** Expands a claim or XR of a served (or file-defined) XRD; undefined for any other kind. */
export async function expandForPlan(obj: KubeObject, source: ExpansionSource): Promise<Expansion | undefined> {
  const { group, version } = groupOf(obj.apiVersion);
  const xrd = (await definitions(source)).find((d) => d.spec.group === group && (d.spec.names.kind === obj.kind || d.spec.claimNames?.kind === obj.kind));
  if (!xrd) return undefined;
  const isClaim = xrd.spec.claimNames?.kind === obj.kind && xrd.spec.names.kind !== obj.kind;
  // A Namespaced composite (Crossplane v2) lives in a namespace, as kubectl would create it ("default" when unset).
  const xrNamespace = xrdScope(xrd) === 'Namespaced' ? (obj.metadata?.namespace ?? 'default') : undefined;
  const compositeType: ResourceType = { group, version, plural: xrd.spec.names.plural, ...(xrNamespace ? { namespaced: true } : {}) };
  const name = obj.metadata?.name;
  if (!name) throw new Error(`${obj.kind} has no metadata.name`);

  const STANDARD = new Set(['crossplane', 'compositionRef', 'compositionSelector', 'compositionRevisionRef', 'compositionUpdatePolicy', 'writeConnectionSecretToRef', 'resourceRef', 'resourceRefs', 'claimRef']);
  const own = Object.fromEntries(Object.entries((obj.spec ?? {}) as Record<string, unknown>).filter(([k]) => !STANDARD.has(k)));
  const unknown = unknownFields(own, specSchema(xrd, version), 'spec');
  if (unknown.length > 0) throw new Error(`${obj.kind} ${name}: field ${unknown.join(', ')} does not exist in the ${obj.kind} schema (XRD ${xrd.metadata.name})`);

  let xr: Composite;
  let describe: string;
  if (isClaim) {
    const namespace = obj.metadata?.namespace ?? 'default';
    const claimType: ResourceType = { group, version, plural: xrd.spec.claimNames?.plural ?? '', namespaced: true };
    const liveClaim = source.kube ? await source.kube.get<Claim>(claimType, name, namespace) : undefined;
    const spec = withDefaults((obj as Claim).spec ?? {}, specSchema(xrd, version)) as Claim['spec'];
    const claim = { ...(obj as Claim), metadata: { ...obj.metadata, name, namespace }, spec } as Claim;
    const xrName = liveClaim?.spec.resourceRef?.name ?? compositeNameForClaim(namespace, name);
    xr = {
      apiVersion: obj.apiVersion ?? '',
      kind: xrd.spec.names.kind,
      metadata: { name: xrName, labels: { [LABELS.claimName]: name, [LABELS.claimNamespace]: namespace } },
      spec: compositeSpec(claim, xrName),
    } as Composite;
    describe = `${obj.kind} ${namespace}/${name}`;
  } else {
    xr = { ...(obj as Composite), metadata: { ...(obj as Composite).metadata, ...(xrNamespace ? { namespace: xrNamespace } : {}) }, spec: withDefaults((obj as Composite).spec ?? {}, specSchema(xrd, version)) as Composite['spec'] };
    describe = `${obj.kind} ${xrNamespace ? `${xrNamespace}/` : ''}${name}`;
  }
  const live = source.kube ? await source.kube.get<Composite>(compositeType, xr.metadata.name, xrNamespace) : undefined;
  if (live) {
    // What the controller keeps on the live XR and a file leaves out: its uid (owner references) and its selection.
    xr.metadata = { ...xr.metadata, uid: live.metadata.uid };
    const kept = compositionFields(xrd, live);
    const selection = { compositionRef: kept.compositionRef, compositionRevisionRef: kept.compositionRevisionRef, compositionUpdatePolicy: kept.compositionUpdatePolicy, ...compositionFields(xrd, xr) };
    xr.spec = { ...xr.spec, ...compositionFieldsPatch(xrd, selection).spec };
    if (live.status) xr.status = live.status;
  }

  const candidates = await compositions(source);
  const compositionName = selectComposition(xrd, xr, candidates);
  if (!compositionName) throw new Error(`${describe}: no Composition selected: set spec.compositionRef, a matching spec.compositionSelector, or the XRD's defaultCompositionRef`);
  const composition = candidates.find((c) => c.metadata.name === compositionName);
  if (!composition) throw new Error(`${describe}: Composition "${compositionName}" not found${source.localCompositionsOnly ? ' in --compositions' : ''}`);
  const chosen = await compositionSpec(source, xrd, xr, live, composition);

  const kinds = new KindRegistry();
  const existing: ComposedRef[] = (live ? compositionFields(xrd, live).resourceRefs : undefined) ?? [];
  const observed: Record<string, ObservedComposed> = {};
  for (const ref of existing) {
    // A ref names its namespace only where a Cluster composite composes a namespaced resource; a namespaced composite's are in its own.
    const namespace = ref.namespace ?? xrNamespace;
    const type = { ...kinds.resolve(ref.apiVersion, ref.kind), ...(namespace ? { namespaced: true } : {}) };
    const found = source.kube ? await source.kube.get<KubeObject>(type, ref.name, namespace) : undefined;
    const template = found?.metadata?.annotations?.[ANNOTATION_RESOURCE_NAME];
    // Connection details are not read: a plan shows no secret, and rendering the composed specs does not need them.
    if (found && template) observed[template] = { resource: asResource(found), connectionDetails: {} };
  }
  const result = render({ composite: asResource(xr), composition: chosen.spec, observed });
  if (result.errors.length > 0) {
    throw new Error(`${describe}: Composition "${chosen.label}": ${result.errors.map((e) => `resource "${e.resource}": ${e.message}`).join('; ')}`);
  }
  const composed = result.resources.map((r) => desiredObject(xr, { spec: { ...chosen.spec, revision: 0 } }, r) as KubeObject);
  return { describe, composition: chosen.label, composed, existing, ...(xrNamespace ? { namespace: xrNamespace } : {}) };
}

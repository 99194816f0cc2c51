// `pledge plan`: what applying manifests would do to the clouds. Reads the cluster (GET/LIST) and observes the
// clouds through the providers' own observe; never creates, updates or deletes anything, nor writes to the API server.
import { isDeepStrictEqual } from 'node:util';
import { managedCrd, type JSONSchema } from '../crd/index.ts';
import { ANNOTATIONS } from '../managed/annotations.ts';
import { initialExternalName } from '../managed/namespaced.ts';
import type { FieldDiff, KubeObject, ManagedResource, Provider } from '../managed/types.ts';
import type { ControllerModule } from '../manager/module.ts';
import type { KindOf, ReadOnlyKube, ReadOnlySession } from '../offline/connect.ts';
import type { Expansion } from './expansion.ts';
import { ManifestError, where, type Manifest } from './manifests.ts';
import { immutableFields, unknownFields } from './schema-check.ts';

export const PLAN_ACTIONS = ['create', 'update', 'replace', 'delete', 'orphan', 'no change', 'error'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

/** One field of a planned change: cloud (or live) value → desired value. Sensitive ones carry no value at all. */
export interface PlannedField {
  path: string;
  from?: unknown;
  to?: unknown;
  sensitive?: boolean;
  immutable?: boolean;
}

export interface PlannedResource {
  action: PlanAction;
  apiVersion: string;
  kind: string;
  name: string;
  /** file:line of the object in the manifests (a composed resource: of its claim or XR). */
  source: string;
  /** The claim or XR that composes it, e.g. `ObjectStorage team-a/data`. */
  composedBy?: string;
  externalName?: string;
  fields: PlannedField[];
  /** Why, when the fields do not say it: a drift the kind cannot itemise, an error, a policy. */
  note?: string;
}

export interface Plan {
  resources: PlannedResource[];
  summary: Record<PlanAction, number>;
}

export interface PlanInputs {
  manifests: readonly Manifest[];
  /** Objects from --compositions (Compositions, XRDs). */
  compositions?: readonly KubeObject[];
  kube: ReadOnlyKube;
  session: ReadOnlySession;
  providers: readonly Provider[];
  modules: readonly ControllerModule[];
  signal: AbortSignal;
  onProgress?(text: string): void;
}

const PLEDGE_CONTEXT_KINDS = new Set(['CompositeResourceDefinition', 'Composition', 'CompositionRevision']);

/** A secret can only be in a string field named for one; references to Secrets carry names, not values. */
function looksSensitive(path: string, value: unknown): boolean {
  return typeof value === 'string' && /password|secretaccesskey|privatekey|connectionstring/i.test(path);
}

function flatten(value: unknown, path: string): PlannedField[] {
  if (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length > 0) {
    return Object.entries(value).flatMap(([k, v]) => flatten(v, path ? `${path}.${k}` : k));
  }
  return [looksSensitive(path, value) ? { path, sensitive: true } : { path, to: value }];
}

function fromDiff(d: FieldDiff): PlannedField {
  if (d.sensitive || looksSensitive(d.path, d.desired) || looksSensitive(d.path, d.observed)) return { path: d.path, sensitive: true, ...(d.immutable ? { immutable: true } : {}) };
  return { path: d.path, from: d.observed, to: d.desired, ...(d.immutable ? { immutable: true } : {}) };
}

/**
 * The resource as observe should see it: the desired spec, with what the controller keeps on the live object
 * and the file leaves out (its external name and other annotations, late-initialized forProvider fields, status).
 */
function observable(desired: ManagedResource, live: ManagedResource | undefined, externalName: string | undefined): ManagedResource {
  // A new resource is observed under the cloud name the controller would give it.
  if (!live) return externalName ? { ...desired, metadata: { ...desired.metadata, annotations: { ...desired.metadata.annotations, [ANNOTATIONS.externalName]: externalName } } } : desired;
  return {
    ...desired,
    metadata: { ...desired.metadata, uid: live.metadata.uid, annotations: { ...live.metadata.annotations, ...desired.metadata.annotations } },
    spec: { ...desired.spec, forProvider: { ...live.spec.forProvider, ...desired.spec.forProvider } },
    ...(live.status ? { status: live.status } : {}),
  };
}

function allows(mr: ManagedResource, action: 'Create' | 'Update'): boolean {
  const policies = mr.spec.managementPolicies ?? ['*'];
  return policies.includes('*') || policies.includes(action);
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

interface Desired {
  mr: ManagedResource;
  kindOf: KindOf;
  source: string;
  composedBy?: string;
}

async function planResource(inputs: PlanInputs, d: Desired): Promise<PlannedResource> {
  const { mr, kindOf } = d;
  const base = { apiVersion: mr.apiVersion ?? '', kind: mr.kind ?? '', name: mr.metadata.name, source: d.source, ...(d.composedBy ? { composedBy: d.composedBy } : {}) };
  const live = await inputs.kube.get<ManagedResource>(kindOf.type, mr.metadata.name, mr.metadata.namespace);
  const externalName = live?.metadata.annotations?.[ANNOTATIONS.externalName] ?? mr.metadata.annotations?.[ANNOTATIONS.externalName] ?? initialExternalName(kindOf.kind, mr);
  const named = { ...base, ...(externalName ? { externalName } : {}) };
  if (live) {
    const changed = immutableFields(kindOf.kind.schema.forProvider).filter((f) => mr.spec.forProvider[f] !== undefined && !isDeepStrictEqual(live.spec.forProvider[f], mr.spec.forProvider[f]));
    if (changed.length > 0) {
      const fields = changed.map((f) => fromDiff({ path: f, observed: live.spec.forProvider[f], desired: mr.spec.forProvider[f], immutable: true }));
      return { ...named, action: 'replace', fields, note: 'immutable: the API server refuses this change; delete the resource and create it again' };
    }
  }
  const target = observable(mr, live, externalName);
  let observation: Awaited<ReturnType<Awaited<ReturnType<ReadOnlySession['connect']>>['observe']>>;
  try {
    const client = await inputs.session.connect(target, inputs.signal);
    observation = await client.observe(target, inputs.signal);
  } catch (err: unknown) {
    return { ...named, action: 'error', fields: [], note: `cannot observe: ${message(err)}` };
  }
  if (!observation.exists) {
    if (!allows(mr, 'Create')) return { ...named, action: 'error', fields: [], note: 'not found in the cloud, and managementPolicies do not allow Create' };
    return { ...named, action: 'create', fields: flatten(mr.spec.forProvider, '') };
  }
  if (observation.upToDate !== false) return { ...named, action: 'no change', fields: [] };
  const fields = (observation.fieldDiffs ?? []).map(fromDiff);
  const note = observation.fieldDiffs ? undefined : observation.diff;
  if (!allows(mr, 'Update')) return { ...named, action: 'no change', fields, note: 'the cloud differs, but managementPolicies do not allow Update' };
  if (fields.some((f) => f.immutable)) return { ...named, action: 'replace', fields, note: 'immutable in the cloud: only another resource would match' };
  return { ...named, action: 'update', fields, ...(note ? { note } : {}) };
}

/** Resources the live XR composes that the new render no longer does: deleted, or orphaned per their deletionPolicy. */
async function planRemovals(inputs: PlanInputs, expansion: Expansion, source: string): Promise<PlannedResource[]> {
  const out: PlannedResource[] = [];
  for (const ref of expansion.existing) {
    if (expansion.composed.some((c) => c.kind === ref.kind && c.apiVersion === ref.apiVersion && c.metadata?.name === ref.name)) continue;
    const k = inputs.session.kindOf(ref.apiVersion, ref.kind);
    const live = k ? await inputs.kube.get<ManagedResource>(k.type, ref.name, k.type.namespaced ? (ref.namespace ?? expansion.namespace) : undefined) : undefined;
    if (!live) continue;
    const policies = live.spec.managementPolicies ?? ['*'];
    // Deleting the object leaves the cloud resource when the policy says Orphan or the management policies leave out Delete.
    const orphan = live.spec.deletionPolicy === 'Orphan' || !(policies.includes('*') || policies.includes('Delete'));
    const externalName = live.metadata.annotations?.[ANNOTATIONS.externalName];
    out.push({
      action: orphan ? 'orphan' : 'delete',
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      name: ref.name,
      source,
      composedBy: expansion.describe,
      ...(externalName ? { externalName } : {}),
      fields: [],
      note: orphan ? 'no longer composed; its deletionPolicy or managementPolicies keep the cloud resource' : 'no longer composed',
    });
  }
  return out;
}

function checkFields(m: Manifest, kindOf: KindOf, obj: KubeObject, composedBy?: string): void {
  const versions = managedCrd(kindOf.kind, kindOf.provider.name).spec.versions as Array<{ schema?: { openAPIV3Schema?: JSONSchema } }>;
  const schema = versions[0]?.schema?.openAPIV3Schema;
  const unknown = unknownFields(obj.spec, schema?.properties?.spec, 'spec');
  if (unknown.length > 0) {
    const what = `${obj.kind} ${obj.metadata?.name ?? '(no name)'}${composedBy ? ` (composed by ${composedBy})` : ''}`;
    throw new ManifestError(`${where(m)}: ${what}: field ${unknown.join(', ')} does not exist in the ${obj.kind} schema`);
  }
  if (!obj.metadata?.name) throw new ManifestError(`${where(m)}: ${obj.kind} has no metadata.name`);
}

/** Plans every object in the manifests. Input problems throw ManifestError; a resource that cannot be observed plans as `error`. */
export async function makePlan(inputs: PlanInputs): Promise<Plan> {
  const local = [...(inputs.compositions ?? []), ...inputs.manifests.map((m) => m.object).filter((o) => o.apiVersion === 'pledge.dev/v1' && PLEDGE_CONTEXT_KINDS.has(o.kind ?? ''))];
  const providerConfigKinds = new Set(inputs.providers.map((p) => `${p.providerConfig.gvk.group}/${p.providerConfig.gvk.version}|${p.providerConfig.gvk.kind}`));
  const desired: Desired[] = [];
  const expansions: Array<{ expansion: Expansion; source: string }> = [];
  for (const m of inputs.manifests) {
    const obj = m.object;
    if (obj.apiVersion === 'pledge.dev/v1' && PLEDGE_CONTEXT_KINDS.has(obj.kind ?? '')) continue;
    if (providerConfigKinds.has(`${obj.apiVersion}|${obj.kind}`)) continue;
    const kindOf = inputs.session.kindOf(obj.apiVersion, obj.kind);
    if (kindOf) {
      checkFields(m, kindOf, obj);
      // As kubectl would create it: a namespaced resource without a namespace goes to "default".
      const mr = (kindOf.kind.namespaced && !obj.metadata?.namespace ? { ...obj, metadata: { ...obj.metadata, namespace: 'default' } } : obj) as ManagedResource;
      desired.push({ mr, kindOf, source: where(m) });
      continue;
    }
    inputs.onProgress?.(`rendering ${obj.kind} ${obj.metadata?.name ?? ''}`);
    let expansion: Expansion | undefined;
    for (const module of inputs.modules) {
      try {
        expansion = await module.expand?.(obj, { kube: inputs.kube, local, localCompositionsOnly: inputs.compositions !== undefined }, inputs.signal);
      } catch (err: unknown) {
        throw new ManifestError(`${where(m)}: ${message(err)}`);
      }
      if (expansion) break;
    }
    if (!expansion) throw new ManifestError(`${where(m)}: unknown kind ${obj.kind} (${obj.apiVersion}): neither a managed kind nor a claim or composite of an XRD in the files or the cluster`);
    expansions.push({ expansion, source: where(m) });
    for (const composed of expansion.composed) {
      const k = inputs.session.kindOf(composed.apiVersion, composed.kind);
      if (!k) throw new ManifestError(`${where(m)}: ${expansion.describe} composes ${composed.kind} (${composed.apiVersion}), which no provider serves`);
      checkFields(m, k, composed, expansion.describe);
      desired.push({ mr: composed as ManagedResource, kindOf: k, source: where(m), composedBy: expansion.describe });
    }
  }
  const resources: PlannedResource[] = [];
  for (const [i, d] of desired.entries()) {
    inputs.onProgress?.(`observing ${d.mr.kind} ${d.mr.metadata.name} (${i + 1}/${desired.length})`);
    resources.push(await planResource(inputs, d));
  }
  for (const { expansion, source } of expansions) resources.push(...(await planRemovals(inputs, expansion, source)));
  const summary = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, resources.filter((r) => r.action === a).length])) as Record<PlanAction, number>;
  return { resources, summary };
}

/** True when applying would change something in a cloud. */
export function hasChanges(plan: Plan): boolean {
  return plan.resources.some((r) => r.action !== 'no change' && r.action !== 'error');
}

import { METADATA_ONLY, type ReadOnlyApi } from './api.ts';
import { objectPath, resourceFor, type ApiResource } from './discovery.ts';

export interface Condition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

/** A reference to a composed object; namespace only where a Cluster composite composes a namespaced one. */
export interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
}

interface CompositionFields {
  resourceRefs?: Ref[];
  compositionRef?: { name: string };
  compositionRevisionRef?: { name: string };
}

/** An object as trace reads it: only the fields it looks at are typed. */
export interface TracedObject {
  apiVersion?: string;
  kind?: string;
  metadata: {
    name: string;
    namespace?: string;
    uid?: string;
    creationTimestamp?: string;
    annotations?: Record<string, string>;
    deletionTimestamp?: string;
    ownerReferences?: Array<{ uid: string }>;
  };
  spec?: CompositionFields & {
    resourceRef?: Ref;
    writeConnectionSecretToRef?: { name: string; namespace?: string };
    providerConfigRef?: { name: string; kind?: string };
    /** Where a Namespaced or Cluster composite (Crossplane v2's layout) keeps what a LegacyCluster one has in spec. */
    crossplane?: CompositionFields;
  };
  status?: { conditions?: Condition[] };
}

/** One node of the tree: an object that exists, or one a parent points at that is not there (object undefined). */
export interface TraceNode {
  /** `Kind`, `apiVersion`, name and namespace as the parent referred to it (or as given on the command line). */
  apiVersion: string;
  kind: string;
  name: string;
  namespace?: string;
  /** The object; for a Secret its metadata only. */
  object?: TracedObject;
  /** Why there is no object: not found, or a kind the server does not serve. */
  problem?: string;
  children: TraceNode[];
}

const apiVersionOf = (r: ApiResource) => (r.group ? `${r.group}/${r.version}` : r.version);

/**
 * The tree under an object: a claim's composite (spec.resourceRef), a composite's composed resources
 * (spec.resourceRefs), and for any of them the connection Secret it writes (spec.writeConnectionSecretToRef),
 * read as metadata only.
 */
export async function buildTree(api: ReadOnlyApi, resources: readonly ApiResource[], root: ApiResource, name: string, namespace: string | undefined): Promise<TraceNode | undefined> {
  const secret = root.group === '' && root.kind === 'Secret';
  const read = await api.get<TracedObject>(objectPath(root, namespace, name), secret ? METADATA_ONLY : undefined);
  if (!read) return undefined;
  const object = secret ? { metadata: read.metadata } : read;
  return expand(api, resources, { apiVersion: apiVersionOf(root), kind: root.kind, name, namespace: root.namespaced ? namespace : undefined, object, children: [] }, new Set());
}

async function expand(api: ReadOnlyApi, resources: readonly ApiResource[], node: TraceNode, seen: Set<string>): Promise<TraceNode> {
  const key = `${node.apiVersion}/${node.kind}/${node.namespace ?? ''}/${node.name}`;
  const spec = node.object?.spec;
  if (!spec || seen.has(key)) return node;
  seen.add(key);
  const refs = [...(spec.resourceRef ? [spec.resourceRef] : []), ...(spec.resourceRefs ?? spec.crossplane?.resourceRefs ?? [])];
  const children = await Promise.all(
    refs.map(async (ref): Promise<TraceNode> => {
      const child: TraceNode = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, children: [] };
      const r = resourceFor(ref.apiVersion, ref.kind, resources);
      if (!r) return { ...child, problem: `${ref.kind} of ${ref.apiVersion} is not served by the API server` };
      // A namespaced object is in the namespace its ref names (a Cluster composite's), else in its parent's.
      const ns = r.namespaced ? (ref.namespace ?? node.namespace) : undefined;
      const object = await api.get<TracedObject>(objectPath(r, ns, ref.name));
      if (!object) return { ...child, namespace: ns, problem: 'not found' };
      return expand(api, resources, { ...child, namespace: ns, object }, seen);
    }),
  );
  for (const extra of await composedNotListed(api, resources, node, refs)) children.push(await expand(api, resources, extra, seen));
  const secretRef = spec.writeConnectionSecretToRef;
  if (secretRef?.name) {
    const ns = secretRef.namespace ?? node.namespace;
    const secret: TraceNode = { apiVersion: 'v1', kind: 'Secret', name: secretRef.name, namespace: ns, children: [] };
    const meta = ns ? await api.get<TracedObject>(`/api/v1/namespaces/${encodeURIComponent(ns)}/secrets/${encodeURIComponent(secretRef.name)}`, METADATA_ONLY) : undefined;
    children.push(meta ? { ...secret, object: { metadata: meta.metadata } } : { ...secret, problem: ns ? 'not written yet' : 'no namespace given' });
  }
  return { ...node, children };
}

/** The label the composite reconciler puts on what it composes (compositions/types.ts LABELS.composite). */
const COMPOSITE_LABEL = 'pledge.dev/composite';

/**
 * What a composite owns that its spec.resourceRefs does not list (yet, or any more): every managed or composite kind
 * listed by the composite's label, kept when its controller owner reference is this composite.
 */
async function composedNotListed(api: ReadOnlyApi, resources: readonly ApiResource[], node: TraceNode, refs: readonly Ref[]): Promise<TraceNode[]> {
  const uid = node.object?.metadata.uid;
  const own = resourceFor(node.apiVersion, node.kind, resources);
  if (!uid || !own?.categories.includes('composite')) return [];
  const kinds = resources.filter((r) => r.categories.includes('managed') || r.categories.includes('composite'));
  const selector = `?labelSelector=${encodeURIComponent(`${COMPOSITE_LABEL}=${node.name}`)}`;
  // Best effort: a kind the user may not list hides only what resourceRefs would not have shown either.
  const lists = await Promise.all(
    // A namespaced composite composes into its own namespace only; a cluster one's namespaced resources may be in any.
    kinds.map(async (r) => ({ r, list: await api.get<{ items?: TracedObject[] }>(objectPath(r, own.namespaced ? node.namespace : undefined) + selector).catch(() => undefined) })),
  );
  const listed = (r: ApiResource, o: TracedObject) =>
    refs.some((ref) => ref.apiVersion.startsWith(`${r.group}/`) && ref.kind === r.kind && ref.name === o.metadata.name && (!r.namespaced || (ref.namespace ?? node.namespace) === o.metadata.namespace));
  return lists.flatMap(({ r, list }) =>
    (list?.items ?? [])
      .filter((o) => o.metadata.ownerReferences?.some((ref) => ref.uid === uid) && !listed(r, o))
      .map((o) => ({ apiVersion: apiVersionOf(r), kind: r.kind, name: o.metadata.name, ...(r.namespaced ? { namespace: o.metadata.namespace } : {}), object: o, children: [] })),
  );
}

/** Every kind in a tree (for --watch), secrets excepted. */
export function kindsIn(node: TraceNode, resources: readonly ApiResource[], out = new Map<string, { resource: ApiResource; namespace?: string }>()): Map<string, { resource: ApiResource; namespace?: string }> {
  const r = node.kind === 'Secret' && node.apiVersion === 'v1' ? undefined : resourceFor(node.apiVersion, node.kind, resources);
  if (r) out.set(objectPath(r, node.namespace), { resource: r, namespace: node.namespace });
  for (const child of node.children) kindsIn(child, resources, out);
  return out;
}

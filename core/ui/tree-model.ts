import type { ResourceType } from '../kube/index.ts';
import type { KubeObject } from '../managed/types.ts';
import { summarise } from '../cli/trace/summary.ts';
import type { TracedObject, TraceNode } from '../cli/trace/tree.ts';
import type { KindInfo } from './catalog.ts';

/** What building a tree reads: objects by reference and by owner, all from the caches. */
export interface TreeLookup {
  byKind(apiVersion: string, kind: string): KindInfo | undefined;
  get(type: ResourceType, name: string, namespace?: string): KubeObject | undefined;
  /** Objects (of the composed kinds) whose ownerReferences name this uid. */
  ownedBy(uid: string): Array<{ info: KindInfo; object: KubeObject }>;
}

/** A trace node, with where its object lives in the API (undefined for a Secret or a kind not served). */
export interface UiNode extends TraceNode {
  type?: ResourceType;
  children: UiNode[];
}

interface Ref {
  apiVersion: string;
  kind: string;
  name: string;
}

interface TreeSpec {
  resourceRef?: Ref;
  resourceRefs?: Ref[];
  crossplane?: { resourceRefs?: Ref[]; compositionRef?: { name: string }; compositionRevisionRef?: { name: string } };
  writeConnectionSecretToRef?: { name?: string; namespace?: string };
}

const specOf = (obj: KubeObject | undefined): TreeSpec => (obj?.spec && typeof obj.spec === 'object' ? (obj.spec as TreeSpec) : {});
const asTraced = (obj: KubeObject): TracedObject => obj as unknown as TracedObject;
export const apiVersionOf = (type: ResourceType) => (type.group ? `${type.group}/${type.version}` : type.version);

/**
 * The tree under a claim or composite as `pledge trace` draws it, read from the caches: a claim's composite
 * (spec.resourceRef), a composite's composed resources (spec.resourceRefs, or spec.crossplane.resourceRefs for
 * Crossplane v2's layout) plus any object it owns that they do not list (yet), and the connection Secret — by
 * name only, never read.
 */
export function buildUiTree(lookup: TreeLookup, info: KindInfo, object: KubeObject): UiNode {
  const root: UiNode = { apiVersion: apiVersionOf(info.type), kind: info.kind, name: object.metadata?.name ?? '', namespace: object.metadata?.namespace, object: asTraced(object), type: info.type, children: [] };
  return expand(lookup, root, new Set());
}

function expand(lookup: TreeLookup, node: UiNode, seen: Set<string>): UiNode {
  const id = `${node.apiVersion}/${node.kind}/${node.namespace ?? ''}/${node.name}`;
  if (!node.object || seen.has(id)) return node;
  seen.add(id);
  const spec = specOf(node.object as unknown as KubeObject);
  const refs = [...(spec.resourceRef ? [spec.resourceRef] : []), ...(spec.crossplane?.resourceRefs ?? spec.resourceRefs ?? [])];
  const children: UiNode[] = [];
  const listed = new Set<string>();
  for (const ref of refs) {
    const info = lookup.byKind(ref.apiVersion, ref.kind);
    const child: UiNode = { apiVersion: ref.apiVersion, kind: ref.kind, name: ref.name, children: [] };
    if (!info) {
      children.push({ ...child, problem: `${ref.kind} of ${ref.apiVersion} is not watched by this controller` });
      continue;
    }
    // A claim's composite is cluster-scoped, or in the claim's namespace; composed namespaced objects are in their parent's.
    const namespace = info.type.namespaced ? node.namespace : undefined;
    const object = lookup.get(info.type, ref.name, namespace);
    if (object?.metadata?.uid) listed.add(object.metadata.uid);
    children.push(object ? expand(lookup, { ...child, namespace, type: info.type, object: asTraced(object) }, seen) : { ...child, namespace, type: info.type, problem: 'not found' });
  }
  const uid = node.object.metadata.uid;
  for (const owned of uid ? lookup.ownedBy(uid) : []) {
    const meta = owned.object.metadata;
    if (!meta?.name || (meta.uid && listed.has(meta.uid))) continue;
    const child: UiNode = { apiVersion: apiVersionOf(owned.info.type), kind: owned.info.kind, name: meta.name, namespace: meta.namespace, type: owned.info.type, object: asTraced(owned.object), children: [] };
    children.push(expand(lookup, child, seen));
  }
  const secretRef = spec.writeConnectionSecretToRef;
  if (secretRef?.name) {
    children.push({ apiVersion: 'v1', kind: 'Secret', name: secretRef.name, namespace: secretRef.namespace ?? node.namespace, children: [], problem: 'values never shown' });
  }
  return { ...node, children };
}

export type Status3 = 'True' | 'False' | 'Unknown';

/** The fields a node shows: Ready and Synced as True|False|Unknown, and why it is not fine. */
export function nodeState(node: UiNode): { ready: Status3; synced: Status3; message: string } {
  const s = summarise(node);
  const tri = (v: string): Status3 => (v === 'True' || v === 'False' ? v : 'Unknown');
  if (node.kind === 'Secret' && !node.type) return { ready: 'Unknown', synced: 'Unknown', message: 'connection secret (values never shown)' };
  return { ready: tri(s.ready), synced: tri(s.synced), message: s.status };
}

/** Every node of a tree, depth first. */
export function nodesOf(node: UiNode, out: UiNode[] = []): UiNode[] {
  out.push(node);
  for (const c of node.children) nodesOf(c, out);
  return out;
}

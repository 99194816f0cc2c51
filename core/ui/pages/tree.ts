import type { KubeObject } from '../../managed/types.ts';
import type { Viewer } from '../access.ts';
import type { Catalog, KindInfo } from '../catalog.ts';
import { graphSvg } from '../graph.ts';
import { html } from '../html.ts';
import { addressPath } from '../paths.ts';
import { buildUiTree, nodeState, type TreeLookup, type UiNode } from '../tree-model.ts';
import type { ViewContext } from './context.ts';
import { badge, page } from './layout.ts';

/** The tree lookups over the catalog: references by apiVersion/kind, ownership by uid (indexed once per page). */
export function catalogLookup(catalog: Catalog): TreeLookup {
  let owned: Map<string, Array<{ info: KindInfo; object: KubeObject }>> | undefined;
  const index = () => {
    const out = new Map<string, Array<{ info: KindInfo; object: KubeObject }>>();
    for (const info of catalog.kinds()) {
      if (info.role !== 'managed' && info.role !== 'composite' && info.role !== 'composed') continue;
      for (const object of catalog.list(info)) {
        for (const ref of object.metadata?.ownerReferences ?? []) {
          if (ref.controller !== true || typeof ref.uid !== 'string') continue;
          const list = out.get(ref.uid) ?? [];
          list.push({ info, object });
          out.set(ref.uid, list);
        }
      }
    }
    return out;
  };
  return {
    byKind: (apiVersion, kind) => catalog.byKind(apiVersion, kind),
    get: (type, name, namespace) => catalog.get(type, name, namespace)?.object,
    ownedBy(uid) {
      owned ??= index();
      return owned.get(uid) ?? [];
    },
  };
}

/** The tree without what the viewer may not get (a hidden node hides what is under it). */
export async function visibleTree(viewer: Viewer, node: UiNode): Promise<UiNode> {
  if (viewer.open) return node;
  const children: UiNode[] = [];
  for (const child of node.children) {
    const type = child.type;
    const may = type ? await viewer.mayGet({ group: type.group, resource: type.plural, ...(type.namespaced && child.namespace ? { namespace: child.namespace } : {}) }).catch(() => false) : true;
    if (may) children.push(await visibleTree(viewer, child));
  }
  return { ...node, children };
}

function nodeRows(node: UiNode, depth: number): ReturnType<typeof html>[] {
  const s = nodeState(node);
  const key = node.type ? addressPath(node.type, node.namespace, node.name) : '';
  const name = node.type && node.object ? html`<a href="/resource/${key}">${node.name}</a>` : html`${node.name}`;
  const row = html`<tr data-testid="node" data-key="${key}" data-kind="${node.kind}" data-name="${node.name}" data-namespace="${node.namespace ?? ''}" data-ready="${s.ready}" data-synced="${s.synced}">
<td class="depth-${Math.min(depth, 6)}">${node.kind}</td><td>${name}</td><td>${node.namespace ?? '—'}</td>
<td>${node.type ? badge('Ready', s.ready) : '—'}</td><td>${node.type ? badge('Synced', s.synced) : '—'}</td><td data-testid="node-message">${node.problem && !node.object ? node.problem : s.message}</td></tr>`;
  return [row, ...node.children.flatMap((c) => nodeRows(c, depth + 1))];
}

const keysOf = (node: UiNode): string[] => [...(node.type ? [addressPath(node.type, node.namespace, node.name)] : []), ...node.children.flatMap(keysOf)];

/** A claim's or composite's tree: a graph, then a table of every node with its state and why it is not Ready. */
export async function treePage(ctx: ViewContext, info: KindInfo, object: KubeObject): Promise<string> {
  const tree = await visibleTree(ctx.viewer, buildUiTree(catalogLookup(ctx.catalog), info, object));
  const name = object.metadata?.name ?? '';
  const ns = object.metadata?.namespace;
  return page({
    title: `${info.kind} ${name}`,
    kind: 'tree',
    user: ctx.user,
    keys: keysOf(tree),
    body: html`<h1>${info.kind} ${ns ? `${ns}/` : ''}${name}</h1>
<p><a href="/resource/${addressPath(info.type, ns, name)}">Details of this ${info.kind}</a></p>
<section aria-labelledby="graph-h"><h2 id="graph-h">Graph</h2><div class="graph">${graphSvg(tree)}</div></section>
<section aria-labelledby="nodes-h"><h2 id="nodes-h">Resources</h2>
<table aria-labelledby="nodes-h"><thead><tr><th scope="col">Kind</th><th scope="col">Name</th><th scope="col">Namespace</th><th scope="col">Ready</th><th scope="col">Synced</th><th scope="col">Status</th></tr></thead>
<tbody>${nodeRows(tree, 0)}</tbody></table></section>`,
  });
}

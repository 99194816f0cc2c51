import { allowedOnly } from '../access.ts';
import type { KindInfo } from '../catalog.ts';
import { html } from '../html.ts';
import { addressPath } from '../paths.ts';
import { nodeState } from '../tree-model.ts';
import type { TracedObject } from '../../cli/trace/tree.ts';
import { attributesOf, ROLE_TITLE, type ViewContext } from './context.ts';
import { badge, page } from './layout.ts';

export const KIND_LIST_LIMIT = 500;

/** Every object of one kind the viewer may get, with Ready, Synced and why not. */
export async function kindListPage(ctx: ViewContext, info: KindInfo): Promise<string> {
  const objects = (await allowedOnly(ctx.viewer, ctx.catalog.list(info), (o) => attributesOf(info, o))).slice().sort((a, b) => `${a.metadata?.namespace ?? ''}/${a.metadata?.name ?? ''}`.localeCompare(`${b.metadata?.namespace ?? ''}/${b.metadata?.name ?? ''}`));
  const rows = objects.slice(0, KIND_LIST_LIMIT).map((object) => {
    const name = object.metadata?.name ?? '';
    const ns = object.metadata?.namespace;
    const key = addressPath(info.type, ns, name);
    const s = nodeState({ apiVersion: '', kind: info.kind, name, type: info.type, object: object as unknown as TracedObject, children: [] });
    return html`<tr data-key="${key}" data-ready="${s.ready}" data-synced="${s.synced}"><td>${ns ?? '—'}</td><th scope="row"><a href="/resource/${key}">${name}</a></th>
<td>${badge('Ready', s.ready)}</td><td>${badge('Synced', s.synced)}</td><td>${s.message}</td>${info.role === 'claim' || info.role === 'composite' ? html`<td><a href="/tree/${key}">tree</a></td>` : ''}</tr>`;
  });
  return page({
    title: info.kind,
    kind: 'overview',
    user: ctx.user,
    body: html`<h1>${info.kind} <span class="group">${info.type.group || 'core'}/${info.type.version}</span></h1>
<p>${ROLE_TITLE[info.role]} kind, ${objects.length} object${objects.length === 1 ? '' : 's'}.</p>
${rows.length ? html`<table aria-label="${info.kind} objects"><thead><tr><th scope="col">Namespace</th><th scope="col">Name</th><th scope="col">Ready</th><th scope="col">Synced</th><th scope="col">Status</th>${info.role === 'claim' || info.role === 'composite' ? html`<th scope="col">Tree</th>` : ''}</tr></thead><tbody>${rows}</tbody></table>` : html`<p>None.</p>`}
${objects.length > KIND_LIST_LIMIT ? html`<p>${objects.length - KIND_LIST_LIMIT} more not listed.</p>` : ''}`,
  });
}

import type { KubeObject } from '../../managed/types.ts';
import { allowedOnly } from '../access.ts';
import type { KindInfo, KubeEvent } from '../catalog.ts';
import { html } from '../html.ts';
import { addressPath } from '../paths.ts';
import { attributesOf, byRole, eventTime, ROLE_TITLE, type ViewContext } from './context.ts';
import { badge, conditionStatus, conditionsOf, page } from './layout.ts';

export const OVERVIEW_LIMITS = { roots: 200, warnings: 20 } as const;

/** Counts per kind by Ready/Synced, claims and composites with their trees, recent Warning events, cloud calls and budgets. */
export async function overviewPage(ctx: ViewContext): Promise<string> {
  const { catalog, viewer } = ctx;
  const kinds = catalog.kinds().sort(byRole);
  const visible = await Promise.all(kinds.map(async (info) => ({ info, objects: await allowedOnly(viewer, catalog.list(info), (o) => attributesOf(info, o)) })));
  const shown = visible.filter((v) => v.objects.length > 0);
  const rows = shown.map(({ info, objects }) => {
    // A kind none of whose objects has the condition (a ProviderConfig, a Composition) shows a dash, not a 0 that reads as failing.
    const count = (type: string) =>
      objects.some((o) => conditionsOf(o).some((c) => c.type === type)) ? String(objects.filter((o) => conditionStatus(o, type) === 'True').length) : '—';
    const ready = count('Ready');
    const synced = count('Synced');
    return html`<tr data-testid="kind-count" data-kind="${info.kind}" data-group="${info.type.group}">
<th scope="row"><a href="/kind/${info.type.group || 'core'}/${info.type.version}/${info.type.plural}">${info.kind}</a> <span class="group">${info.type.group || 'core'}</span></th><td>${ROLE_TITLE[info.role]}</td>
<td data-testid="ready-count">${ready}</td><td data-testid="synced-count">${synced}</td><td data-testid="total-count">${objects.length}</td></tr>`;
  });
  const roots = shown.filter((v) => v.info.role === 'claim' || v.info.role === 'composite').flatMap((v) => v.objects.map((object) => ({ info: v.info, object })));
  const rootRows = roots.slice(0, OVERVIEW_LIMITS.roots).map(({ info, object }) => rootRow(info, object));
  const warnings = await recentWarnings(ctx);
  const cloud = await cloudSection(ctx);
  return page({
    title: 'Overview',
    kind: 'overview',
    user: ctx.user,
    body: html`<h1>Overview</h1>
<section aria-labelledby="kinds-h"><h2 id="kinds-h">Resources by kind</h2>
${rows.length ? html`<table aria-labelledby="kinds-h"><thead><tr><th scope="col">Kind</th><th scope="col">Role</th><th scope="col">Ready</th><th scope="col">Synced</th><th scope="col">Total</th></tr></thead><tbody>${rows}</tbody></table>` : html`<p>Nothing to show.</p>`}
</section>
<section aria-labelledby="roots-h"><h2 id="roots-h">Claims and composites</h2>
${rootRows.length ? html`<table aria-labelledby="roots-h"><thead><tr><th scope="col">Kind</th><th scope="col">Namespace</th><th scope="col">Name</th><th scope="col">Ready</th><th scope="col">Synced</th></tr></thead><tbody>${rootRows}</tbody></table>` : html`<p>None.</p>`}
${roots.length > OVERVIEW_LIMITS.roots ? html`<p>${roots.length - OVERVIEW_LIMITS.roots} more not listed.</p>` : ''}
</section>
<section aria-labelledby="warn-h"><h2 id="warn-h">Recent Warning events</h2>
${warnings.length ? html`<table aria-labelledby="warn-h"><thead><tr><th scope="col">When</th><th scope="col">Object</th><th scope="col">Reason</th><th scope="col">Message</th></tr></thead><tbody>${warnings}</tbody></table>` : html`<p>None.</p>`}
</section>
${cloud}`,
  });
}

function rootRow(info: KindInfo, object: KubeObject) {
  const name = object.metadata?.name ?? '';
  const ns = object.metadata?.namespace;
  return html`<tr><td>${info.kind}</td><td>${ns ?? '—'}</td><td><a data-testid="tree-link" href="/tree/${addressPath(info.type, ns, name)}">${name}</a></td>
<td>${badge('Ready', conditionStatus(object, 'Ready'))}</td><td>${badge('Synced', conditionStatus(object, 'Synced'))}</td></tr>`;
}

async function recentWarnings(ctx: ViewContext) {
  const candidates = ctx.catalog
    .events()
    .filter((e) => e.type === 'Warning')
    .map((event) => ({ event, info: ctx.catalog.byKind(event.involvedObject?.apiVersion ?? '', event.involvedObject?.kind ?? '') }))
    .filter((x): x is { event: KubeEvent; info: KindInfo } => x.info !== undefined);
  const allowed = await allowedOnly(ctx.viewer, candidates, ({ info, event }) => ({ group: info.type.group, resource: info.type.plural, ...(info.type.namespaced ? { namespace: event.involvedObject?.namespace } : {}) }));
  allowed.sort((a, b) => eventTime(b.event).localeCompare(eventTime(a.event)));
  return allowed.slice(0, OVERVIEW_LIMITS.warnings).map(({ event, info }) => {
    const io = event.involvedObject ?? {};
    const ns = info.type.namespaced ? io.namespace : undefined;
    return html`<tr data-testid="warning-event"><td><time datetime="${eventTime(event)}">${eventTime(event)}</time></td>
<td><a href="/resource/${addressPath(info.type, ns, io.name ?? '')}">${info.kind} ${ns ? `${ns}/` : ''}${io.name}</a></td><td>${event.reason}</td><td>${event.message}</td></tr>`;
  });
}

async function cloudSection(ctx: ViewContext) {
  const stats = ctx.cloudStats.now();
  const pcKinds = ctx.catalog.kinds().filter((k) => k.role === 'providerconfig');
  const maySee = async (provider: string) => {
    if (ctx.viewer.open) return true;
    const kinds = pcKinds.filter((k) => k.type.group.startsWith(`${provider}.`) && !k.type.namespaced);
    for (const k of kinds) if (await ctx.viewer.mayGet({ group: k.type.group, resource: k.type.plural }).catch(() => false)) return true;
    return false;
  };
  const allowed = new Set<string>();
  for (const p of stats.providers) if (await maySee(p.provider)) allowed.add(p.provider);
  if (allowed.size === 0) return html``;
  const fmt = (n: number) => (n >= 10 ? n.toFixed(0) : n.toFixed(1));
  return html`<section aria-labelledby="cloud-h"><h2 id="cloud-h">Cloud calls</h2>
<table aria-labelledby="cloud-h" data-testid="cloud-calls"><thead><tr><th scope="col">Provider</th><th scope="col">Calls per second</th><th scope="col">Calls in all</th></tr></thead><tbody>
${stats.providers.filter((p) => allowed.has(p.provider)).map((p) => html`<tr><th scope="row">${p.provider}</th><td>${fmt(p.callsPerSecond)}</td><td>${p.callsTotal}</td></tr>`)}
</tbody></table>
<h3 id="budget-h">Rate budget per ProviderConfig</h3>
<table aria-labelledby="budget-h" data-testid="budgets"><thead><tr><th scope="col">Provider</th><th scope="col">ProviderConfig</th><th scope="col">Calls per second</th><th scope="col">Budget (per second, burst)</th><th scope="col">Wait for a call</th><th scope="col">Waiting reconciles</th></tr></thead><tbody>
${stats.budgets
  .filter((b) => allowed.has(b.provider))
  .map(
    (b) =>
      html`<tr><td>${b.provider}</td><th scope="row">${b.providerConfig}</th><td>${fmt(b.callsPerSecond)}</td><td>${b.ratePerSecond}/s, burst ${b.burst}</td><td>${b.pausedMs > 0 ? `paused by the cloud, ${Math.ceil(b.pausedMs)} ms left` : `${Math.ceil(b.waitMs)} ms`}</td><td>${b.turnsWaiting}</td></tr>`,
  )}
</tbody></table></section>`;
}

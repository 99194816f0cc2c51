import { stringify } from 'yaml';
import type { KubeObject } from '../../managed/types.ts';
import type { KindInfo } from '../catalog.ts';
import { html, type SafeHtml } from '../html.ts';
import { addressPath } from '../paths.ts';
import { timelineSvg } from '../timeline.ts';
import { eventTime, ROLE_TITLE, type ViewContext } from './context.ts';
import { badge, conditionsOf, page } from './layout.ts';

const LAST_APPLIED = 'kubectl.kubernetes.io/last-applied-configuration';

/** The object as YAML without managedFields and kubectl's last-applied copy (noise, and a second copy of the spec). */
export function displayYaml(object: KubeObject): string {
  const copy = structuredClone(object);
  if (copy.metadata) {
    delete (copy.metadata as { managedFields?: unknown }).managedFields;
    if (copy.metadata.annotations?.[LAST_APPLIED] !== undefined) {
      const { [LAST_APPLIED]: _, ...rest } = copy.metadata.annotations;
      copy.metadata.annotations = rest;
    }
  }
  return stringify(copy, { lineWidth: 0 });
}

interface Refs {
  compositionRef?: { name?: string };
  compositionRevisionRef?: { name?: string };
  crossplane?: { compositionRef?: { name?: string }; compositionRevisionRef?: { name?: string } };
  writeConnectionSecretToRef?: { name?: string; namespace?: string };
}

/** Conditions, events, atProvider, what composed it and with which Composition revision, the YAML, a timeline. */
export async function resourcePage(ctx: ViewContext, info: KindInfo, object: KubeObject): Promise<string> {
  const meta = object.metadata ?? {};
  const name = meta.name ?? '';
  const ns = meta.namespace;
  const key = addressPath(info.type, ns, name);
  const conditions = conditionsOf(object);
  const events = ctx.catalog
    .events()
    .filter((e) => e.involvedObject?.uid === meta.uid)
    .sort((a, b) => eventTime(b).localeCompare(eventTime(a)));
  const spec = (object.spec ?? {}) as Refs;
  const composition = spec.crossplane?.compositionRef?.name ?? spec.compositionRef?.name;
  const revision = spec.crossplane?.compositionRevisionRef?.name ?? spec.compositionRevisionRef?.name;
  const atProvider = (object.status as { atProvider?: unknown } | undefined)?.atProvider;
  const facts: SafeHtml[] = [html`<dt>Kind</dt><dd>${info.kind} (${info.type.group || 'core'}/${info.type.version}), ${ROLE_TITLE[info.role]}</dd>`];
  if (ns) facts.push(html`<dt>Namespace</dt><dd>${ns}</dd>`);
  if (composition) facts.push(html`<dt>Composition</dt><dd>${await link(ctx, 'pledge.dev', 'compositions', composition)}</dd>`);
  if (revision) facts.push(html`<dt>Composition revision</dt><dd>${await link(ctx, 'pledge.dev', 'compositionrevisions', revision)}</dd>`);
  const providerConfig = info.role === 'managed' ? await providerConfigLink(ctx, info, object) : undefined;
  if (providerConfig) facts.push(html`<dt>ProviderConfig</dt><dd>${providerConfig}</dd>`);
  const owner = await ownerLink(ctx, object);
  if (owner) facts.push(html`<dt>Composed by</dt><dd>${owner}</dd>`);
  const secretRef = spec.writeConnectionSecretToRef;
  if (secretRef?.name) facts.push(html`<dt>Connection secret</dt><dd>Secret ${secretRef.namespace ?? ns ?? ''}/${secretRef.name} (values are never shown)</dd>`);
  const external = meta.annotations?.['pledge.dev/external-name'];
  if (external) facts.push(html`<dt>External name</dt><dd>${external}</dd>`);

  return page({
    title: `${info.kind} ${name}`,
    kind: 'resource',
    user: ctx.user,
    keys: [key],
    body: html`<h1>${info.kind} ${ns ? `${ns}/` : ''}${name}</h1>
${info.role === 'claim' || info.role === 'composite' ? html`<p><a href="/tree/${key}">Tree of this ${info.kind}</a></p>` : ''}
<dl class="facts">${facts}</dl>
<section aria-labelledby="cond-h"><h2 id="cond-h">Conditions</h2>
<table data-testid="conditions" aria-labelledby="cond-h"><thead><tr><th scope="col">Type</th><th scope="col">Status</th><th scope="col">Reason</th><th scope="col">Message</th><th scope="col">Since</th></tr></thead><tbody>
${conditions.map((c) => html`<tr data-type="${c.type}" data-status="${c.status}"><th scope="row">${c.type}</th><td>${badge(c.type, c.status)}</td><td>${c.reason}</td><td data-testid="condition-message">${c.message}</td><td>${c.lastTransitionTime}</td></tr>`)}
</tbody></table>${conditions.length === 0 ? html`<p>No conditions yet.</p>` : ''}</section>
<section aria-labelledby="time-h"><h2 id="time-h">Timeline</h2><div class="graph">${timelineSvg({ created: meta.creationTimestamp, conditions, history: ctx.history.of(key), events: events.map((e) => ({ type: e.type, reason: e.reason, count: e.count, time: eventTime(e) })), now: ctx.now })}</div></section>
<section aria-labelledby="events-h" data-testid="events"><h2 id="events-h">Events</h2>
${events.length ? html`<table aria-labelledby="events-h"><thead><tr><th scope="col">Last seen</th><th scope="col">Type</th><th scope="col">Reason</th><th scope="col">Count</th><th scope="col">Message</th></tr></thead><tbody>
${events.map((e) => html`<tr data-event-type="${e.type}"><td><time datetime="${eventTime(e)}">${eventTime(e)}</time></td><td>${e.type}</td><td>${e.reason}</td><td>${e.count ?? 1}</td><td>${e.message}</td></tr>`)}
</tbody></table>` : html`<p>No events.</p>`}</section>
${atProvider !== undefined ? html`<section aria-labelledby="at-h"><h2 id="at-h">Observed in the cloud (atProvider)</h2><pre data-testid="at-provider" tabindex="0">${stringify(atProvider, { lineWidth: 0 })}</pre></section>` : ''}
<section aria-labelledby="yaml-h"><h2 id="yaml-h">YAML</h2><pre data-testid="yaml" tabindex="0">${displayYaml(object)}</pre></section>`,
  });
}

/** A link to a cluster-scoped object's page when the viewer may get it, else its name as text. */
async function link(ctx: ViewContext, group: string, plural: string, name: string): Promise<SafeHtml> {
  const found = ctx.catalog.get({ group, plural }, name);
  if (!found || !(await ctx.viewer.mayGet({ group, resource: plural }).catch(() => false))) return html`${name}`;
  return html`<a href="/resource/${addressPath(found.info.type, undefined, name)}">${name}</a>`;
}

/** The controller owner (a composite, for a composed resource), linked to its tree. */
async function ownerLink(ctx: ViewContext, object: KubeObject): Promise<SafeHtml | undefined> {
  const ref = object.metadata?.ownerReferences?.find((r) => r.controller === true);
  if (!ref || typeof ref.apiVersion !== 'string' || typeof ref.kind !== 'string' || typeof ref.name !== 'string') return undefined;
  const info = ctx.catalog.byKind(ref.apiVersion, ref.kind);
  if (!info) return html`${ref.kind} ${ref.name}`;
  const ns = info.type.namespaced ? object.metadata?.namespace : undefined;
  const may = await ctx.viewer.mayGet({ group: info.type.group, resource: info.type.plural, ...(ns ? { namespace: ns } : {}) }).catch(() => false);
  if (!may) return html`${ref.kind} ${ref.name}`;
  const path = addressPath(info.type, ns, ref.name);
  return html`<a href="/resource/${path}">${ref.kind} ${ref.name}</a> (<a href="/tree/${path}">tree</a>)`;
}

/** The ProviderConfig (or ClusterProviderConfig) a managed resource names, linked when the viewer may get it. */
async function providerConfigLink(ctx: ViewContext, info: KindInfo, object: KubeObject): Promise<SafeHtml | undefined> {
  const ref = (object.spec as { providerConfigRef?: { name?: string; kind?: string } } | undefined)?.providerConfigRef;
  if (!ref?.name) return undefined;
  const kind = ref.kind ?? 'ProviderConfig';
  const mg = info.type.group;
  const pc = ctx.catalog.kinds().find((k) => k.role === 'providerconfig' && k.kind === kind && (mg === k.type.group || mg.endsWith(`.${k.type.group}`)));
  if (!pc) return html`${kind} ${ref.name}`;
  const ns = pc.type.namespaced ? object.metadata?.namespace : undefined;
  const found = ctx.catalog.get(pc.type, ref.name, ns);
  // Whether it exists is told only to a viewer who may get it.
  if (!(await ctx.viewer.mayGet({ group: pc.type.group, resource: pc.type.plural, ...(ns ? { namespace: ns } : {}) }).catch(() => false))) return html`${kind} ${ref.name}`;
  return found ? html`<a href="/resource/${addressPath(pc.type, ns, ref.name)}">${kind} ${ref.name}</a>` : html`${kind} ${ref.name} (not found)`;
}

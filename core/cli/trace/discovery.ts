import { CliError } from '../output/index.ts';
import type { ReadOnlyApi } from './api.ts';

/** One kind the API server serves, at its preferred version. */
export interface ApiResource {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  shortNames: string[];
  categories: string[];
  namespaced: boolean;
}

const AGGREGATED = 'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json';

interface AggregatedList {
  kind?: string;
  items?: Array<{
    metadata?: { name?: string };
    versions?: Array<{
      version: string;
      resources?: Array<{ resource: string; responseKind?: { kind?: string }; scope?: string; singularResource?: string; shortNames?: string[]; categories?: string[] }>;
    }>;
  }>;
}

interface LegacyResourceList {
  resources?: Array<{ name: string; kind: string; namespaced: boolean; singularName?: string; shortNames?: string[]; categories?: string[] }>;
}

/** Every kind the server serves (its preferred version of each), from aggregated discovery or, on older servers, per group. */
export async function discover(api: ReadOnlyApi): Promise<ApiResource[]> {
  const out: ApiResource[] = [];
  for (const root of ['/api', '/apis']) {
    const list = await api.get<AggregatedList & { groups?: Array<{ name: string; preferredVersion?: { version: string } }>; versions?: string[] }>(root, AGGREGATED);
    if (list?.kind === 'APIGroupDiscoveryList') out.push(...fromAggregated(list));
    else if (list) out.push(...(await legacy(api, root, list)));
  }
  return out;
}

function fromAggregated(list: AggregatedList): ApiResource[] {
  const out: ApiResource[] = [];
  for (const group of list.items ?? []) {
    const seen = new Set<string>();
    // Versions come in preference order: the first that serves a resource is the one to read it at.
    for (const version of group.versions ?? []) {
      for (const r of version.resources ?? []) {
        if (seen.has(r.resource) || !r.responseKind?.kind) continue;
        seen.add(r.resource);
        out.push({
          group: group.metadata?.name ?? '',
          version: version.version,
          kind: r.responseKind.kind,
          plural: r.resource,
          singular: r.singularResource || r.responseKind.kind.toLowerCase(),
          shortNames: r.shortNames ?? [],
          categories: r.categories ?? [],
          namespaced: r.scope === 'Namespaced',
        });
      }
    }
  }
  return out;
}

async function legacy(api: ReadOnlyApi, root: string, list: { groups?: Array<{ name: string; preferredVersion?: { version: string } }>; versions?: string[] }): Promise<ApiResource[]> {
  const groupVersions =
    root === '/api'
      ? [{ group: '', version: list.versions?.[0] ?? 'v1', path: `/api/${list.versions?.[0] ?? 'v1'}` }]
      : (list.groups ?? []).flatMap((g) => (g.preferredVersion ? [{ group: g.name, version: g.preferredVersion.version, path: `/apis/${g.name}/${g.preferredVersion.version}` }] : []));
  const out: ApiResource[] = [];
  for (const gv of groupVersions) {
    const resources = await api.get<LegacyResourceList>(gv.path);
    for (const r of resources?.resources ?? []) {
      if (r.name.includes('/')) continue; // a subresource
      out.push({ group: gv.group, version: gv.version, kind: r.kind, plural: r.name, singular: r.singularName || r.kind.toLowerCase(), shortNames: r.shortNames ?? [], categories: r.categories ?? [], namespaced: r.namespaced });
    }
  }
  return out;
}

export function qualifiedName(r: ApiResource): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function answersTo(r: ApiResource, name: string): boolean {
  return r.plural === name || r.singular === name || r.kind.toLowerCase() === name || r.shortNames.includes(name);
}

/**
 * A KIND as kubectl takes it: plural, singular, short name or kind, optionally with its group (`buckets.s3.aws.pledge.dev`,
 * `bucket.s3.aws.pledge.dev`, or a leading part of the group: `bucket.s3`). A name two groups serve is refused, naming both.
 */
export function resolveKind(input: string, resources: readonly ApiResource[]): ApiResource {
  const wanted = input.toLowerCase();
  const dot = wanted.indexOf('.');
  let matches = resources.filter((r) => answersTo(r, wanted));
  if (matches.length === 0 && dot > 0) {
    const name = wanted.slice(0, dot);
    const group = wanted.slice(dot + 1);
    matches = resources.filter((r) => answersTo(r, name) && (r.group === group || r.group.startsWith(`${group}.`)));
  }
  if (matches.length === 0) throw new CliError(`unknown kind "${input}": the API server serves no resource by that name (kubectl api-resources lists them)`);
  const groups = [...new Set(matches.map(qualifiedName))];
  if (groups.length > 1) throw new CliError(`kind "${input}" is ambiguous: ${groups.join(', ')}; name one with its group`);
  return matches[0] as ApiResource;
}

/** The served resource for an apiVersion and kind (a reference in an object), undefined when none is served. */
export function resourceFor(apiVersion: string, kind: string, resources: readonly ApiResource[]): ApiResource | undefined {
  const slash = apiVersion.indexOf('/');
  const group = slash < 0 ? '' : apiVersion.slice(0, slash);
  const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
  const found = resources.find((r) => r.group === group && r.kind === kind);
  return found ? { ...found, version } : undefined;
}

/** The REST path of an object (or of the collection when name is omitted). */
export function objectPath(r: ApiResource, namespace: string | undefined, name?: string): string {
  const base = r.group ? `/apis/${r.group}/${r.version}` : `/api/${r.version}`;
  const ns = r.namespaced && namespace ? `/namespaces/${encodeURIComponent(namespace)}` : '';
  return `${base}${ns}/${r.plural}${name === undefined ? '' : `/${encodeURIComponent(name)}`}`;
}

// What one user did, read from kube-apiserver's audit log (JSON lines, Metadata level), set against what RBAC
// grants it: every (verb, API group, resource[/subresource], scope) it used, every request it was denied, and
// every granted (verb, group, resource) that no request used.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';

/** The fields of an audit event this reads. */
export type AuditEvent = {
  auditID: string;
  stage?: string;
  verb: string;
  requestURI?: string;
  user?: { username?: string };
  objectRef?: { apiGroup?: string; resource?: string; subresource?: string; namespace?: string; name?: string };
  responseStatus?: { code?: number };
};

/** One request, as RBAC sees it. `namespace` is empty for a cluster-scoped object or a list/watch across all namespaces. */
export type Request = { verb: string; group: string; resource: string; namespace: string; name: string; code: number; uri: string };

export type UsedAccess = { verb: string; group: string; resource: string; scope: string; count: number };

export type PolicyRule = { apiGroups?: string[]; resources?: string[]; verbs: string[]; resourceNames?: string[]; nonResourceURLs?: string[] };

/** One expanded grant: a (verb, group, resource) of a ClusterRole (namespace '') or of a Role in `namespace`. */
export type Grant = { role: string; namespace: string; verb: string; group: string; resource: string; resourceName: string };

/** The requests of `username` in one audit log, each once (a watch is logged when it starts and when it ends). */
export async function requestsOf(path: string, username: string): Promise<Request[]> {
  const seen = new Set<string>();
  const out: Request[] = [];
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    const request = requestFromLine(line, username, seen);
    if (request) out.push(request);
  }
  return out;
}

/** The request in one audit line when it is `username`'s and not seen yet (by auditID); else undefined. */
export function requestFromLine(line: string, username: string, seen: Set<string>): Request | undefined {
  if (line.trim() === '' || !line.includes(username)) return undefined;
  const event = JSON.parse(line) as AuditEvent;
  if (event.user?.username !== username || seen.has(event.auditID)) return undefined;
  // A long request (a watch) is logged at ResponseStarted with a 200 and again at ResponseComplete: the first is enough.
  seen.add(event.auditID);
  const ref = event.objectRef;
  return {
    verb: event.verb,
    group: ref?.apiGroup ?? '',
    resource: ref?.resource ? (ref.subresource ? `${ref.resource}/${ref.subresource}` : ref.resource) : '',
    namespace: ref?.namespace ?? '',
    name: ref?.name ?? '',
    code: event.responseStatus?.code ?? 0,
    uri: event.requestURI ?? '',
  };
}

export const isDenied = (r: Request): boolean => r.code === 403;

/**
 * The verbs RBAC checked for a request. A server-side apply that creates its object (a patch answered 201) is
 * authorised as a patch and as a create, and the audit log names only the patch.
 */
export function authorizedVerbs(r: Request): string[] {
  return r.verb === 'patch' && r.code === 201 ? ['patch', 'create'] : [r.verb];
}

/** Requests on API resources (discovery and other non-resource URLs are every user's, from the default roles). */
export const isResourceRequest = (r: Request): boolean => r.resource !== '';

/** Scope as a table shows it: `cluster` (cluster-scoped or across all namespaces) or `namespace <ns>`. */
export function scopeOf(r: Request): string {
  return r.namespace === '' ? 'cluster' : `namespace ${r.namespace}`;
}

/** Each distinct (verb, group, resource, scope), with how often it was used. */
export function usedAccess(requests: readonly Request[]): UsedAccess[] {
  const byKey = new Map<string, UsedAccess>();
  for (const r of requests) {
    if (!isResourceRequest(r)) continue;
    const scope = scopeOf(r);
    for (const verb of authorizedVerbs(r)) {
      const key = [verb, r.group, r.resource, scope].join('\u0000');
      const entry = byKey.get(key) ?? { verb, group: r.group, resource: r.resource, scope, count: 0 };
      entry.count++;
      byKey.set(key, entry);
    }
  }
  return [...byKey.values()].sort((a, b) => `${a.group} ${a.resource} ${a.verb} ${a.scope}`.localeCompare(`${b.group} ${b.resource} ${b.verb} ${b.scope}`));
}

/** A ClusterRole's rules (namespace '') or a Role's, expanded to one grant per verb, group, resource and name. */
export function expandRules(role: string, namespace: string, rules: readonly PolicyRule[]): Grant[] {
  const out: Grant[] = [];
  for (const rule of rules) {
    if (rule.nonResourceURLs?.length) throw new Error(`${role}: nonResourceURLs are not expected in Pledge's roles`);
    for (const group of rule.apiGroups ?? []) {
      for (const resource of rule.resources ?? []) {
        for (const verb of rule.verbs) {
          for (const resourceName of rule.resourceNames?.length ? rule.resourceNames : ['']) out.push({ role, namespace, verb, group, resource, resourceName });
        }
      }
    }
  }
  return out;
}

// RBAC's own matching (ResourceMatches in k8s.io/kubernetes/pkg/apis/rbac): `*`, `*/sub` and `res/*` included.
function resourceMatches(granted: string, requested: string): boolean {
  if (granted === '*' || granted === requested) return true;
  const [resource, sub] = requested.split('/');
  if (sub === undefined) return false;
  return granted === `*/${sub}` || granted === `${resource}/*`;
}

/** Whether `grant` allows `request` (a Role's only in its namespace; a named grant only on that name). */
export function grantAllows(grant: Grant, request: Request): boolean {
  if (grant.namespace !== '' && grant.namespace !== request.namespace) return false;
  if (grant.verb !== '*' && !authorizedVerbs(request).includes(grant.verb)) return false;
  if (grant.group !== '*' && grant.group !== request.group) return false;
  if (grant.resourceName !== '' && grant.resourceName !== request.name) return false;
  return resourceMatches(grant.resource, request.resource);
}

/** The grants no allowed request used. */
export function unusedGrants(grants: readonly Grant[], requests: readonly Request[]): Grant[] {
  const allowed = requests.filter((r) => isResourceRequest(r) && !isDenied(r));
  return grants.filter((g) => !allowed.some((r) => grantAllows(g, r)));
}

/** Allowed requests no grant explains (they were allowed by some other role the user also has). */
export function unexplained(grants: readonly Grant[], requests: readonly Request[]): Request[] {
  return requests.filter((r) => isResourceRequest(r) && !isDenied(r) && !grants.some((g) => grantAllows(g, r)));
}

/** A plain text table, columns padded to their widest cell. */
export function table(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

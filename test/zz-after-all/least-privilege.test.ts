// Runs last (see secret-safety.test.ts): after the whole suite, in which every end-to-end test ran `pledge run`
// as the chart's ServiceAccount with only the chart's RBAC (test/integration/harness.ts), the audit logs of every
// environment of the run say what that identity did. No request of it was denied, and every (verb, group,
// resource) its ClusterRole and Roles grant was used at least once: the chart grants exactly what Pledge uses.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { renderChartIdentity, serviceAccountUser, type KubeManifest } from '../env/controller-identity.ts';
import { suiteEnvironments } from '../env/index.ts';
import { expandRules, isDenied, isResourceRequest, requestsOf, table, unexplained, unusedGrants, usedAccess, type Grant, type PolicyRule, type Request } from '../rbac/audit-privileges.ts';

const rulesOf = (m: KubeManifest) => (m as KubeManifest & { rules?: PolicyRule[] }).rules ?? [];

/** Every grant of the chart's ClusterRoles (cluster-wide) and Roles (in their namespace). */
function chartGrants(manifests: readonly KubeManifest[]): Grant[] {
  return manifests.flatMap((m) => {
    if (m.kind === 'ClusterRole') return expandRules(`ClusterRole/${m.metadata.name}`, '', rulesOf(m));
    if (m.kind === 'Role') return expandRules(`Role/${m.metadata.namespace}/${m.metadata.name}`, m.metadata.namespace ?? '', rulesOf(m));
    return [];
  });
}

const core = (group: string) => group || 'core';

/**
 * Asked of the API server by any identity, allowed to every authenticated user by Kubernetes' own system:basic-user
 * ClusterRole, so no chart grants it: Pledge asks whether it may use an XRD's kinds before serving them.
 */
const askedByAnyone = (r: Request) => r.group === 'authorization.k8s.io' && r.resource === 'selfsubjectaccessreviews' && r.verb === 'create';

describe('least privilege, from the audit log of the whole suite', () => {
  let user = '';
  let grants: Grant[] = [];
  let requests: Request[] = [];
  let environmentCount = 0;

  before(async () => {
    const manifests = await renderChartIdentity();
    user = serviceAccountUser(manifests);
    grants = chartGrants(manifests);
    const environments = await suiteEnvironments();
    environmentCount = environments.length;
    for (const env of environments) {
      assert.ok(env.auditLogPath, `${env.name}: the environment writes no audit log (test/env turns it on for every environment)`);
      requests.push(...(await requestsOf(env.auditLogPath, user)));
    }
    requests = requests.filter(isResourceRequest);
  });

  test('the controller ran as the chart ServiceAccount, and no request of it was denied', () => {
    // First, that there is something to judge: the suite's controllers made their requests as this user.
    assert.ok(requests.length > 0, `no request by ${user} in ${environmentCount} audit logs: run this file after the end-to-end files (make test)`);
    assert.ok(requests.some((r) => r.verb === 'watch'), 'its informers watched as this user');
    const used = usedAccess(requests);
    console.log(`least privilege: ${requests.length} requests by ${user} in ${environmentCount} environment(s), ${used.length} distinct (verb, group, resource, scope):`);
    console.log(table(['verb', 'group', 'resource', 'scope', 'requests'], used.map((u) => [u.verb, core(u.group), u.resource, u.scope, String(u.count)])));
    const denied = usedAccess(requests.filter(isDenied));
    console.log(`least privilege: ${requests.filter(isDenied).length} denied requests`);
    if (denied.length > 0) console.log(table(['verb', 'group', 'resource', 'scope', 'denied'], denied.map((u) => [u.verb, core(u.group), u.resource, u.scope, String(u.count)])));
    assert.equal(denied.length, 0, `requests denied to ${user}: the chart's RBAC misses ${denied.map((u) => `${u.verb} ${core(u.group)} ${u.resource} (${u.scope})`).join(', ')}`);
    const others = unexplained(grants, requests.filter((r) => !askedByAnyone(r)));
    assert.deepEqual(others.map((r) => `${r.verb} ${core(r.group)} ${r.resource}`), [], 'every allowed request is one the chart grants');
  });

  test('every grant of the chart was used at least once', () => {
    assert.ok(grants.length > 0, 'the chart grants something');
    const unused = unusedGrants(grants, requests);
    const row = (g: Grant) => [g.role, g.verb, core(g.group), g.resource, g.resourceName || '-'];
    console.log(`least privilege: ${grants.length} grants (role, verb, group, resource, name), ${unused.length} unused grants`);
    console.log(table(['role', 'verb', 'group', 'resource', 'name', 'used'], grants.map((g) => [...row(g), unused.includes(g) ? 'NO' : 'yes'])));
    assert.deepEqual(unused.map((g) => row(g).join(' ')), [], 'grants no request of the suite used: remove them from helm/pledge/templates/rbac.yaml, or test what needs them');
    console.log(`least privilege: ${requests.filter(isDenied).length} denied requests, ${unused.length} unused grants`);
  });
});

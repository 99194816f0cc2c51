import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expandRules, grantAllows, isDenied, requestsOf, unexplained, unusedGrants, usedAccess, type Request } from './audit-privileges.ts';

const SA = 'system:serviceaccount:pledge-system:pledge';

/** Audit lines as kube-apiserver writes them at Metadata level (fields trimmed to those that matter). */
function line(fields: { id: string; stage?: string; verb: string; user?: string; ref?: Record<string, string>; code: number; uri?: string }): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: fields.id,
    stage: fields.stage ?? 'ResponseComplete',
    requestURI: fields.uri ?? '/apis/x',
    verb: fields.verb,
    user: { username: fields.user ?? SA, groups: ['system:serviceaccounts', 'system:authenticated'] },
    userAgent: 'node',
    ...(fields.ref ? { objectRef: fields.ref } : {}),
    responseStatus: { metadata: {}, code: fields.code },
  });
}

const LOG = [
  // A watch: logged when it starts and when it ends, counted once.
  line({ id: 'w1', stage: 'ResponseStarted', verb: 'watch', ref: { resource: 'buckets', apiGroup: 's3.aws.pledge.dev', apiVersion: 'v1' }, code: 200 }),
  line({ id: 'w1', verb: 'watch', ref: { resource: 'buckets', apiGroup: 's3.aws.pledge.dev', apiVersion: 'v1' }, code: 200 }),
  line({ id: 'l1', verb: 'list', ref: { resource: 'buckets', apiGroup: 's3.aws.pledge.dev', apiVersion: 'v1' }, code: 200 }),
  line({ id: 's1', verb: 'update', ref: { resource: 'buckets', subresource: 'status', name: 'b1', apiGroup: 's3.aws.pledge.dev', apiVersion: 'v1' }, code: 200 }),
  line({ id: 's2', verb: 'update', ref: { resource: 'buckets', subresource: 'status', name: 'b2', apiGroup: 's3.aws.pledge.dev', apiVersion: 'v1' }, code: 409 }),
  // Core group: no apiGroup in objectRef.
  line({ id: 'g1', verb: 'get', ref: { resource: 'secrets', namespace: 'pledge-system', name: 'aws-creds', apiVersion: 'v1' }, code: 200 }),
  // A server-side apply that created the object: RBAC checked patch and create.
  line({ id: 'p1', verb: 'patch', ref: { resource: 'customresourcedefinitions', name: 'xs.example.org', apiGroup: 'apiextensions.k8s.io', apiVersion: 'v1' }, code: 201 }),
  line({ id: 'e1', verb: 'create', ref: { resource: 'events', namespace: 'default', apiVersion: 'v1' }, code: 201 }),
  line({ id: 'n1', verb: 'create', ref: { resource: 'namespaces', name: 'pledge-system', apiVersion: 'v1' }, code: 403 }),
  line({ id: 'le', verb: 'get', ref: { resource: 'leases', namespace: 'pledge-system', name: 'pledge-controllers', apiGroup: 'coordination.k8s.io', apiVersion: 'v1' }, code: 404 }),
  // Discovery: no objectRef.
  line({ id: 'd1', verb: 'get', uri: '/apis', code: 200 }),
  // Someone else.
  line({ id: 'a1', verb: 'delete', user: 'pledge-admin', ref: { resource: 'secrets', namespace: 'default', name: 'x', apiVersion: 'v1' }, code: 200 }),
  '',
].join('\n');

async function withLog<T>(text: string, use: (path: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'pledge-audit-test-'));
  try {
    const path = join(dir, 'audit.log');
    await writeFile(path, text);
    return await use(path);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('the user\'s requests, each once, with core group, subresource and namespace', async () => {
  const requests = await withLog(LOG, (path) => requestsOf(path, SA));
  assert.equal(requests.length, 10, 'two lines of one watch are one request; the admin\'s is not counted');
  assert.deepEqual(requests.filter(isDenied).map((r) => `${r.verb} ${r.resource}`), ['create namespaces']);
  const used = usedAccess(requests).map((u) => `${u.verb} ${u.group || 'core'} ${u.resource} ${u.scope} x${u.count}`);
  assert.deepEqual(used, [
    'create core events namespace default x1',
    'create core namespaces cluster x1',
    'get core secrets namespace pledge-system x1',
    'create apiextensions.k8s.io customresourcedefinitions cluster x1',
    'patch apiextensions.k8s.io customresourcedefinitions cluster x1',
    'get coordination.k8s.io leases namespace pledge-system x1',
    'list s3.aws.pledge.dev buckets cluster x1',
    'watch s3.aws.pledge.dev buckets cluster x1',
    'update s3.aws.pledge.dev buckets/status cluster x2',
  ]);
});

test('grants expanded and matched as RBAC does: wildcards, subresources, a Role\'s namespace, resource names', async () => {
  const requests = await withLog(LOG, (path) => requestsOf(path, SA));
  const grants = [
    ...expandRules('ClusterRole/pledge', '', [
      { apiGroups: ['s3.aws.pledge.dev'], resources: ['buckets'], verbs: ['list', 'watch', 'delete'] },
      { apiGroups: ['s3.aws.pledge.dev'], resources: ['buckets/status'], verbs: ['update'] },
      { apiGroups: [''], resources: ['events'], verbs: ['create', 'patch'] },
      { apiGroups: [''], resources: ['secrets'], verbs: ['get'] },
      { apiGroups: ['apiextensions.k8s.io'], resources: ['customresourcedefinitions'], verbs: ['create', 'patch'] },
    ]),
    ...expandRules('Role/pledge-leader-election', 'pledge-system', [
      { apiGroups: ['coordination.k8s.io'], resources: ['leases'], resourceNames: ['pledge-controllers'], verbs: ['get', 'update'] },
    ]),
  ];
  assert.equal(grants.length, 11);
  const unused = unusedGrants(grants, requests).map((g) => `${g.role} ${g.verb} ${g.group || 'core'} ${g.resource}`);
  assert.deepEqual(unused, [
    'ClusterRole/pledge delete s3.aws.pledge.dev buckets',
    'ClusterRole/pledge patch core events',
    'Role/pledge-leader-election update coordination.k8s.io leases',
  ]);
  assert.deepEqual(unexplained(grants, requests), [], 'every allowed request is explained by a grant (a 404 and a 409 were allowed)');

  const at = (r: Partial<Request>): Request => ({ verb: 'get', group: 'g', resource: 'xs', namespace: '', name: 'n', code: 200, uri: '', ...r });
  const [star] = expandRules('r', '', [{ apiGroups: ['g'], resources: ['*'], verbs: ['get'] }]);
  const [starStatus] = expandRules('r', '', [{ apiGroups: ['g'], resources: ['*/status'], verbs: ['get'] }]);
  const [inNs] = expandRules('r', 'apps', [{ apiGroups: ['g'], resources: ['xs'], verbs: ['get'] }]);
  assert.ok(star && starStatus && inNs);
  assert.ok(grantAllows(star, at({ resource: 'xs/status' })), '* covers subresources');
  assert.ok(grantAllows(starStatus, at({ resource: 'xs/status' })));
  assert.ok(!grantAllows(starStatus, at({ resource: 'xs' })));
  assert.ok(grantAllows(inNs, at({ namespace: 'apps' })));
  assert.ok(!grantAllows(inNs, at({ namespace: 'default' })), "a Role's grant stops at its namespace");
  assert.ok(!grantAllows(inNs, at({})), 'and does not reach across namespaces');
});

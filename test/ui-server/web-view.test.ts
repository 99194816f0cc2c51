// The web view of `pledge run --ui-bind-address … --ui-auth token` over plain HTTP, against a real kube-apiserver:
// its pages come from the controller's caches (a NopResource turns Ready on the page), live changes reach an open
// event stream, and what each bearer token sees is what its identity may get (TokenReview + SubjectAccessReview):
// nothing without rights, one namespace's objects for a namespace-limited token. No page or stream carries a
// Secret's value.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kubectlApply, testEnv } from '../env/index.ts';
import { eventually, installAwsProviderConfig, installCrds, mustKubectl, startController, TEST_CREDENTIALS, type ControllerProcess } from '../integration/harness.ts';
import { changedKeys, openSse, type SseStream } from './sse-reader.ts';

const suffix = randomBytes(3).toString('hex');
const nsA = `ui-a-${suffix}`;
const nsB = `ui-b-${suffix}`;
const clusterNop = `ui-nop-${suffix}`;
const clusterKey = `nop.pledge.dev/v1/nopresources/_/${clusterNop}`;
const keyIn = (ns: string) => `nop.m.pledge.dev/v1/nopresources/${ns}/marker-${suffix}`;

const namespacedNop = (ns: string) => `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: nop.m.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default, namespace: ${ns}}
---
apiVersion: nop.m.pledge.dev/v1
kind: NopResource
metadata: {name: marker-${suffix}, namespace: ${ns}}
spec:
  forProvider:
    conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "True"}]
`;

/** Three identities: one may get everything, one nothing, one everything in namespace A only. */
const identities = `
apiVersion: v1
kind: ServiceAccount
metadata: {name: ui-all, namespace: ${nsA}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ui-none, namespace: ${nsA}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ui-ns, namespace: ${nsA}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ui-get-all-${suffix}}
rules: [{apiGroups: ["*"], resources: ["*"], verbs: [get]}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ui-get-all-${suffix}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ui-get-all-${suffix}}
subjects: [{kind: ServiceAccount, name: ui-all, namespace: ${nsA}}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ui-get-ns, namespace: ${nsA}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ui-get-all-${suffix}}
subjects: [{kind: ServiceAccount, name: ui-ns, namespace: ${nsA}}]
`;

describe('web view over HTTP: pages from the caches, live events, per-token visibility', () => {
  let controller: ControllerProcess;
  let base = '';
  const tokens = { all: '', none: '', ns: '' };
  const streams: SseStream[] = [];
  const get = (path: string, token?: string) => fetch(base + path, { headers: token ? { Authorization: `Bearer ${token}` } : {}, redirect: 'manual' });
  const text = async (path: string, token?: string) => {
    const res = await get(path, token);
    return { status: res.status, body: await res.text(), headers: res.headers };
  };

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    await mustKubectl(['apply', '-f', '-'], 'apiVersion: nop.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: default}\n');
    for (const ns of [nsA, nsB]) assert.equal((await kubectlApply(namespacedNop(ns))).code, 0);
    assert.equal((await kubectlApply(identities)).code, 0);
    for (const who of ['all', 'none', 'ns'] as const) tokens[who] = (await mustKubectl(['create', 'token', `ui-${who}`, '-n', nsA])).trim();
    controller = await startController({ pollInterval: '60s', extraArgs: ['--ui-bind-address=127.0.0.1:0', '--ui-auth=token'] });
    await eventually(async () => /"url":"(http:[^"]+)","auth":"token","msg":"web view listening"/.test(await controller.log()), 'the web view to listen');
    base = (/"url":"(http:[^"]+)\/","auth":"token"/.exec(await controller.log()) ?? [])[1] ?? '';
  });

  after(async () => {
    for (const s of streams) s.close();
    await controller?.stop();
    await mustKubectl(['delete', 'namespace', nsA, nsB, '--wait=false']);
    await mustKubectl(['delete', 'clusterrole,clusterrolebinding', `ui-get-all-${suffix}`, '--ignore-not-found']);
  });

  test('without a token: /healthz answers, every page is a 401 with the login form, the stream is refused', async () => {
    assert.deepEqual(await text('/healthz').then((r) => [r.status, r.body]), [200, 'ok']);
    const home = await text('/');
    assert.equal(home.status, 401);
    assert.match(home.body, /<form method="post" action="\/login">/);
    assert.equal((await get('/events')).status, 401);
    assert.equal((await text('/', 'not-a-token')).status, 401, 'a token the API server does not know');
  });

  test('a NopResource turns Ready on its resource page and in the overview counts; CSP and escaping headers', async () => {
    assert.equal((await kubectlApply(`apiVersion: nop.pledge.dev/v1\nkind: NopResource\nmetadata: {name: ${clusterNop}}\nspec: {forProvider: {conditionAfter: [{time: 1s, conditionType: Ready, conditionStatus: "True"}]}}\n`)).code, 0);
    await eventually(async () => (await text(`/resource/${clusterKey}`, tokens.all)).body.includes('<tr data-type="Ready" data-status="True">'), 'Ready=True on the resource page');
    const page = await text(`/resource/${clusterKey}`, tokens.all);
    assert.match(page.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.match(page.body, /<pre data-testid="yaml" tabindex="0">[\s\S]*conditionAfter/);
    assert.ok(!page.body.includes('managedFields'), 'managedFields dropped from the YAML');
    assert.match(page.body, /<svg data-testid="timeline"/);
    const overview = await text('/', tokens.all);
    const row = /<tr data-testid="kind-count" data-kind="NopResource" data-group="nop.pledge.dev">[\s\S]*?<\/tr>/.exec(overview.body)?.[0] ?? '';
    assert.match(row, /data-testid="ready-count">(\d+)</);
    assert.ok(Number(/data-testid="ready-count">(\d+)</.exec(row)?.[1]) >= 1, row);
  });

  test('a resource that cannot connect: Synced=False with the message on its page, its Warning event there and on the overview', async () => {
    const broken = `ui-broken-${suffix}`;
    const providerConfig = (secret: string) =>
      `apiVersion: aws.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: ${broken}}\nspec: {region: us-east-1, endpoint: "${testEnv().motoUrl}", credentials: {source: Secret, secretRef: {name: ${secret}, namespace: pledge-system}}}\n`;
    assert.equal((await kubectlApply(`${providerConfig(`missing-${suffix}`)}---\napiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\nmetadata: {name: ${broken}}\nspec: {forProvider: {region: us-east-1}, providerConfigRef: {name: ${broken}}}\n`)).code, 0);
    const path = `/resource/s3.aws.pledge.dev/v1/buckets/_/${broken}`;
    await eventually(async () => /<tr data-type="Synced" data-status="False">/.test((await text(path, tokens.all)).body), 'Synced=False on its page');
    await eventually(async () => /data-testid="events">[\s\S]*<td>Warning<\/td>/.test((await text(path, tokens.all)).body), 'its Warning event on its page (the events informer, selected by source, lists and watches)');
    assert.match((await text(path, tokens.all)).body, new RegExp(`data-testid="condition-message">[^<]*missing-${suffix} not found`), 'the condition says what is missing');
    assert.match((await text('/', tokens.all)).body, new RegExp(`<tr data-testid="warning-event">[\\s\\S]*?${broken}`));
    assert.ok(!(await text('/', tokens.none)).body.includes('data-testid="warning-event"'), 'not to a token without rights');
    // Mended, so that its deletion can finish (its finalizer waits for the cloud side).
    assert.equal((await kubectlApply(providerConfig('aws-creds'))).code, 0);
    await mustKubectl(['delete', 'buckets.s3.aws.pledge.dev', broken, '--timeout=60s']);
  });

  test('a token without rights sees nothing; a namespace-limited token sees only its namespace', async () => {
    const none = await text('/', tokens.none);
    assert.equal(none.status, 200);
    assert.ok(!none.body.includes('data-testid="kind-count"'), 'no kind counted');
    assert.equal((await text(`/resource/${clusterKey}`, tokens.none)).status, 404);

    await eventually(async () => (await text(`/resource/${keyIn(nsA)}`, tokens.ns)).body.includes('data-status="True"'), 'namespace A object Ready, seen by the namespace token');
    const ns = await text('/', tokens.ns);
    assert.match(ns.body, /data-kind="NopResource" data-group="nop.m.pledge.dev">[\s\S]*?data-testid="total-count">1</, 'exactly its namespace\'s one NopResource');
    assert.ok(!ns.body.includes('data-group="nop.pledge.dev"'), 'no cluster-scoped kind');
    assert.equal((await text(`/resource/${keyIn(nsB)}`, tokens.ns)).status, 404);
    assert.equal((await text(`/resource/${clusterKey}`, tokens.ns)).status, 404);
    assert.equal((await text(`/resource/${keyIn(nsB)}`, tokens.all)).status, 200, 'the object exists: only the rights hide it');
  });

  test('changes reach open streams within seconds, filtered by each token\'s rights', async () => {
    const [all, none, ns] = await Promise.all([tokens.all, tokens.none, tokens.ns].map((t) => openSse(`${base}/events`, { Authorization: `Bearer ${t}` })));
    streams.push(all as SseStream, none as SseStream, ns as SseStream);
    await Promise.all(streams.map((s) => s.opened));
    for (const target of [`nopresources.nop.pledge.dev/${clusterNop}`, `nopresources.nop.m.pledge.dev/marker-${suffix} -n ${nsA}`, `nopresources.nop.m.pledge.dev/marker-${suffix} -n ${nsB}`]) {
      await mustKubectl(['label', ...target.split(' '), `touched=${suffix}`, '--overwrite']);
    }
    await eventually(async () => [clusterKey, keyIn(nsA), keyIn(nsB)].every((k) => changedKeys(all as SseStream).includes(k)), 'all three changes on the all-rights stream', 15_000);
    await eventually(async () => changedKeys(ns as SseStream).includes(keyIn(nsA)), 'namespace A change on the namespace stream', 15_000);
    // Both streams were flushed together with the all-rights one: what they lack now, they were not sent.
    assert.deepEqual(changedKeys(none as SseStream), []);
    assert.deepEqual([...new Set(changedKeys(ns as SseStream))], [keyIn(nsA)]);
  });

  test('login sets an HttpOnly SameSite=Strict session cookie that opens the pages; no Secret value on any page or stream', async () => {
    const crossSite = await fetch(`${base}/login`, { method: 'POST', headers: { Origin: 'http://elsewhere.example' }, body: new URLSearchParams({ token: tokens.all }), redirect: 'manual' });
    assert.equal(crossSite.status, 403, 'a form posted from another site signs nobody in');
    assert.equal(crossSite.headers.get('set-cookie'), null);
    const refused = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token: 'not-a-token' }), redirect: 'manual' });
    assert.equal(refused.status, 401);
    assert.equal(refused.headers.get('set-cookie'), null);
    const login = await fetch(`${base}/login`, { method: 'POST', body: new URLSearchParams({ token: tokens.all }), redirect: 'manual' });
    assert.equal(login.status, 303);
    const cookie = login.headers.get('set-cookie') ?? '';
    assert.match(cookie, /^pledge_session=[\w-]+; HttpOnly; SameSite=Strict; Path=\//);
    assert.ok(!cookie.includes(tokens.all), 'the cookie is a session id, not the token');
    const home = await fetch(`${base}/`, { headers: { Cookie: cookie.split(';')[0] ?? '' } });
    assert.equal(home.status, 200);
    // Every page the overview links to, and every page those link to: kind lists, trees, resources.
    const pages = [await home.text()];
    const seen = new Set<string>();
    for (let i = 0; i < pages.length; i++) {
      for (const m of (pages[i] ?? '').matchAll(/href="(\/(?:kind|resource|tree)\/[^"]+)"/g)) {
        const path = m[1] ?? '';
        if (seen.has(path)) continue;
        seen.add(path);
        pages.push((await text(path, tokens.all)).body);
      }
    }
    assert.ok([...seen].some((p) => p.startsWith('/resource/aws.pledge.dev/v1/providerconfigs/')), `the AWS ProviderConfig (whose Secret holds the test key) was visited: ${[...seen].join(' ')}`);
    const streamed = streams.flatMap((s) => s.events.map((e) => e.data));
    for (const body of [...pages, ...streamed]) assert.ok(!body.includes(TEST_CREDENTIALS.secretAccessKey), 'a Secret value reached the web view');
  });
});

// The web view with `--ui-auth token`, in Chromium: no token gets the login page (401); a ServiceAccount token
// (TokenRequest API) allowed nothing sees nothing; one allowed get/list in one namespace sees only that namespace's
// objects, on the overview, on resource pages and in the SSE stream. Decisions come from the API server
// (TokenReview + SubjectAccessReview), so the identities here are real RBAC.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { kubectl } from '../env/index.ts';
import { installCrds, mustKubectl } from '../integration/harness.ts';
import { assertAccessible, launchBrowser, readEvents, resourcePath, screenshot, startUiController, type UiController } from './browser.ts';

const suffix = randomBytes(3).toString('hex');
const NS_A = `ui-a-${suffix}`;
const NS_B = `ui-b-${suffix}`;
const SEEN = `seen-${suffix}`;
const HIDDEN = `hidden-${suffix}`;
const HIDDEN_CLUSTER = `hidden-cluster-${suffix}`;
const NOP_M = 'nopresources.nop.m.pledge.dev';

const nop = (apiVersion: string, name: string, namespace?: string, ready = 'True') =>
  `apiVersion: ${apiVersion}\nkind: NopResource\nmetadata: {name: ${name}${namespace ? `, namespace: ${namespace}` : ''}}\nspec:\n  forProvider:\n    conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "${ready}"}]\n`;

async function nopCounts(page: Page): Promise<number> {
  return page.$$eval('tr[data-testid="kind-count"][data-kind="NopResource"] [data-testid="total-count"]', (cells) => cells.reduce((s, c) => s + Number(c.textContent?.trim() || 'NaN'), 0));
}

/** Flips Ready on every NopResource of the test, so the controller writes status and the web view has news to send. */
async function flipReady(ready: string): Promise<void> {
  const patch = JSON.stringify({ spec: { forProvider: { conditionAfter: [{ time: '0s', conditionType: 'Ready', conditionStatus: ready }] } } });
  await mustKubectl(['patch', NOP_M, SEEN, '-n', NS_A, '--type=merge', '-p', patch]);
  await mustKubectl(['patch', NOP_M, HIDDEN, '-n', NS_B, '--type=merge', '-p', patch]);
  await mustKubectl(['patch', 'nopresources.nop.pledge.dev', HIDDEN_CLUSTER, '--type=merge', '-p', patch]);
}

describe('web view in a browser: bearer tokens and what each identity may see', () => {
  let ui: UiController;
  let browser: Browser;
  let viewerToken = '';
  let nobodyToken = '';

  before(async () => {
    await installCrds();
    const yaml = [
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS_A}}\n`,
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NS_B}}\n`,
      `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: viewer, namespace: ${NS_A}}\n`,
      `apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: nobody, namespace: ${NS_A}}\n`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: view-all, namespace: ${NS_A}}\nrules: [{apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}]\n`,
      `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\nmetadata: {name: viewer, namespace: ${NS_A}}\nroleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: view-all}\nsubjects: [{kind: ServiceAccount, name: viewer, namespace: ${NS_A}}]\n`,
      nop('nop.m.pledge.dev/v1', SEEN, NS_A),
      nop('nop.m.pledge.dev/v1', HIDDEN, NS_B),
      nop('nop.pledge.dev/v1', HIDDEN_CLUSTER),
    ];
    await mustKubectl(['apply', '-f', '-'], yaml.join('---\n'));
    viewerToken = (await mustKubectl(['create', 'token', 'viewer', '-n', NS_A, '--duration=1h'])).trim();
    nobodyToken = (await mustKubectl(['create', 'token', 'nobody', '-n', NS_A, '--duration=1h'])).trim();
    ui = await startUiController({ auth: 'token' });
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await ui?.controller.stop();
    await kubectl(['delete', 'namespace', NS_A, NS_B, '--wait=false']);
    await kubectl(['delete', 'nopresources.nop.pledge.dev', HIDDEN_CLUSTER, '--wait=false']);
  });

  test('without a token: 401 with the login form on every page and on /events; /healthz answers', async () => {
    const page = await browser.newPage();
    for (const path of ['/', resourcePath('nop.m.pledge.dev', 'v1', 'nopresources', NS_A, SEEN)]) {
      const res = await page.goto(`${ui.baseUrl}${path}`);
      assert.equal(res?.status(), 401, path);
      assert.equal(await page.locator('form input[name="token"]').count(), 1, `${path}: the login form`);
      assert.doesNotMatch(await page.content(), new RegExp(`${SEEN}|${HIDDEN}`));
    }
    await assertAccessible(page, 'login page');
    await screenshot(page, 'login');
    assert.equal((await readEvents(ui.baseUrl, 500)).status, 401);
    const health = await fetch(`${ui.baseUrl}/healthz`);
    assert.equal(health.status, 200);
    await page.close();
  });

  test('a token allowed get/list in one namespace, logged in with the form, sees only that namespace', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${ui.baseUrl}/login`);
    await page.locator('form input[name="token"]').fill(viewerToken);
    await page.locator('form input[name="token"]').press('Enter');
    await page.waitForURL(`${ui.baseUrl}/`);
    const cookies = await context.cookies();
    assert.ok(cookies.some((c) => c.httpOnly && c.sameSite === 'Strict'), 'an HttpOnly, SameSite=Strict session cookie');
    assert.equal(await nopCounts(page), 1, `only ${SEEN} in ${NS_A}: not ${HIDDEN} (${NS_B}) nor the cluster-scoped ${HIDDEN_CLUSTER}`);
    assert.doesNotMatch(await page.content(), new RegExp(`${HIDDEN}|${NS_B}`));

    const seen = await page.goto(`${ui.baseUrl}${resourcePath('nop.m.pledge.dev', 'v1', 'nopresources', NS_A, SEEN)}`);
    assert.equal(seen?.status(), 200);
    assert.match((await page.locator('pre[data-testid="yaml"]').textContent()) ?? '', new RegExp(`name: ${SEEN}`));
    for (const [namespace, name, apiGroup] of [[NS_B, HIDDEN, 'nop.m.pledge.dev'], [undefined, HIDDEN_CLUSTER, 'nop.pledge.dev']] as const) {
      const res = await page.goto(`${ui.baseUrl}${resourcePath(apiGroup, 'v1', 'nopresources', namespace, name)}`);
      assert.ok(res && [403, 404].includes(res.status()), `${name}: ${res?.status()}`);
      assert.equal(await page.locator('pre[data-testid="yaml"]').count(), 0, `${name}: no YAML`);
    }

    const events = await readEvents(ui.baseUrl, 10_000, { authorization: `Bearer ${viewerToken}` }, () => flipReady('False'));
    assert.equal(events.status, 200);
    assert.match(events.text, new RegExp(SEEN), `the stream carries the change of ${SEEN}`);
    assert.doesNotMatch(events.text, new RegExp(`${HIDDEN}|${NS_B}`), 'nothing of the other namespace or the cluster-scoped object');
    await context.close();
  });

  test('a token allowed nothing sees nothing: an empty overview, no resource page, nothing on /events', async () => {
    const context = await browser.newContext({ extraHTTPHeaders: { authorization: `Bearer ${nobodyToken}` } });
    const page = await context.newPage();
    const res = await page.goto(`${ui.baseUrl}/`);
    assert.equal(res?.status(), 200);
    assert.equal(await nopCounts(page), 0);
    const totals = await page.$$eval('[data-testid="total-count"]', (cells) => cells.map((c) => Number(c.textContent?.trim() || '0')));
    assert.deepEqual(totals.filter((n) => n !== 0), [], 'no kind counts anything');
    assert.equal(await page.locator('a[data-testid="tree-link"]').count(), 0);
    assert.equal(await page.locator('[data-testid="warning-event"]').count(), 0);
    const denied = await page.goto(`${ui.baseUrl}${resourcePath('nop.m.pledge.dev', 'v1', 'nopresources', NS_A, SEEN)}`);
    assert.ok(denied && [403, 404].includes(denied.status()), `${denied?.status()}`);
    assert.equal(await page.locator('pre[data-testid="yaml"]').count(), 0);

    // The viewer listens at the same time: the change did reach the stream, just not the nobody's.
    const [events, viewer] = await Promise.all([
      readEvents(ui.baseUrl, 10_000, { authorization: `Bearer ${nobodyToken}` }, () => flipReady('True')),
      readEvents(ui.baseUrl, 10_000, { authorization: `Bearer ${viewerToken}` }),
    ]);
    assert.match(viewer.text, new RegExp(SEEN), 'the viewer saw the change');
    assert.equal(events.status, 200);
    assert.doesNotMatch(events.text, new RegExp(`${SEEN}|${HIDDEN}`));
    await context.close();
  });
});

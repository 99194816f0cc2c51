// The web view in Chromium against a real `pledge run` (its informer caches), a real kube-apiserver, real kubectl
// and moto: the overview counts what the cluster holds; a claim applied with kubectl appears on the open overview,
// and its tree turns Ready without a reload; the resource page shows conditions, YAML and the timeline. Every page
// passes axe-core (no serious or critical violation) and is written as a screenshot (test-artifacts/ui/).
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { kubectl, kubectlApply } from '../env/index.ts';
import { eventually, getJson, installAwsProviderConfig, installCrds, mustKubectl, REPO } from '../integration/harness.ts';
import { assertAccessible, launchBrowser, resourcePath, screenshot, startUiController, treePath, type UiController } from './browser.ts';

const suffix = randomBytes(3).toString('hex');
const examples = join(REPO, 'compositions/examples/object-storage');
const CLAIM = `photos-ui-${suffix}`;
const LABEL = `ui-${suffix}`;
const CLAIM_TREE = treePath('platform.example.org', 'v1alpha1', 'objectstorages', 'default', CLAIM);

/** Sums a kind's rows (a kind may be served by a cluster and a namespaced group) on the open overview. */
async function kindCounts(page: Page, kind: string): Promise<{ ready: number; total: number; rows: number }> {
  return page.$$eval(`tr[data-testid="kind-count"][data-kind="${kind}"]`, (rows) => {
    const n = (row: Element, id: string) => Number(row.querySelector(`[data-testid="${id}"]`)?.textContent?.trim() || 'NaN');
    return rows.reduce((s, row) => ({ ready: s.ready + n(row, 'ready-count'), total: s.total + n(row, 'total-count'), rows: s.rows + 1 }), { ready: 0, total: 0, rows: 0 });
  });
}

async function kubectlCount(resource: string): Promise<number> {
  return (JSON.parse(await mustKubectl(['get', resource, '-A', '-o', 'json'])) as { items: unknown[] }).items.length;
}

/** Marks the document; the mark survives only if the page is never reloaded or navigated away. */
async function markDocument(page: Page): Promise<string> {
  const mark = randomBytes(8).toString('hex');
  await page.evaluate((m) => {
    (globalThis as unknown as { pledgeTestMark: string }).pledgeTestMark = m;
  }, mark);
  return mark;
}

const documentMark = (page: Page) => page.evaluate(() => (globalThis as unknown as { pledgeTestMark?: string }).pledgeTestMark);

describe('web view in a browser: overview, a claim turning Ready live, the resource page', () => {
  let ui: UiController;
  let browser: Browser;
  let page: Page;

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    await mustKubectl(['apply', '-f', join(examples, 'definition.yaml')]);
    ui = await startUiController();
    // The controller offers the XRD's claim kind.
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  after(async () => {
    await browser?.close();
    await ui?.controller.stop();
    await kubectl(['delete', 'objectstorage', CLAIM, '-n', 'default', '--wait=false']);
    await kubectl(['delete', 'nopresources.nop.pledge.dev', `ui-nop-a-${suffix}`, `ui-nop-b-${suffix}`, '--wait=false']);
  });

  test('the overview counts each kind the cluster holds, by Ready', async () => {
    const nops = ['a', 'b'].map((x) => `apiVersion: nop.pledge.dev/v1\nkind: NopResource\nmetadata: {name: ui-nop-${x}-${suffix}}\nspec:\n  forProvider:\n    conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "True"}]\n`);
    assert.equal((await kubectlApply(nops.join('---\n'))).code, 0);
    await mustKubectl(['wait', '--for=condition=Ready', '--timeout=60s', `nopresources.nop.pledge.dev/ui-nop-a-${suffix}`, `nopresources.nop.pledge.dev/ui-nop-b-${suffix}`]);
    // Retried: on a shared lane, another file's NopResources may still be finishing their deletion.
    let expected = 0;
    let counts = { ready: 0, total: 0, rows: 0 };
    await eventually(async () => {
      expected = (await kubectlCount('nopresources.nop.pledge.dev')) + (await kubectlCount('nopresources.nop.m.pledge.dev'));
      const res = await page.goto(`${ui.baseUrl}/`);
      assert.equal(res?.status(), 200);
      counts = await kindCounts(page, 'NopResource');
      return counts.total === expected;
    }, 'the overview to count the NopResources the API server holds', 15_000).catch(() => undefined);
    assert.ok(counts.rows >= 1, 'a row for NopResource');
    assert.equal(counts.total, expected, 'the overview counts the NopResources the API server holds');
    assert.ok(counts.ready >= 2 && counts.ready <= counts.total, `ready ${counts.ready} of ${counts.total}`);
    await assertAccessible(page, 'overview');

    // The kind's row links to the page listing every object of the kind.
    await page.locator('tr[data-testid="kind-count"][data-kind="NopResource"] a[href^="/kind/nop.pledge.dev/"]').click();
    await page.waitForURL('**/kind/nop.pledge.dev/**');
    const listed = await page.locator('main').textContent();
    assert.ok(listed?.includes(`ui-nop-a-${suffix}`) && listed.includes(`ui-nop-b-${suffix}`), 'the kind page lists both NopResources');
    await assertAccessible(page, 'kind page');
  });

  test('a claim applied with kubectl appears on the open overview, and its tree turns Ready without a reload', async () => {
    await page.goto(`${ui.baseUrl}/`);
    const mark = await markDocument(page);
    // No Composition carries this label yet: the claim and its composite stay not Ready until one does.
    const claimYaml = (await readFile(join(REPO, 'examples/claims/object-storage-aws.yaml'), 'utf8'))
      .replace(/name: photos-aws/, `name: ${CLAIM}`)
      .replace(/provider: aws/, `provider: ${LABEL}`)
      .replace(/photos-aws-conn/, `${CLAIM}-conn`);
    assert.equal((await kubectlApply(claimYaml)).code, 0);
    const link = page.locator(`a[data-testid="tree-link"][href$="${CLAIM_TREE}"]`);
    await link.first().waitFor({ timeout: 30_000 });
    assert.equal(await documentMark(page), mark, 'the claim appeared on the open overview, not after a reload');

    await link.first().click();
    await page.waitForURL(`**${CLAIM_TREE}`);
    const claimNode = page.locator(`[data-testid="node"][data-kind="ObjectStorage"][data-name="${CLAIM}"][data-namespace="default"]`);
    await claimNode.waitFor({ timeout: 10_000 });
    assert.notEqual(await claimNode.getAttribute('data-ready'), 'True', 'no Composition yet: the claim is not Ready');
    assert.ok(await page.locator('svg[data-testid="graph"]').count(), 'the tree is drawn as a graph');
    const treeMark = await markDocument(page);

    const composition = (await readFile(join(examples, 'composition-aws.yaml'), 'utf8')).replace(/name: objectstorage-aws/, `name: objectstorage-${LABEL}`).replace(/provider: aws/, `provider: ${LABEL}`);
    await mustKubectl(['apply', '-f', '-'], composition);
    await page.locator(`[data-testid="node"][data-kind="ObjectStorage"][data-name="${CLAIM}"][data-ready="True"]`).waitFor({ timeout: 90_000 });
    assert.equal(await documentMark(page), treeMark, 'Ready reached the open tree without a reload');
    const claim = await getJson<{ spec: { resourceRef: { name: string } } }>('objectstorage', CLAIM, 'default');
    const xr = await getJson<{ spec: { resourceRefs: Array<{ kind: string; name: string }> } }>('xobjectstorage', claim?.spec.resourceRef.name ?? '');
    const bucket = xr?.spec.resourceRefs.find((r) => r.kind === 'Bucket')?.name ?? '';
    assert.ok(bucket, 'the composite lists its Bucket');
    await page.locator(`[data-testid="node"][data-kind="XObjectStorage"][data-name="${claim?.spec.resourceRef.name}"][data-ready="True"]`).waitFor({ timeout: 15_000 });
    await page.locator(`[data-testid="node"][data-kind="Bucket"][data-name="${bucket}"][data-ready="True"]`).waitFor({ timeout: 15_000 });
    assert.equal(await documentMark(page), treeMark, 'the composed nodes arrived without a reload');
    await assertAccessible(page, 'tree');
    await screenshot(page, 'tree');

    // The calls that made the Bucket are counted (sampled every few seconds) beside the budget of its ProviderConfig.
    const awsCalls = async () => Number((await page.locator('table[data-testid="cloud-calls"] tr', { hasText: 'aws' }).locator('td').last().textContent())?.trim());
    await eventually(async () => {
      await page.goto(`${ui.baseUrl}/`);
      return (await awsCalls()) > 0;
    }, 'the overview to count the AWS calls', 20_000);
    assert.equal(await page.locator('table[data-testid="budgets"] tr', { hasText: 'aws' }).filter({ hasText: 'default' }).count(), 1, "the AWS ProviderConfig's budget");
    await screenshot(page, 'overview');
  });

  test('the resource page shows conditions, the YAML without managedFields, and the timeline', async () => {
    const claim = await getJson<{ spec: { resourceRef: { name: string } } }>('objectstorage', CLAIM, 'default');
    const xr = await getJson<{ spec: { resourceRefs: Array<{ kind: string; name: string }> } }>('xobjectstorage', claim?.spec.resourceRef.name ?? '');
    const bucket = xr?.spec.resourceRefs.find((r) => r.kind === 'Bucket')?.name ?? '';
    const res = await page.goto(`${ui.baseUrl}${resourcePath('s3.aws.pledge.dev', 'v1', 'buckets', undefined, bucket)}`);
    assert.equal(res?.status(), 200);
    const ready = page.locator('table[data-testid="conditions"] tr[data-type="Ready"]');
    assert.equal(await ready.getAttribute('data-status'), 'True');
    assert.equal(await page.locator('table[data-testid="conditions"] tr[data-type="Synced"]').getAttribute('data-status'), 'True');
    const yaml = (await page.locator('pre[data-testid="yaml"]').textContent()) ?? '';
    assert.match(yaml, new RegExp(`name: ${bucket}`));
    assert.match(yaml, /atProvider/, 'the YAML holds status.atProvider');
    assert.doesNotMatch(yaml, /managedFields/);
    assert.equal(await page.locator('svg[data-testid="timeline"]').count(), 1);
    assert.equal(await page.locator('[data-testid="events"]').count(), 1);
    await assertAccessible(page, 'resource page');
    await screenshot(page, 'resource');
  });
});

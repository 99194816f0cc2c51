// A managed resource the cloud refuses, seen in Chromium: moto answers BucketAlreadyExists for a bucket name
// another AWS account holds, and the web view shows that message on the Bucket's node in the claim's tree, on
// its resource page (Synced=False), with its Warning event, and among the overview's warning events.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { CreateBucketCommand, DeleteBucketCommand } from '@aws-sdk/client-s3';
import type { Browser, Page } from 'playwright-core';
import { kubectl, kubectlApply } from '../env/index.ts';
import { condition, eventually, getJson, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO } from '../integration/harness.ts';
import { assertAccessible, launchBrowser, resourcePath, screenshot, startUiController, treePath, type UiController } from './browser.ts';

const suffix = randomBytes(3).toString('hex');
const examples = join(REPO, 'compositions/examples/object-storage');
const CLAIM = `ui-taken-${suffix}`;
const LABEL = `ui-taken-${suffix}`;
const OTHER_ACCOUNT = '111111111111';
const CLOUD_MESSAGE = /BucketAlreadyExists: The requested bucket name is not available/;

describe('web view in a browser: a managed resource the cloud refuses', () => {
  let ui: UiController;
  let browser: Browser;
  let page: Page;
  let bucket = '';

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    await mustKubectl(['apply', '-f', join(examples, 'definition.yaml')]);
    // The example Composition, with the composed Bucket's cloud name taken from the claim's name.
    const composition = (await readFile(join(examples, 'composition-aws.yaml'), 'utf8'))
      .replace(/name: objectstorage-aws/, `name: objectstorage-${LABEL}`)
      .replace(/provider: aws/, `provider: ${LABEL}`)
      .replace(/ {4}patches:\n/, '    patches:\n    - {type: FromCompositeFieldPath, fromFieldPath: spec.claimRef.name, toFieldPath: "metadata.annotations[pledge.dev/external-name]"}\n');
    await mustKubectl(['apply', '-f', '-'], composition);
    await motoS3({ account: OTHER_ACCOUNT }).send(new CreateBucketCommand({ Bucket: CLAIM }));
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
    await kubectl(['delete', 'compositions.pledge.dev', `objectstorage-${LABEL}`, '--wait=false']);
    await motoS3({ account: OTHER_ACCOUNT }).send(new DeleteBucketCommand({ Bucket: CLAIM })).catch(() => undefined);
  });

  test('the refused Bucket is Synced=False with the cloud message on its tree node', async () => {
    const claimYaml = `apiVersion: platform.example.org/v1alpha1\nkind: ObjectStorage\nmetadata: {name: ${CLAIM}, namespace: default}\nspec: {region: us-east-1, compositionSelector: {matchLabels: {provider: ${LABEL}}}}\n`;
    assert.equal((await kubectlApply(claimYaml)).code, 0);
    await eventually(async () => {
      const claim = await getJson<{ spec: { resourceRef?: { name: string } } }>('objectstorage', CLAIM, 'default');
      const xr = claim?.spec.resourceRef ? await getJson<{ spec: { resourceRefs?: Array<{ kind: string; name: string }> } }>('xobjectstorage', claim.spec.resourceRef.name) : undefined;
      bucket = xr?.spec.resourceRefs?.find((r) => r.kind === 'Bucket')?.name ?? '';
      return bucket !== '';
    }, 'the composite to compose its Bucket', 60_000);
    await eventually(async () => CLOUD_MESSAGE.test((await condition('bucket.s3.aws.pledge.dev', bucket, 'Synced'))?.message ?? ''), 'the Bucket Synced=False with the cloud message', 60_000);

    const res = await page.goto(`${ui.baseUrl}${treePath('platform.example.org', 'v1alpha1', 'objectstorages', 'default', CLAIM)}`);
    assert.equal(res?.status(), 200);
    const node = page.locator(`[data-testid="node"][data-kind="Bucket"][data-name="${bucket}"]`);
    await node.waitFor({ timeout: 15_000 });
    assert.equal(await node.getAttribute('data-synced'), 'False');
    assert.match((await node.locator('[data-testid="node-message"]').textContent()) ?? '', CLOUD_MESSAGE);
    assert.notEqual(await page.locator(`[data-testid="node"][data-kind="ObjectStorage"][data-name="${CLAIM}"]`).getAttribute('data-ready'), 'True', 'the claim is not Ready');
  });

  test("the Bucket's resource page shows the cloud message, its Warning event, and the overview lists the warning", async () => {
    const res = await page.goto(`${ui.baseUrl}${resourcePath('s3.aws.pledge.dev', 'v1', 'buckets', undefined, bucket)}`);
    assert.equal(res?.status(), 200);
    const synced = page.locator('table[data-testid="conditions"] tr[data-type="Synced"]');
    assert.equal(await synced.getAttribute('data-status'), 'False');
    assert.match((await synced.locator('[data-testid="condition-message"]').textContent()) ?? '', CLOUD_MESSAGE);
    await eventually(async () => {
      await page.reload();
      return /CannotCreateExternalResource/.test((await page.locator('[data-testid="events"]').textContent()) ?? '');
    }, 'the Warning event on the resource page', 30_000);
    await assertAccessible(page, 'resource page of a failing Bucket');
    await screenshot(page, 'resource-cloud-error');

    await page.goto(`${ui.baseUrl}/`);
    const warnings = await page.locator('[data-testid="warning-event"]').allTextContents();
    assert.ok(warnings.some((w) => w.includes(bucket) && CLOUD_MESSAGE.test(w)), `the overview's warning events name ${bucket} with the cloud message: ${JSON.stringify(warnings.slice(0, 5))}`);
  });
});

// No secret value reaches the browser: a ProviderConfig whose credentials Secret holds random keys, an RDS
// DBInstance (moto) whose generated master password lands in its connection secret. Every page of the web view
// is crawled in Chromium (links followed, the HTML as served and the DOM after its script ran) and /events is
// read while the objects change; none of the values, nor their base64, appears.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { installCrds, mustKubectl } from '../integration/harness.ts';
import { launchBrowser, readEvents, resourcePath, startUiController, type UiController } from './browser.ts';

const suffix = randomBytes(3).toString('hex');
const CONFIG = `ui-secret-${suffix}`;
const DB = `ui-db-${suffix}`;
const NAMESPACE = 'pledge-system';
const ACCESS_KEY_ID = `AKIA${randomBytes(8).toString('hex').toUpperCase()}`;
const SECRET_ACCESS_KEY = randomBytes(30).toString('base64url');
/** Enough pages for every kind, tree and resource a lane holds; the crawl fails rather than stop silently. */
const MAX_PAGES = 400;

async function secretValues(name: string): Promise<Record<string, string>> {
  const data = (JSON.parse(await mustKubectl(['get', 'secret', name, '-n', NAMESPACE, '-o', 'json'])) as { data?: Record<string, string> }).data ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

/** Each value in the forms a page could leak it: as is, base64, base64url. */
const forms = (values: readonly string[]) => values.flatMap((v) => [v, Buffer.from(v).toString('base64'), Buffer.from(v).toString('base64url')]);

function leaked(text: string, secrets: readonly string[]): string[] {
  return secrets.filter((s) => text.includes(s)).map((s) => `${s.slice(0, 3)}… (${s.length} chars)`);
}

describe('web view in a browser: no secret value on any page or in the event stream', () => {
  let ui: UiController;
  let browser: Browser;
  let secrets: string[] = [];

  before(async () => {
    await installCrds();
    const { motoUrl } = testEnv();
    const res = await kubectlApply(`
apiVersion: v1
kind: Namespace
metadata: {name: ${NAMESPACE}}
---
apiVersion: v1
kind: Secret
metadata: {name: ${CONFIG}, namespace: ${NAMESPACE}}
stringData: {accessKeyId: ${ACCESS_KEY_ID}, secretAccessKey: ${SECRET_ACCESS_KEY}}
---
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${CONFIG}}
spec:
  region: us-east-1
  endpoint: ${motoUrl}
  credentials: {source: Secret, secretRef: {name: ${CONFIG}, namespace: ${NAMESPACE}}}
---
apiVersion: rds.aws.pledge.dev/v1
kind: DBInstance
metadata: {name: ${DB}}
spec:
  forProvider: {region: us-east-1, engine: postgres, dbInstanceClass: db.t3.micro, masterUsername: app, allocatedStorage: 20, skipFinalSnapshot: true}
  providerConfigRef: {name: ${CONFIG}}
  writeConnectionSecretToRef: {name: ${DB}-conn, namespace: ${NAMESPACE}}
`);
    assert.equal(res.code, 0, res.stderr);
    ui = await startUiController();
    browser = await launchBrowser();
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `dbinstances.rds.aws.pledge.dev/${DB}`], { timeoutMs: 100_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await ui.controller.log()).slice(-3000)}`);
    const connection = await secretValues(`${DB}-conn`);
    assert.ok((connection.password ?? '').length >= 8, 'the connection secret holds the generated password');
    secrets = forms([ACCESS_KEY_ID, SECRET_ACCESS_KEY, connection.password ?? '']);
  });
  after(async () => {
    await browser?.close();
    await ui?.controller.stop();
    await kubectl(['delete', 'dbinstances.rds.aws.pledge.dev', DB, '--timeout=60s'], { timeoutMs: 70_000 });
    await kubectl(['delete', 'providerconfigs.aws.pledge.dev', CONFIG, '--wait=false']);
    await kubectl(['delete', 'secret', CONFIG, '-n', NAMESPACE, '--wait=false']);
  });

  test('every page reachable from the overview, and the pages of the DBInstance, its ProviderConfig and Secrets', async (t) => {
    const page = await browser.newPage();
    const start = [
      '/',
      resourcePath('rds.aws.pledge.dev', 'v1', 'dbinstances', undefined, DB),
      resourcePath('aws.pledge.dev', 'v1', 'providerconfigs', undefined, CONFIG),
      resourcePath('', 'v1', 'secrets', NAMESPACE, CONFIG),
      resourcePath('', 'v1', 'secrets', NAMESPACE, `${DB}-conn`),
    ];
    const queue = [...start];
    const visited = new Map<string, number>();
    while (queue.length > 0) {
      const path = queue.shift() ?? '/';
      if (visited.has(path) || path.startsWith('/events')) continue;
      assert.ok(visited.size < MAX_PAGES, `more than ${MAX_PAGES} pages`);
      const res = await page.goto(`${ui.baseUrl}${path}`);
      const status = res?.status() ?? 0;
      visited.set(path, status);
      const served = (await res?.text()) ?? '';
      assert.deepEqual(leaked(served, secrets), [], `${path} as served`);
      assert.deepEqual(leaked(await page.content(), secrets), [], `${path} after its script ran`);
      if (path === start[1]) {
        // The page did show the DBInstance, connection secret by name included.
        assert.equal(status, 200);
        assert.equal(await page.locator('table[data-testid="conditions"] tr[data-type="Ready"]').getAttribute('data-status'), 'True');
        assert.match((await page.locator('pre[data-testid="yaml"]').textContent()) ?? '', new RegExp(`${DB}-conn`));
      }
      // getAttribute: an SVG link's href is not a string.
      const links = await page.$$eval('a[href]', (as) => as.map((a) => new URL(a.getAttribute('href') ?? '', document.baseURI).href));
      for (const href of links) {
        const url = new URL(href);
        if (url.origin === ui.baseUrl && !visited.has(url.pathname)) queue.push(url.pathname);
      }
    }
    for (const path of start.slice(3)) assert.notEqual(visited.get(path), 200, `${path}: the web view serves no Secret`);
    t.diagnostic(`crawled ${visited.size} pages`);
    assert.ok(visited.size >= start.length + 1, `crawled ${visited.size} pages: ${[...visited.keys()].slice(0, 20).join(' ')}`);
    // The script and style the pages load.
    for (const asset of await page.$$eval('script[src], link[href]', (els) => els.map((e) => (e as HTMLScriptElement).src || (e as HTMLLinkElement).href))) {
      assert.deepEqual(leaked(await (await fetch(asset)).text(), secrets), [], asset);
    }
    await page.close();
  });

  test('the event stream while the DBInstance and its ProviderConfig change', async () => {
    const events = await readEvents(ui.baseUrl, 8_000, {}, async () => {
      await mustKubectl(['annotate', '--overwrite', 'dbinstances.rds.aws.pledge.dev', DB, `pledge.dev/ui-test=${Date.now()}`]);
      await mustKubectl(['patch', 'dbinstances.rds.aws.pledge.dev', DB, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { tags: { touched: suffix } } } })]);
      await mustKubectl(['annotate', '--overwrite', 'secret', CONFIG, '-n', NAMESPACE, `pledge.dev/ui-test=${Date.now()}`]);
    });
    assert.equal(events.status, 200);
    assert.match(events.text, new RegExp(DB), 'the stream carried the DBInstance changes');
    assert.deepEqual(leaked(events.text, secrets), []);
  });
});

// What the web view's browser tests share: Debian's Chromium (test/env/install-chromium.sh) driven by
// playwright-core, `pledge run` with its web view on a free loopback port, axe-core, screenshots, the SSE stream.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { type Browser, chromium, type Page } from 'playwright-core';
import { freePort } from '../env/free-port.ts';
import { REPO, startController, type ControllerProcess } from '../integration/harness.ts';

const run = promisify(execFile);

/** Where every run writes its screenshots (git-ignored); the README shows the copies under docs/ui/. */
export const ARTIFACTS = join(REPO, 'test-artifacts/ui');
const DOCS = join(REPO, 'docs/ui');

let chromiumExe: Promise<string> | undefined;

/** The Chromium executable: the last stdout line of the project's install script. */
export function chromiumPath(): Promise<string> {
  chromiumExe ??= run('bash', [join(REPO, 'test/env/install-chromium.sh')], { maxBuffer: 16 << 20 }).then(({ stdout }) => stdout.trim().split('\n').at(-1) ?? '');
  return chromiumExe;
}

/** One headless Chromium per test file; --no-sandbox because CI runs as root. */
export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: await chromiumPath(), args: ['--no-sandbox'] });
}

export interface UiController {
  controller: ControllerProcess;
  /** http://127.0.0.1:<port>, no trailing slash. */
  baseUrl: string;
}

/** `pledge run --ui-bind-address 127.0.0.1:<free port>` as the chart's ServiceAccount; resolves once /healthz answers. */
export async function startUiController(options: { auth?: 'token' | 'none'; pollInterval?: string; extraArgs?: string[] } = {}): Promise<UiController> {
  const port = await freePort();
  const controller = await startController({
    pollInterval: options.pollInterval ?? '5s',
    extraArgs: [`--ui-bind-address=127.0.0.1:${port}`, ...(options.auth ? [`--ui-auth=${options.auth}`] : []), ...(options.extraArgs ?? [])],
  });
  const baseUrl = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  for (;;) {
    const res = await fetch(`${baseUrl}/healthz`).catch(() => undefined);
    if (res?.status === 200 && (await res.text()).trim() === 'ok') break;
    if (Date.now() > deadline) throw new Error(`the web view never answered ${baseUrl}/healthz\n${(await controller.log()).slice(-3000)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return { controller, baseUrl };
}

export function treePath(group: string, version: string, plural: string, namespace: string | undefined, name: string): string {
  return `/tree/${group}/${version}/${plural}/${namespace || '_'}/${name}`;
}

export function resourcePath(group: string, version: string, plural: string, namespace: string | undefined, name: string): string {
  return `/resource/${group || 'core'}/${version}/${plural}/${namespace || '_'}/${name}`;
}

type AxeViolation = { id: string; impact?: string | null; help: string; nodes: Array<{ target: unknown }> };

let axeSource: Promise<string> | undefined;

/**
 * axe-core from node_modules, evaluated in the page (a script tag would be refused by the web view's CSP,
 * default-src 'self', as it should be): no violation of impact serious or critical.
 */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  axeSource ??= readFile(join(REPO, 'node_modules/axe-core/axe.min.js'), 'utf8');
  await page.evaluate(await axeSource);
  const violations = await page.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run: () => Promise<{ violations: AxeViolation[] }> } }).axe;
    return (await axe.run()).violations;
  });
  const bad = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`),
    [],
    `${what}: axe-core found serious or critical violations`,
  );
}

/** A full-page screenshot in test-artifacts/ui/<name>.png; with PLEDGE_UI_SCREENSHOTS_TO_DOCS=1 also docs/ui/<name>.png for the README. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(ARTIFACTS, { recursive: true });
  const path = join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  if (process.env.PLEDGE_UI_SCREENSHOTS_TO_DOCS === '1') {
    await mkdir(DOCS, { recursive: true });
    await copyFile(path, join(DOCS, `${name}.png`));
  }
  return path;
}

/** Everything /events sends within `ms` (the raw SSE text), with the given headers; `during` runs while it listens. */
export async function readEvents(baseUrl: string, ms: number, headers: Record<string, string> = {}, during?: () => Promise<void>): Promise<{ status: number; text: string }> {
  const controller = new AbortController();
  const res = await fetch(`${baseUrl}/events`, { headers: { accept: 'text/event-stream', ...headers }, signal: controller.signal });
  if (res.status !== 200 || !res.body) return { status: res.status, text: await res.text() };
  const decoder = new TextDecoder();
  let text = '';
  const reader = res.body.getReader();
  const reading = (async () => {
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) return;
        text += decoder.decode(value, { stream: true });
      }
    } catch (err) {
      if (!controller.signal.aborted) throw err;
    }
  })();
  const timer = new Promise((r) => setTimeout(r, ms));
  await Promise.all([during?.(), timer]);
  controller.abort();
  await reading;
  return { status: res.status, text };
}

/** Polls a page-side condition until true (no reload): for live updates. */
export async function waitInPage(page: Page, check: () => Promise<boolean>, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await page.waitForTimeout(250);
  }
}

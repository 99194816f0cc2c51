// What the web view costs at rest: N NopResources (Ready at once, no cloud), `pledge run` started twice on the
// same objects, web view off then on (with one SSE client reading /events and the overview loaded once), each
// measured over a window after it settled: resident memory (median of 1 s samples of VmRSS) and CPU (utime+stime).
//   node test/env/run.ts -- node bench/ui-footprint.ts [--n 1000] [--settle 60] [--window 60] [--rounds 1]
// Run by `make bench`; never by `make test`. Figures go in bench/RESULTS.md ("Web view footprint").
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort } from '../test/env/free-port.ts';
import { testEnv } from '../test/env/index.ts';
import { deleteAll } from './scale/cleanup.ts';
import { installCrds, startAndWait, type RunningController } from './scale/controllers.ts';
import { createAll } from './scale/creator.ts';
import { kubeApiFromKubeconfig, type KubeApi } from './scale/kube-api.ts';
import { pledgeNop, REPO, resourcePath } from './scale/kinds.ts';
import { type Sample, startSampler } from './scale/sampler.ts';

const { values } = parseArgs({
  options: { n: { type: 'string', default: '1000' }, settle: { type: 'string', default: '60' }, window: { type: 'string', default: '60' }, rounds: { type: 'string', default: '1' } },
});
const N = Number(values.n);
const SETTLE_S = Number(values.settle);
const WINDOW_S = Number(values.window);
const ROUNDS = Number(values.rounds);
const MiB = 1024 * 1024;
const say = (message: string) => process.stderr.write(`ui-footprint: ${message}\n`);

interface Measured {
  ui: boolean;
  rssMedianMiB: number;
  cpuPercent: number;
  load1: number;
  sseBytes: number;
  sseMessages: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : ((s[(s.length - 1) >> 1] ?? 0) + (s[s.length >> 1] ?? 0)) / 2;
};

async function countReady(api: KubeApi, prefix: string): Promise<number> {
  const res = await api.call('GET', resourcePath(pledgeNop));
  if (res.status !== 200) throw new Error(`list NopResources: HTTP ${res.status}`);
  const items = (JSON.parse(res.body) as { items: Array<{ metadata: { name: string }; status?: { conditions?: Array<{ type: string; status: string }> } }> }).items;
  return items.filter((i) => i.metadata.name.startsWith(prefix) && i.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True')).length;
}

async function waitAllReady(api: KubeApi, prefix: string): Promise<void> {
  const deadline = Date.now() + 600_000;
  while ((await countReady(api, prefix)) < N) {
    if (Date.now() > deadline) throw new Error(`not all ${N} NopResources Ready after 10 minutes`);
    await sleep(2_000);
  }
}

async function startPledge(dir: string, uiPort: number | undefined): Promise<RunningController> {
  return startAndWait({
    name: 'pledge',
    command: process.execPath,
    args: [
      join(REPO, 'bin/pledge.ts'),
      'run',
      `--kubeconfig=${testEnv().kubeconfigPath}`,
      '--metrics-bind-address=127.0.0.1:0',
      '--log-level=info',
      ...(uiPort === undefined ? [] : [`--ui-bind-address=127.0.0.1:${uiPort}`, '--ui-auth=none']),
    ],
    env: process.env,
    cwd: REPO,
    logPath: join(dir, `pledge-${uiPort === undefined ? 'off' : 'on'}-${Date.now()}.log`),
    pollSeconds: 60,
    readyLine: /caches synced/,
  });
}

/** One SSE client on /events for as long as the signal allows; counts what it was sent. */
function sseClient(baseUrl: string, signal: AbortSignal): { bytes: () => number; messages: () => number } {
  let bytes = 0;
  let messages = 0;
  void (async () => {
    const res = await fetch(`${baseUrl}/events`, { headers: { accept: 'text/event-stream' }, signal });
    if (res.status !== 200 || !res.body) throw new Error(`/events: HTTP ${res.status}`);
    const decoder = new TextDecoder();
    for await (const chunk of res.body) {
      bytes += chunk.byteLength;
      messages += (decoder.decode(chunk, { stream: true }).match(/\n\n/g) ?? []).length;
    }
  })().catch((err: unknown) => {
    if (!signal.aborted) say(`SSE client: ${String(err)}`);
  });
  return { bytes: () => bytes, messages: () => messages };
}

async function measureOnce(dir: string, ui: boolean, api: KubeApi, prefix: string, cleanup?: () => Promise<void>): Promise<Measured> {
  const port = ui ? await freePort() : undefined;
  const controller = await startPledge(dir, port);
  const sampler = startSampler({ pid: controller.pid });
  const stopSse = new AbortController();
  try {
    let sse: ReturnType<typeof sseClient> | undefined;
    if (port !== undefined) {
      const baseUrl = `http://127.0.0.1:${port}`;
      const until = Date.now() + 30_000;
      while ((await fetch(`${baseUrl}/healthz`).catch(() => undefined))?.status !== 200) {
        if (Date.now() > until) throw new Error(`the web view never answered ${baseUrl}/healthz`);
        await sleep(200);
      }
      const overview = await fetch(`${baseUrl}/`);
      if (overview.status !== 200) throw new Error(`the overview answered ${overview.status}`);
      await overview.text();
      sse = sseClient(baseUrl, stopSse.signal);
    }
    await waitAllReady(api, prefix);
    say(`web view ${ui ? 'on' : 'off'}: all ${N} Ready; settling ${SETTLE_S} s`);
    await sleep(SETTLE_S * 1000);
    const first = (await sampler.sampleNow()) as Sample;
    const sseBefore = { bytes: sse?.bytes() ?? 0, messages: sse?.messages() ?? 0 };
    await sleep(WINDOW_S * 1000);
    const last = (await sampler.sampleNow()) as Sample;
    const window = sampler.samples.filter((s) => s.t >= first.t && s.t <= last.t);
    const measured: Measured = {
      ui,
      rssMedianMiB: median(window.map((s) => s.rssBytes)) / MiB,
      cpuPercent: ((last.cpuSeconds - first.cpuSeconds) / ((last.t - first.t) / 1000)) * 100,
      load1: median(window.map((s) => s.load1)),
      sseBytes: (sse?.bytes() ?? 0) - sseBefore.bytes,
      sseMessages: (sse?.messages() ?? 0) - sseBefore.messages,
    };
    say(`web view ${ui ? 'on' : 'off'}: RSS ${measured.rssMedianMiB.toFixed(1)} MiB, CPU ${measured.cpuPercent.toFixed(2)} % of a core, load ${measured.load1.toFixed(1)}`);
    await cleanup?.();
    return measured;
  } finally {
    stopSse.abort();
    sampler.stop();
    await controller.stop();
  }
}

const env = testEnv();
const api = await kubeApiFromKubeconfig(env.kubeconfigPath, { maxSockets: 14 });
const dir = await mkdtemp(join(tmpdir(), 'ui-footprint-'));
const prefix = `uf-${randomBytes(3).toString('hex')}-`;
const names = Array.from({ length: N }, (_, i) => `${prefix}${i}`);
await installCrds(join(REPO, 'crds'));
await pledgeNop.prepare();
say(`creating ${N} NopResources (${prefix}*); logs in ${dir}`);
await createAll({ api, kind: pledgeNop, names, concurrency: 10 });
const runs: Measured[] = [];
try {
  // Not measured: the creation burst leaves a larger heap behind; each measured run starts on Ready objects.
  const warmUp = await startPledge(dir, undefined);
  try {
    await waitAllReady(api, prefix);
  } finally {
    await warmUp.stop();
  }
  say(`all ${N} Ready (warm-up run, not measured)`);
  for (let round = 0; round < ROUNDS; round++) {
    const lastRound = round === ROUNDS - 1;
    runs.push(await measureOnce(dir, false, api, prefix));
    runs.push(await measureOnce(dir, true, api, prefix, lastRound ? () => deleteAll({ api, kind: pledgeNop, names, concurrency: 10, timeoutMs: 300_000 }) : undefined));
  }
} finally {
  api.close();
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
const off = runs.filter((r) => !r.ui);
const on = runs.filter((r) => r.ui);
const rssDelta = mean(on.map((r) => r.rssMedianMiB)) - mean(off.map((r) => r.rssMedianMiB));
const cpuDelta = mean(on.map((r) => r.cpuPercent)) - mean(off.map((r) => r.cpuPercent));
console.log(`web view footprint: ${N} NopResources, settle ${SETTLE_S} s, window ${WINDOW_S} s, ${ROUNDS} round(s), ${cpus().length} cores, ${process.version}`);
console.log('| web view | RSS median (MiB) | CPU at rest (% of a core) | load 1 min | SSE bytes / messages in the window |');
console.log('| --- | --- | --- | --- | --- |');
for (const r of runs) console.log(`| ${r.ui ? 'on' : 'off'} | ${r.rssMedianMiB.toFixed(1)} | ${r.cpuPercent.toFixed(2)} | ${r.load1.toFixed(1)} | ${r.ui ? `${r.sseBytes} / ${r.sseMessages}` : '-'} |`);
console.log(`web view adds ${rssDelta.toFixed(1)} MiB RSS (budget 20) and ${cpuDelta.toFixed(2)} % CPU (budget 2)`);
if (rssDelta >= 20 || cpuDelta >= 2) process.exitCode = 1;

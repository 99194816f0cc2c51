// Memory and CPU of one `pledge run` process: N GCS Buckets plus M ObjectStorage claims (each
// composing one more Bucket) on cloudsim, measured from /proc/<pid> of the controller, with the
// API server's requests and the controller's cloud calls while everything is at rest.
//   node test/env/run.ts -- node bench/runtime-footprint.ts [--repo DIR] [--n N] [--claims M] [--batch B] [--live-heap]
// --repo runs bin/pledge.ts and installs crds/ from another checkout (an older runtime, say; a fixed
// commit of a moving branch: `git archive <commit> | tar -x -C DIR` and link DIR/node_modules); the
// environment, the examples and this script stay the ones of this checkout.
// Phases: caches synced with nothing (RSS empty) → the XRD and the GCP composition → N Buckets then
// M claims by `kubectl apply` in batches of B (the ramp: until all are Ready) → 30 s → 60 s at rest
// (RSS sampled every 10 s, CPU, apiserver_request_total, pledge_cloud_api_calls_total) → clean-up.
// Not part of `make test`: it prints figures, it asserts nothing.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { kubectl, kubectlApply, testEnv } from '../test/env/index.ts';
import { startChild, type SupervisedChild } from '../test/env/supervised-child.ts';
import { waitUntil } from '../test/env/wait-until.ts';
import { mustKubectl, REPO } from '../test/integration/harness.ts';
import { installCloudsimProviderConfigs, removeCloudsimProviderConfigs } from '../test/integration/support/cloudsim-provider-configs.ts';
import { apiRequests, controllerCounts, liveHeap } from './footprint-probes.ts';
import { readProcess } from './scale/sampler.ts';

const { values: cli } = parseArgs({
  options: {
    repo: { type: 'string', default: REPO },
    n: { type: 'string', default: '1000' },
    claims: { type: 'string', default: '50' },
    batch: { type: 'string', default: '100' },
    'ramp-timeout-s': { type: 'string', default: '1800' },
    // Also the live JS heap after a full GC, read through the inspector (the controller runs with --inspect=127.0.0.1:0);
    // taken after the other figures of each phase, so the forced GC and the session never touch them.
    'live-heap': { type: 'boolean', default: false },
  },
});
const REPO_DIR = resolve(cli.repo);
const N = Number(cli.n);
const M = Number(cli.claims);
const BATCH = Number(cli.batch);
const RAMP_TIMEOUT_MS = Number(cli['ramp-timeout-s']) * 1000;
const LIVE_HEAP = cli['live-heap'];
for (const [flag, value] of [['--n', N], ['--claims', M], ['--batch', BATCH], ['--ramp-timeout-s', RAMP_TIMEOUT_MS / 1000]] as const) {
  if (!Number.isInteger(value) || value < (flag === '--claims' ? 0 : 1)) throw new Error(`${flag} must be a whole number${flag === '--claims' ? '' : ' above 0'}, got ${value}`);
}
const SETTLE_S = 30; // from all Ready to the start of the rest window
const REST_S = 60; // the rest window; also the default poll interval, so every resource is polled about once
const BUCKETS = 'buckets.storage.gcp.pledge.dev';
const CLAIMS = 'objectstorages.platform.example.org';
const EXAMPLES = join(REPO, 'compositions/examples/object-storage');
const RUN = randomBytes(3).toString('hex');
const LABEL = `bench.pledge.dev/run=${RUN}`;
const MiB = 1024 * 1024;

const say = (message: string) => process.stderr.write(`runtime-footprint: ${message}\n`);
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);
const diff = (after: Map<string, number>, before: Map<string, number>) =>
  new Map([...after].map(([k, v]) => [k, v - (before.get(k) ?? 0)] as const).filter(([, v]) => v > 0));
const show = (m: Map<string, number>) => [...m].sort().map(([k, v]) => `${k} ${v}`).join(', ') || 'none';

/** CPU seconds and memory (MiB, now and peak) of the controller, which must still be running. */
async function processNow(pid: number): Promise<{ cpuSeconds: number; rss: number; peak: number }> {
  const p = await readProcess(pid);
  if (!p) throw new Error(`the controller (pid ${pid}) has exited`);
  return { cpuSeconds: p.cpuSeconds, rss: p.rssBytes / MiB, peak: p.peakBytes / MiB };
}
const cpuSeconds = async (pid: number) => (await processNow(pid)).cpuSeconds;
const memory = processNow;

async function sampleRss(pid: number, samples: number, everyMs: number): Promise<number[]> {
  const out: number[] = [];
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(everyMs);
    out.push((await memory(pid)).rss);
  }
  return out;
}

const showHeap = (h: { heapUsed: number; external: number } | undefined) => (h ? `${h.heapUsed.toFixed(0)} MiB heap + ${h.external.toFixed(0)} MiB external` : '');

/** `pledge run` of REPO_DIR, flags as the integration harness passes them but info logs and a budget that never binds. */
async function startController(): Promise<{ child: SupervisedChild; metricsUrl: string; inspectorUrl: string }> {
  const parent = process.env.PLEDGE_TEST_ENV_DIR ? join(process.env.PLEDGE_TEST_ENV_DIR, 'controller-logs') : tmpdir();
  await mkdir(parent, { recursive: true });
  const logPath = join(await mkdtemp(join(parent, 'pledge-footprint-')), 'controller.log');
  const child = await startChild({
    name: 'pledge run',
    command: process.execPath,
    args: [
      ...(LIVE_HEAP ? ['--inspect=127.0.0.1:0'] : []),
      join(REPO_DIR, 'bin/pledge.ts'),
      'run',
      `--kubeconfig=${testEnv().kubeconfigPath}`,
      '--log-level=info',
      '--metrics-bind-address=127.0.0.1:0',
      '--cloud-rate=1000',
      '--cloud-burst=1000',
    ],
    logPath,
    cwd: REPO_DIR,
  });
  const log = () => readFile(logPath, 'utf8');
  let metricsUrl = '';
  await waitUntil(
    async () => {
      const port = /"port":(\d+),"msg":"serving \/healthz/.exec(await log())?.[1];
      if (port) metricsUrl = `http://127.0.0.1:${port}`;
      return port !== undefined;
    },
    { what: 'the controller to serve /healthz', timeoutMs: 60_000, child },
  );
  await waitUntil(async () => (await log()).includes('caches synced'), { what: 'the controller to sync its caches', timeoutMs: 60_000, child });
  const inspectorUrl = /Debugger listening on (ws:\S+)/.exec(await log())?.[1] ?? '';
  if (LIVE_HEAP && !inspectorUrl) throw new Error(`no inspector URL in ${logPath}`);
  return { child, metricsUrl, inspectorUrl };
}

const bucketYaml = (name: string) =>
  `apiVersion: storage.gcp.pledge.dev/v1\nkind: Bucket\nmetadata: {name: ${name}, labels: {bench.pledge.dev/run: "${RUN}"}}\nspec: {forProvider: {location: EU}}\n`;
const claimYaml = (name: string) =>
  `apiVersion: platform.example.org/v1alpha1\nkind: ObjectStorage\nmetadata: {name: ${name}, namespace: default, labels: {bench.pledge.dev/run: "${RUN}"}}\n` +
  'spec: {region: EU, compositionSelector: {matchLabels: {provider: gcp}}}\n';

async function readyCount(args: string[]): Promise<number> {
  const out = await mustKubectl(['get', ...args, '-l', LABEL, '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
  return out.split('\n').filter((s) => s === 'True').length;
}

async function applyInBatches(docs: string[]): Promise<void> {
  for (let i = 0; i < docs.length; i += BATCH) {
    const res = await kubectlApply(docs.slice(i, i + BATCH).join('---\n'), { timeoutMs: 300_000 });
    if (res.code !== 0) throw new Error(`kubectl apply of objects ${i}..${i + BATCH} failed: ${res.stderr}`);
  }
}

/** " (commit[ with uncommitted edits to the runtime])", or nothing when REPO_DIR is no git checkout (an exported tree). */
function describeCheckout(): string {
  const git = (...args: string[]) => execFileSync('git', ['-C', REPO_DIR, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  try {
    const edited = git('status', '--porcelain', '--untracked-files=no', '--', 'bin', 'core', 'providers', 'compositions', 'crds') !== '';
    return ` (${git('rev-parse', '--short', 'HEAD')}${edited ? ' with uncommitted edits to the runtime' : ''})`;
  } catch (err: unknown) {
    say(`${REPO_DIR} is not a git checkout: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`);
    return '';
  }
}

/** Names of every object of the type; empty too when the type is not served (the XRD never got applied). */
async function namesOf(type: string): Promise<string> {
  const res = await kubectl(['get', type, '-A', '-o', 'name']);
  if (res.code !== 0 && res.stderr.includes("doesn't have a resource type")) return '';
  if (res.code !== 0) throw new Error(`kubectl get ${type}: ${res.stderr}`);
  return res.stdout.trim();
}

async function cleanUp(): Promise<void> {
  const started = Date.now();
  await kubectl(['delete', CLAIMS, '-n', 'default', '-l', LABEL, '--wait=false']);
  await kubectl(['delete', BUCKETS, '-l', LABEL, '--wait=false'], { timeoutMs: 300_000 });
  try {
    // Composed Buckets carry no bench label: wait for every GCS Bucket and every claim to be gone.
    await waitUntil(async () => (await namesOf(BUCKETS)) === '' && (await namesOf(CLAIMS)) === '', {
      what: 'every Bucket and claim to be deleted',
      timeoutMs: 900_000,
      intervalMs: 2_000,
    });
    say(`deleted everything in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } catch (err: unknown) {
    say(`clean-up incomplete, stopping anyway: ${err instanceof Error ? err.message : String(err)}`);
  }
  await kubectl(['delete', '-f', join(EXAMPLES, 'composition-gcp.yaml'), '-f', join(EXAMPLES, 'definition.yaml'), '--ignore-not-found', '--timeout=60s']);
  await removeCloudsimProviderConfigs('default');
}

say(`runtime from ${REPO_DIR}; ${N} Buckets + ${M} claims; load ${load()}`);
await mustKubectl(['apply', '--server-side', '-f', join(REPO_DIR, 'crds')]);
await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(REPO_DIR, 'crds')]);
await installCloudsimProviderConfigs('default');
const { child, metricsUrl, inspectorUrl } = await startController();
const pid = child.pid;
const loads: string[] = [load()];
try {
  await sleep(5_000); // let start-up garbage be collected
  const rssEmpty = median(await sampleRss(pid, 5, 1_000));
  const heapEmpty = LIVE_HEAP ? await liveHeap(inspectorUrl) : undefined;
  say(`caches synced, RSS ${rssEmpty.toFixed(0)} MiB ${showHeap(heapEmpty)}; load ${load()}`);

  await mustKubectl(['apply', '-f', join(EXAMPLES, 'definition.yaml')]);
  await mustKubectl(['wait', '--for=condition=Offered', '--timeout=120s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
  await mustKubectl(['apply', '-f', join(EXAMPLES, 'composition-gcp.yaml')]);
  await sleep(2_000);

  const rampStart = Date.now();
  const cpuRampStart = await cpuSeconds(pid);
  const countsRampStart = await controllerCounts(metricsUrl);
  await applyInBatches(Array.from({ length: N }, (_, i) => bucketYaml(`fp-${RUN}-${i}`)));
  await applyInBatches(Array.from({ length: M }, (_, i) => claimYaml(`fp-${RUN}-claim-${i}`)));
  say(`applied in ${((Date.now() - rampStart) / 1000).toFixed(0)} s; load ${load()}`);
  let lastReport = 0;
  await waitUntil(
    async () => {
      const [buckets, claims] = [await readyCount([BUCKETS]), await readyCount([CLAIMS, '-n', 'default'])];
      if (Date.now() - lastReport > 30_000) {
        lastReport = Date.now();
        say(`${((Date.now() - rampStart) / 1000).toFixed(0)} s: ${buckets}/${N} Buckets, ${claims}/${M} claims Ready; RSS ${(await memory(pid)).rss.toFixed(0)} MiB; load ${load()}`);
      }
      return buckets >= N && claims >= M;
    },
    { what: `${N} Buckets and ${M} claims to be Ready`, timeoutMs: RAMP_TIMEOUT_MS, intervalMs: 2_000, child },
  );
  const rampS = (Date.now() - rampStart) / 1000;
  const cpuRamp = (await cpuSeconds(pid)) - cpuRampStart;
  const countsRamp = await controllerCounts(metricsUrl);
  const callsRamp = diff(countsRamp.calls, countsRampStart.calls);
  const peak = (await memory(pid)).peak;
  loads.push(load());
  say(`all Ready after ${rampS.toFixed(0)} s; load ${load()}`);

  await sleep(SETTLE_S * 1000);
  const [apiBefore, countsBefore, cpuBefore] = [await apiRequests(), await controllerCounts(metricsUrl), await cpuSeconds(pid)];
  const rss = await sampleRss(pid, 7, (REST_S * 1000) / 6); // 30 s .. 90 s after all Ready
  const [apiAfter, countsAfter, cpuAfter] = [await apiRequests(), await controllerCounts(metricsUrl), await cpuSeconds(pid)];
  const heapRest = LIVE_HEAP ? await liveHeap(inspectorUrl) : undefined;
  const rssAfterGc = (await memory(pid)).rss;
  loads.push(load());
  const pledgeRequests = diff(apiAfter.pledge, apiBefore.pledge);
  const restCalls = diff(countsAfter.calls, countsBefore.calls);

  console.log(`\nruntime footprint: ${REPO_DIR}${describeCheckout()}, Node ${process.version}`);
  console.log(`${N} GCS Buckets + ${M} ObjectStorage claims (gcp) on cloudsim; poll interval 60 s (default); load average (1/5/15 min) at start, all Ready, end: ${loads.join(' | ')}`);
  const rows: Array<[string, string]> = [
    ['RSS empty (caches synced, median of 5)', `${rssEmpty.toFixed(0)} MiB`],
    ['time to all Ready (from first apply)', `${rampS.toFixed(0)} s`],
    ['CPU during the ramp (utime+stime)', `${cpuRamp.toFixed(1)} s`],
    ['peak RSS (VmHWM)', `${peak.toFixed(0)} MiB`],
    [`RSS at rest (median of ${rss.length}, ${SETTLE_S}-${SETTLE_S + REST_S} s after Ready)`, `${median(rss).toFixed(0)} MiB (${rss.map((r) => r.toFixed(0)).join(' ')})`],
    ...(heapEmpty && heapRest
      ? ([
          ['live heap after a full GC, empty', showHeap(heapEmpty)],
          ['live heap after a full GC, at rest', `${showHeap(heapRest)} (RSS then ${rssAfterGc.toFixed(0)} MiB)`],
        ] as Array<[string, string]>)
      : []),
    [`CPU at rest (${REST_S} s)`, `${(cpuAfter - cpuBefore).toFixed(1)} s`],
    [`API requests at rest, Pledge groups (${REST_S} s)`, `${sum(pledgeRequests)}: ${show(pledgeRequests)}`],
    ['  by resource', show(diff(apiAfter.byResource, apiBefore.byResource))],
    [`API requests at rest, other groups (${REST_S} s)`, show(diff(apiAfter.other, apiBefore.other))],
    ['cloud calls during the ramp', `${sum(callsRamp)}: ${show(callsRamp)}`],
    [`cloud calls at rest (${REST_S} s)`, `${sum(restCalls)}: ${show(restCalls)}`],
    [`reconciles at rest (${REST_S} s)`, show(diff(countsAfter.reconciles, countsBefore.reconciles))],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  for (const [k, v] of rows) console.log(`${k.padEnd(width)}  ${v}`);
} finally {
  await cleanUp();
  await child.stop({ graceMs: 10_000 });
}

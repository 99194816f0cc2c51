// Scale benchmark: one controller, N resources, on the test environment's API server.
//   PLEDGE_TEST_AUDIT=1 node test/env/run.ts -- node bench/scale/run.ts --controller pledge|provider-nop --n 1000 [--tuned] [--kind nop|gcs|s3] [--claims M]
// Prints a table, appends its row to bench/RESULTS.md (unless --no-record), writes <id>.json and SVG plots to
// bench/results/. Run one controller per environment: a fresh API server each time (make bench-scale does).
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { cpus, release, totalmem, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testEnv } from '../../test/env/index.ts';
import { countControllerRequests } from './audit-log.ts';
import { nopTrioClaims } from './claims.ts';
import { cloudCalls, diffCalls, type CallCounts, type CloudCalls } from './cloud-calls.ts';
import { pledge } from './controller-pledge.ts';
import { providerNop } from './controller-provider-nop.ts';
import type { BenchController } from './controllers.ts';
import { createAll } from './creator.ts';
import { deleteAll } from './cleanup.ts';
import type { Phases, RunRecord } from './figures.ts';
import { kubeApiFromKubeconfig } from './kube-api.ts';
import { benchKind, REPO, type BenchKind, type ControllerName } from './kinds.ts';
import { OptionsError, parseOptions, USAGE, type BenchOptions } from './options.ts';
import { writePlots } from './plot.ts';
import { startReadyWatch } from './ready-watch.ts';
import { appendToResults, summary } from './report.ts';
import { findProcess, startSampler, type Sampler } from './sampler.ts';

const CONTROLLERS: Record<ControllerName, BenchController> = { pledge, 'provider-nop': providerNop };

const say = (message: string) => process.stderr.write(`bench: ${message}\n`);
const MiB = (bytes: number | undefined) => `${((bytes ?? 0) / 1024 / 1024).toFixed(0)} MiB`;

function kindFor(options: BenchOptions): BenchKind {
  if (options.claims === undefined) return benchKind(options.controller, options.kind);
  if (options.controller !== 'pledge') throw new Error('--claims needs Crossplane itself on its side: only --controller pledge');
  return nopTrioClaims;
}

async function apiserverSampler(): Promise<Sampler | undefined> {
  const envDir = process.env.PLEDGE_TEST_ENV_DIR;
  if (!envDir) return undefined;
  const pid = await findProcess((args) => (args[0] ?? '').endsWith('kube-apiserver') && args.includes(`--cert-dir=${join(envDir, 'apiserver-certs')}`));
  return pid === undefined ? undefined : startSampler({ pid });
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const env = testEnv();
  const controller = CONTROLLERS[options.controller];
  const kind = kindFor(options);
  const n = options.claims ?? options.n;
  const mode = options.tuned ? 'tuned' : 'defaults';
  const date = new Date();
  const id = `${date.toISOString().slice(0, 19).replace(/[:T]/g, '-')}-${options.controller}-${options.claims === undefined ? options.kind : 'claims'}-n${n}-${mode}`;
  const prefix = `bs-${randomBytes(3).toString('hex')}-`;
  const names = Array.from({ length: n }, (_, i) => `${prefix}${i}`);
  // Outside the environment's directory, which is removed when it stops: the controller's log outlives the run.
  const workDir = await mkdtemp(join(tmpdir(), 'bench-scale-'));
  say(`${id}: ${n} ${kind.label} for ${options.controller} (${mode}); logs in ${workDir}`);

  await controller.install();
  await kind.prepare();
  const cloud: CloudCalls | undefined = kind.cloudService ? cloudCalls(kind.cloudService) : undefined;
  await cloud?.setLatency(options.cloudLatencyMs);
  const api = await kubeApiFromKubeconfig(env.kubeconfigPath, { maxSockets: options.concurrency + 4 });

  const running = await controller.start({ kubeconfigPath: env.kubeconfigPath, dir: workDir, tuned: options.tuned, pollSeconds: options.pollSeconds });
  const sampler = startSampler({ pid: running.pid });
  const apiserver = await apiserverSampler();
  const phases: Partial<Phases> = { started: Date.now() };
  let ready = 0;
  let record: RunRecord | undefined;
  let readyAt = new Map<string, number>();
  try {
    await kind.afterStart?.();
    await sleep(options.emptySeconds * 1000);
    phases.empty = Date.now();
    say(`controller up (pid ${running.pid}), RSS empty ${MiB((await sampler.sampleNow())?.rssBytes)}`);

    const watch = await startReadyWatch({ api, kind, prefix });
    const calls: CallCounts[] = [];
    if (cloud) calls.push(await cloud.snapshot());
    phases.rampStart = Date.now();
    await Promise.all([sampler.sampleNow(), apiserver?.sampleNow()]);
    const creating = createAll({ api, kind, names, concurrency: options.concurrency });
    let lastSaid = 0;
    const waiting = watch.waitAllReady(names, {
      timeoutMs: options.timeoutSeconds * 1000,
      onProgress: (count) => {
        ready = count;
        if (Date.now() - lastSaid < 5_000 && count < n) return;
        lastSaid = Date.now();
        say(`${count}/${n} Ready after ${((Date.now() - (phases.rampStart ?? 0)) / 1000).toFixed(0)} s, RSS ${MiB(sampler.samples.at(-1)?.rssBytes)}`);
      },
    });
    const creation = await creating;
    say(`${n} created in ${((creation.finishedAt - creation.startedAt) / 1000).toFixed(1)} s`);
    try {
      await waiting;
    } catch (err: unknown) {
      say(`${err instanceof Error ? err.message : String(err)}: reporting what was Ready`);
    }
    const readyTimes = [...watch.readyAt.entries()].filter(([name]) => creation.sentAt.has(name));
    readyAt = new Map(readyTimes);
    ready = readyTimes.length;
    phases.allReady = ready === n ? Math.max(...readyTimes.map(([, t]) => t)) : Date.now();
    await Promise.all([sampler.sampleNow(), apiserver?.sampleNow()]);
    if (cloud) calls.push(await cloud.snapshot());

    await sleep(Math.max(0, phases.allReady + options.restAfterSeconds * 1000 - Date.now()));
    phases.restStart = Date.now();
    await sampler.sampleNow();
    if (cloud) calls.push(await cloud.snapshot());
    say(`at rest: RSS ${MiB(sampler.samples.at(-1)?.rssBytes)}; measuring ${options.restSeconds} s at rest`);
    await sleep(options.restSeconds * 1000);
    phases.restEnd = Date.now();
    await sampler.sampleNow();
    if (cloud) calls.push(await cloud.snapshot());
    const watchEvents = watch.events();
    await watch.stop();

    if (options.cleanup) await deleteAll({ api, kind, names, concurrency: options.concurrency, timeoutMs: options.timeoutSeconds * 1000 });

    const [c0 = {}, c1 = {}, c2 = {}, c3 = {}] = calls;
    record = {
      id,
      date: date.toISOString(),
      controller: options.controller,
      mode,
      kind: kind.label,
      n,
      namePrefix: prefix,
      ...(kind.composedPerObject ? { composedPerObject: kind.composedPerObject } : {}),
      concurrency: options.concurrency,
      benchCommand: `node bench/scale/run.ts ${process.argv.slice(2).join(' ')}`,
      controllerCommand: running.command.replace(process.execPath, 'node').replaceAll(`${REPO}/`, '').replace(/--kubeconfig=\S+/, '--kubeconfig=…'),
      pollSeconds: running.pollSeconds,
      machine: { cpus: cpus().length, memGiB: Math.round(totalmem() / 2 ** 30), node: process.version, kernel: release() },
      ready,
      createSeconds: (creation.finishedAt - creation.startedAt) / 1000,
      createRetries: creation.retries,
      readyMs: readyTimes.map(([name, t]) => t - (creation.sentAt.get(name) ?? t)).sort((a, b) => a - b),
      phases: phases as Phases,
      samples: sampler.samples,
      apiserverSamples: apiserver?.samples ?? [],
      watchEvents,
      ...(cloud && kind.cloudService ? { cloud: { service: kind.cloudService, latencyMs: options.cloudLatencyMs, ramp: diffCalls(c0, c1), rest: diffCalls(c2, c3) } } : {}),
    };
  } finally {
    sampler.stop();
    apiserver?.stop();
    await running.stop();
    await cloud?.setLatency(null);
    api.close();
  }

  if (!record) throw new Error('no record: the run stopped early');
  const auditLog = process.env.PLEDGE_TEST_AUDIT_LOG;
  if (auditLog) {
    const { phases: p } = record;
    const counted = await countControllerRequests(
      auditLog,
      [
        { name: 'ramp', from: p.rampStart, to: p.allReady + 1 },
        { name: 'rest', from: p.restStart, to: p.restEnd },
      ],
      readyAt,
    );
    const none = { total: 0, writes: 0, conflicts: 0, byRequest: {}, byAgent: {} };
    record.api = { untilReady: counted.untilReady, ramp: counted.windows.ramp ?? none, rest: counted.windows.rest ?? none };
  }

  console.log(summary(record));
  await mkdir(options.out, { recursive: true });
  const jsonPath = join(options.out, `${id}.json`);
  await writeFile(jsonPath, `${JSON.stringify(record)}\n`);
  // The newest run of each configuration under a fixed name, for the comparison plots (compare.sh).
  const latestPath = join(options.out, `latest-${options.controller}-${options.claims === undefined ? options.kind : 'claims'}-n${n}-${mode}.json`);
  await writeFile(latestPath, `${JSON.stringify(record)}\n`);
  const plots = await writePlots(join(options.out, id), [record]);
  console.log(`wrote ${[jsonPath, latestPath, ...plots].map((p) => relative(process.cwd(), p)).join(', ')}`);
  if (options.record) {
    await appendToResults(options.resultsPath, record);
    console.log(`appended a row to ${relative(process.cwd(), options.resultsPath)}`);
  }
  if (ready < n) process.exitCode = 1;
}

try {
  await main();
} catch (err: unknown) {
  console.error(`bench/scale: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}${err instanceof OptionsError ? `\n${USAGE}` : ''}`);
  process.exitCode = 1;
}

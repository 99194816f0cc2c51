// pledge up's storage, kine (one SQLite file) vs etcd (fsync on): time from the command to the API server's /readyz and
// to "ready" (CRDs Established, cloudsim up, controllers synced), cold (empty data dir) and warm (the same dir again
// after a Ctrl-C), and the RSS and CPU of every process of a running `pledge up --sim` after a rest.
//   node bench/up-storage.ts [--runs 3] [--rest-s 20] [--storage kine,etcd]
// Needs the binaries cached (make kube kine). It prints figures and asserts nothing; not part of `make test`.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { freePort } from '../core/up/free-port.ts';
import { httpGet } from '../core/up/http-get.ts';
import type { RunState } from '../core/up/run-state.ts';
import type { SupervisedChild } from '../core/up/supervised-child.ts';
import { waitUntil } from '../core/up/wait-until.ts';
import { startUp } from '../test/up/up-process.ts';
import { readProcess } from './scale/sampler.ts';

const { values: cli } = parseArgs({ options: { runs: { type: 'string', default: '3' }, 'rest-s': { type: 'string', default: '20' }, storage: { type: 'string', default: 'kine,etcd' } } });
const RUNS = Number(cli.runs);
const REST_S = Number(cli['rest-s']);
const MiB = 1024 * 1024;
const say = (m: string) => process.stderr.write(`up-storage: ${m}\n`);

type Start = { readyzMs: number; readyMs: number };
type Footprint = Record<string, { rssMiB: number; cpuPct: number }>;

async function start(dataDir: string, port: number, storage: string, run: number): Promise<{ child: SupervisedChild; times: Start }> {
  const t0 = performance.now();
  const up = await startUp({ dataDir, port, args: ['--sim', '--storage', storage], run });
  const caPath = join(dataDir, 'pki', 'ca.crt');
  await waitUntil(async () => (await httpGet(`https://127.0.0.1:${port}/readyz`, { ca: await readFile(caPath, 'utf8'), timeoutMs: 1_000 })).body === 'ok', {
    what: 'readyz', timeoutMs: 300_000, child: up.child, intervalMs: 20, maxIntervalMs: 20,
  });
  const readyzMs = performance.now() - t0;
  await up.ready(20);
  return { child: up.child, times: { readyzMs, readyMs: performance.now() - t0 } };
}

async function footprint(dataDir: string, upPid: number): Promise<Footprint> {
  const state = JSON.parse(await readFile(join(dataDir, 'up.json'), 'utf8')) as RunState;
  const pids: [string, number][] = [['pledge up (node: controllers, cloudsim)', upPid], ...state.children.map((c) => [c.name, c.pid] as [string, number])];
  const before = await Promise.all(pids.map(([, pid]) => readProcess(pid)));
  const t = performance.now();
  await sleep(REST_S * 1000);
  const after = await Promise.all(pids.map(([, pid]) => readProcess(pid)));
  const seconds = (performance.now() - t) / 1000;
  const out: Footprint = {};
  pids.forEach(([name], i) => {
    const a = before[i];
    const b = after[i];
    if (a && b) out[name] = { rssMiB: Math.round((b.rssBytes / MiB) * 10) / 10, cpuPct: Math.round(((b.cpuSeconds - a.cpuSeconds) / seconds) * 1000) / 10 };
  });
  return out;
}

async function stop(child: SupervisedChild): Promise<void> {
  process.kill(child.pid, 'SIGINT');
  const exit = await child.exited;
  if (exit.code !== 0) throw new Error(`pledge up exited with ${JSON.stringify(exit)}`);
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const fmt = (xs: number[]) => `median ${Math.round(median(xs))} ms (runs: ${xs.map((x) => Math.round(x)).join(', ')})`;

for (const storage of (cli.storage ?? '').split(',')) {
  const cold: Start[] = [];
  const warm: Start[] = [];
  const prints: Footprint[] = [];
  let dbBytes = '';
  for (let run = 1; run <= RUNS; run++) {
    const root = await mkdtemp(join(tmpdir(), `up-storage-${storage}-`));
    const dataDir = join(root, 'data');
    const port = await freePort();
    try {
      say(`${storage} run ${run}: cold start (load ${loadavg()[0]?.toFixed(1)})`);
      await mkdir(dataDir);
      const first = await start(dataDir, port, storage, 1);
      cold.push(first.times);
      await stop(first.child);
      say(`${storage} run ${run}: warm start`);
      const second = await start(dataDir, port, storage, 2);
      warm.push(second.times);
      if (run === 1) {
        say(`${storage}: ${REST_S} s at rest`);
        prints.push(await footprint(dataDir, second.child.pid));
      }
      await stop(second.child);
      dbBytes = execFileSync('du', ['-sh', join(dataDir, storage)], { encoding: 'utf8' }).split('\t')[0] ?? '';
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
  process.stdout.write(`\n## ${storage}\n`);
  process.stdout.write(`cold: /readyz ${fmt(cold.map((s) => s.readyzMs))}; ready ${fmt(cold.map((s) => s.readyMs))}\n`);
  process.stdout.write(`warm: /readyz ${fmt(warm.map((s) => s.readyzMs))}; ready ${fmt(warm.map((s) => s.readyMs))}\n`);
  process.stdout.write(`store on disk after the runs: ${dbBytes}\n`);
  for (const [name, f] of Object.entries(prints[0] ?? {})) process.stdout.write(`  ${name}: RSS ${f.rssMiB} MiB, CPU ${f.cpuPct} % over ${REST_S} s at rest\n`);
}

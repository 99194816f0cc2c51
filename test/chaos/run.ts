// `make chaos`: one command, one verdict.
//   node test/chaos/run.ts [--n 1000] [--kill-interval 0.3-3] [--min-kills 500] [--outage 30] [--seed N]
//                          [--cloud-rate 200] [--cloud-burst 100] [--workers 16] [--poll-interval 2s] [--keep-logs]
// Starts its own test environment (so it can restart kube-apiserver and etcd); under test/env/run.ts it uses that
// one instead and skips the API-server restart. Prints the tables and exits 0 on PASS, 1 on FAIL.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, homedir, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { Environment } from '../env/environment.ts';
import { runChaos, type ChaosOptions } from './chaos-run.ts';
import { renderReport, verdictOf } from './chaos-report.ts';
import { startOwnEnvironment } from './own-environment.ts';

const usage = `usage: node test/chaos/run.ts [--n N] [--kill-interval MIN-MAX seconds] [--min-kills K] [--outage SECONDS]
       [--seed S] [--cloud-rate R] [--cloud-burst B] [--workers W] [--poll-interval 2s] [--keep-logs]`;

function number(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) fail(`--${flag} must be a number >= 0, got ${JSON.stringify(text)}`);
  return value;
}

function fail(message: string): never {
  console.error(`chaos: ${message}\n${usage}`);
  process.exit(2);
}

function parseCli(argv: string[]): { options: ChaosOptions; keepLogs: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      n: { type: 'string' },
      'kill-interval': { type: 'string' },
      'min-kills': { type: 'string' },
      outage: { type: 'string' },
      seed: { type: 'string' },
      'cloud-rate': { type: 'string' },
      'cloud-burst': { type: 'string' },
      workers: { type: 'string' },
      'poll-interval': { type: 'string' },
      'keep-logs': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(usage);
    process.exit(0);
  }
  let minLifeMs: number | undefined;
  let maxLifeMs: number | undefined;
  if (values['kill-interval'] !== undefined) {
    const match = /^(\d+(?:\.\d+)?)-(\d+(?:\.\d+)?)$/.exec(values['kill-interval']);
    if (!match) fail(`--kill-interval must be MIN-MAX in seconds (such as 0.3-3), got ${JSON.stringify(values['kill-interval'])}`);
    minLifeMs = Number(match[1]) * 1000;
    maxLifeMs = Number(match[2]) * 1000;
    if (maxLifeMs < minLifeMs) fail('--kill-interval: MAX is below MIN');
  }
  const options: ChaosOptions = {
    n: number('n', values.n),
    minKills: number('min-kills', values['min-kills']),
    outageSeconds: number('outage', values.outage),
    seed: number('seed', values.seed),
    cloudRate: number('cloud-rate', values['cloud-rate']),
    cloudBurst: number('cloud-burst', values['cloud-burst']),
    workers: number('workers', values.workers),
    pollInterval: values['poll-interval'],
    minLifeMs,
    maxLifeMs,
  };
  return { options, keepLogs: values['keep-logs'] };
}

const say = (line: string) => process.stderr.write(`chaos: [${new Date().toISOString().slice(11, 19)}] ${line}\n`);

async function main(): Promise<number> {
  const { options, keepLogs } = parseCli(process.argv.slice(2));
  const aborter = new AbortController();
  // The first signal winds the run down (controllers stopped, environment stopped); a second one gives up.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.on(signal, () => {
      if (aborter.signal.aborted) process.exit(130);
      say(`received ${signal}: stopping (again to give up)`);
      aborter.abort(new Error(`received ${signal}`));
    });
  }
  // Controller logs outside the environment's directory, which goes when the environment stops.
  const logsDir = await mkdtemp(join(tmpdir(), 'pledge-chaos-'));
  let env: Environment | undefined;
  if (!process.env.PLEDGE_TEST_KUBECONFIG) {
    say('starting the test environment (kube-apiserver, etcd, moto, fake-gcs-server, cloudsim)');
    env = await startOwnEnvironment({ signal: aborter.signal });
    void env.crashed.then((err) => {
      say(`the environment died: ${err.message}`);
      aborter.abort(err);
    });
  }
  process.env.PLEDGE_TEST_ENV_DIR = logsDir;
  // Each restart loads Pledge and, on first connect, each cloud's SDK: compiled once, not at every one of 500 starts.
  process.env.NODE_COMPILE_CACHE ||= join(process.env.PLEDGE_CACHE || join(homedir(), '.cache', 'pledge'), 'node-compile-cache');
  const load: number[] = [];
  const sampler = setInterval(() => load.push(loadavg()[0] ?? 0), 10_000);
  const loadAtStart = loadavg()[0] ?? 0;
  const started = new Date();
  try {
    const restart = env?.restartApiServer;
    const report = await runChaos({ ...options, ...(restart ? { restartApiServer: () => restart() } : {}), cleanUp: env === undefined, log: say, signal: aborter.signal });
    const problems = verdictOf(report, { expectApiRestart: restart !== undefined });
    const cpu = cpus();
    const machine = `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`;
    const loads = [loadAtStart, ...load];
    console.log(`\n## make chaos — ${started.toISOString().slice(0, 16).replace('T', ' ')} UTC\n`);
    console.log(`command: \`node test/chaos/run.ts ${process.argv.slice(2).join(' ')}\`; machine: ${machine}; 1-min load average during the run: mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}\n`);
    console.log(renderReport(report, problems));
    await writeFile(join(logsDir, 'report.json'), JSON.stringify({ report, problems }, null, 1));
    const keep = keepLogs || problems.length > 0;
    if (keep) console.log(`controller logs (${report.killer?.logPaths.length ?? 0}) and report.json: ${logsDir}`);
    else await rm(logsDir, { recursive: true, force: true });
    return problems.length === 0 ? 0 : 1;
  } finally {
    clearInterval(sampler);
    await env?.stop();
  }
}

process.exitCode = await main().catch((err: unknown) => {
  say(`failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return 1;
});

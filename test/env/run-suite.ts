// The whole test suite (make test). The unit files run side by side, without an environment, while the lanes
// start (one environment each: test/env/suite/lanes.ts); then the files that time the code closely run alone
// (RUNS_ALONE in test/env/suite/schedule.ts); then the other files side by side, one at a time per lane, the
// longest first; then the files that check the whole run (zz-after-all/).
//   node test/env/run-suite.ts [--lanes N] [--verbose] [--unit <glob>...] [--env <glob>...]
// Globs after --unit need no environment; globs after --env (the default) run in the lanes.
import { rmSync } from 'node:fs';
import { glob, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { onProcessExit } from './process-exit.ts';
import { writeSuiteManifest } from './suite-environments.ts';
import { loadDurations } from './suite/durations.ts';
import { firstCrash, startLanes, stopLanes, suiteEnvironmentOf, type Lane } from './suite/lanes.ts';
import { runAfterAll, runAlone, runSideBySide, runUnitFiles, type Suite } from './suite/phases.ts';
import { planSchedule, type SchedulePlan } from './suite/schedule.ts';
import { header, loadAverage, minutes, seconds, summaryTable, type FinishedRun } from './suite/summary.ts';

/** Four lanes keep two cores busy: most end-to-end time is spent waiting (leases, backoffs, rate limits). */
export const SUITE_DEFAULTS = { lanes: 4 } as const;

type Cli = { lanes: number; verbose: boolean; unit: string[]; env: string[] };
const usage = 'usage: node test/env/run-suite.ts [--lanes N] [--verbose] [--unit <glob>...] [--env <glob>...]';
const REPO = join(import.meta.dirname, '..', '..');

function parseCli(argv: readonly string[]): Cli {
  const fromEnv = process.env.PLEDGE_TEST_LANES;
  const cli: Cli = { lanes: fromEnv ? lanesCount(fromEnv) : SUITE_DEFAULTS.lanes, verbose: false, unit: [], env: [] };
  let group: 'unit' | 'env' = 'env';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--unit' || arg === '--env') group = arg === '--unit' ? 'unit' : 'env';
    else if (arg === '--lanes') cli.lanes = lanesCount(argv[++i] ?? '');
    else if (arg.startsWith('--lanes=')) cli.lanes = lanesCount(arg.slice('--lanes='.length));
    else if (arg === '--verbose' || arg === '-v') cli.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else cli[group].push(arg);
  }
  if (cli.unit.length + cli.env.length === 0) fail('no test files given');
  return cli;
}

function lanesCount(text: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) fail(`--lanes (or PLEDGE_TEST_LANES) must be a whole number >= 1, not "${text}"`);
  return n;
}

function fail(message: string): never {
  console.error(`run-suite.ts: ${message}\n${usage}`);
  process.exit(2);
}

async function expand(patterns: readonly string[]): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) for await (const file of glob(pattern, { cwd: REPO, exclude: (f) => f.includes('node_modules') })) files.add(file);
  return [...files].sort();
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };
const say = (message: string): void => void process.stderr.write(`pledge-suite: ${message}\n`);

/** Every phase, in order; the lanes start (through `start`, which keeps them for the clean-up) while the unit files run. */
async function runPhases(suite: Suite, plan: SchedulePlan, start: (count: number) => Promise<Lane[]>, laneCount: number): Promise<void> {
  // A unit run that cannot start shows in the summary as a file not run.
  const unit = runUnitFiles(suite, plan.unit).catch((err: unknown) => say(`the unit files could not run: ${String(err)}`));
  let lanes: Lane[] = [];
  try {
    const needed = plan.parallel.length + plan.afterAll.length + plan.alone.filter((a) => a.environment).length > 0;
    lanes = needed ? await start(laneCount) : [];
  } finally {
    await unit;
  }
  await runAlone(suite, plan.alone, lanes);
  await runSideBySide(suite, plan.parallel, lanes);
  await runAfterAll(suite, plan.afterAll, lanes);
}

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  const began = Date.now();
  const loadAtStart = loadAverage();

  const aborter = new AbortController();
  let received: NodeJS.Signals | undefined;
  let failure: string | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(128 + (signalNumbers[signal] ?? 15));
    received = signal;
    aborter.abort(new Error(`received ${signal}`));
  };
  for (const signal of Object.keys(signalNumbers) as NodeJS.Signals[]) process.on(signal, onSignal);
  const abort = (reason: string) => {
    if (aborter.signal.aborted) return;
    failure = reason;
    say(reason);
    aborter.abort(new Error(reason));
  };

  const cacheDir = process.env.PLEDGE_CACHE || join(homedir(), '.cache', 'pledge');
  // Every Node process of the run (test files, controllers, cloudsim) reuses the compiled code of the last:
  // a controller then starts in about half the CPU time, and crash-safety alone starts twenty of them.
  process.env.NODE_COMPILE_CACHE ||= join(cacheDir, 'node-compile-cache');
  const suiteDir = await mkdtemp(join(tmpdir(), 'pledge-suite-'));
  const forgetSuiteDir = onProcessExit(() => rmSync(suiteDir, { recursive: true, force: true }));
  const runs: FinishedRun[] = [];
  // CI shows only the end of the log: what failed is printed again after the summary.
  const failureExcerpts: string[] = [];
  const suite: Suite = {
    cwd: REPO,
    logDir: join(suiteDir, 'output'),
    durations: await loadDurations(join(cacheDir, 'test-durations.json')),
    signal: aborter.signal,
    say,
    async finish(run) {
      runs.push(run);
      const output = await run.output();
      process.stdout.write(header(run) + output);
      if (!run.passed) failureExcerpts.push(`──── ${run.name} ────\n${failureExcerpt(output)}`);
    },
  };
  await mkdir(suite.logDir);
  const [unitFiles, envFiles] = await Promise.all([expand(cli.unit), expand(cli.env)]);
  const plan = planSchedule({ unitFiles, envFiles, expectedMs: suite.durations.expectedMs });
  const laneCount = Math.min(cli.lanes, Math.max(plan.parallel.length, 1));
  say(
    `${plan.unit.length} unit files side by side while ${laneCount} environments start; then ${plan.alone.length} files alone; ` +
      `${plan.parallel.length} on ${laneCount} lanes; ${plan.afterAll.length} after all (load average ${loadAtStart})`,
  );

  let lanes: Lane[] = [];
  const start = async (count: number) => {
    const t = Date.now();
    lanes = await startLanes({ count, suiteDir, signal: aborter.signal, log: cli.verbose ? say : undefined });
    say(`${lanes.length} environments up in ${seconds(Date.now() - t)}`);
    await writeSuiteManifest(suiteDir, lanes.map(suiteEnvironmentOf));
    void firstCrash(lanes).then(({ lane, err }) => abort(`${lane.name}: the environment died: ${err.message}`));
    return lanes;
  };
  try {
    await runPhases(suite, plan, start, laneCount);
  } catch (err: unknown) {
    if (!received) abort(`the suite could not run: ${err instanceof Error ? err.message : String(err)}`);
  } finally {
    await stopLanes(lanes);
    await suite.durations.save().catch((err: unknown) => say(`could not save the file durations: ${String(err)}`));
    await rm(suiteDir, { recursive: true, force: true, maxRetries: 3 });
    forgetSuiteDir();
  }

  const failed = runs.filter((r) => !r.passed);
  const expected = (plan.unit.length > 0 ? 1 : 0) + plan.alone.length + plan.parallel.length + plan.afterAll.length;
  const missing = expected - runs.length;
  process.stdout.write(
    `\n──── suite: ${runs.length} runs in ${minutes(Date.now() - began)} on ${lanes.length} lanes; load average ${loadAtStart} at the start, ${loadAverage()} at the end ────\n` +
      `${summaryTable(runs)}\n`,
  );
  if (failed.length > 0) process.stdout.write(`${failureExcerpts.join('\n')}\nfailed: ${failed.map((r) => r.name).join(', ')}\n`);
  if (missing > 0) process.stdout.write(`not run: ${missing}\n`);
  if (received) return 128 + (signalNumbers[received] ?? 15);
  return failed.length > 0 || missing > 0 || failure !== undefined ? 1 : 0;
}

/** The spec reporter's "failing tests" section (assertion, diff, stack), or else the output's last lines. */
function failureExcerpt(output: string, maxLines = 150): string {
  const at = output.lastIndexOf('failing tests:');
  const lines = (at >= 0 ? output.slice(at) : output).trimEnd().split('\n');
  return `${lines.slice(at >= 0 ? 0 : -maxLines).slice(0, maxLines).join('\n')}\n`;
}

process.exitCode = await main();

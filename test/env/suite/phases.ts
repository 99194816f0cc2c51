// The phases of a suite run (see schedule.ts for what goes in each): what runs where, and with which
// environment variables. Every run's output is printed once it is done, with a header naming its lane.
import { availableParallelism } from 'node:os';
import type { Durations } from './durations.ts';
import type { Lane } from './lanes.ts';
import { logPathFor, runTests } from './run-tests.ts';
import { fileQueue, type SchedulePlan } from './schedule.ts';
import { seconds, type FinishedRun } from './summary.ts';

export type Suite = {
  /** The repository: where `node --test` runs. */
  cwd: string;
  /** Where each run's output is written before it is printed. */
  logDir: string;
  durations: Durations;
  /** Aborted on a signal or when an environment dies: running files are stopped, no new one starts. */
  signal: AbortSignal;
  say(message: string): void;
  /** Prints a finished run and keeps it for the summary. */
  finish(run: FinishedRun): Promise<void>;
};

const NO_ENV = 'no env';

/** The unit files side by side (as many at once as there are cores), without an environment. */
export async function runUnitFiles(suite: Suite, files: readonly string[]): Promise<void> {
  if (files.length === 0) return;
  const run = await runTests({
    name: `${files.length} unit files`,
    files,
    logPath: logPathFor(suite.logDir, 'unit'),
    cwd: suite.cwd,
    testArgs: [`--test-concurrency=${availableParallelism()}`],
    signal: suite.signal,
  });
  await suite.finish({ ...run, lane: NO_ENV });
}

/** One file, in a lane's environment (or none), recording its time when it passed. */
async function runFile(suite: Suite, file: string, where: { lane?: Lane; label: string }): Promise<void> {
  suite.say(`${where.label} starts ${file} (expected ${seconds(suite.durations.expectedMs(file))})`);
  const run = await runTests({ name: file, files: [file], logPath: logPathFor(suite.logDir, file), env: where.lane?.vars, cwd: suite.cwd, signal: suite.signal });
  // A file that failed may have stopped early: its time would mislead the next run's order.
  if (run.passed) suite.durations.record(file, run.durationMs);
  await suite.finish({ ...run, lane: where.label });
}

/** The files that must run alone, one after another, in the first lane (or without an environment) while the others wait. */
export async function runAlone(suite: Suite, files: SchedulePlan['alone'], lanes: readonly Lane[]): Promise<void> {
  const [first] = lanes;
  for (const { file, environment } of files) {
    if (suite.signal.aborted) return;
    if (environment && !first) throw new Error(`${file} needs an environment, and no lane was started`);
    await runFile(suite, file, environment ? { lane: first, label: `${first?.name} alone` } : { label: `${NO_ENV} alone` });
  }
}

/** The files in their order, each taken by the next free lane. */
export async function runSideBySide(suite: Suite, files: readonly string[], lanes: readonly Lane[]): Promise<void> {
  const queue = fileQueue(files);
  await Promise.all(
    lanes.map(async (lane) => {
      for (let file = queue.take(); file !== undefined && !suite.signal.aborted; file = queue.take()) await runFile(suite, file, { lane, label: lane.name });
    }),
  );
}

/** The files that check the whole run, one after another in the first lane, once everything else is done. */
export async function runAfterAll(suite: Suite, files: readonly string[], lanes: readonly Lane[]): Promise<void> {
  const [first] = lanes;
  for (const file of files) {
    if (suite.signal.aborted) return;
    if (!first) throw new Error(`${file} needs an environment, and no lane was started`);
    await runFile(suite, file, { lane: first, label: first.name });
  }
}

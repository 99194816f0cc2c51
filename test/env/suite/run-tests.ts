// Runs test files with `node --test` as a supervised child (it dies with the suite runner, even on SIGKILL),
// its spec-reporter output going to a log file that the runner prints once the file is done.
import { join } from 'node:path';
import { readFile } from 'node:fs/promises';
import { startChild, type ChildExit } from '../supervised-child.ts';

export type TestRunOptions = {
  /** What is shown in progress lines and the summary: a file's path, or a group's name. */
  name: string;
  /** Files or globs handed to `node --test`. */
  files: readonly string[];
  /** Where the output goes. */
  logPath: string;
  /** Added to this process's environment. */
  env?: Record<string, string>;
  cwd: string;
  /** `node --test` options. Default: one file at a time, in this process (no grandchild to outlive a kill). */
  testArgs?: readonly string[];
  /** Aborting it stops the run (SIGTERM, SIGKILL after 5 s). */
  signal: AbortSignal;
};

export type TestRun = {
  name: string;
  passed: boolean;
  exit: ChildExit;
  startedAt: number;
  durationMs: number;
  logPath: string;
  output(): Promise<string>;
};

export const TEST_RUN_DEFAULTS = { testArgs: ['--test-isolation=none'] } as const;

export async function runTests(options: TestRunOptions): Promise<TestRun> {
  const startedAt = Date.now();
  const child = await startChild({
    name: options.name,
    command: process.execPath,
    args: ['--test', '--test-reporter=spec', ...(options.testArgs ?? TEST_RUN_DEFAULTS.testArgs), ...options.files],
    logPath: options.logPath,
    env: { ...process.env, ...options.env },
    cwd: options.cwd,
  });
  const stop = () => void child.stop();
  options.signal.addEventListener('abort', stop, { once: true });
  if (options.signal.aborted) stop();
  const exit = await child.exited;
  options.signal.removeEventListener('abort', stop);
  return {
    name: options.name,
    passed: exit.code === 0,
    exit,
    startedAt,
    durationMs: Date.now() - startedAt,
    logPath: options.logPath,
    output: () => readFile(options.logPath, 'utf8').catch((err: unknown) => `(no output: ${String(err)})\n`),
  };
}

/** A log file name for a test file: its path with slashes turned into dashes. */
export function logPathFor(dir: string, name: string): string {
  return join(dir, `${name.replaceAll(/[^A-Za-z0-9._-]+/g, '-')}.log`);
}

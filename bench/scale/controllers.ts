// The two controllers the bench compares (controller-pledge.ts, controller-provider-nop.ts), behind one shape: install what the controller serves, start it
// out of cluster against the test environment's kubeconfig, stop it.
import { readFile } from 'node:fs/promises';
import { kubectl } from '../../test/env/index.ts';
import { startChild, type SupervisedChild } from '../../test/env/supervised-child.ts';
import { waitUntil } from '../../test/env/wait-until.ts';
import type { ControllerName } from './kinds.ts';

export interface StartOptions {
  kubeconfigPath: string;
  /** Where its log and anything else it needs go. */
  dir: string;
  tuned: boolean;
  /** Overrides the controller's own poll interval. */
  pollSeconds?: number;
}

export interface RunningController {
  name: ControllerName;
  pid: number;
  /** The command line, for the report. */
  command: string;
  /** The poll interval in force (its default unless overridden). */
  pollSeconds: number;
  logPath: string;
  child: SupervisedChild;
  stop(): Promise<void>;
}

export interface BenchController {
  name: ControllerName;
  /** CRDs (and for provider-nop: building it once). */
  install(): Promise<void>;
  start(options: StartOptions): Promise<RunningController>;
}

export async function mustKubectl(args: string[]): Promise<string> {
  const res = await kubectl(args, { timeoutMs: 120_000 });
  if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
  return res.stdout;
}

/** Applies a folder of CRDs and waits until they are served. */
export async function installCrds(dir: string): Promise<void> {
  await mustKubectl(['apply', '--server-side', '--force-conflicts', '-f', dir]);
  await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', dir]);
}

/** Starts a supervised child and waits until its log contains readyLine. */
export async function startAndWait(options: {
  name: ControllerName;
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  logPath: string;
  cwd?: string;
  pollSeconds: number;
  readyLine: RegExp;
}): Promise<RunningController> {
  const { name, command, args, logPath } = options;
  const child = await startChild({ name, command, args, logPath, env: options.env, cwd: options.cwd });
  await waitUntil(async () => options.readyLine.test(await readFile(logPath, 'utf8')), {
    what: `${name} to start its controllers`,
    timeoutMs: 60_000,
    intervalMs: 100,
    child,
  });
  return {
    name,
    pid: child.pid,
    command: [command, ...args].join(' '),
    pollSeconds: options.pollSeconds,
    logPath,
    child,
    stop: async () => void (await child.stop({ graceMs: 10_000 })),
  };
}

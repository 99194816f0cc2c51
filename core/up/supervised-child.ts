import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { onProcessExit } from './process-exit.ts';

export type ChildExit = { code: number | null; signal: NodeJS.Signals | null };

export type SupervisedChild = {
  name: string;
  pid: number;
  logPath: string;
  /** Settles (never rejects) when the process has exited. */
  exited: Promise<ChildExit>;
  hasExited(): boolean;
  /** SIGTERM, then SIGKILL once graceMs (default 5 s) have passed. Safe to call more than once. */
  stop(options?: { graceMs?: number }): Promise<ChildExit>;
  /** The last lines of the child's stdout and stderr. */
  logTail(lines?: number): Promise<string>;
};

export type StartChildOptions = {
  name: string;
  command: string;
  args: string[];
  /** stdout and stderr are appended here. */
  logPath: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
};

/**
 * Starts a long-running child that cannot outlive this process: it is killed on exit or on a
 * fatal signal, and a tiny watchdog kills it even when Node itself is SIGKILLed.
 */
export async function startChild(options: StartChildOptions): Promise<SupervisedChild> {
  const { name, command, args, logPath } = options;
  const log = openSync(logPath, 'a');
  let child: ChildProcess;
  try {
    // Its own process group: a Ctrl-C at the terminal reaches only the Node process, which then
    // stops the children in order instead of all of them dying at once.
    child = spawn(command, args, { stdio: ['ignore', log, log], env: options.env ?? process.env, cwd: options.cwd, detached: true });
  } finally {
    closeSync(log);
  }
  await new Promise<void>((resolve, reject) => {
    child.once('spawn', resolve);
    child.once('error', (err: unknown) => reject(new Error(`${name}: cannot start ${command}: ${String(err)}`)));
  });
  const pid = child.pid;
  if (pid === undefined) throw new Error(`${name}: ${command} has no pid`);

  const watchdog = startWatchdog(pid);
  let exit: ChildExit | undefined;
  const exited = new Promise<ChildExit>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = { code, signal };
      watchdog?.kill('SIGKILL');
      unregister();
      resolve(exit);
    });
  });
  const unregister = onProcessExit(() => {
    signalQuietly(pid, 'SIGKILL');
  });

  let stopping: Promise<ChildExit> | undefined;
  const stop = (stopOptions: { graceMs?: number } = {}): Promise<ChildExit> => {
    if (exit) return Promise.resolve(exit);
    stopping ??= (async () => {
      signalQuietly(pid, 'SIGTERM');
      const timer = setTimeout(() => signalQuietly(pid, 'SIGKILL'), stopOptions.graceMs ?? 5_000);
      try {
        return await exited;
      } finally {
        clearTimeout(timer);
      }
    })();
    return stopping;
  };

  return {
    name,
    pid,
    logPath,
    exited,
    hasExited: () => exit !== undefined,
    stop,
    logTail: (lines = 40) => tailOf(logPath, lines),
  };
}

export function describeExit(exit: ChildExit): string {
  return exit.signal ? `killed by ${exit.signal}` : `exited with code ${String(exit.code)}`;
}

// The watchdog reads a pipe whose other end only this process holds; when this process dies in
// any way the read ends and the watchdog kills the child. Unix only; skipped elsewhere.
function startWatchdog(pid: number): ChildProcess | undefined {
  if (process.platform === 'win32') return undefined;
  const watchdog = spawn('/bin/sh', ['-c', `read _ignored; kill -9 ${pid} 2>/dev/null`], {
    stdio: ['pipe', 'ignore', 'ignore'],
    detached: true,
  });
  watchdog.on('error', () => undefined);
  watchdog.stdin?.on('error', () => undefined);
  watchdog.unref();
  const stdin: unknown = watchdog.stdin;
  if (stdin !== null && typeof stdin === 'object' && 'unref' in stdin && typeof stdin.unref === 'function') stdin.unref();
  return watchdog;
}

function signalQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // Already gone.
  }
}

async function tailOf(path: string, lines: number): Promise<string> {
  try {
    const text = await readFile(path, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch (err: unknown) {
    return `(no log: ${String(err)})`;
  }
}

// `pledge up --detach`: the same command again as a background process (its own session, output to
// <data-dir>/pledge-up.log), and this one returns once that one reports ready in the run state.
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { upPaths } from './data-dir.ts';
import { readRunState } from './run-state.ts';

export async function startDetached(options: { dataDir: string; args: readonly string[]; timeoutMs: number }): Promise<{ pid: number; logPath: string }> {
  const paths = upPaths(options.dataDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  const log = openSync(paths.detachedLog, 'a');
  const child = spawn(process.execPath, [...process.execArgv, ...options.args], { detached: true, stdio: ['ignore', log, log], env: process.env });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`cannot start ${process.execPath} in the background`);
  let exit: number | null | undefined;
  child.once('exit', (code) => (exit = code));
  child.unref();
  const deadline = Date.now() + options.timeoutMs;
  for (;;) {
    const state = await readRunState(paths.state).catch(() => undefined);
    if (state?.pid === pid && state.phase === 'ready') return { pid, logPath: paths.detachedLog };
    if (exit !== undefined) throw new Error(`pledge up exited with code ${String(exit)} before it was ready; last lines of ${paths.detachedLog}:\n${await tail(paths.detachedLog)}`);
    if (Date.now() > deadline) throw new Error(`pledge up (pid ${pid}) not ready after ${options.timeoutMs / 1000} s; it keeps starting in the background, see ${paths.detachedLog}`);
    await sleep(200);
  }
}

async function tail(path: string): Promise<string> {
  return (await readFile(path, 'utf8').catch(() => '')).trimEnd().split('\n').slice(-20).join('\n');
}

// `pledge down` and `pledge status`: read the run state of a data dir and act on the pledge up it names.
import { setTimeout as sleep } from 'node:timers/promises';
import { upPaths } from './data-dir.ts';
import { isAlive, readRunState, upStillRuns, type RunState } from './run-state.ts';

export type UpStatus =
  | { running: false; dataDir: string; stale: boolean }
  | ({ running: true; uptimeSeconds: number; childrenAlive: { name: string; pid: number; alive: boolean }[] } & RunState);

export async function upStatus(dataDir: string): Promise<UpStatus> {
  const state = await readRunState(upPaths(dataDir).state);
  if (!state) return { running: false, dataDir, stale: false };
  if (!(await upStillRuns(state))) return { running: false, dataDir, stale: true };
  return {
    ...state,
    running: true,
    uptimeSeconds: Math.round((Date.now() - Date.parse(state.startedAt)) / 1000),
    childrenAlive: state.children.map((c) => ({ name: c.name, pid: c.pid, alive: isAlive(c.pid) })),
  };
}

/** SIGTERM to the running pledge up, then waits until it (and so its children) exited. Resolves its pid, or undefined when none runs. */
export async function upDown(dataDir: string, timeoutMs = 90_000): Promise<number | undefined> {
  const status = await upStatus(dataDir);
  if (!status.running) return undefined;
  process.kill(status.pid, 'SIGTERM');
  const deadline = Date.now() + timeoutMs;
  while (isAlive(status.pid)) {
    if (Date.now() > deadline) throw new Error(`pledge up (pid ${status.pid}) still runs ${timeoutMs / 1000} s after SIGTERM; see ${upPaths(dataDir).detachedLog}`);
    await sleep(100);
  }
  return status.pid;
}

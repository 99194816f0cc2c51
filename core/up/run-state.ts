// The run-state file of `pledge up` (<data-dir>/up.json): who runs, where, and which children it started, so that
// `pledge status`/`pledge down` find it and the next `pledge up` can stop what a killed run left behind.
import { readFileSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export type ChildRecord = { name: string; pid: number; command: string };

export type RunState = {
  pid: number;
  /** starting until the API server is ready and the controllers synced; then ready. */
  phase: 'starting' | 'ready' | 'stopping';
  startedAt: string;
  dataDir: string;
  storage: string;
  apiServerUrl: string;
  kubeconfigPath: string;
  uiUrl?: string;
  sim: boolean;
  children: ChildRecord[];
};

export async function readRunState(path: string): Promise<RunState | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as RunState;
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${path}: ${String(err)}`);
  }
}

/** Written whole to a temp file and renamed, so a reader never sees half a file. */
export async function writeRunState(path: string, state: RunState): Promise<void> {
  await writeFile(`${path}.tmp`, `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });
  await rename(`${path}.tmp`, path);
}

export async function removeRunState(path: string): Promise<void> {
  await rm(path, { force: true });
}

/** A zombie (exited, not yet reaped by whoever adopted it) counts as gone: it holds no port and no file. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err: unknown) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) S ..."; the state follows the last ')'.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return process.platform !== 'linux';
  }
}

/** The command line of a live process ('' when gone or unreadable: Linux /proc only). */
export async function commandLineOf(pid: number): Promise<string> {
  try {
    return (await readFile(`/proc/${pid}/cmdline`, 'utf8')).split('\0').join(' ').trim();
  } catch {
    return '';
  }
}

/** True when pid is alive and still runs `command` — a pid reused by another program since is left alone. */
export async function stillRuns(pid: number, command: string): Promise<boolean> {
  if (!isAlive(pid)) return false;
  const line = await commandLineOf(pid);
  return line !== '' && line.includes(command);
}

/** Is state.pid a live `pledge up` (not a reused pid)? */
export async function upStillRuns(state: RunState): Promise<boolean> {
  if (!isAlive(state.pid)) return false;
  const line = await commandLineOf(state.pid);
  return / up\b/.test(line) && line.includes('pledge');
}

/**
 * Stops the children a killed `pledge up` left running (their watchdogs normally kill them; this is the fallback),
 * checking each pid's command line first. Resolves the names of those it had to stop.
 */
export async function stopLeftovers(state: RunState, graceMs = 5_000): Promise<string[]> {
  const left: ChildRecord[] = [];
  for (const child of state.children) if (await stillRuns(child.pid, child.command)) left.push(child);
  for (const child of left) signal(child.pid, 'SIGTERM');
  let deadline = Date.now() + graceMs;
  while (left.some((c) => isAlive(c.pid)) && Date.now() < deadline) await sleep(100);
  for (const child of left) if (isAlive(child.pid)) signal(child.pid, 'SIGKILL');
  deadline = Date.now() + 5_000;
  while (left.some((c) => isAlive(c.pid)) && Date.now() < deadline) await sleep(50);
  return left.map((c) => `${c.name} (pid ${c.pid})`);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

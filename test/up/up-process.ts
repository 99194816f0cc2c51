// Starts `pledge up` as a child process (its own process group, a free --port, a temp --data-dir) the way a person
// runs it, and reads back what it wrote: the run state, the kubeconfig, cloudsim's admin endpoint.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../core/up/free-port.ts';
import type { RunState } from '../../core/up/run-state.ts';
import { startChild, type ChildExit, type SupervisedChild } from '../../core/up/supervised-child.ts';
import { waitUntil } from '../../core/up/wait-until.ts';
import { runKubectl, type KubectlResult } from '../env/kubectl.ts';

export const REPO = new URL('../../', import.meta.url).pathname;
export const PLEDGE = join(REPO, 'bin', 'pledge.ts');

export type UpProcess = {
  child: SupervisedChild;
  dataDir: string;
  port: number;
  kubeconfigPath: string;
  /** Resolves once the run state says ready (API server up, CRDs installed, controllers synced); checked every pollMs (up to 200). */
  ready(pollMs?: number): Promise<RunState>;
  kubectl(args: string[], input?: string): Promise<KubectlResult>;
  /** The log so far (JSON lines: stdout is not a TTY). */
  log(): Promise<string>;
};

export async function tempDataDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'pledge-up-test-'));
}

export async function removeDataDir(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

/** `node bin/pledge.ts up --data-dir dir --port port ...extra`; one log file per start (`up-<n>.log` in dir). */
export async function startUp(options: { dataDir: string; port?: number; args?: string[]; env?: NodeJS.ProcessEnv; run?: number }): Promise<UpProcess> {
  const port = options.port ?? (await freePort());
  const { dataDir } = options;
  // Next to pledge up's own files; it ignores what it does not know.
  const logPath = join(dataDir, `test-up-${options.run ?? 1}.log`);
  const child = await startChild({
    name: 'pledge up',
    command: process.execPath,
    args: [PLEDGE, 'up', '--data-dir', dataDir, '--port', String(port), '--ui-bind-address', '', ...(options.args ?? [])],
    logPath,
    env: { ...process.env, ...options.env },
    cwd: REPO,
  });
  const kubeconfigPath = join(dataDir, 'kubeconfig');
  return {
    child,
    dataDir,
    port,
    kubeconfigPath,
    async ready(pollMs = 200) {
      let state: RunState | undefined;
      await waitUntil(
        async () => {
          state = JSON.parse(await readFile(join(dataDir, 'up.json'), 'utf8')) as RunState;
          return state.pid === child.pid && state.phase === 'ready';
        },
        { what: `pledge up on port ${port} to be ready`, timeoutMs: 240_000, child, intervalMs: Math.min(pollMs, 50), maxIntervalMs: pollMs },
      );
      if (!state) throw new Error('no run state');
      return state;
    },
    kubectl: (args, input) => runKubectl(args, { kubeconfigPath, ...(input === undefined ? {} : { input }) }),
    log: () => readFile(logPath, 'utf8'),
  };
}

/** SIGINT, as Ctrl-C at a terminal; resolves the exit. */
export async function interrupt(up: UpProcess): Promise<ChildExit> {
  process.kill(up.child.pid, 'SIGINT');
  const timer = setTimeout(() => up.child.stop({ graceMs: 1_000 }), 60_000);
  try {
    return await up.child.exited;
  } finally {
    clearTimeout(timer);
  }
}

/** cloudsim's admin endpoint (`/_cloudsim/...`) of a `pledge up --sim`, from the ports it keeps in the data dir. */
export async function simAdmin<T>(dataDir: string, path: string): Promise<T> {
  const ports = JSON.parse(await readFile(join(dataDir, 'ports.json'), 'utf8')) as { simAdmin: number };
  const res = await fetch(`http://127.0.0.1:${ports.simAdmin}/_cloudsim/${path}`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`cloudsim ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

export async function mustKubectl(up: UpProcess, args: string[], input?: string): Promise<string> {
  const res = await up.kubectl(args, input);
  if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
  return res.stdout;
}

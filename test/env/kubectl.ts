import { spawn } from 'node:child_process';

export type KubectlResult = { code: number; stdout: string; stderr: string };

export type KubectlOptions = {
  kubeconfigPath: string;
  /** Written to kubectl's stdin (for `apply -f -`). */
  input?: string;
  signal?: AbortSignal;
  /** Kill kubectl after this long; default 60 s. */
  timeoutMs?: number;
  /** The kubectl binary; default $PLEDGE_KUBECTL or `kubectl` on PATH. */
  binary?: string;
};

/** Runs the real kubectl against the given kubeconfig. Never rejects on a non-zero exit; a kill shows as code 128+n. */
export function runKubectl(args: string[], options: KubectlOptions): Promise<KubectlResult> {
  const binary = options.binary ?? process.env.PLEDGE_KUBECTL ?? 'kubectl';
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [`--kubeconfig=${options.kubeconfigPath}`, ...args], {
      stdio: ['pipe', 'pipe', 'pipe'],
      signal: options.signal,
      timeout: options.timeoutMs ?? 60_000,
      // KUBECONFIG from the caller must not merge in other clusters.
      env: { ...process.env, KUBECONFIG: options.kubeconfigPath },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.stdin.on('error', () => undefined);
    child.on('error', (err: unknown) => {
      if (err instanceof Error && err.name === 'AbortError') reject(err);
      else if (child.pid === undefined) reject(new Error(`cannot run ${binary}: ${String(err)}`));
    });
    child.on('close', (code, signal) => resolve({ code: code ?? 128 + signalNumber(signal), stdout, stderr }));
    child.stdin.end(options.input ?? '');
  });
}

function signalNumber(signal: NodeJS.Signals | null): number {
  return signal === 'SIGKILL' ? 9 : signal === 'SIGINT' ? 2 : 15;
}

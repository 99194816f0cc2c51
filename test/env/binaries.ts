import { spawn } from 'node:child_process';
import { join } from 'node:path';

export type Binaries = { etcd: string; kubeApiserver: string; kubeControllerManager: string; motoServer: string };

/**
 * Finds (building or installing them the first time) etcd, kube-apiserver, kube-controller-manager and moto_server through
 * build-kube.sh (which honours KUBEBUILDER_ASSETS) and install-moto.sh. Both are quick once cached.
 */
export async function findBinaries(options: { signal?: AbortSignal } = {}): Promise<Binaries> {
  const [kubeDir, motoServer] = await Promise.all([
    lastLineOf(join(import.meta.dirname, 'build-kube.sh'), options.signal),
    lastLineOf(join(import.meta.dirname, 'install-moto.sh'), options.signal),
  ]);
  return { etcd: join(kubeDir, 'etcd'), kubeApiserver: join(kubeDir, 'kube-apiserver'), kubeControllerManager: join(kubeDir, 'kube-controller-manager'), motoServer };
}

// Runs a script whose stdout ends with a path; its stderr (build progress) goes to ours.
function lastLineOf(script: string, signal: AbortSignal | undefined): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [script], { stdio: ['ignore', 'pipe', 'inherit'], signal });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (out += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code === 0 && line !== '') resolve(line);
      else reject(new Error(`${script} exited with code ${String(code)}${out ? `: ${out.trim()}` : ''}`));
    });
  });
}

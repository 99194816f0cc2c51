// The real helm (v4, built once into the cache by test/env/install-helm.sh) for the chart's tests.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const REPO = new URL('../../', import.meta.url).pathname;
export const CHART = join(REPO, 'helm/pledge');

let binary: Promise<string> | undefined;

/** Path of the helm executable, installing it on first use (cached across runs). */
export function helmBinary(): Promise<string> {
  binary ??= run('bash', [join(REPO, 'test/env/install-helm.sh')], { maxBuffer: 1 << 20 }).then((r) => r.stdout.trim());
  return binary;
}

export type HelmResult = { code: number; stdout: string; stderr: string };

/** Runs helm; never throws on a non-zero exit. `kubeconfig` points helm at a cluster (install, upgrade). */
export async function helm(args: string[], options: { kubeconfig?: string } = {}): Promise<HelmResult> {
  const env = { ...process.env };
  delete env.KUBECONFIG;
  if (options.kubeconfig) env.KUBECONFIG = options.kubeconfig;
  try {
    const r = await run(await helmBinary(), args, { env, maxBuffer: 64 << 20 });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err: unknown) {
    const e = err as { code?: unknown; stdout?: string; stderr?: string };
    if (typeof e.code !== 'number') throw err;
    return { code: e.code, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

export async function mustHelm(args: string[], options: { kubeconfig?: string } = {}): Promise<string> {
  const r = await helm(args, options);
  if (r.code !== 0) throw new Error(`helm ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
  return r.stdout;
}

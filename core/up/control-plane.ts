// The persistent API server of `pledge up`: storage (kine or etcd), kube-apiserver and kube-controller-manager,
// with certificates and tokens kept in the data dir so that a kubeconfig written once stays valid.
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { certificatePaths, createCertificates, type Certificates } from './certificates.ts';
import { CONTROLLER_MANAGER_USER, healthzUrl, startControllerManager } from './controller-manager.ts';
import type { UpPaths } from './data-dir.ts';
import { httpGet } from './http-get.ts';
import { ADMIN_USER, startKubeApiserver } from './kube-apiserver.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { startStorage, type StorageKind } from './storage.ts';
import type { SupervisedChild } from './supervised-child.ts';
import { waitUntil } from './wait-until.ts';
import type { UpBinaries } from './binaries.ts';

export type ControlPlaneOptions = {
  paths: UpPaths;
  binaries: UpBinaries;
  storage: StorageKind;
  apiPort: number;
  ports: { storage: number; storagePeer: number; controllerManager: number };
  timeoutMs: number;
  signal?: AbortSignal;
  /** Each child as soon as it exists (recorded in the run state for a later clean-up). */
  onChild(child: SupervisedChild): void | Promise<void>;
  log(message: string, fields?: Record<string, unknown>): void;
};

export type ControlPlane = {
  apiServerUrl: string;
  caPem: string;
  /** pledge-admin's bearer token (system:masters). */
  token: string;
  /** A kubeconfig with context `pledge`. */
  kubeconfig: string;
  children: SupervisedChild[];
  /** kube-controller-manager, kube-apiserver, then the storage. */
  stop(): Promise<void>;
};

const TEN_YEARS_DAYS = 3650;

export async function startControlPlane(options: ControlPlaneOptions): Promise<ControlPlane> {
  const { paths, binaries, apiPort, ports, timeoutMs, signal, log } = options;
  await Promise.all([paths.logs, paths.apiserver, paths.pki].map((d) => mkdir(d, { recursive: true, mode: 0o700 })));
  const [certs, tokens] = await Promise.all([ensureCertificates(paths.pki, signal), ensureTokens(paths.tokens)]);
  const caPem = await readFile(certs.caCertPath, 'utf8');
  const children: SupervisedChild[] = [];
  const keep = async (child: SupervisedChild): Promise<SupervisedChild> => {
    children.push(child);
    await options.onChild(child);
    return child;
  };
  const stop = async (): Promise<void> => {
    for (const name of ['kube-controller-manager', 'kube-apiserver', 'kine', 'etcd']) {
      await Promise.all(children.filter((c) => c.name === name).map((c) => c.stop({ graceMs: 15_000 })));
    }
  };
  try {
    let t = Date.now();
    const dir = options.storage === 'kine' ? paths.kine : paths.etcd;
    const storage = await startStorage({ kind: options.storage, binary: binaries.storage, dir, logsDir: paths.logs, ports: { client: ports.storage, peer: ports.storagePeer }, timeoutMs, signal });
    await keep(storage.child);
    log(`${options.storage} ready after ${Date.now() - t} ms`, { storage: storage.file });

    t = Date.now();
    const apiServerUrl = `https://127.0.0.1:${apiPort}`;
    const apiserver = await keep(await startKubeApiserver({ binary: binaries.kubeApiserver, dir: paths.apiserver, certs, port: apiPort, etcdUrl: storage.etcdUrl, tokens, env: apiserverEnv() }));
    const api = (path: string) => httpGet(`${apiServerUrl}${path}`, { ca: caPem, token: tokens.admin, signal });
    await waitUntil(async () => (await api('/readyz')).body === 'ok', { what: `kube-apiserver at ${apiServerUrl} to be ready`, timeoutMs, signal, child: apiserver, maxIntervalMs: 100 });
    log(`kube-apiserver ready after ${Date.now() - t} ms (${Math.round(performance.now())} ms since the command started)`, { url: apiServerUrl });

    const kcmKubeconfig = join(paths.apiserver, 'kube-controller-manager.kubeconfig');
    await writeFile(kcmKubeconfig, renderKubeconfig({ server: apiServerUrl, caPem, token: tokens.controllerManager, user: CONTROLLER_MANAGER_USER }), { mode: 0o600 });
    const kcm = await keep(await startControllerManager({ binary: binaries.kubeControllerManager, dir: paths.logs, kubeconfigPath: kcmKubeconfig, port: ports.controllerManager, certs }));
    await waitUntil(async () => (await httpGet(healthzUrl(ports.controllerManager), { ca: caPem, signal })).body === 'ok', {
      what: 'kube-controller-manager to be healthy', timeoutMs, signal, child: kcm, maxIntervalMs: 100,
    });
    await waitUntil(async () => (await api('/api/v1/namespaces/default')).status === 200, { what: 'the default namespace to exist', timeoutMs, signal, child: apiserver, maxIntervalMs: 100 });
    const kubeconfig = renderKubeconfig({ server: apiServerUrl, caPem, token: tokens.admin, user: ADMIN_USER, name: 'pledge' });
    return { apiServerUrl, caPem, token: tokens.admin, kubeconfig, children, stop };
  } catch (err: unknown) {
    await stop();
    throw err;
  }
}

/**
 * Go's collector lets the heap grow to twice what is live (GOGC=100); at 50 kube-apiserver, the largest process of
 * `pledge up`, holds 274 instead of 323 MiB at rest with three claims, for the same CPU (137 vs 132 ticks a minute,
 * within noise; bench/RESULTS.md). A GOGC the user set wins.
 */
function apiserverEnv(): NodeJS.ProcessEnv {
  return { ...process.env, GOGC: process.env.GOGC ?? '50' };
}

async function ensureCertificates(dir: string, signal: AbortSignal | undefined): Promise<Certificates> {
  const certs = certificatePaths(dir);
  if (Object.values(certs).every((path) => existsSync(path))) return certs;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  return createCertificates({ dir, signal, days: TEN_YEARS_DAYS });
}

async function ensureTokens(path: string): Promise<{ admin: string; controllerManager: string }> {
  try {
    const saved = JSON.parse(await readFile(path, 'utf8')) as { admin?: unknown; controllerManager?: unknown };
    if (typeof saved.admin === 'string' && typeof saved.controllerManager === 'string') return { admin: saved.admin, controllerManager: saved.controllerManager };
  } catch {
    // First start.
  }
  const tokens = { admin: randomBytes(24).toString('hex'), controllerManager: randomBytes(24).toString('hex') };
  await writeFile(path, JSON.stringify(tokens), { mode: 0o600 });
  return tokens;
}

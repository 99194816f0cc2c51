import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findBinaries, type Binaries } from './binaries.ts';
import { createCertificates, type Certificates } from './certificates.ts';
import { startCloudsimChild, type CloudsimEndpoints } from './cloudsim.ts';
import { startEtcd as startEtcdProcess } from '../../core/up/etcd.ts';
import { ADMIN_USER, startKubeApiserver } from '../../core/up/kube-apiserver.ts';
import { CONTROLLER_MANAGER_USER, healthzUrl, startControllerManager } from './controller-manager.ts';
import { startFakeGcs } from './fake-gcs.ts';
import { freePort } from './free-port.ts';
import { httpGet } from './http-get.ts';
import { renderKubeconfig } from './kubeconfig.ts';
import { onProcessExit } from './process-exit.ts';
import { describeExit, startChild, type SupervisedChild } from './supervised-child.ts';
import { waitUntil } from './wait-until.ts';

export type EnvironmentOptions = {
  /** Aborting it during start stops whatever was started and rejects. */
  signal?: AbortSignal;
  /** Time allowed for etcd, kube-apiserver and moto to become ready, not counting a first build. Default 120 s. */
  startTimeoutMs?: number;
  /** Where the temp dir is made. Default os.tmpdir(). */
  parentDir?: string;
  /** Progress messages ("etcd ready after 412 ms"). Default: none. */
  log?: (message: string) => void;
  /** Opt-in (benchmarks): kube-apiserver writes an audit log, one JSON line per request at Metadata level, to `<dir>/audit.log`. Default false. */
  audit?: boolean;
};

export type Environment = {
  /** The temp dir holding certificates, data, logs (`<name>.log`) and the kubeconfig. */
  dir: string;
  kubeconfigPath: string;
  kubeconfig: string;
  /** https://127.0.0.1:PORT */
  apiServerUrl: string;
  /** http://127.0.0.1:PORT — every AWS service moto emulates answers here. */
  motoUrl: string;
  /** http://127.0.0.1:PORT — fake-gcs-server, the GCS JSON API (a ProviderConfig's spec.endpoint). */
  fakeGcsUrl: string;
  /** cloudsim (project's simulated cloud): S3+RDS, Entra+ARM (https), GCS, admin URLs, its CA and the Azure identity. */
  cloudsim: CloudsimEndpoints;
  /** http://127.0.0.1:PORT */
  etcdUrl: string;
  /** https://127.0.0.1:PORT/healthz of kube-controller-manager (garbage collector and namespace controller only). */
  controllerManagerHealthzUrl: string;
  /** Bearer token of `pledge-admin` (group system:masters). */
  token: string;
  /** The kube-apiserver's audit log (JSON lines), when started with `audit: true`. */
  auditLogPath?: string;
  caCertPath: string;
  /** Resolves (never rejects) if a process (etcd, kube-apiserver, kube-controller-manager, moto…) exits before stop() is called (a restartApiServer() is not a crash). */
  crashed: Promise<Error>;
  /**
   * Opt-in, for chaos runs: stops kube-apiserver, then etcd, and starts both again on the same ports with the
   * same data, certificates and token, so every kubeconfig stays valid. Resolves once /readyz answers ok again.
   * kube-controller-manager keeps running and reconnects, as it would after an API server restart in a cluster.
   * Nothing calls it by default.
   */
  restartApiServer(options?: { signal?: AbortSignal }): Promise<{ downMs: number }>;
  /** Stops every process and removes dir. Safe to call more than once. */
  stop(): Promise<void>;
};

const adminUser = ADMIN_USER;
/** The API server's start-up checks are loopback GETs: cheap enough to repeat every 0.1 s, so a lane is used as soon as it is up. */
const LOOPBACK_POLL_MS = 100;

/**
 * A port is free when it is picked, but another process (another lane starting, a test's client socket) may bind it
 * before its server does; the start is then made again on new ports.
 */
const PORT_TAKEN_ATTEMPTS = 3;

/** Starts etcd, kube-apiserver, kube-controller-manager and moto on free loopback ports, each ready for use when this resolves. */
export async function startEnvironment(options: EnvironmentOptions = {}): Promise<Environment> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startEnvironmentOnce(options);
    } catch (err: unknown) {
      const message = err instanceof Error ? err.message : String(err);
      if (attempt >= PORT_TAKEN_ATTEMPTS || options.signal?.aborted || !/address already in use/i.test(message)) throw err;
      (options.log ?? ((line: string) => console.error(`pledge-env: ${line}`)))(`a port was taken before its server bound it; starting again on new ports (${message.split('\n')[0]})`);
    }
  }
}

async function startEnvironmentOnce(options: EnvironmentOptions): Promise<Environment> {
  const { signal } = options;
  const log = options.log ?? (() => undefined);
  const timeoutMs = options.startTimeoutMs ?? 120_000;
  signal?.throwIfAborted();

  const binaries = await findBinaries({ signal });
  const started = Date.now();
  const dir = await mkdtemp(join(options.parentDir ?? tmpdir(), 'pledge-env-'));
  const forgetDir = onProcessExit(() => rmSync(dir, { recursive: true, force: true }));
  const children: SupervisedChild[] = [];
  /** Children stopped on purpose by restartApiServer: their exit is not a crash. */
  const restarted = new Set<SupervisedChild>();
  let stopping: Promise<void> | undefined;
  let reportCrash: (err: Error) => void = () => undefined;
  const crashed = new Promise<Error>((resolve) => (reportCrash = resolve));
  const watch = (child: SupervisedChild): SupervisedChild => {
    children.push(child);
    void child.exited.then(async (exit) => {
      if (stopping !== undefined || restarted.has(child)) return;
      reportCrash(new Error(`${child.name} ${describeExit(exit)}; last lines of ${child.logPath}:\n${await child.logTail()}`));
    });
    return child;
  };
  const stop = (): Promise<void> => {
    stopping ??= stopAll(children, dir).finally(forgetDir);
    return stopping;
  };

  const startSignal = signal ?? new AbortController().signal;
  let etcdChild: SupervisedChild | undefined;
  try {
    const since = (t: number) => `${Date.now() - t} ms`;
    const { etcdPort, etcdPeerPort, apiPort, kcmPort, motoPort, fakeGcsPort, simAws, simAzure, simGcs, simAdmin } = await distinctFreePorts(['etcdPort', 'etcdPeerPort', 'apiPort', 'kcmPort', 'motoPort', 'fakeGcsPort', 'simAws', 'simAzure', 'simGcs', 'simAdmin']);
    const token = randomBytes(24).toString('hex');
    const tokens = { admin: token, controllerManager: randomBytes(24).toString('hex') };
    const apiServerUrl = `https://127.0.0.1:${apiPort}`;
    const motoUrl = `http://127.0.0.1:${motoPort}`;
    const etcdUrl = `http://127.0.0.1:${etcdPort}`;

    // The three start in parallel; the first failure aborts the others before anything is stopped,
    // so no child can be spawned after stop() has looked at the list.
    const [certs, , , fakeGcsUrl, cloudsim] = await allOrFirstError(startSignal, [
      (signal) => createCertificates({ dir: join(dir, 'pki'), signal }),
      async (signal) => {
        const etcd = await startEtcd({ binaries, dir, clientPort: etcdPort, peerPort: etcdPeerPort });
        watch(etcd);
        etcdChild = etcd;
        const t = Date.now();
        await waitUntil(async () => (JSON.parse((await httpGet(`${etcdUrl}/health`, { signal })).body) as { health?: string }).health === 'true', {
          what: `etcd at ${etcdUrl} to be healthy`, timeoutMs, signal, child: etcd,
        });
        log(`etcd ready after ${since(t)}`);
      },
      async (signal) => {
        const moto = await startChild({
          name: 'moto',
          command: binaries.motoServer,
          args: ['-H', '127.0.0.1', '-p', String(motoPort)],
          logPath: join(dir, 'moto.log'),
        });
        watch(moto);
        const t = Date.now();
        // 200 from moto's own page: any server on the port would answer something.
        await waitUntil(async () => (await httpGet(`${motoUrl}/moto-api/`, { signal })).status === 200, {
          what: `moto at ${motoUrl} to answer`, timeoutMs, signal, child: moto,
        });
        log(`moto ready after ${since(t)}`);
      },
      (signal) => startFakeGcs({ dir, port: fakeGcsPort, signal, timeoutMs, onStarted: watch, log }),
      (signal) => startCloudsimChild({ dir, ports: { aws: simAws, azure: simAzure, gcs: simGcs, admin: simAdmin }, signal, timeoutMs, onStarted: watch, log }),
    ] as const);
    const caPem = await readFile(certs.caCertPath, 'utf8');

    const auditLogPath = options.audit ? join(dir, 'audit.log') : undefined;
    let apiserver = await startApiserver({ binaries, dir, certs, port: apiPort, etcdUrl, tokens, auditLogPath });
    watch(apiserver);
    let t = Date.now();
    const api = (path: string, apiSignal = startSignal) => httpGet(`${apiServerUrl}${path}`, { ca: caPem, token, signal: apiSignal });
    await waitUntil(async () => (await api('/readyz')).body === 'ok', {
      what: `kube-apiserver at ${apiServerUrl} to be ready`, timeoutMs, signal: startSignal, child: apiserver, maxIntervalMs: LOOPBACK_POLL_MS,
    });
    log(`kube-apiserver ready after ${since(t)}`);

    const kcmKubeconfigPath = join(dir, 'kube-controller-manager.kubeconfig');
    await writeFile(kcmKubeconfigPath, renderKubeconfig({ server: apiServerUrl, caPem, token: tokens.controllerManager, user: CONTROLLER_MANAGER_USER }), { mode: 0o600 });
    const controllerManager = watch(await startControllerManager({ binary: binaries.kubeControllerManager, dir, kubeconfigPath: kcmKubeconfigPath, port: kcmPort, certs }));
    const controllerManagerStarted = Date.now();
    const controllerManagerHealthzUrl = healthzUrl(kcmPort);

    const restartApiServer = async (restartOptions: { signal?: AbortSignal } = {}): Promise<{ downMs: number }> => {
      const restartSignal = restartOptions.signal ?? new AbortController().signal;
      const etcd = etcdChild;
      if (stopping !== undefined || etcd === undefined) throw new Error('restartApiServer: the environment is stopped');
      const down = Date.now();
      restarted.add(apiserver).add(etcd);
      await apiserver.stop();
      await etcd.stop();
      // A stop() that began meanwhile no longer sees what starts here: stop it and give up.
      const keep = async (child: SupervisedChild): Promise<SupervisedChild> => {
        watch(child);
        if (stopping === undefined) return child;
        await child.stop();
        throw new Error('restartApiServer: the environment was stopped during the restart');
      };
      const newEtcd = await keep(await startEtcd({ binaries, dir, clientPort: etcdPort, peerPort: etcdPeerPort }));
      etcdChild = newEtcd;
      await waitUntil(async () => (JSON.parse((await httpGet(`${etcdUrl}/health`, { signal: restartSignal })).body) as { health?: string }).health === 'true', {
        what: `etcd at ${etcdUrl} to be healthy again`, timeoutMs, signal: restartSignal, child: newEtcd,
      });
      apiserver = await keep(await startApiserver({ binaries, dir, certs, port: apiPort, etcdUrl, tokens, auditLogPath }));
      await waitUntil(async () => (await api('/readyz', restartSignal)).body === 'ok', {
        what: `kube-apiserver at ${apiServerUrl} to be ready again`, timeoutMs, signal: restartSignal, child: apiserver,
      });
      const downMs = Date.now() - down;
      log(`kube-apiserver and etcd restarted; down ${downMs} ms`);
      return { downMs };
    };
    t = Date.now();
    await waitUntil(async () => (await api('/api/v1/namespaces/default')).status === 200, {
      what: 'the default namespace to exist', timeoutMs, signal: startSignal, child: apiserver, maxIntervalMs: LOOPBACK_POLL_MS,
    });
    log(`default namespace after ${since(t)}`);
    await waitUntil(async () => (await httpGet(controllerManagerHealthzUrl, { ca: caPem, signal: startSignal })).body === 'ok', {
      what: `kube-controller-manager at ${controllerManagerHealthzUrl} to be healthy`, timeoutMs, signal: startSignal, child: controllerManager, maxIntervalMs: LOOPBACK_POLL_MS,
    });
    log(`kube-controller-manager healthy after ${since(controllerManagerStarted)}`);

    const kubeconfig = renderKubeconfig({ server: apiServerUrl, caPem, token, user: adminUser });
    const kubeconfigPath = join(dir, 'kubeconfig');
    await writeFile(kubeconfigPath, kubeconfig, { mode: 0o600 });
    log(`environment started in ${since(started)} (${dir})`);
    return { dir, kubeconfigPath, kubeconfig, apiServerUrl, motoUrl, fakeGcsUrl, cloudsim, etcdUrl, controllerManagerHealthzUrl, token, caCertPath: certs.caCertPath, auditLogPath, crashed, stop, restartApiServer };
  } catch (err: unknown) {
    await stop();
    throw err;
  }
}

type ProcessOptions = { binaries: Binaries; dir: string };

function startEtcd(options: ProcessOptions & { clientPort: number; peerPort: number }): Promise<SupervisedChild> {
  // A throwaway store: durability buys nothing and fsync is the slowest part on CI disks.
  return startEtcdProcess({ binary: options.binaries.etcd, dataDir: join(options.dir, 'etcd'), logPath: join(options.dir, 'etcd.log'), clientPort: options.clientPort, peerPort: options.peerPort, unsafeNoFsync: true });
}

function startApiserver(
  options: ProcessOptions & { certs: Certificates; port: number; etcdUrl: string; tokens: { admin: string; controllerManager: string }; auditLogPath?: string },
): Promise<SupervisedChild> {
  const { binaries, ...rest } = options;
  return startKubeApiserver({ binary: binaries.kubeApiserver, ...rest });
}

// The API server goes first so it does not spend its grace period retrying a vanished etcd.
async function stopAll(children: SupervisedChild[], dir: string): Promise<void> {
  const etcd = children.filter((c) => c.name === 'etcd');
  await Promise.all(children.filter((c) => c.name !== 'etcd').map((c) => c.stop()));
  await Promise.all(etcd.map((c) => c.stop()));
  await rm(dir, { recursive: true, force: true, maxRetries: 3 });
}

async function distinctFreePorts<const K extends string>(names: readonly K[]): Promise<Record<K, number>> {
  const ports = new Set<number>();
  while (ports.size < names.length) ports.add(await freePort());
  const values = [...ports];
  return Object.fromEntries(names.map((name, i) => [name, values[i]])) as Record<K, number>;
}

type Steps = readonly ((signal: AbortSignal) => Promise<unknown>)[];
type Results<T extends Steps> = { -readonly [K in keyof T]: Awaited<ReturnType<T[K]>> };

// Like Promise.all, but on the first failure it aborts the other steps and waits for them to settle.
async function allOrFirstError<const T extends Steps>(signal: AbortSignal, steps: T): Promise<Results<T>> {
  const failed = new AbortController();
  const stepSignal = AbortSignal.any([signal, failed.signal]);
  let firstError: { err: unknown } | undefined;
  const settled = await Promise.allSettled(
    steps.map((step) =>
      step(stepSignal).catch((err: unknown) => {
        firstError ??= { err };
        failed.abort(err);
        throw err;
      }),
    ),
  );
  if (firstError) throw firstError.err;
  return settled.map((s) => (s.status === 'fulfilled' ? s.value : undefined)) as Results<T>;
}

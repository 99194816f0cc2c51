// `pledge up`: a persistent single-node control plane in this process's care — storage, kube-apiserver,
// kube-controller-manager, the CRDs, cloudsim (--sim) and ProviderConfigs, then the controllers in this process.
import { readFileSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { getCACertificates, setDefaultCACertificates } from 'node:tls';
import { readFile } from 'node:fs/promises';
import { KubeConfig } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { findUpBinaries } from './binaries.ts';
import { startControlPlane, type ControlPlane } from './control-plane.ts';
import { upPaths } from './data-dir.ts';
import { isPortOpen } from './free-port.ts';
import { mergeKubeconfig, userKubeconfigPath } from './kubeconfig-merge.ts';
import { nextSteps } from './next-steps.ts';
import { envProviderConfigs, simProviderConfigs } from './provider-configs.ts';
import { readRunState, removeRunState, stopLeftovers, upStillRuns, writeRunState, type RunState } from './run-state.ts';
import { applyObjects, waitEstablished, type ApiAccess, type ApplyObject } from './server-side-apply.ts';
import type { RunningSim, SimStarter } from './sim.ts';
import { stablePorts } from './stable-ports.ts';
import type { StorageKind } from './storage.ts';
import { waitUntil } from './wait-until.ts';

export type UpOptions = {
  dataDir: string;
  port: number;
  storage: StorageKind;
  sim: boolean;
  cloudsFromEnv: boolean;
  mergeKubeconfig: boolean;
  /** host:port of the web view; empty: none. */
  uiBindAddress: string;
  timeoutMs: number;
};

export type ControllerHost = { logger: Logger; kubeConfig: KubeConfig; signal: AbortSignal; onSynced: () => void };

export type UpDeps = {
  logger: Logger;
  crds: () => ApplyObject[];
  startSim?: SimStarter;
  /** runControllers of `pledge run`, bound to its providers, modules and options. */
  runControllers: (host: ControllerHost) => Promise<void>;
  /** Where "what to do next" goes (stdout). */
  print: (text: string) => void;
};

/** A problem the user can fix (busy port, a running instance): the CLI prints the message alone. */
export class UpError extends Error {}

/** Runs until SIGINT/SIGTERM, then stops everything in order. */
export async function runUp(options: UpOptions, deps: UpDeps): Promise<void> {
  const { logger: log } = deps;
  const paths = upPaths(options.dataDir);
  await mkdir(paths.dir, { recursive: true, mode: 0o700 });
  if (await refuseOrCleanUp(paths.state, log)) {
    // A killed Go process shows as a zombie while its other threads still close its sockets: give the port a moment.
    await waitUntil(async () => !(await isPortOpen(options.port)), { what: `port ${options.port} to be released`, timeoutMs: 15_000, maxIntervalMs: 100 }).catch(() => undefined);
  }
  if (await isPortOpen(options.port)) {
    throw new UpError(`port ${options.port} (--port) is in use on 127.0.0.1: stop what listens there (\`ss -ltnp 'sport = :${options.port}'\`) or pass --port with another port`);
  }
  const state: RunState = {
    pid: process.pid,
    phase: 'starting',
    startedAt: new Date().toISOString(),
    dataDir: paths.dir,
    storage: options.storage,
    apiServerUrl: `https://127.0.0.1:${options.port}`,
    kubeconfigPath: paths.kubeconfig,
    ...(options.uiBindAddress ? { uiUrl: `http://${options.uiBindAddress}/` } : {}),
    sim: options.sim,
    children: [],
  };
  await writeRunState(paths.state, state);

  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    if (stop.signal.aborted) return;
    log.info({ signal }, 'stopping');
    stop.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  let controlPlane: ControlPlane | undefined;
  let sim: RunningSim | undefined;
  try {
    const binaries = await findUpBinaries(options.storage, { signal: stop.signal, onProgress: (line) => log.info(line) });
    const ports = await stablePorts(paths.ports, ['storage', 'storagePeer', 'controllerManager', 'simAws', 'simAzure', 'simGcs', 'simAdmin']);
    controlPlane = await startControlPlane({
      paths, binaries, storage: options.storage, apiPort: options.port, ports, timeoutMs: options.timeoutMs, signal: stop.signal,
      onChild: async (child) => {
        state.children.push({ name: child.name, pid: child.pid, command: child.name === 'kine' || child.name === 'etcd' ? binaries.storage : child.name });
        await writeRunState(paths.state, state);
      },
      log: (message, fields) => log.info(fields ?? {}, message),
    });
    const access: ApiAccess = { server: controlPlane.apiServerUrl, caPem: controlPlane.caPem, token: controlPlane.token, signal: stop.signal };
    await writeFile(paths.kubeconfig, controlPlane.kubeconfig, { mode: 0o600 });
    if (options.mergeKubeconfig) {
      const target = userKubeconfigPath();
      await mergeKubeconfig(controlPlane.kubeconfig, target);
      log.info({ kubeconfig: target }, 'context pledge merged into your kubeconfig and made current');
    }

    let t = Date.now();
    const crds = deps.crds();
    await applyObjects(access, crds);
    await waitEstablished(access, crds.map((c) => c.metadata.name), options.timeoutMs);
    log.info(`${crds.length} CRDs installed and Established after ${Date.now() - t} ms`);

    if (options.sim) {
      if (!deps.startSim) throw new UpError('--sim needs cloudsim, which this build of pledge does not include');
      t = Date.now();
      sim = await deps.startSim({ dir: paths.cloudsim, statePath: `${paths.cloudsim}/state.json`, ports: { aws: ports.simAws, azure: ports.simAzure, gcs: ports.simGcs, admin: ports.simAdmin }, log: (m) => log.info(m) });
      // The Azure SDK in this process must trust cloudsim's CA (a child would get NODE_EXTRA_CA_CERTS instead).
      setDefaultCACertificates([...getCACertificates('default'), await readFile(sim.endpoints.caCertPath, 'utf8')]);
      await applyObjects(access, simProviderConfigs(sim.endpoints));
      log.info({ aws: sim.endpoints.awsUrl, azure: sim.endpoints.azureUrl, gcs: sim.endpoints.gcsUrl, admin: sim.endpoints.adminUrl }, `cloudsim ready after ${Date.now() - t} ms; ProviderConfigs "default" point at it`);
    } else if (options.cloudsFromEnv) {
      const fromEnv = envProviderConfigs(process.env, (path) => readFileSync(path, 'utf8'));
      await applyObjects(access, fromEnv.objects);
      log.info({ configured: fromEnv.configured, skipped: fromEnv.skipped }, 'ProviderConfigs "default" from the environment\'s credentials');
    }

    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(controlPlane.kubeconfig);
    const onSynced = () => {
      state.phase = 'ready';
      void writeRunState(paths.state, state).catch((err: unknown) => log.warn({ err: String(err) }, 'cannot write the run state'));
      log.info(`ready: ${Math.round(performance.now())} ms since the command started`);
      deps.print(nextSteps({ kubeconfigPath: paths.kubeconfig, uiUrl: state.uiUrl, sim: options.sim, merged: options.mergeKubeconfig, dataDir: paths.dir }));
    };
    if (!stop.signal.aborted) await deps.runControllers({ logger: log, kubeConfig, signal: stop.signal, onSynced });
  } catch (err: unknown) {
    if (!stop.signal.aborted) throw err;
    log.debug({ err: String(err) }, 'start interrupted');
  } finally {
    state.phase = 'stopping';
    await writeRunState(paths.state, state).catch((err: unknown) => log.warn({ err: String(err) }, 'cannot write the run state'));
    stop.abort();
    await sim?.stop();
    await controlPlane?.stop();
    await removeRunState(paths.state);
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    log.info('pledge up stopped');
  }
}

/** Refuses when a `pledge up` runs on this data dir; stops what a killed one left running (true when it had to). */
async function refuseOrCleanUp(statePath: string, log: Logger): Promise<boolean> {
  const previous = await readRunState(statePath);
  if (!previous) return false;
  if (previous.pid !== process.pid && (await upStillRuns(previous))) {
    throw new UpError(`pledge up already runs on ${previous.dataDir} (pid ${previous.pid}); stop it with \`pledge down --data-dir ${previous.dataDir}\` or use another --data-dir`);
  }
  const stopped = await stopLeftovers(previous);
  if (stopped.length > 0) log.warn({ stopped }, 'stopped what the previous pledge up (killed) left running');
  else log.info('the previous pledge up did not stop cleanly; its children are gone');
  await removeRunState(statePath);
  return stopped.length > 0;
}

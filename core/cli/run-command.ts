import { hostname } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { KubeConfig } from '@kubernetes/client-node';
import { pino, type Logger } from 'pino';
import { KubeClient } from '../kube/index.ts';
import type { Provider } from '../managed/types.ts';
import { runManager, type ControllerModule } from '../manager/index.ts';
import { createEventRecorder } from '../runtime/events/index.ts';
import { acquireLeadership, type Leadership } from '../runtime/leader-election/index.ts';
import { createMetrics, startHealthServer } from '../runtime/metrics/index.ts';
import { loadKubeConfig } from './kube-config.ts';
import { namePledge } from './user-agent.ts';

export interface RunOptions {
  kubeconfig?: string;
  pollInterval: number;
  workers: number;
  logLevel: string;
  metricsBindAddress: string;
  leaderElect: boolean;
  leaderElectionNamespace: string;
  leaderElectionId: string;
  cloudRate: number;
  cloudBurst: number;
  /** host:port of the web view (core/ui); empty: none. */
  uiBindAddress?: string;
  uiAuth?: 'auto' | 'token' | 'none';
}

function splitHostPort(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  const host = address.slice(0, i) || '0.0.0.0';
  if (i < 0 || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--metrics-bind-address must be host:port, got "${address}"`);
  return { host, port };
}

/** What a host that runs the controllers in its own process (`pledge up`) hands in instead of the defaults. */
export interface RunHost {
  logger: Logger;
  kubeConfig: KubeConfig;
  /** Stops the controllers; no SIGINT/SIGTERM handlers are installed (the host owns shutdown). */
  signal: AbortSignal;
  onSynced?: () => void;
}

/** `pledge run`: health and metrics, leader election when asked, then the controllers until SIGTERM (or runHost.signal). */
export async function runControllers(providers: readonly Provider[], modules: readonly ControllerModule[], opts: RunOptions, runHost?: RunHost): Promise<void> {
  const logger = runHost?.logger ?? pino({ level: opts.logLevel, base: { component: 'pledge' } });
  const { kubeConfig, source } = runHost ? { kubeConfig: runHost.kubeConfig, source: 'pledge up' } : loadKubeConfig(opts.kubeconfig);
  const client = new KubeClient(namePledge(kubeConfig));
  const stop = new AbortController();
  if (runHost) runHost.signal.addEventListener('abort', () => stop.abort(), { once: true });
  else {
    for (const sig of ['SIGINT', 'SIGTERM'] as const) {
      process.once(sig, () => {
        logger.info({ signal: sig }, 'shutting down');
        stop.abort();
      });
    }
  }
  const metrics = createMetrics();
  let synced = false;
  const { host, port } = splitHostPort(opts.metricsBindAddress);
  await startHealthServer({ host, port, registry: metrics.registry, isReady: () => synced || opts.leaderElect, logger }, stop.signal);
  logger.info({ server: client.kubeConfig.getCurrentCluster()?.server, kubeconfig: source, pollIntervalMs: opts.pollInterval }, 'starting');

  let leadership: Leadership | undefined;
  if (opts.leaderElect) {
    leadership = await acquireLeadership(
      {
        kubeConfig: client.kubeConfig,
        identity: `${hostname()}_${process.pid}_${randomBytes(3).toString('hex')}`,
        namespace: opts.leaderElectionNamespace,
        name: opts.leaderElectionId,
        logger,
      },
      stop.signal,
    );
    leadership.signal.addEventListener('abort', () => {
      if (!stop.signal.aborted) {
        // Another replica may already be reconciling: stop at once rather than risk two writers.
        logger.error('lost leadership, exiting');
        process.exit(1);
      }
    });
  }
  const signal = leadership?.signal ?? stop.signal;
  const recorder = createEventRecorder({ client, logger });
  try {
    await runManager(
      {
        client,
        providers,
        modules,
        recorder,
        logger,
        metrics,
        pollIntervalMs: opts.pollInterval,
        workers: opts.workers,
        cloudRatePerSecond: opts.cloudRate,
        cloudBurst: opts.cloudBurst,
        onSynced: () => {
          synced = true;
          runHost?.onSynced?.();
        },
        onManager: opts.uiBindAddress
          ? (manager) => {
              // Loaded only when asked for: `pledge run` without the web view loads none of it.
              import('../ui/index.ts')
                .then(({ startUi }) => startUi({ bindAddress: opts.uiBindAddress ?? '', auth: opts.uiAuth ?? 'auto', manager, providers }, signal))
                .catch((err: unknown) => {
                  logger.error({ err }, 'web view failed to start');
                  stop.abort();
                });
            }
          : undefined,
      },
      signal,
    );
  } finally {
    await leadership?.release();
  }
  logger.info('stopped');
}

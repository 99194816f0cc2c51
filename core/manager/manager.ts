import type { Logger } from 'pino';
import { createInformer, type Informer, type KubeClient, type ResourceType } from '../kube/index.ts';
import { ANNOTATIONS } from '../managed/annotations.ts';
import { createManagedReconciler } from '../managed/reconciler.ts';
import type { KubeObject, ManagedKind, ManagedResource, Provider } from '../managed/types.ts';
import { runController } from '../runtime/controller/index.ts';
import { createEventRecorder } from '../runtime/events/index.ts';
import type { PledgeMetrics } from '../runtime/metrics/index.ts';
import { createWorkQueue, exponentialBackoff, TOKEN_BUCKET_DEFAULTS } from '../runtime/queue/index.ts';
import { createCloudGates } from './cloud-gates.ts';

export const MANAGER_DEFAULTS = {
  workers: 4,
  pollIntervalMs: 60_000,
  baseBackoffMs: 1_000,
  maxBackoffMs: 60_000,
  cloudRatePerSecond: TOKEN_BUCKET_DEFAULTS.ratePerSecond,
  cloudBurst: TOKEN_BUCKET_DEFAULTS.burst,
} as const;

export interface ManagerOptions {
  client: KubeClient;
  providers: readonly Provider[];
  logger: Logger;
  metrics: PledgeMetrics;
  workers?: number;
  pollIntervalMs?: number;
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  cloudRatePerSecond?: number;
  cloudBurst?: number;
  /** Called once every informer has listed. */
  onSynced?: () => void;
}

export function resourceTypeOf(kind: { gvk: { group: string; version: string }; plural: string }): ResourceType {
  return { group: kind.gvk.group, version: kind.gvk.version, plural: kind.plural };
}

/**
 * Only changes a person or another controller made wake a resource up: spec (generation), annotations,
 * labels, finalizers and deletion. Our own status writes don't, so they never cause a second cloud call.
 */
function changeFingerprint(obj: KubeObject): string {
  const m = obj.metadata ?? {};
  // The create bookkeeping annotations are ours: a failed create writing them must not retrigger itself.
  const annotations = Object.entries(m.annotations ?? {}).filter(([k]) => !BOOKKEEPING.has(k));
  return JSON.stringify([m.generation, annotations, m.labels ?? {}, m.finalizers ?? [], m.deletionTimestamp ?? null]);
}

const BOOKKEEPING: ReadonlySet<string> = new Set([ANNOTATIONS.createPending, ANNOTATIONS.createSucceeded, ANNOTATIONS.createFailed]);

/** Runs one controller per managed kind of every provider until the signal aborts. */
export async function runManager(options: ManagerOptions, signal: AbortSignal): Promise<void> {
  const settings = { ...MANAGER_DEFAULTS, ...definedOnly(options) };
  const { client, logger, metrics } = options;
  const recorder = createEventRecorder({ client, logger });
  const informers: Array<Informer<KubeObject>> = [];
  const runs: Array<() => Promise<void>> = [];

  for (const provider of options.providers) {
    const configs = createInformer<KubeObject>({ client, type: resourceTypeOf(provider.providerConfig), handlers: {}, logger });
    informers.push(configs);
    const cloudCalls = createCloudGates({ provider: provider.name, ratePerSecond: settings.cloudRatePerSecond, burst: settings.cloudBurst, metrics });
    for (const kind of provider.kinds as ReadonlyArray<ManagedKind>) {
      const type = resourceTypeOf(kind);
      const kindLabel = { kind: kind.gvk.kind };
      const log = logger.child({ controller: `${kind.plural}.${kind.gvk.group}` });
      const queue = createWorkQueue<string>({
        rateLimiter: exponentialBackoff({ baseDelayMs: settings.baseBackoffMs, maxDelayMs: settings.maxBackoffMs }),
      });
      const seen = new Map<string, string>();
      const enqueue = (obj: KubeObject) => {
        const name = obj.metadata?.name;
        if (!name) return;
        const fingerprint = changeFingerprint(obj);
        if (seen.get(name) === fingerprint) return;
        seen.set(name, fingerprint);
        queue.add(name);
        metrics.queueDepth.set(kindLabel, queue.length());
      };
      const informer = createInformer<ManagedResource>({
        client,
        type,
        logger: log,
        handlers: {
          add: enqueue,
          update: enqueue,
          delete: (obj) => {
            if (obj.metadata?.name) seen.delete(obj.metadata.name);
          },
        },
      });
      informers.push(informer as Informer<KubeObject>);
      const reconciler = createManagedReconciler({
        kind,
        type,
        client,
        getManaged: (name) => informer.get(name),
        getProviderConfig: (name) => configs.get(name),
        cloudCalls: (providerConfigName, name) => cloudCalls(providerConfigName, `${kind.plural}.${kind.gvk.group}/${name}`),
        recorder,
        logger: log,
        metrics,
        pollIntervalMs: settings.pollIntervalMs,
      });
      runs.push(() =>
        runController(
          {
            name: kind.gvk.kind,
            queue,
            reconciler,
            logger: log,
            workers: settings.workers,
            onReconciled(outcome, ms) {
              metrics.reconciles.inc({ ...kindLabel, result: outcome });
              metrics.reconcileSeconds.observe(kindLabel, ms / 1000);
              metrics.queueDepth.set(kindLabel, queue.length());
            },
          },
          signal,
        ),
      );
    }
  }

  await Promise.all(informers.map((i) => i.start(signal)));
  logger.info({ kinds: runs.length }, 'caches synced, starting controllers');
  options.onSynced?.();
  await Promise.all(runs.map((run) => run()));
}

function definedOnly<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

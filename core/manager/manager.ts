import type { Logger } from 'pino';
import type { KubeClient } from '../kube/index.ts';
import { createControllerGroup, type Controller } from '../runtime/controller/index.ts';
import { createEventRecorder, type EventRecorder } from '../runtime/events/index.ts';
import { createInformerFactory, type InformerFactory } from '../runtime/informer/index.ts';
import type { PledgeMetrics } from '../runtime/metrics/index.ts';
import type { CloudGates } from './cloud-gates.ts';

/**
 * What every controller of the process shares: the client, one informer per resource type, the event
 * recorder and the metrics; and the group that runs every controller added to it.
 */
export interface Manager {
  readonly client: KubeClient;
  readonly logger: Logger;
  readonly metrics: PledgeMetrics;
  readonly recorder: EventRecorder;
  readonly informers: InformerFactory;
  /** The cloud call budgets of each provider's controllers (read by the web view's overview). */
  readonly cloudGates: Array<{ provider: string; gates: CloudGates }>;
  /** Runs the controller with the others (now, if the manager runs); stop ends just this one. */
  add(controller: Controller, stop?: AbortSignal): void;
  /** Starts the informers, waits for their first lists, then runs every controller until the signal aborts. */
  run(signal: AbortSignal, onSynced?: () => void): Promise<void>;
}

export function createManager(options: { client: KubeClient; logger: Logger; metrics: PledgeMetrics; recorder?: EventRecorder }): Manager {
  const { client, logger, metrics } = options;
  const informers = createInformerFactory({ client, logger });
  const group = createControllerGroup({ logger });
  return {
    client,
    logger,
    metrics,
    recorder: options.recorder ?? createEventRecorder({ client, logger }),
    informers,
    cloudGates: [],
    add: (controller, stop) => group.add(controller, stop),
    async run(signal, onSynced) {
      informers.start(signal);
      try {
        await informers.synced(signal);
      } catch (err: unknown) {
        if (signal.aborted) return;
        throw err;
      }
      logger.info({ types: informers.types().length }, 'caches synced, starting controllers');
      onSynced?.();
      await group.run(signal);
    },
  };
}

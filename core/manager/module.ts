import type { Logger } from 'pino';
import type { CustomResourceDefinition } from '../crd/index.ts';
import type { KubeClient } from '../kube/index.ts';
import type { Provider } from '../managed/types.ts';
import type { PledgeMetrics } from '../runtime/metrics/index.ts';
import type { EventRecorder } from '../runtime/events/index.ts';

export interface ModuleContext {
  client: KubeClient;
  logger: Logger;
  metrics: PledgeMetrics;
  recorder: EventRecorder;
  providers: readonly Provider[];
}

/**
 * Controllers beyond the managed resources (compositions, claims), wired in by bin/pledge.ts so core
 * never imports them. run() works until the signal aborts.
 */
export interface ControllerModule {
  name: string;
  crds(): CustomResourceDefinition[];
  run(ctx: ModuleContext, signal: AbortSignal): Promise<void>;
}

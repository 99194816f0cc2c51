import type { Logger } from 'pino';
import type { KubeClient } from '../kube/index.ts';
import type { Provider } from '../managed/types.ts';
import type { EventRecorder } from '../runtime/events/index.ts';
import type { PledgeMetrics } from '../runtime/metrics/index.ts';
import { addManagedControllers, managedSettings, type ManagedSettings } from './managed-controllers.ts';
import { createManager, type Manager } from './manager.ts';
import type { ControllerModule } from './module.ts';

export interface ManagerOptions extends Partial<ManagedSettings> {
  client: KubeClient;
  providers: readonly Provider[];
  modules?: readonly ControllerModule[];
  logger: Logger;
  metrics: PledgeMetrics;
  recorder?: EventRecorder;
  /** Called once every informer has listed. */
  onSynced?: () => void;
  /** Called once every controller is set up, before anything runs: where the web view (core/ui) reads the caches from. */
  onManager?: (manager: Manager) => void;
}

/** Every controller of the process — managed kinds and modules — on one manager, until the signal aborts. */
export async function runManager(options: ManagerOptions, signal: AbortSignal): Promise<void> {
  const { client, logger, metrics, recorder, providers, onSynced, onManager, modules = [], ...overrides } = options;
  const settings = managedSettings(overrides);
  const manager = createManager({ client, logger, metrics, recorder });
  addManagedControllers(manager, providers, settings);
  for (const module of modules) module.setup(manager, { providers, settings });
  onManager?.(manager);
  await manager.run(signal, onSynced);
}

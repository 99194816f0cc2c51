import type { Command } from 'commander';
import type { CustomResourceDefinition } from '../crd/index.ts';
import type { KubeObject, Provider } from '../managed/types.ts';
import type { Expansion, ExpansionSource } from '../plan/expansion.ts';
import type { ManagedSettings } from './managed-controllers.ts';
import type { Manager } from './manager.ts';

/**
 * Controllers beyond the managed resources (compositions, claims), wired in by bin/pledge.ts so core
 * never imports them. setup() registers informers and controllers on the manager (and may add more
 * while it runs); the manager runs and awaits them all.
 */
export interface ControllerModule {
  name: string;
  crds(): CustomResourceDefinition[];
  /** settings are the managed controllers' (poll interval, workers, backoff): modules follow them unless told otherwise. */
  setup(manager: Manager, context: { providers: readonly Provider[]; settings: ManagedSettings }): void;
  /** The module's own `pledge` verbs (e.g. render, validate), beside the core's. */
  addCommands?(program: Command, context: { providers: readonly Provider[] }): void;
  /**
   * `pledge plan`: what obj (a claim or XR of this module's, from a file) composes, rendered as the controller
   * would, without writing anything. Undefined when obj is not the module's; throws naming the field when it cannot render.
   */
  expand?(obj: KubeObject, source: ExpansionSource, signal: AbortSignal): Promise<Expansion | undefined>;
}

export { createManager } from './manager.ts';
export type { Manager } from './manager.ts';
export { addManagedControllers, MANAGED_DEFAULTS, managedSettings, resourceTypeOf } from './managed-controllers.ts';
export type { ManagedSettings } from './managed-controllers.ts';
export { runManager } from './run-manager.ts';
export type { ManagerOptions } from './run-manager.ts';
export type { ControllerModule } from './module.ts';

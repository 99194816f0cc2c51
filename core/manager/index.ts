export { MANAGER_DEFAULTS, resourceTypeOf, runManager } from './manager.ts';
export type { ManagerOptions } from './manager.ts';
export type { ControllerModule, ModuleContext } from './module.ts';

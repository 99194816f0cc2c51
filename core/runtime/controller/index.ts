export { CONTROLLER_DEFAULTS, createController, objectKey, splitKey } from './controller.ts';
export type { Controller, ControllerOptions, ControllerSettings, KeysOf, ReconcileOutcome, ReconcileResult, Reconciler } from './controller.ts';
export { createControllerGroup } from './group.ts';
export type { ControllerGroup } from './group.ts';

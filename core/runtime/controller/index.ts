export { CONTROLLER_DEFAULTS, runController } from './controller.ts';
export type { ControllerOptions, ReconcileOutcome, ReconcileResult, Reconciler } from './controller.ts';

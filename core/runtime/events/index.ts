export { createEventRecorder, noopRecorder, RECORDER_DEFAULTS } from './recorder.ts';
export type { EventRecorder } from './recorder.ts';
export { EVENT_REASONS } from './reasons.ts';
export type { EventReason } from './reasons.ts';

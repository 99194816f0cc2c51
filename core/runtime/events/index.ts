export { createEventRecorder, noopRecorder, RECORDER_DEFAULTS } from './recorder.ts';
export type { EventRecorder } from './recorder.ts';

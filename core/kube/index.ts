export { KubeClient, isAlreadyExists, isConflict, isNotFound } from './client.ts';
export type { ResourceType } from './client.ts';
export { createInformer } from './informer.ts';
export type { Informer, InformerHandlers } from './informer.ts';

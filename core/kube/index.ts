export { apiErrorMessage } from './api-message.ts';
export { collectionPath, KubeClient, isAlreadyExists, isConflict, isNotFound } from './client.ts';
export type { ResourceType } from './client.ts';
export type { ObjectStore } from './store.ts';

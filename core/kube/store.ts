import type { KubeClient } from './client.ts';

/**
 * The writes and direct reads controllers make against the API server: KubeClient is the real one;
 * unit tests use an in-memory store that keeps resourceVersions and answers conflicts the same way.
 */
export type ObjectStore = Pick<
  KubeClient,
  'get' | 'list' | 'apply' | 'create' | 'replace' | 'replaceStatus' | 'patch' | 'delete' | 'getSecret' | 'createSecret' | 'replaceSecret' | 'deleteSecret'
>;

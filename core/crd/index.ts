export type { JSONSchema } from './schema.ts';
export { managedCrd, providerConfigCrd } from './managed-crd.ts';
export type { CustomResourceDefinition } from './managed-crd.ts';

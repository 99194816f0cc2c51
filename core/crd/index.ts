export type { JSONSchema } from './schema.ts';
export { conditionsSchema, managedCrd, providerConfigCrd } from './managed-crd.ts';
export type { CustomResourceDefinition } from './managed-crd.ts';
export { checkedExternalName, namePattern, nameProblem, nameValidations } from './name-rules.ts';
export type { NameRule } from './name-rules.ts';
export { providerCrds } from './provider-crds.ts';

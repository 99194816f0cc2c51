import type { JSONSchema } from '../../core/crd/schema.ts';

/**
 * spec of `nop.pledge.dev/v1 ProviderConfig`: nothing. provider-nop has no ProviderConfig and ignores
 * providerConfigRef; Pledge resolves providerConfigRef for every kind (default: "default"), so a NopResource
 * needs one to exist, and `metadata: {name: default}` alone is one (spec defaults to {}).
 */
export const providerConfigSpec: JSONSchema = {
  type: 'object',
  description: 'Nothing to configure: a NopResource reaches no external system. It exists so that providerConfigRef resolves.',
  default: {},
  properties: {},
};

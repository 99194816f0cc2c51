import type { Provider } from '../../core/managed/types.ts';
import { providerConfigSpec } from './config.ts';
import { nopResource } from './nop-resource.ts';

/** Nothing outside the cluster: NopResource, compatible with Crossplane's provider-nop, for testing compositions and benchmarks. */
export const nopProvider: Provider = {
  name: 'nop',
  providerConfig: {
    gvk: { group: 'nop.pledge.dev', version: 'v1', kind: 'ProviderConfig' },
    plural: 'providerconfigs',
    spec: providerConfigSpec,
  },
  kinds: [nopResource],
};

import type { Provider } from '../../core/managed/types.ts';
import { bucket } from './bucket.ts';
import { providerConfigSpec } from './config.ts';

/** Google Cloud: one ProviderConfig kind and the managed kinds served through it. */
export const gcpProvider: Provider = {
  name: 'gcp',
  providerConfig: {
    gvk: { group: 'gcp.pledge.dev', version: 'v1', kind: 'ProviderConfig' },
    plural: 'providerconfigs',
    spec: providerConfigSpec,
  },
  kinds: [bucket],
};

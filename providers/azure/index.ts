import type { Provider } from '../../core/managed/types.ts';
import { account } from './account.ts';
import { providerConfigSpec } from './config.ts';
import { resourceGroup } from './resource-group.ts';

/** Microsoft Azure: one ProviderConfig kind (a service principal and a subscription) and the managed kinds served through it. */
export const azureProvider: Provider = {
  name: 'azure',
  providerConfig: {
    gvk: { group: 'azure.pledge.dev', version: 'v1', kind: 'ProviderConfig' },
    plural: 'providerconfigs',
    spec: providerConfigSpec,
  },
  kinds: [resourceGroup, account],
};

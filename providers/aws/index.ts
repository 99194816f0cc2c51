import type { Provider } from '../../core/managed/types.ts';
import { bucket } from './bucket.ts';
import { providerConfigSpec } from './config.ts';
import { dbInstance } from './db-instance.ts';

/** Amazon Web Services: one ProviderConfig kind and the managed kinds served through it. */
export const awsProvider: Provider = {
  name: 'aws',
  providerConfig: {
    gvk: { group: 'aws.pledge.dev', version: 'v1', kind: 'ProviderConfig' },
    plural: 'providerconfigs',
    spec: providerConfigSpec,
  },
  kinds: [bucket, dbInstance],
};

import type { Provider } from '../../core/managed/types.ts';
import { bucket } from './bucket.ts';
import { providerConfigSpec } from './config.ts';

export { bucket } from './bucket.ts';
export type { BucketObservation, BucketParameters } from './bucket.ts';
export { providerConfigSpec, resolveGcpConfig } from './config.ts';
export type { GcpClientConfig } from './config.ts';
export { toPledgeError } from './errors.ts';

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

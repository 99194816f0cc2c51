import type { Provider } from '../../core/managed/types.ts';
import { bucket } from './bucket.ts';
import { providerConfigSpec } from './config.ts';
import { dbInstance } from './db-instance.ts';

export { bucket } from './bucket.ts';
export type { BucketObservation, BucketParameters } from './bucket.ts';
export { dbInstance } from './db-instance.ts';
export type { DBInstanceObservation, DBInstanceParameters } from './db-instance.ts';
export { providerConfigSpec, resolveAwsConfig } from './config.ts';
export type { AwsClientConfig } from './config.ts';
export { toPledgeError } from './errors.ts';

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

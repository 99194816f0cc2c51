import type { ManagedKind } from '../../core/managed/types.ts';
import { bucketNameValidations } from './bucket-name.ts';
import type { BucketObservation, BucketParameters } from './bucket-settings.ts';
import { bucketSchema } from './bucket-schema.ts';

export type { BucketObservation, BucketParameters, BucketResource } from './bucket-settings.ts';

export const bucket: ManagedKind<BucketParameters, BucketObservation> = {
  gvk: { group: 'storage.gcp.pledge.dev', version: 'v1', kind: 'Bucket' },
  plural: 'buckets',
  deterministicExternalName: true,
  schema: { ...bucketSchema, validations: bucketNameValidations() },
  async connect(mr, ctx) {
    // The SDK loads with the first GCP bucket connected, not at start: a controller with no GCP resource pays nothing for it.
    const { connectBucket } = await import('./bucket-external.ts');
    return connectBucket(mr, ctx);
  },
};

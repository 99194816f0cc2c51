// The S3 Bucket managed resource as the Bucket suites build, observe and expect it.
import type { ExternalClient } from '../../core/managed/types.ts';
import type { BucketObservation, BucketParameters, BucketResource } from '../../providers/aws/bucket.ts';
import type { AwsBucketEndpoint } from './aws-bucket.case.ts';

export const signal = AbortSignal.timeout(180_000);

export function managed(name: string, forProvider: BucketParameters): BucketResource {
  return { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', metadata: { name, generation: 1 }, spec: { forProvider } };
}

/** Observes as the reconciler would, recording atProvider in status as it does. */
export async function observe(external: ExternalClient<BucketParameters, BucketObservation>, mr: BucketResource) {
  const observation = await external.observe(mr, signal);
  if (observation.atProvider) mr.status = { ...mr.status, atProvider: observation.atProvider };
  return observation;
}

/** What observe late-initializes on a bucket the spec says nothing about beyond its region. */
export function newBucketLateInit(endpoint: Pick<AwsBucketEndpoint, 'newBucket'>): Partial<BucketParameters> | undefined {
  const { serverSideEncryption, objectOwnership } = endpoint.newBucket;
  const lateInit = { ...(serverSideEncryption ? { serverSideEncryption } : {}), ...(objectOwnership ? { objectOwnership } : {}) };
  return Object.keys(lateInit).length > 0 ? lateInit : undefined;
}


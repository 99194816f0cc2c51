/**
 * The S3 buckets of an account as `pledge import` would declare them: read-only (ListBuckets, then each wanted
 * bucket's location and settings), forProvider filled with what observe compares so the adopted bucket is up to date.
 */
import { GetBucketLocationCommand, ListBucketsCommand, type ListBucketsCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { CloudCallGate, ListedExternal, ListQuery } from '../../core/managed/types.ts';
import { encryptionLateInit } from './bucket-encryption.ts';
import { objectOwnershipLateInit } from './bucket-access.ts';
import { bucketCalls, readBucketState } from './bucket-calls.ts';
import type { BucketParameters } from './bucket-settings.ts';

/** The settings read for an import: the public access block and the policy are read only when asked for, so ask. */
const READ_ALL: Omit<BucketParameters, 'region'> = { publicAccessBlock: {}, policy: '{}' };

export async function listBuckets(
  options: { s3: S3Client; s3In: (region: string) => S3Client; calls: CloudCallGate; regionFromLocation: (constraint: string | undefined) => string },
  query: ListQuery,
  signal: AbortSignal,
): Promise<Array<ListedExternal<BucketParameters>>> {
  const { s3, s3In, calls } = options;
  const listing = bucketCalls({ calls, bucket: '*', message: 'listing buckets failed', signal });
  const found: Array<{ name: string; region?: string }> = [];
  let token: string | undefined;
  do {
    const page: ListBucketsCommandOutput = await listing.call('ListBuckets', (o) => s3.send(new ListBucketsCommand({ ContinuationToken: token }), o));
    for (const b of page.Buckets ?? []) if (b.Name !== undefined && query.wanted(b.Name)) found.push({ name: b.Name, region: b.BucketRegion });
    token = page.ContinuationToken;
  } while (token);

  const out: Array<ListedExternal<BucketParameters>> = [];
  for (const { name, region: listed } of found) {
    const c = bucketCalls({ calls, bucket: name, message: 'reading the bucket failed', signal });
    const region =
      listed ?? options.regionFromLocation((await c.call('GetBucketLocation', (o) => s3.send(new GetBucketLocationCommand({ Bucket: name }), o))).LocationConstraint);
    if (query.region !== undefined && region !== query.region) continue;
    if (!query.details) {
      out.push({ externalName: name, region });
      continue;
    }
    const state = await readBucketState(s3In(region), c, { region, ...READ_ALL });
    const encryption = encryptionLateInit(state.serverSideEncryption);
    const ownership = objectOwnershipLateInit(state.objectOwnership);
    const forProvider: BucketParameters = {
      region,
      tags: state.tags,
      ...(state.versioning ? { versioning: state.versioning } : {}),
      ...(encryption ? { serverSideEncryption: encryption } : {}),
      ...(state.publicAccessBlock ? { publicAccessBlock: state.publicAccessBlock } : {}),
      ...(state.policy ? { policy: state.policy } : {}),
      ...(ownership ? { objectOwnership: ownership } : {}),
    };
    out.push({ externalName: name, region, forProvider });
  }
  return out;
}

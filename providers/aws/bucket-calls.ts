/** The S3 calls that read and write one bucket's settings, each through the call gate. */
import {
  DeleteBucketTaggingCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { CloudCallGate } from '../../core/managed/types.ts';
import { objectOwnershipFromS3, publicAccessBlockFromS3, publicAccessBlockToS3, publicAccessBlockUpToDate } from './bucket-access.ts';
import { encryptionFromS3, encryptionToS3, encryptionUpToDate } from './bucket-encryption.ts';
import {
  objectOwnershipUpToDate,
  policyUpToDate,
  tagsUpToDate,
  versioningUpToDate,
  type BucketParameters,
  type BucketState,
} from './bucket-settings.ts';
import { gated } from './client.ts';
import { awsErrorInfo, toPledgeError } from './errors.ts';

/** What S3 answers, instead of an empty configuration, for a setting a bucket does not have. */
export const NOT_CONFIGURED = {
  tags: 'NoSuchTagSet',
  serverSideEncryption: 'ServerSideEncryptionConfigurationNotFoundError',
  publicAccessBlock: 'NoSuchPublicAccessBlockConfiguration',
  policy: 'NoSuchBucketPolicy',
  objectOwnership: 'OwnershipControlsNotFoundError',
} as const;

type Send<O> = (options: { abortSignal: AbortSignal }) => Promise<O>;

/** Gated S3 calls for one bucket within one step (observe, create, update): failures are wrapped with the step's message. */
export interface BucketCalls {
  readonly bucket: string;
  call<O>(operation: string, send: Send<O>): Promise<O>;
  /** Like call, but S3 answering `absent` (the setting is not configured) resolves to undefined. */
  optional<O>(operation: string, absent: string, send: Send<O>): Promise<O | undefined>;
}

export function bucketCalls(options: { calls: CloudCallGate; bucket: string; message: string; signal: AbortSignal }): BucketCalls {
  const { calls, bucket, message, signal } = options;
  const request = { abortSignal: signal };
  const fail = (err: unknown, operation: string) => toPledgeError(err, message, { kind: 'Bucket', bucket, operation });
  return {
    bucket,
    async call(operation, send) {
      try {
        return await gated(calls, operation, signal, () => send(request));
      } catch (err: unknown) {
        throw fail(err, operation);
      }
    },
    async optional(operation, absent, send) {
      try {
        return await gated(calls, operation, signal, () => send(request));
      } catch (err: unknown) {
        if (awsErrorInfo(err).code === absent) return undefined;
        throw fail(err, operation);
      }
    },
  };
}

/**
 * Reads the bucket's settings. Tags, versioning, encryption and object ownership are always read (the last
 * two can be late-initialized); the public access block and the policy only when the spec manages them.
 */
export async function readBucketState(s3: S3Client, c: BucketCalls, desired: BucketParameters): Promise<BucketState> {
  const Bucket = c.bucket;
  const [tagging, versioning, encryption, ownership, pab, policy] = await Promise.all([
    c.optional('GetBucketTagging', NOT_CONFIGURED.tags, (o) => s3.send(new GetBucketTaggingCommand({ Bucket }), o)),
    c.call('GetBucketVersioning', (o) => s3.send(new GetBucketVersioningCommand({ Bucket }), o)),
    c.optional('GetBucketEncryption', NOT_CONFIGURED.serverSideEncryption, (o) => s3.send(new GetBucketEncryptionCommand({ Bucket }), o)),
    c.optional('GetBucketOwnershipControls', NOT_CONFIGURED.objectOwnership, (o) => s3.send(new GetBucketOwnershipControlsCommand({ Bucket }), o)),
    desired.publicAccessBlock === undefined
      ? undefined
      : c.optional('GetPublicAccessBlock', NOT_CONFIGURED.publicAccessBlock, (o) => s3.send(new GetPublicAccessBlockCommand({ Bucket }), o)),
    desired.policy === undefined ? undefined : c.optional('GetBucketPolicy', NOT_CONFIGURED.policy, (o) => s3.send(new GetBucketPolicyCommand({ Bucket }), o)),
  ]);
  const tags: Record<string, string> = {};
  for (const tag of tagging?.TagSet ?? []) if (tag.Key !== undefined && !tag.Key.startsWith('aws:')) tags[tag.Key] = tag.Value ?? '';
  const status = versioning.Status;
  const state: BucketState = { tags, versioning: status === 'Enabled' || status === 'Suspended' ? status : undefined };
  const sse = encryption === undefined ? undefined : encryptionFromS3(encryption);
  if (sse) state.serverSideEncryption = sse;
  const objectOwnership = objectOwnershipFromS3(ownership?.OwnershipControls?.Rules?.[0]?.ObjectOwnership);
  if (objectOwnership) state.objectOwnership = objectOwnership;
  const block = publicAccessBlockFromS3(pab?.PublicAccessBlockConfiguration);
  if (block) state.publicAccessBlock = block;
  if (policy?.Policy) state.policy = policy.Policy;
  return state;
}

/**
 * Makes the bucket match the spec, touching only the settings that differ. Ownership and the public access
 * block go before the policy: a block that is being lifted would otherwise refuse a public policy.
 */
export async function applyBucketSettings(s3: S3Client, c: BucketCalls, desired: BucketParameters, observed: BucketState): Promise<void> {
  const Bucket = c.bucket;
  const ownership = desired.objectOwnership;
  if (ownership !== undefined && !objectOwnershipUpToDate(ownership, observed.objectOwnership)) {
    await c.call('PutBucketOwnershipControls', (o) =>
      s3.send(new PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: ownership }] } }), o),
    );
  }
  const block = desired.publicAccessBlock;
  if (block !== undefined && !publicAccessBlockUpToDate(block, observed.publicAccessBlock)) {
    const PublicAccessBlockConfiguration = publicAccessBlockToS3(block, observed.publicAccessBlock);
    await c.call('PutPublicAccessBlock', (o) => s3.send(new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration }), o));
  }
  const sse = desired.serverSideEncryption;
  if (sse !== undefined && !encryptionUpToDate(sse, observed.serverSideEncryption)) {
    const ServerSideEncryptionConfiguration = encryptionToS3(sse, observed.serverSideEncryption);
    await c.call('PutBucketEncryption', (o) => s3.send(new PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration }), o));
  }
  const policy = desired.policy;
  if (policy !== undefined && !policyUpToDate(policy, observed.policy)) {
    await c.call('PutBucketPolicy', (o) => s3.send(new PutBucketPolicyCommand({ Bucket, Policy: policy }), o));
  }
  const versioning = desired.versioning;
  if (versioning !== undefined && !versioningUpToDate(versioning, observed.versioning)) {
    await c.call('PutBucketVersioning', (o) => s3.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: versioning } }), o));
  }
  const tags = desired.tags;
  if (tags !== undefined && !tagsUpToDate(tags, observed.tags)) {
    const TagSet = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
    if (TagSet.length === 0) await c.call('DeleteBucketTagging', (o) => s3.send(new DeleteBucketTaggingCommand({ Bucket }), o));
    else await c.call('PutBucketTagging', (o) => s3.send(new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet } }), o));
  }
}

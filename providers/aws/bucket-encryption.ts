import type { GetBucketEncryptionCommandOutput, ServerSideEncryptionConfiguration } from '@aws-sdk/client-s3';
import type { JSONSchema } from '../../core/crd/schema.ts';

export const SSE_ALGORITHMS = ['AES256', 'aws:kms'] as const;
export type SseAlgorithm = (typeof SSE_ALGORITHMS)[number];

/** Default encryption of new objects: spec.forProvider.serverSideEncryption, and what S3 reports. */
export interface ServerSideEncryption {
  algorithm: SseAlgorithm;
  /** Only with aws:kms; unset means the AWS managed key aws/s3. */
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

/** What S3 reports; the algorithm may be one Pledge does not manage (aws:kms:dsse). */
export interface ObservedEncryption {
  algorithm: string;
  kmsKeyId?: string;
  bucketKeyEnabled?: boolean;
}

export const serverSideEncryptionSchema: JSONSchema = {
  type: 'object',
  description: 'Default encryption of new objects. Unset leaves the bucket\'s setting alone.',
  required: ['algorithm'],
  properties: {
    algorithm: { type: 'string', enum: [...SSE_ALGORITHMS], description: 'AES256 (SSE-S3) or aws:kms (SSE-KMS).' },
    kmsKeyId: {
      type: 'string',
      minLength: 1,
      maxLength: 2048,
      description: 'KMS key id, key ARN or alias ARN for aws:kms; unset uses the AWS managed key aws/s3.',
    },
    bucketKeyEnabled: { type: 'boolean', description: 'Use an S3 Bucket Key for SSE-KMS (fewer KMS calls). Unset leaves it alone.' },
  },
  'x-kubernetes-validations': [
    { rule: "!has(self.kmsKeyId) || self.algorithm == 'aws:kms'", message: 'spec.forProvider.serverSideEncryption.kmsKeyId is allowed only with algorithm aws:kms' },
  ],
};

/** The first rule of GetBucketEncryption, or undefined (S3 answers ServerSideEncryptionConfigurationNotFoundError instead of an empty list). */
export function encryptionFromS3(out: GetBucketEncryptionCommandOutput): ObservedEncryption | undefined {
  const rule = out.ServerSideEncryptionConfiguration?.Rules?.[0];
  const algorithm = rule?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm;
  if (rule === undefined || algorithm === undefined) return undefined;
  const kmsKeyId = rule.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID;
  return {
    algorithm,
    ...(kmsKeyId ? { kmsKeyId } : {}),
    ...(rule.BucketKeyEnabled === undefined ? {} : { bucketKeyEnabled: rule.BucketKeyEnabled }),
  };
}

/** Only what the spec sets is compared: an unset kmsKeyId or bucketKeyEnabled accepts whatever the bucket has. */
export function encryptionUpToDate(desired: ServerSideEncryption | undefined, observed: ObservedEncryption | undefined): boolean {
  if (desired === undefined) return true;
  if (observed === undefined || observed.algorithm !== desired.algorithm) return false;
  if (desired.kmsKeyId !== undefined && observed.kmsKeyId !== desired.kmsKeyId) return false;
  if (desired.bucketKeyEnabled !== undefined && (observed.bucketKeyEnabled ?? false) !== desired.bucketKeyEnabled) return false;
  return true;
}

/** Names what differs (algorithm values are public; key ids are named, not shown). */
export function describeEncryptionDrift(desired: ServerSideEncryption, observed: ObservedEncryption | undefined): string {
  if (observed === undefined) return `serverSideEncryption none→${desired.algorithm}`;
  const parts: string[] = [];
  if (observed.algorithm !== desired.algorithm) parts.push(`algorithm ${observed.algorithm}→${desired.algorithm}`);
  else if (desired.kmsKeyId !== undefined && observed.kmsKeyId !== desired.kmsKeyId) parts.push('kmsKeyId differs');
  if (desired.bucketKeyEnabled !== undefined && (observed.bucketKeyEnabled ?? false) !== desired.bucketKeyEnabled) {
    parts.push(`bucketKeyEnabled ${observed.bucketKeyEnabled ?? false}→${desired.bucketKeyEnabled}`);
  }
  return `serverSideEncryption ${parts.join(', ')}`;
}

/**
 * The configuration to put: the spec's fields, and for fields it leaves unset what the bucket has (a put
 * replaces the whole configuration). A key id is kept only while the algorithm stays aws:kms.
 */
export function encryptionToS3(desired: ServerSideEncryption, observed: ObservedEncryption | undefined): ServerSideEncryptionConfiguration {
  const sameAlgorithm = observed?.algorithm === desired.algorithm;
  const kmsKeyId = desired.algorithm === 'aws:kms' ? (desired.kmsKeyId ?? (sameAlgorithm ? observed?.kmsKeyId : undefined)) : undefined;
  const bucketKeyEnabled = desired.bucketKeyEnabled ?? (sameAlgorithm ? observed?.bucketKeyEnabled : undefined);
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: { SSEAlgorithm: desired.algorithm, ...(kmsKeyId === undefined ? {} : { KMSMasterKeyID: kmsKeyId }) },
        ...(bucketKeyEnabled === undefined ? {} : { BucketKeyEnabled: bucketKeyEnabled }),
      },
    ],
  };
}

/** What late-initialization may write into an unset spec field: only an algorithm the schema accepts. */
export function encryptionLateInit(observed: ObservedEncryption | undefined): ServerSideEncryption | undefined {
  if (observed === undefined || !SSE_ALGORITHMS.includes(observed.algorithm as SseAlgorithm)) return undefined;
  const algorithm = observed.algorithm as SseAlgorithm;
  return {
    algorithm,
    ...(algorithm === 'aws:kms' && observed.kmsKeyId !== undefined ? { kmsKeyId: observed.kmsKeyId } : {}),
    ...(observed.bucketKeyEnabled === undefined ? {} : { bucketKeyEnabled: observed.bucketKeyEnabled }),
  };
}

/** What S3 holds, the defaults AWS gives a new bucket, and S3's error answers. */
import { awsRequestId } from './aws.ts';
import { xml, empty, type SimResponse } from './sim-http.ts';
import { el } from './xml.ts';

export type S3Encryption = { algorithm: string; kmsKeyId?: string; bucketKeyEnabled: boolean };
export type S3PublicAccessBlock = { BlockPublicAcls: boolean; IgnorePublicAcls: boolean; BlockPublicPolicy: boolean; RestrictPublicBuckets: boolean };
export type S3Object = { body: string /* base64 */; etag: string; contentType: string; lastModified: number };

export type S3Bucket = {
  name: string;
  account: string;
  region: string;
  createdAt: number;
  /** Absent: NoSuchTagSet. */
  tags?: { Key: string; Value: string }[];
  versioning?: 'Enabled' | 'Suspended';
  /** Never absent: since 2023 every bucket has default encryption (SSE-S3). */
  encryption: S3Encryption;
  publicAccessBlock?: S3PublicAccessBlock;
  policy?: string;
  ownership?: string;
  objects: Record<string, S3Object>;
};

export type S3State = { buckets: Record<string, S3Bucket> };

export const S3_NS = 'http://s3.amazonaws.com/doc/2006-03-01/';

/** What AWS gives every new bucket since April 2023: SSE-S3, all public access blocked, ACLs disabled. */
export const NEW_BUCKET_DEFAULTS = {
  encryption: { algorithm: 'AES256', bucketKeyEnabled: false },
  publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
  ownership: 'BucketOwnerEnforced',
} as const;

/** The request-id headers on every S3 answer. */
export function s3RequestIds(): Record<string, string> {
  const requestId = awsRequestId();
  return { 'x-amz-request-id': requestId, 'x-amz-id-2': Buffer.from(requestId).toString('base64') };
}

/** S3's error body `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`; HEAD answers carry no body. */
export function s3Error(
  method: string,
  status: number,
  code: string,
  message: string,
  extra: Record<string, string> = {},
  headers: Record<string, string | number> = {},
): SimResponse {
  const ids = { ...s3RequestIds(), ...headers };
  const requestId = ids['x-amz-request-id'] ?? '';
  const hostId = ids['x-amz-id-2'] ?? '';
  if (method === 'HEAD') return empty(status, ids);
  const fields = Object.entries(extra)
    .map(([k, v]) => el(k, v))
    .join('');
  return xml(status, `<Error>${el('Code', code)}${el('Message', message)}${fields}${el('RequestId', requestId)}${el('HostId', hostId)}</Error>`, ids);
}

export const noSuchBucket = (method: string, bucket: string) => s3Error(method, 404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: bucket });

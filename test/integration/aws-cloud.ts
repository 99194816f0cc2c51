// What the cloud (moto) holds, read with the AWS SDK: end-to-end tests check the cloud, not Pledge's word for it.
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, RDSClient, type DBInstance, type DBSnapshot } from '@aws-sdk/client-rds';
import {
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  type PublicAccessBlockConfiguration,
  type S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { testEnv } from '../env/index.ts';
import { TEST_CREDENTIALS } from './harness.ts';

/** The SDK error's code, or rethrow what is not an SDK error. */
function codeOf(err: unknown): string {
  if (err instanceof Error) return err.name;
  throw err;
}

/** The result of read, or undefined when the cloud answers `absent` (not configured / not found). */
async function unless<T>(absent: readonly string[], read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err: unknown) {
    if (absent.includes(codeOf(err))) return undefined;
    throw err;
  }
}

export async function bucketExists(s3: S3Client, Bucket: string): Promise<boolean> {
  return (await unless(['NotFound', 'NoSuchBucket'], () => s3.send(new HeadBucketCommand({ Bucket })))) !== undefined;
}

export interface BucketSettingsInCloud {
  encryption?: ServerSideEncryptionRule;
  publicAccessBlock?: PublicAccessBlockConfiguration;
  policy?: string;
  objectOwnership?: string;
}

/** The four settings as S3 reports them; a setting the bucket does not have is undefined. */
export async function bucketSettings(s3: S3Client, Bucket: string): Promise<BucketSettingsInCloud> {
  const [encryption, publicAccessBlock, policy, objectOwnership] = await Promise.all([
    unless(['ServerSideEncryptionConfigurationNotFoundError'], async () => (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]),
    unless(['NoSuchPublicAccessBlockConfiguration'], async () => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration),
    unless(['NoSuchBucketPolicy'], async () => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy),
    unless(['OwnershipControlsNotFoundError'], async () => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership),
  ]);
  return { encryption, publicAccessBlock, policy, objectOwnership };
}

/** An RDS client straight to moto. */
export function motoRds(region = 'us-east-1'): RDSClient {
  return new RDSClient({ region, endpoint: testEnv().motoUrl, credentials: TEST_CREDENTIALS });
}

/** The DB instance as RDS describes it, or undefined when there is none. */
export async function dbInstance(rds: RDSClient, DBInstanceIdentifier: string): Promise<DBInstance | undefined> {
  return unless(['DBInstanceNotFoundFault', 'DBInstanceNotFound'], async () => (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier }))).DBInstances?.[0]);
}

/** The snapshots of one DB instance, manual and automated. */
export async function dbSnapshots(rds: RDSClient, DBInstanceIdentifier: string): Promise<DBSnapshot[]> {
  return (await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier }))).DBSnapshots ?? [];
}

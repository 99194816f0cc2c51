// cloudsim's S3 and RDS, driven by the real AWS SDKs against the environment's cloudsim.
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, test } from 'node:test';
import * as rds from '@aws-sdk/client-rds';
import * as s3 from '@aws-sdk/client-s3';
import { admin, simEnv, uniqueName, type SimEnv } from './support.ts';

let sim: SimEnv;
const TIMINGS = { rdsCreateMs: 400, rdsModifyMs: 300, rdsDeleteMs: 300, rdsSnapshotMs: 300 };

function s3Client(region: string, accessKeyId = 'AKIACLOUDSIMTEST'): s3.S3Client {
  return new s3.S3Client({
    region,
    endpoint: sim.awsUrl,
    forcePathStyle: true,
    credentials: { accessKeyId, secretAccessKey: 'not-checked' },
    maxAttempts: 1,
    followRegionRedirects: false,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

function rdsClient(region = 'eu-west-1'): rds.RDSClient {
  return new rds.RDSClient({ region, endpoint: sim.awsUrl, credentials: { accessKeyId: 'AKIACLOUDSIMTEST', secretAccessKey: 'x' }, maxAttempts: 1 });
}

type AwsError = Error & { name: string; $metadata?: { httpStatusCode?: number }; $response?: { headers: Record<string, string> } };
function fails(name: string, status?: number): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof Error);
    const e = err as AwsError;
    assert.equal(e.name, name, e.message);
    if (status !== undefined) assert.equal(e.$metadata?.httpStatusCode, status);
    return true;
  };
}

async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(100, undefined, { signal: AbortSignal.timeout(timeoutMs) });
  }
}

before(async () => {
  sim = simEnv();
  await admin(sim.adminUrl, 'PATCH', 'knobs', { timings: TIMINGS });
});

after(async () => {
  if (sim) await admin(sim.adminUrl, 'POST', 'reset');
});

test('S3 buckets: create, head (region header), location, list with prefix and paging, re-create rules, delete', async () => {
  const east = s3Client('us-east-1');
  const eu = s3Client('eu-west-1');
  const prefix = uniqueName('cs-');
  const [a, b] = [`${prefix}-a`, `${prefix}-b`];
  await east.send(new s3.CreateBucketCommand({ Bucket: a }));
  await eu.send(new s3.CreateBucketCommand({ Bucket: b, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));

  assert.equal((await east.send(new s3.HeadBucketCommand({ Bucket: a }))).BucketRegion, 'us-east-1');
  assert.equal((await east.send(new s3.GetBucketLocationCommand({ Bucket: a }))).LocationConstraint, undefined, 'us-east-1 is an empty LocationConstraint');
  assert.equal((await east.send(new s3.GetBucketLocationCommand({ Bucket: b }))).LocationConstraint, 'eu-west-1', 'GetBucketLocation answers from any region');
  await assert.rejects(east.send(new s3.HeadBucketCommand({ Bucket: b })), (err: unknown) => {
    const e = err as AwsError;
    return e.$metadata?.httpStatusCode === 301 && e.$response?.headers['x-amz-bucket-region'] === 'eu-west-1';
  });

  const first = await east.send(new s3.ListBucketsCommand({ Prefix: prefix, MaxBuckets: 1 }));
  assert.deepEqual(first.Buckets?.map((x) => [x.Name, x.BucketRegion]), [[a, 'us-east-1']]);
  assert.ok(first.ContinuationToken, 'a second page is announced');
  const second = await east.send(new s3.ListBucketsCommand({ Prefix: prefix, MaxBuckets: 1, ContinuationToken: first.ContinuationToken }));
  assert.deepEqual(second.Buckets?.map((x) => x.Name), [b]);
  assert.equal(second.ContinuationToken, undefined);

  await east.send(new s3.CreateBucketCommand({ Bucket: a })); // legacy us-east-1: 200 for the owner
  await assert.rejects(eu.send(new s3.CreateBucketCommand({ Bucket: b, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } })), fails('BucketAlreadyOwnedByYou', 409));
  const other = s3Client('us-east-1', '111122223333');
  await assert.rejects(other.send(new s3.CreateBucketCommand({ Bucket: a })), fails('BucketAlreadyExists', 409));
  await assert.rejects(other.send(new s3.HeadBucketCommand({ Bucket: a })), (err: unknown) => (err as AwsError).$metadata?.httpStatusCode === 403);
  assert.deepEqual((await other.send(new s3.ListBucketsCommand({ Prefix: prefix }))).Buckets ?? [], [], 'another account lists only its own');
  await assert.rejects(east.send(new s3.CreateBucketCommand({ Bucket: 'Not_Valid' })), fails('InvalidBucketName', 400));

  await east.send(new s3.DeleteBucketCommand({ Bucket: a }));
  await eu.send(new s3.DeleteBucketCommand({ Bucket: b }));
  await assert.rejects(east.send(new s3.HeadBucketCommand({ Bucket: a })), (err: unknown) => (err as AwsError).$metadata?.httpStatusCode === 404);
  await assert.rejects(east.send(new s3.DeleteBucketCommand({ Bucket: a })), fails('NoSuchBucket', 404));
});

test('S3 bucket settings: tagging, versioning, and the defaults AWS gives a new bucket', async () => {
  const c = s3Client('us-east-1');
  const Bucket = uniqueName('cs-set-');
  await c.send(new s3.CreateBucketCommand({ Bucket }));
  await assert.rejects(c.send(new s3.GetBucketTaggingCommand({ Bucket })), fails('NoSuchTagSet', 404));
  await c.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'team', Value: 'a' }, { Key: 'empty', Value: '' }] } }));
  assert.deepEqual((await c.send(new s3.GetBucketTaggingCommand({ Bucket }))).TagSet, [{ Key: 'team', Value: 'a' }, { Key: 'empty', Value: '' }]);
  await assert.rejects(c.send(new s3.PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: [{ Key: 'aws:x', Value: 'v' }] } })), fails('InvalidTag', 400));
  await c.send(new s3.DeleteBucketTaggingCommand({ Bucket }));
  await assert.rejects(c.send(new s3.GetBucketTaggingCommand({ Bucket })), fails('NoSuchTagSet'));

  assert.equal((await c.send(new s3.GetBucketVersioningCommand({ Bucket }))).Status, undefined);
  await c.send(new s3.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  assert.equal((await c.send(new s3.GetBucketVersioningCommand({ Bucket }))).Status, 'Enabled');
  await c.send(new s3.PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: 'Suspended' } }));
  assert.equal((await c.send(new s3.GetBucketVersioningCommand({ Bucket }))).Status, 'Suspended');

  const sse = await c.send(new s3.GetBucketEncryptionCommand({ Bucket }));
  assert.deepEqual(sse.ServerSideEncryptionConfiguration?.Rules, [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }]);
  const kms = { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: 'arn:aws:kms:us-east-1:123456789012:key/abc' };
  await c.send(new s3.PutBucketEncryptionCommand({ Bucket, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: kms, BucketKeyEnabled: true }] } }));
  assert.deepEqual((await c.send(new s3.GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault, kms);
  await c.send(new s3.DeleteBucketEncryptionCommand({ Bucket }));
  assert.equal((await c.send(new s3.GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256', 'deleting brings back SSE-S3');

  const pab = (await c.send(new s3.GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration;
  assert.deepEqual(pab, { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true });
  const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: `arn:aws:s3:::${Bucket}/*` }] });
  await assert.rejects(c.send(new s3.PutBucketPolicyCommand({ Bucket, Policy: policy })), fails('AccessDenied', 403));
  await assert.rejects(c.send(new s3.GetBucketPolicyCommand({ Bucket })), fails('NoSuchBucketPolicy', 404));
  await assert.rejects(c.send(new s3.PutBucketPolicyCommand({ Bucket, Policy: 'not json' })), fails('MalformedPolicy', 400));
  await c.send(new s3.PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false } }));
  await c.send(new s3.PutBucketPolicyCommand({ Bucket, Policy: policy }));
  assert.equal((await c.send(new s3.GetBucketPolicyCommand({ Bucket }))).Policy, policy);
  await c.send(new s3.DeleteBucketPolicyCommand({ Bucket }));
  await c.send(new s3.DeletePublicAccessBlockCommand({ Bucket }));
  await assert.rejects(c.send(new s3.GetPublicAccessBlockCommand({ Bucket })), fails('NoSuchPublicAccessBlockConfiguration', 404));

  assert.equal((await c.send(new s3.GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'BucketOwnerEnforced');
  await c.send(new s3.PutBucketOwnershipControlsCommand({ Bucket, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
  assert.equal((await c.send(new s3.GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership, 'ObjectWriter');
  await c.send(new s3.DeleteBucketOwnershipControlsCommand({ Bucket }));
  await assert.rejects(c.send(new s3.GetBucketOwnershipControlsCommand({ Bucket })), fails('OwnershipControlsNotFoundError', 404));

  await c.send(new s3.PutObjectCommand({ Bucket, Key: 'dir/file.txt', Body: 'hello' }));
  await assert.rejects(c.send(new s3.DeleteBucketCommand({ Bucket })), fails('BucketNotEmpty', 409));
  await c.send(new s3.DeleteObjectCommand({ Bucket, Key: 'dir/file.txt' }));
  await c.send(new s3.DeleteBucketCommand({ Bucket }));
});

test('RDS: creating → available (endpoint appears), modify now and later, tags, delete with a final snapshot → gone', async () => {
  const c = rdsClient();
  const id = uniqueName('cs-db-');
  const created = await c.send(
    new rds.CreateDBInstanceCommand({
      DBInstanceIdentifier: id, Engine: 'postgres', EngineVersion: '16', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20,
      MasterUsername: 'app', MasterUserPassword: 'a-long-password', DBName: 'app', Tags: [{ Key: 'team', Value: 'a' }],
    }),
  );
  assert.equal(created.DBInstance?.DBInstanceStatus, 'creating');
  assert.equal(created.DBInstance?.Endpoint, undefined, 'no endpoint while creating');
  assert.match(created.DBInstance?.EngineVersion ?? '', /^16\.\d+$/, 'a major version resolves to a minor one');
  await assert.rejects(c.send(new rds.ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t3.small', ApplyImmediately: true })), fails('InvalidDBInstanceStateFault', 400));
  await assert.rejects(
    c.send(new rds.CreateDBInstanceCommand({ DBInstanceIdentifier: id, Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'a-long-password' })),
    fails('DBInstanceAlreadyExistsFault', 400),
  );

  const describe = async () => (await c.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
  const available = await waitFor('available', describe, (i) => i?.DBInstanceStatus === 'available');
  assert.match(available?.Endpoint?.Address ?? '', new RegExp(`^${id}\\.[a-f0-9]{12}\\.eu-west-1\\.rds\\.amazonaws\\.com$`));
  assert.equal(available?.Endpoint?.Port, 5432);
  const arn = available?.DBInstanceArn ?? '';
  assert.equal(arn, `arn:aws:rds:eu-west-1:123456789012:db:${id}`);

  const later = await c.send(new rds.ModifyDBInstanceCommand({ DBInstanceIdentifier: id, AllocatedStorage: 40, ApplyImmediately: false }));
  assert.equal(later.DBInstance?.DBInstanceStatus, 'available');
  assert.equal(later.DBInstance?.PendingModifiedValues?.AllocatedStorage, 40, 'waits for the maintenance window');
  const now = await c.send(new rds.ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t3.small', ApplyImmediately: true }));
  assert.equal(now.DBInstance?.DBInstanceStatus, 'modifying');
  assert.equal(now.DBInstance?.PendingModifiedValues?.DBInstanceClass, 'db.t3.small');
  const modified = await waitFor('modified', describe, (i) => i?.DBInstanceStatus === 'available');
  assert.equal(modified?.DBInstanceClass, 'db.t3.small');
  assert.equal(modified?.AllocatedStorage, 40, 'applying now takes what waited along');
  assert.deepEqual(modified?.PendingModifiedValues, {});

  await c.send(new rds.AddTagsToResourceCommand({ ResourceName: arn, Tags: [{ Key: 'env', Value: 'dev' }, { Key: 'team', Value: 'b' }] }));
  await c.send(new rds.RemoveTagsFromResourceCommand({ ResourceName: arn, TagKeys: ['env'] }));
  assert.deepEqual((await c.send(new rds.ListTagsForResourceCommand({ ResourceName: arn }))).TagList, [{ Key: 'team', Value: 'b' }]);
  await assert.rejects(c.send(new rds.ListTagsForResourceCommand({ ResourceName: `${arn}-nope` })), fails('DBInstanceNotFoundFault', 404));

  await assert.rejects(c.send(new rds.DeleteDBInstanceCommand({ DBInstanceIdentifier: id })), fails('InvalidParameterCombination', 400));
  const deleting = await c.send(new rds.DeleteDBInstanceCommand({ DBInstanceIdentifier: id, FinalDBSnapshotIdentifier: `${id}-final` }));
  assert.equal(deleting.DBInstance?.DBInstanceStatus, 'deleting');
  await assert.rejects(c.send(new rds.DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true })), fails('InvalidDBInstanceStateFault', 400));
  await waitFor('gone', () => describe().then(() => false, (err: unknown) => (err as AwsError).name === 'DBInstanceNotFoundFault'), (gone) => gone);
  const snapshots = await waitFor(
    'the final snapshot',
    async () => (await c.send(new rds.DescribeDBSnapshotsCommand({ DBInstanceIdentifier: id }))).DBSnapshots ?? [],
    (s) => s[0]?.Status === 'available',
  );
  assert.deepEqual(snapshots.map((s) => [s.DBSnapshotIdentifier, s.SnapshotType, s.Engine]), [[`${id}-final`, 'manual', 'postgres']]);
  await assert.rejects(c.send(new rds.DescribeDBSnapshotsCommand({ DBSnapshotIdentifier: `${id}-nope` })), fails('DBSnapshotNotFoundFault', 404));
  await c.send(new rds.DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `${id}-final` }));
});

test('RDS refuses bad input the way RDS does', async () => {
  const c = rdsClient();
  const base = { Engine: 'postgres', DBInstanceClass: 'db.t3.micro', AllocatedStorage: 20, MasterUsername: 'app', MasterUserPassword: 'a-long-password' };
  await assert.rejects(c.send(new rds.CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: '1-starts-with-digit' })), fails('InvalidParameterValue', 400));
  await assert.rejects(c.send(new rds.CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: uniqueName('cs-'), MasterUserPassword: 'short' })), fails('InvalidParameterValue', 400));
  await assert.rejects(c.send(new rds.CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: uniqueName('cs-'), Engine: 'nosuchdb' })), fails('InvalidParameterValue', 400));
  await assert.rejects(c.send(new rds.CreateDBInstanceCommand({ ...base, DBInstanceIdentifier: uniqueName('cs-'), AllocatedStorage: 5 })), fails('InvalidParameterValue', 400));
  await assert.rejects(c.send(new rds.DescribeDBInstancesCommand({ DBInstanceIdentifier: uniqueName('cs-none-') })), fails('DBInstanceNotFoundFault', 404));
  await assert.rejects(c.send(new rds.DeleteDBInstanceCommand({ DBInstanceIdentifier: uniqueName('cs-none-'), SkipFinalSnapshot: true })), fails('DBInstanceNotFoundFault', 404));
});

test('knobs: throttling reaches the SDKs as SlowDown and Throttling with Retry-After; errors; outages; counters', async () => {
  const c = s3Client('us-east-1');
  const Bucket = uniqueName('cs-knob-');
  await c.send(new s3.CreateBucketCommand({ Bucket }));
  await admin(sim.adminUrl, 'DELETE', 'counters');
  await admin(sim.adminUrl, 'PATCH', 'knobs', { faults: { 's3.GetBucketVersioning': { throttleRate: 1, retryAfterSeconds: 3 }, rds: { throttleRate: 1 } } });
  await assert.rejects(c.send(new s3.GetBucketVersioningCommand({ Bucket })), (err: unknown) => {
    fails('SlowDown', 503)(err);
    return (err as AwsError).$response?.headers['retry-after'] === '3';
  });
  await c.send(new s3.GetBucketTaggingCommand({ Bucket })).catch((err: unknown) => fails('NoSuchTagSet')(err));
  await assert.rejects(rdsClient().send(new rds.DescribeDBInstancesCommand({})), fails('Throttling', 400));

  await admin(sim.adminUrl, 'PATCH', 'knobs', { faults: { 's3.GetBucketVersioning': null, rds: null, 's3.HeadBucket': { errorRate: 1 } } });
  for (let i = 0; i < 2; i++) {
    await assert.rejects(c.send(new s3.HeadBucketCommand({ Bucket })), (err: unknown) => (err as AwsError).$metadata?.httpStatusCode === 500);
  }
  assert.equal((await c.send(new s3.GetBucketLocationCommand({ Bucket }))).$metadata.httpStatusCode, 200, 'only HeadBucket fails');
  await admin(sim.adminUrl, 'PATCH', 'knobs', { faults: { 's3.HeadBucket': null } });

  await admin(sim.adminUrl, 'POST', 'outages', { service: 's3', seconds: 30 });
  await assert.rejects(c.send(new s3.GetBucketVersioningCommand({ Bucket })), fails('ServiceUnavailable', 503));
  assert.equal((await rdsClient().send(new rds.DescribeDBInstancesCommand({}))).$metadata.httpStatusCode, 200, 'an S3 outage leaves RDS alone');
  await admin(sim.adminUrl, 'DELETE', 'outages?service=s3');
  assert.equal((await c.send(new s3.GetBucketVersioningCommand({ Bucket }))).$metadata.httpStatusCode, 200);

  const counts = await admin<Record<string, Record<string, Record<string, number>>>>(sim.adminUrl, 'GET', 'counters');
  assert.deepEqual(counts.s3?.GetBucketVersioning, { throttled: 1, outage: 1, ok: 1 });
  assert.deepEqual(counts.s3?.GetBucketTagging, { error: 1 });
  assert.deepEqual(counts.s3?.HeadBucket, { 'injected-error': 2 });
  assert.deepEqual(counts.rds?.DescribeDBInstances, { throttled: 1, ok: 1 });
  await c.send(new s3.DeleteBucketCommand({ Bucket }));
});

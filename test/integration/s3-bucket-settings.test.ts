// The Bucket's serverSideEncryption, publicAccessBlock, policy and objectOwnership end to end:
// kubectl → kube-apiserver → `pledge run` → AWS SDK → moto. For each: create with it, drift put back, kubectl edit, delete.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { kubectl, kubectlApply } from '../env/index.ts';
import { bucketExists, bucketSettings, type BucketSettingsInCloud } from './aws-cloud.ts';
import { condition, eventually, getJson, installAwsProviderConfig, installCrds, motoS3, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { reconcileEvidence } from './support/reconcile-evidence.ts';

const suffix = randomBytes(3).toString('hex');
const RESOURCE = 'buckets.s3.aws.pledge.dev';

function policyFor(bucket: string, actions: string[]): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'AppRead', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::123456789012:role/app' }, Action: actions, Resource: `arn:aws:s3:::${bucket}/*` }],
  });
}

function bucketYaml(name: string, forProvider: Record<string, unknown>): string {
  // JSON is YAML: no quoting trouble with policy documents.
  return JSON.stringify({ apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', metadata: { name }, spec: { forProvider } });
}

async function patchForProvider(name: string, forProvider: Record<string, unknown>): Promise<void> {
  await mustKubectl(['patch', RESOURCE, name, '--type=merge', '-p', JSON.stringify({ spec: { forProvider } })]);
}

function matches(actual: unknown, expected: unknown): boolean {
  try {
    assert.deepEqual(actual, expected);
    return true;
  } catch {
    return false;
  }
}

describe('S3 Bucket settings on a real kube-apiserver and moto', () => {
  let controller: ControllerProcess;
  let s3: S3Client;
  const name = `pledge-settings-${suffix}`;
  const cloud = () => bucketSettings(s3, name);
  /** Waits until the cloud's setting is `expected`, with the controller's log tail on failure. */
  async function cloudEventually<K extends keyof BucketSettingsInCloud>(key: K, expected: BucketSettingsInCloud[K], what: string): Promise<void> {
    try {
      await eventually(async () => matches((await cloud())[key], expected), what, 20_000);
    } catch (err: unknown) {
      assert.fail(`${String(err)}\ncloud: ${JSON.stringify((await cloud())[key])}\ncontroller log:\n${(await controller.log()).slice(-3000)}`);
    }
  }

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '2s' });
    s3 = motoS3();
  });

  after(async () => {
    await controller?.stop();
  });

  test('kubectl apply creates a bucket with encryption, public access block, policy and ownership; Ready', async () => {
    const res = await kubectlApply(
      bucketYaml(name, {
        region: 'us-east-1',
        serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/pledge-e2e', bucketKeyEnabled: true },
        publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true },
        policy: policyFor(name, ['s3:GetObject']),
        objectOwnership: 'BucketOwnerEnforced',
      }),
    );
    assert.equal(res.code, 0, res.stderr);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${RESOURCE}/${name}`], { timeoutMs: 70_000 });
    assert.equal(wait.code, 0, `kubectl wait: ${wait.stderr}\ncontroller log:\n${(await controller.log()).slice(-3000)}`);
    assert.deepEqual(await cloud(), {
      encryption: { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/pledge-e2e' }, BucketKeyEnabled: true },
      publicAccessBlock: { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true },
      policy: policyFor(name, ['s3:GetObject']),
      objectOwnership: 'BucketOwnerEnforced',
    });
    assert.equal((await condition(RESOURCE, name, 'Synced'))?.status, 'True');
  });

  test('serverSideEncryption: drift made with the SDK is put back', async () => {
    await s3.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    await cloudEventually(
      'encryption',
      { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/pledge-e2e' }, BucketKeyEnabled: true },
      'SSE-KMS to be restored',
    );
  });

  test('publicAccessBlock: drift made with the SDK is put back', async () => {
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: true } }));
    await cloudEventually('publicAccessBlock', { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: true, RestrictPublicBuckets: true }, 'the block to be restored');
  });

  test('policy: drift made with the SDK is put back, and an edit that only reformats it is left as is', async () => {
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policyFor(name, ['s3:GetObject', 's3:DeleteObject']) }));
    await cloudEventually('policy', policyFor(name, ['s3:GetObject']), 'the policy to be restored');

    // The same meaning in another form (as S3 itself rewrites policies): not drift, so not rewritten.
    const reformatted = JSON.stringify(
      { Statement: { Resource: `arn:aws:s3:::${name}/*`, Action: 's3:GetObject', Principal: { AWS: ['arn:aws:iam::123456789012:role/app'] }, Effect: 'Allow', Sid: 'AppRead' }, Version: '2012-10-17' },
      null,
      1,
    );
    const logBefore = (await controller.log()).length;
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: reformatted }));
    // Two reconciles end: the second began after the first had ended, so it observed the reformatted policy.
    const polls = reconcileEvidence(() => controller.log(), { kind: 'Bucket', name, msg: 'observed, requeue' });
    await polls.waitSince(Date.now(), 2, 'observed the bucket twice after its policy was reformatted');
    assert.equal((await cloud()).policy, reformatted, 'Pledge did not rewrite a policy that means the same');
    const updates = (await controller.log()).slice(logBefore).split('\n').filter((l) => l.includes(`"name":"${name}"`) && l.includes('updated external resource'));
    assert.deepEqual(updates, []);
  });

  test('objectOwnership: drift made with the SDK is put back', async () => {
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await cloudEventually('objectOwnership', 'BucketOwnerEnforced', 'ownership to be restored');
  });

  test('serverSideEncryption: a kubectl edit reaches the cloud', async () => {
    await patchForProvider(name, { serverSideEncryption: { algorithm: 'AES256', kmsKeyId: null, bucketKeyEnabled: false } });
    await cloudEventually('encryption', { ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' }, BucketKeyEnabled: false }, 'SSE-S3 in the cloud');
  });

  test('publicAccessBlock: a kubectl edit reaches the cloud, switches left unset keep their value', async () => {
    await patchForProvider(name, { publicAccessBlock: { blockPublicPolicy: false, restrictPublicBuckets: null } });
    await cloudEventually('publicAccessBlock', { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: true }, 'blockPublicPolicy lifted');
  });

  test('policy: a kubectl edit reaches the cloud', async () => {
    await patchForProvider(name, { policy: policyFor(name, ['s3:GetObject', 's3:ListBucket']) });
    await cloudEventually('policy', policyFor(name, ['s3:GetObject', 's3:ListBucket']), 'the new policy in the cloud');
  });

  test('objectOwnership: a kubectl edit reaches the cloud', async () => {
    await patchForProvider(name, { objectOwnership: 'BucketOwnerPreferred' });
    await cloudEventually('objectOwnership', 'BucketOwnerPreferred', 'BucketOwnerPreferred in the cloud');
    await eventually(async () => (await condition(RESOURCE, name, 'Synced'))?.status === 'True', 'Synced=True');
  });

  test('settings the spec leaves unset are left alone, and encryption and ownership are late-initialized into the spec', async () => {
    const plain = `pledge-plain-${suffix}`;
    assert.equal((await kubectlApply(bucketYaml(plain, { region: 'us-east-1' }))).code, 0);
    assert.equal((await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${RESOURCE}/${plain}`], { timeoutMs: 70_000 })).code, 0);
    await s3.send(new PutBucketEncryptionCommand({ Bucket: plain, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: plain, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: plain, Policy: policyFor(plain, ['s3:GetObject']) }));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: plain, PublicAccessBlockConfiguration: { BlockPublicAcls: true } }));
    // The second of two reconciles ending from now on began after every change above: it saw them all.
    const polls = reconcileEvidence(() => controller.log(), { kind: 'Bucket', name: plain, msg: 'observed, requeue' });
    await polls.waitSince(Date.now(), 2, 'observed the plain bucket twice after the changes made behind its back');

    type Spec = { spec: { forProvider: Record<string, unknown> } };
    await eventually(async () => (await getJson<Spec>(RESOURCE, plain))?.spec.forProvider.objectOwnership !== undefined, 'late-initialization');
    const forProvider = (await getJson<Spec>(RESOURCE, plain))?.spec.forProvider;
    assert.deepEqual(forProvider, { region: 'us-east-1', serverSideEncryption: { algorithm: 'AES256', bucketKeyEnabled: false }, objectOwnership: 'ObjectWriter' });
    const settings = await bucketSettings(s3, plain);
    assert.equal(settings.policy, policyFor(plain, ['s3:GetObject']), 'an unmanaged policy stays');
    assert.equal(settings.publicAccessBlock?.BlockPublicAcls, true, 'an unmanaged block stays');
    assert.equal((await kubectl(['delete', RESOURCE, plain, '--timeout=60s'], { timeoutMs: 70_000 })).code, 0);
    assert.equal(await bucketExists(s3, plain), false);
  });

  test('admission refuses a KMS key with AES256, a policy that is not a JSON object, and an unknown ownership, naming the field', async () => {
    const bad = `pledge-bad-${suffix}`;
    const kms = await kubectlApply(bucketYaml(bad, { region: 'us-east-1', serverSideEncryption: { algorithm: 'AES256', kmsKeyId: 'alias/k' } }));
    assert.notEqual(kms.code, 0);
    assert.match(kms.stderr, /spec\.forProvider\.serverSideEncryption\.kmsKeyId is allowed only with algorithm aws:kms/);
    const policy = await kubectlApply(bucketYaml(bad, { region: 'us-east-1', policy: 'Statement: []' }));
    assert.notEqual(policy.code, 0);
    assert.match(policy.stderr, /spec\.forProvider\.policy must be a JSON object/);
    const ownership = await kubectlApply(bucketYaml(bad, { region: 'us-east-1', objectOwnership: 'Everyone' }));
    assert.notEqual(ownership.code, 0);
    assert.match(ownership.stderr, /spec\.forProvider\.objectOwnership/);
    assert.match(ownership.stderr, /BucketOwnerEnforced/);
  });

  test('a policy that passes admission but is not JSON becomes Synced=False naming the field; no bucket is made', async () => {
    const broken = `pledge-broken-${suffix}`;
    assert.equal((await kubectlApply(bucketYaml(broken, { region: 'us-east-1', policy: '{"Statement": [ }' }))).code, 0);
    await eventually(async () => (await condition(RESOURCE, broken, 'Synced'))?.status === 'False', 'Synced=False');
    assert.match((await condition(RESOURCE, broken, 'Synced'))?.message ?? '', /spec\.forProvider\.policy is not valid JSON/);
    assert.equal(await bucketExists(s3, broken), false);
    assert.equal((await kubectl(['delete', RESOURCE, broken, '--timeout=60s'], { timeoutMs: 70_000 })).code, 0);
  });

  test('kubectl delete removes the configured bucket from the cloud', async () => {
    const del = await kubectl(['delete', RESOURCE, name, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(del.code, 0, del.stderr);
    assert.equal(await getJson(RESOURCE, name), undefined);
    assert.equal(await bucketExists(s3, name), false);
  });
});

// The Bucket's encryption, public access block, policy and object ownership against a real moto server.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketEncryptionCommand,
  DeleteBucketOwnershipControlsCommand,
  GetBucketEncryptionCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
} from '@aws-sdk/client-s3';
import { describeError, TerminalError } from '../../core/errors/index.ts';
import { bucket, type BucketParameters, type BucketResource } from '../../providers/aws/bucket.ts';
import { connectContext, countingGate, rawS3, skipWithoutMoto, uniqueName, type CountingGate } from './aws-moto.ts';

const signal = AbortSignal.timeout(60_000);

function managed(name: string, forProvider: BucketParameters): BucketResource {
  return { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', metadata: { name, generation: 1 }, spec: { forProvider } };
}

function policyFor(name: string, actions: string | string[] = 's3:GetObject'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: actions, Resource: `arn:aws:s3:::${name}/*` }],
  });
}

async function connected(mr: BucketResource, gate: CountingGate = countingGate()) {
  const external = await bucket.connect(mr, connectContext({ calls: gate }));
  return {
    gate,
    /** Observes as the reconciler would, recording atProvider in status as it does. */
    async observe() {
      const observation = await external.observe(mr, signal);
      if (observation.atProvider) mr.status = { ...mr.status, atProvider: observation.atProvider };
      return observation;
    },
    create: () => external.create(mr, signal),
    update: () => external.update(mr, signal),
    delete: () => external.delete(mr, signal),
  };
}

const s3 = rawS3();
const cloud = {
  encryption: async (Bucket: string) => (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0],
  block: async (Bucket: string) => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
  policy: async (Bucket: string) => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy,
  ownership: async (Bucket: string) => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership,
};

describe('aws Bucket settings against moto', { skip: skipWithoutMoto }, () => {
  it('creates a bucket with all four settings, finds each drift, and puts back only what drifted', async () => {
    const name = uniqueName('pledge-settings');
    const mr = managed(name, {
      region: 'us-east-1',
      serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/pledge-test', bucketKeyEnabled: true },
      publicAccessBlock: { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: false, restrictPublicBuckets: false },
      policy: policyFor(name),
      objectOwnership: 'BucketOwnerEnforced',
    });
    const b = await connected(mr);
    assert.deepEqual(await b.observe(), { exists: false });
    await b.create();

    assert.deepEqual(await cloud.encryption(name), {
      ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/pledge-test' },
      BucketKeyEnabled: true,
    });
    assert.deepEqual(await cloud.block(name), { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    assert.equal(await cloud.policy(name), mr.spec.forProvider.policy);
    assert.equal(await cloud.ownership(name), 'BucketOwnerEnforced');
    const fresh = await b.observe();
    assert.equal(fresh.upToDate, true, fresh.diff);
    assert.equal(fresh.lateInit, undefined, 'nothing to late-initialize: the spec sets everything');

    const drifts: Array<{ field: string; drift: () => Promise<unknown>; diff: string; put: string; check: () => Promise<void> }> = [
      {
        field: 'serverSideEncryption',
        drift: () => s3.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } })),
        diff: 'serverSideEncryption algorithm AES256→aws:kms, bucketKeyEnabled false→true',
        put: 'PutBucketEncryption',
        check: async () => assert.equal((await cloud.encryption(name))?.ApplyServerSideEncryptionByDefault?.KMSMasterKeyID, 'alias/pledge-test'),
      },
      {
        field: 'publicAccessBlock',
        drift: () => s3.send(new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: { BlockPublicAcls: false, IgnorePublicAcls: true, BlockPublicPolicy: true } })),
        diff: 'publicAccessBlock blockPublicAcls false→true, blockPublicPolicy true→false',
        put: 'PutPublicAccessBlock',
        check: async () => assert.deepEqual(await cloud.block(name), { BlockPublicAcls: true, IgnorePublicAcls: true, BlockPublicPolicy: false, RestrictPublicBuckets: false }),
      },
      {
        field: 'policy',
        drift: () => s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policyFor(name, ['s3:GetObject', 's3:DeleteObject']) })),
        diff: 'policy differs',
        put: 'PutBucketPolicy',
        check: async () => assert.equal(await cloud.policy(name), mr.spec.forProvider.policy),
      },
      {
        field: 'objectOwnership',
        drift: () => s3.send(new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: 'ObjectWriter' }] } })),
        diff: 'objectOwnership ObjectWriter→BucketOwnerEnforced',
        put: 'PutBucketOwnershipControls',
        check: async () => assert.equal(await cloud.ownership(name), 'BucketOwnerEnforced'),
      },
    ];
    for (const d of drifts) {
      await d.drift();
      const drifted = await b.observe();
      assert.equal(drifted.upToDate, false, `${d.field} drift noticed`);
      assert.equal(drifted.diff, d.diff);
      const from = b.gate.recorded.length;
      await b.update();
      const puts = b.gate.operationsSince(from).filter((op) => !op.startsWith('Get'));
      assert.deepEqual(puts, [d.put], `only ${d.field} is written`);
      await d.check();
      assert.equal((await b.observe()).upToDate, true, `${d.field} back in place`);
    }

    // S3 stores policies in its own form; the same meaning written differently is not drift.
    const same = JSON.stringify(
      { Statement: [{ Resource: [`arn:aws:s3:::${name}/*`], Action: ['s3:GetObject'], Principal: '*', Effect: 'Allow', Sid: 'PublicRead' }], Version: '2012-10-17' },
      null,
      2,
    );
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: same }));
    assert.equal((await b.observe()).upToDate, true, 'a reformatted policy is up to date');

    // Every request passed the gate exactly once and was reported.
    assert.equal(b.gate.recorded.length, b.gate.acquired);
    await b.delete();
    assert.deepEqual(await b.observe(), { exists: false });
  });

  it('leaves unset settings alone, and reports encryption and ownership for late-initialization', async () => {
    const name = uniqueName('pledge-unset');
    const mr = managed(name, { region: 'us-east-1', publicAccessBlock: { blockPublicPolicy: true } });
    const b = await connected(mr);
    await b.create();
    // moto gives a new bucket none of AWS's defaults (SSE-S3, BucketOwnerEnforced, a full public access block).
    const created = await b.observe();
    assert.deepEqual({ upToDate: created.upToDate, lateInit: created.lateInit }, { upToDate: true, lateInit: undefined });
    assert.deepEqual(await cloud.block(name), { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: true, RestrictPublicBuckets: false });

    await s3.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
    await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
    await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policyFor(name) }));
    // A switch the spec leaves unset keeps what the bucket has.
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: name, PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true } }));
    const observed = await b.observe();
    assert.equal(observed.upToDate, true, observed.diff);
    assert.deepEqual(observed.lateInit, { serverSideEncryption: { algorithm: 'AES256', bucketKeyEnabled: false }, objectOwnership: 'BucketOwnerPreferred' });

    // Lifting blockPublicPolicy keeps blockPublicAcls, which the spec does not manage.
    mr.spec.forProvider.publicAccessBlock = { blockPublicPolicy: false };
    assert.equal((await b.observe()).diff, 'publicAccessBlock blockPublicPolicy true→false');
    await b.update();
    assert.deepEqual(await cloud.block(name), { BlockPublicAcls: true, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false });
    assert.equal(await cloud.policy(name), policyFor(name), 'an unmanaged policy stays');

    // Settings removed behind Pledge's back are put back when managed.
    mr.spec.forProvider.serverSideEncryption = { algorithm: 'AES256' };
    mr.spec.forProvider.objectOwnership = 'BucketOwnerPreferred';
    await s3.send(new DeleteBucketEncryptionCommand({ Bucket: name }));
    await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: name }));
    assert.equal((await b.observe()).diff, 'serverSideEncryption none→AES256; objectOwnership unset→BucketOwnerPreferred');
    await b.update();
    assert.equal((await b.observe()).upToDate, true);
    await b.delete();
  });

  it('refuses a policy that is not JSON before changing anything, naming the field; such a bucket can still be deleted', async () => {
    const name = uniqueName('pledge-badpolicy');
    const gate = countingGate();
    const mr = managed(name, { region: 'us-east-1', policy: '{"Statement": [ }' });
    const b = await connected(mr, gate);
    assert.deepEqual(await b.observe(), { exists: false }, 'observe works whatever the spec says');
    const observed = gate.acquired;
    const refused = (err: unknown) => {
      assert.ok(err instanceof TerminalError, `a TerminalError, got ${String(err)}`);
      assert.match(describeError(err), /^spec\.forProvider\.policy is not valid JSON/);
      return true;
    };
    await assert.rejects(b.create(), refused);
    assert.equal(gate.acquired, observed, 'create made no request');

    // The bucket exists (made before the spec went bad): observe says the policy differs, update refuses, delete works.
    await s3.send(new CreateBucketCommand({ Bucket: name }));
    const drifted = await b.observe();
    assert.deepEqual({ exists: drifted.exists, upToDate: drifted.upToDate, diff: drifted.diff }, { exists: true, upToDate: false, diff: 'policy missing' });
    const before = gate.acquired;
    await assert.rejects(b.update(), refused);
    assert.equal(gate.acquired, before, 'update made no request');
    await b.delete();
    assert.deepEqual(await b.observe(), { exists: false });
  });
});

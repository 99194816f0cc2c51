// The Bucket suite's cases for encryption, public access block, policy and object ownership (see aws-bucket.case.ts).
import assert from 'node:assert/strict';
import { it } from 'node:test';
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
import { bucket, type BucketResource } from '../../providers/aws/bucket.ts';
import type { AwsBucketEndpoint, BucketCaseName } from './aws-bucket.case.ts';
import { managed, newBucketLateInit, observe, signal } from './aws-bucket-resource.ts';
import { connectContext, countingGate, uniqueName, type CountingGate } from './aws-endpoint.ts';

export const SETTINGS_CASES = ['settings-every-drift', 'settings-unset-left-alone', 'settings-bad-policy', 'public-policy-blocked'] as const;

/** A policy that is public (every principal, no condition): refused while BlockPublicPolicy is on. */
function policyFor(name: string, actions: string | string[] = 's3:GetObject'): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [{ Sid: 'PublicRead', Effect: 'Allow', Principal: '*', Action: actions, Resource: `arn:aws:s3:::${name}/*` }],
  });
}

const NOTHING_BLOCKED = { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false };

export function bucketSettingsCases(endpoint: AwsBucketEndpoint, runs: (name: BucketCaseName) => boolean): void {
  const s3 = endpoint.s3();
  const cloud = {
    encryption: async (Bucket: string) => (await s3.send(new GetBucketEncryptionCommand({ Bucket }))).ServerSideEncryptionConfiguration?.Rules?.[0],
    block: async (Bucket: string) => (await s3.send(new GetPublicAccessBlockCommand({ Bucket }))).PublicAccessBlockConfiguration,
    policy: async (Bucket: string) => (await s3.send(new GetBucketPolicyCommand({ Bucket }))).Policy,
    ownership: async (Bucket: string) => (await s3.send(new GetBucketOwnershipControlsCommand({ Bucket }))).OwnershipControls?.Rules?.[0]?.ObjectOwnership,
  };

  async function connected(mr: BucketResource, gate: CountingGate = countingGate()) {
    const external = await bucket.connect(mr, connectContext(endpoint, { calls: gate }));
    return {
      gate,
      observe: () => observe(external, mr),
      create: () => external.create(mr, signal),
      update: () => external.update(mr, signal),
      delete: () => external.delete(mr, signal),
    };
  }

  if (runs('settings-every-drift')) {
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
  }

  if (runs('settings-unset-left-alone')) {
    it('leaves unset settings alone, and reports encryption and ownership for late-initialization', async () => {
      const name = uniqueName('pledge-unset');
      const mr = managed(name, { region: 'us-east-1', publicAccessBlock: { blockPublicPolicy: true } });
      const b = await connected(mr);
      await b.create();
      // What a new bucket has here (AWS: SSE-S3, BucketOwnerEnforced, everything blocked) is late-initialized or kept.
      const created = await b.observe();
      assert.deepEqual({ upToDate: created.upToDate, lateInit: created.lateInit }, { upToDate: true, lateInit: newBucketLateInit(endpoint) });
      assert.deepEqual(await cloud.block(name), { ...(endpoint.newBucket.publicAccessBlock ?? NOTHING_BLOCKED), BlockPublicPolicy: true });

      await s3.send(new PutBucketEncryptionCommand({ Bucket: name, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
      await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: name, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerPreferred' }] } }));
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
      // With the block lifted, a public policy can be put: the spec does not manage it, so it must survive updates.
      await s3.send(new PutBucketPolicyCommand({ Bucket: name, Policy: policyFor(name) }));

      // Settings removed behind Pledge's back are put back when managed. Where deleting the encryption
      // configuration brings SSE-S3 back (AWS), AES256 is still there and only the ownership is missing.
      mr.spec.forProvider.serverSideEncryption = { algorithm: 'AES256' };
      mr.spec.forProvider.objectOwnership = 'BucketOwnerPreferred';
      await s3.send(new DeleteBucketEncryptionCommand({ Bucket: name }));
      await s3.send(new DeleteBucketOwnershipControlsCommand({ Bucket: name }));
      const missing = endpoint.newBucket.serverSideEncryption?.algorithm === 'AES256' ? [] : ['serverSideEncryption none→AES256'];
      assert.equal((await b.observe()).diff, [...missing, 'objectOwnership unset→BucketOwnerPreferred'].join('; '));
      await b.update();
      assert.equal((await b.observe()).upToDate, true);
      assert.equal(await cloud.ownership(name), 'BucketOwnerPreferred');
      assert.equal((await cloud.encryption(name))?.ApplyServerSideEncryptionByDefault?.SSEAlgorithm, 'AES256');
      assert.equal(await cloud.policy(name), policyFor(name), 'an unmanaged policy stays');
      await b.delete();
    });
  }

  if (runs('settings-bad-policy')) {
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
  }

  if (runs('public-policy-blocked')) {
    it('a public policy under BlockPublicPolicy is refused by S3 (Terminal, saying so); lifting the block in the same spec lets it through', async () => {
      const name = uniqueName('pledge-public');
      const mr = managed(name, { region: 'us-east-1', policy: policyFor(name) });
      const b = await connected(mr);
      // A new bucket blocks public policies, and this spec does not lift the block.
      await assert.rejects(b.create(), (err: unknown) => {
        assert.ok(err instanceof TerminalError, `a TerminalError, got ${String(err)}`);
        assert.match(describeError(err), /^create failed: AccessDenied: .*because public policies are blocked by the BlockPublicPolicy block public access setting\.$/);
        return true;
      });
      await assert.rejects(s3.send(new GetBucketPolicyCommand({ Bucket: name })), { name: 'NoSuchBucketPolicy' });

      // The block goes before the policy, so one update lifts it and puts the policy.
      mr.spec.forProvider.publicAccessBlock = { blockPublicPolicy: false };
      const drifted = await b.observe();
      assert.equal(drifted.diff, 'publicAccessBlock blockPublicPolicy true→false; policy missing');
      const from = b.gate.recorded.length;
      await b.update();
      assert.deepEqual(b.gate.operationsSince(from).filter((op) => !op.startsWith('Get')), ['PutPublicAccessBlock', 'PutBucketPolicy']);
      assert.equal(await cloud.policy(name), policyFor(name));
      assert.equal((await b.observe()).upToDate, true);
      await b.delete();
    });
  }
}

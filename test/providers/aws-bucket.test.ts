// The Bucket kind against a real moto server: the AWS SDK talks to moto, nothing is mocked.
// PLEDGE_TEST_MOTO_URL is set by the test runner (make test / test/env/run.ts); see aws-moto.ts.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { describeError, NotFoundError, PledgeError, TerminalError, ThrottledError } from '../../core/errors/index.ts';
import type { CloudCallGate, ExternalClient } from '../../core/managed/types.ts';
import { bucket, type BucketObservation, type BucketParameters, type BucketResource } from '../../providers/aws/bucket.ts';
import { connectContext, countingGate, rawS3, skipWithoutMoto, uniqueName } from './aws-moto.ts';

const skip = skipWithoutMoto;
/** moto keeps one store per account and takes the account from this header (MOTO_ACCOUNT_ID, if set on the server, wins). */
const OTHER_ACCOUNT = '111111111111';

const signal = AbortSignal.timeout(60_000);

function managed(name: string, forProvider: BucketParameters): BucketResource {
  return { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', metadata: { name, generation: 1 }, spec: { forProvider } };
}

/** Observes as the reconciler would, recording atProvider in status as it does. */
async function observe(external: ExternalClient<BucketParameters, BucketObservation>, mr: BucketResource) {
  const observation = await external.observe(mr, signal);
  if (observation.atProvider) mr.status = { ...mr.status, atProvider: observation.atProvider };
  return observation;
}

async function connect(mr: BucketResource, calls?: CloudCallGate) {
  return bucket.connect(mr, connectContext({ calls }));
}

describe('aws Bucket against moto', { skip }, () => {
  it('creates, notices drift, corrects it and deletes: the whole life of a bucket', async () => {
    const name = uniqueName('pledge-life');
    const mr = managed(name, { region: 'us-east-1', tags: { team: 'storage', env: 'test' }, versioning: 'Enabled' });
    const gate = countingGate();
    const external = await connect(mr, gate);
    const raw = rawS3();

    assert.deepEqual(await observe(external, mr), { exists: false }, 'absent before create');

    await external.create(mr, signal);
    const created = await observe(external, mr);
    assert.deepEqual(created, { exists: true, upToDate: true, atProvider: { arn: `arn:aws:s3:::${name}`, region: 'us-east-1' } });
    const tags = await raw.send(new GetBucketTaggingCommand({ Bucket: name }));
    assert.deepEqual(Object.fromEntries((tags.TagSet ?? []).map((t) => [t.Key, t.Value])), { team: 'storage', env: 'test' });
    assert.equal((await raw.send(new GetBucketVersioningCommand({ Bucket: name }))).Status, 'Enabled');

    // Someone edits the bucket in the console.
    await raw.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: 'team', Value: 'hijacked' }, { Key: 'extra', Value: 'x' }] } }));
    await raw.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Suspended' } }));
    const drifted = await observe(external, mr);
    assert.equal(drifted.exists, true);
    assert.equal(drifted.upToDate, false);
    assert.equal(drifted.diff, 'tags differ (+env -extra ~team); versioning Suspended→Enabled');

    await external.update(mr, signal);
    const corrected = await observe(external, mr);
    assert.equal(corrected.upToDate, true, `still differs: ${corrected.diff}`);

    // tags: {} removes every tag; then GetBucketTagging answers NoSuchTagSet, which is "no tags".
    mr.spec.forProvider.tags = {};
    assert.equal((await observe(external, mr)).upToDate, false);
    await external.update(mr, signal);
    assert.equal((await observe(external, mr)).upToDate, true);

    // Unset tags are not managed: tags added outside Pledge stay, and the bucket is up to date.
    delete mr.spec.forProvider.tags;
    await raw.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: 'cost-center', Value: '42' }] } }));
    assert.equal((await observe(external, mr)).upToDate, true);

    await external.delete(mr, signal);
    assert.deepEqual(await observe(external, mr), { exists: false }, 'absent after delete');
    await external.delete(mr, signal); // gone already is success

    // Every request waited on the shared token bucket and was reported, failures as mapped errors.
    assert.equal(gate.recorded.length, gate.acquired);
    assert.ok(gate.acquired >= 20, `only ${gate.acquired} calls gated`);
    const failures = gate.recorded.filter((r) => r.err !== undefined);
    assert.ok(failures.every((r) => r.err instanceof PledgeError), 'failures are recorded as Pledge errors');
    assert.ok(failures.some((r) => r.operation === 'HeadBucket' && r.err instanceof NotFoundError), 'the absent HeadBucket was recorded');
  });

  it('creates in another region with a LocationConstraint, and create is idempotent', async () => {
    const name = uniqueName('pledge-eu');
    const mr = managed(name, { region: 'eu-west-1', tags: { a: '1' } });
    const external = await connect(mr);

    await external.create(mr, signal);
    await external.create(mr, signal); // BucketAlreadyOwnedByYou is success
    const observed = await observe(external, mr);
    assert.deepEqual(observed, { exists: true, upToDate: true, atProvider: { arn: `arn:aws:s3:::${name}`, region: 'eu-west-1' } });
    await external.delete(mr, signal);
  });

  it('refuses a bucket that exists in another region than the spec says', async () => {
    const name = uniqueName('pledge-region');
    await rawS3().send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
    const mr = managed(name, { region: 'us-west-2' });
    const external = await connect(mr);
    await assert.rejects(external.observe(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError, `a TerminalError, got ${String(err)}`);
      assert.equal(describeError(err), `bucket ${name} exists in region eu-west-1 but spec.forProvider.region is us-west-2`);
      return true;
    });
    await rawS3().send(new DeleteBucketCommand({ Bucket: name }));
  });

  it('leaves a never-versioned bucket alone when Suspended is desired', async () => {
    const name = uniqueName('pledge-unversioned');
    const mr = managed(name, { region: 'us-east-1', versioning: 'Suspended' });
    const external = await connect(mr);
    await external.create(mr, signal);
    assert.equal((await observe(external, mr)).upToDate, true);
    assert.equal((await rawS3().send(new GetBucketVersioningCommand({ Bucket: name }))).Status, undefined, 'no irreversible PutBucketVersioning');
    await external.delete(mr, signal);
  });

  it('reports the cloud\'s BucketAlreadyExists when another account owns the name, and never touches their bucket', async () => {
    const name = uniqueName('pledge-taken');
    const other = rawS3(OTHER_ACCOUNT);
    await other.send(new CreateBucketCommand({ Bucket: name }));
    const mr = managed(name, { region: 'us-east-1', tags: { mine: 'yes' } });
    const external = await connect(mr);

    // moto lets any account HEAD it (200), as AWS does for a bucket whose policy allows listing: not ours all the same.
    // (Started with MOTO_S3_ALLOW_CROSSACCOUNT_ACCESS=false, moto answers 403 here and AccessDenied to the create;
    // AWS answers BucketAlreadyExists, which is what moto's default mode, the one test/env starts, does too.)
    assert.deepEqual(await observe(external, mr), { exists: false });
    await assert.rejects(external.create(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError, `a TerminalError, got ${String(err)}`);
      assert.match(describeError(err), /^create failed: BucketAlreadyExists: The requested bucket name is not available\./);
      assert.equal(typeof err.context.requestId, 'string');
      assert.equal(err.context.httpStatus, 409);
      return true;
    });
    // Deleting the resource observes nothing of ours, so the reconciler releases it without a DeleteBucket.
    assert.equal((await observe(external, mr)).exists, false);
    const tagging = other.send(new GetBucketTaggingCommand({ Bucket: name }));
    await assert.rejects(tagging, /NoSuchTagSet|TagSet/, 'their bucket did not get our tags');
    await other.send(new HeadBucketCommand({ Bucket: name }));
    await other.send(new DeleteBucketCommand({ Bucket: name }));
  });

  it('refuses to delete a bucket that still holds objects, saying why', async () => {
    const name = uniqueName('pledge-full');
    const mr = managed(name, { region: 'us-east-1' });
    const external = await connect(mr);
    await external.create(mr, signal);
    const raw = rawS3();
    await raw.send(new PutObjectCommand({ Bucket: name, Key: 'data.txt', Body: 'user data' }));
    await assert.rejects(external.delete(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.equal(
        describeError(err),
        `delete failed: bucket ${name} still holds objects and Pledge never deletes data: empty it, or set spec.deletionPolicy to Orphan to keep it: ` +
          'BucketNotEmpty: The bucket you tried to delete is not empty',
      );
      return true;
    });
    await raw.send(new DeleteObjectCommand({ Bucket: name, Key: 'data.txt' }));
    await external.delete(mr, signal);
  });

  it('adopts a bucket named by the external-name annotation', async () => {
    const name = uniqueName('pledge-adopted');
    await rawS3().send(new CreateBucketCommand({ Bucket: name }));
    const mr = managed('k8s-side-name', { region: 'us-east-1' });
    mr.metadata.annotations = { 'pledge.dev/external-name': name };
    const external = await connect(mr);
    assert.deepEqual(await observe(external, mr), { exists: true, upToDate: true, atProvider: { arn: `arn:aws:s3:::${name}`, region: 'us-east-1' } });
    await external.delete(mr, signal);
    assert.deepEqual(await observe(external, mr), { exists: false });
  });

  it('sends nothing until the call gate lets it through', async () => {
    const mr = managed(uniqueName('pledge-gated'), { region: 'us-east-1' });
    let recorded = 0;
    const external = await connect(mr, {
      acquire: async () => {
        throw new ThrottledError('token bucket empty', { retryAfterMs: 1_234 });
      },
      record: () => recorded++,
    });
    await assert.rejects(external.observe(mr, signal), (err: unknown) => {
      assert.ok(err instanceof ThrottledError, `the gate's ThrottledError survives, got ${String(err)}`);
      assert.equal(err.retryAfterMs, 1_234);
      assert.equal(describeError(err), 'observe failed: token bucket empty');
      return true;
    });
    assert.equal(recorded, 0, 'no request was made, so none was recorded');
  });

  it('stops a call when the reconcile is aborted', async () => {
    const mr = managed(uniqueName('pledge-abort'), { region: 'us-east-1' });
    const external = await connect(mr);
    await assert.rejects(external.observe(mr, AbortSignal.abort()), (err: unknown) => {
      assert.match(describeError(err), /^observe failed: /);
      return true;
    });
  });
});

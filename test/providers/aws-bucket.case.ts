// The S3 Bucket behaviour suite, run against every endpoint that speaks S3 (moto, cloudsim): hono's
// common.case.test.ts pattern, as gcp-bucket.case.ts. Each endpoint file says what a new bucket has there and how
// another account's bucket answers; a case it does not run is listed in its `notRun` with the reason, and the
// suite checks that every listed case exists. The bucket settings cases are in aws-bucket-settings.case.ts.
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
  type PublicAccessBlockConfiguration,
} from '@aws-sdk/client-s3';
import { describeError, NotFoundError, PledgeError, TerminalError, ThrottledError } from '../../core/errors/index.ts';
import type { CloudCallGate } from '../../core/managed/types.ts';
import { bucket, type BucketResource } from '../../providers/aws/bucket.ts';
import { managed, newBucketLateInit, observe, signal } from './aws-bucket-resource.ts';
import { bucketSettingsCases, SETTINGS_CASES } from './aws-bucket-settings.case.ts';
import { connectContext, countingGate, OTHER_ACCOUNT, uniqueName, type AwsEndpoint } from './aws-endpoint.ts';

export const CASES = [
  'life',
  'other-region',
  'region-mismatch',
  'never-versioned-suspended',
  'other-accounts-bucket',
  'not-empty-is-not-deleted',
  'adopt-external-name',
  'gate-closed',
  'abort',
  'throttled',
  ...SETTINGS_CASES,
] as const;
export type BucketCaseName = (typeof CASES)[number];

export interface AwsBucketEndpoint extends AwsEndpoint {
  /**
   * What a bucket has that nobody configured. AWS (since 2023) gives every new bucket SSE-S3, ACLs disabled
   * (BucketOwnerEnforced) and a public access block that blocks everything, and deleting the encryption
   * configuration brings SSE-S3 back. Empty when the endpoint gives none of these.
   */
  newBucket: {
    serverSideEncryption?: { algorithm: 'AES256'; bucketKeyEnabled: boolean };
    objectOwnership?: 'BucketOwnerEnforced';
    /** As GetPublicAccessBlock answers it. */
    publicAccessBlock?: Required<PublicAccessBlockConfiguration>;
  };
  /** HeadBucket on another account's bucket: AWS answers 403 (no access to it). */
  foreignHeadBucket: 200 | 403;
  /** Cases this endpoint does not run, each with the reason. */
  notRun: Partial<Record<BucketCaseName, string>>;
}

/** The observation of a bucket that matches its spec, on this endpoint. */
function inSync(endpoint: AwsBucketEndpoint, name: string, region: string, lateInit = newBucketLateInit(endpoint)) {
  return { exists: true, upToDate: true, atProvider: { arn: `arn:aws:s3:::${name}`, region }, ...(lateInit ? { lateInit } : {}) };
}

export function awsBucketSuite(endpoint: AwsBucketEndpoint): void {
  const runs = (name: BucketCaseName) => endpoint.notRun[name] === undefined;
  const connect = (mr: BucketResource, calls?: CloudCallGate) => bucket.connect(mr, connectContext(endpoint, { calls }));

  describe(`aws Bucket against ${endpoint.name}`, () => {
    it('every case it does not run is a real case and says why', () => {
      for (const [name, reason] of Object.entries(endpoint.notRun)) {
        assert.ok((CASES as readonly string[]).includes(name), `unknown case ${name}`);
        assert.ok(typeof reason === 'string' && reason.length > 10, `${name} needs a reason`);
      }
    });

    if (runs('life')) {
      it('creates, notices drift, corrects it and deletes: the whole life of a bucket', async () => {
        const name = uniqueName('pledge-life');
        const mr = managed(name, { region: 'us-east-1', tags: { team: 'storage', env: 'test' }, versioning: 'Enabled' });
        const gate = countingGate();
        const external = await connect(mr, gate);
        const raw = endpoint.s3();

        assert.deepEqual(await observe(external, mr), { exists: false }, 'absent before create');

        await external.create(mr, signal);
        assert.deepEqual(await observe(external, mr), inSync(endpoint, name, 'us-east-1'));
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
        await assert.rejects(raw.send(new GetBucketTaggingCommand({ Bucket: name })), { name: 'NoSuchTagSet' });

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
    }

    if (runs('other-region')) {
      it('creates in another region with a LocationConstraint, and create is idempotent', async () => {
        const name = uniqueName('pledge-eu');
        const mr = managed(name, { region: 'eu-west-1', tags: { a: '1' } });
        const external = await connect(mr);

        await external.create(mr, signal);
        await external.create(mr, signal); // BucketAlreadyOwnedByYou is success
        assert.deepEqual(await observe(external, mr), inSync(endpoint, name, 'eu-west-1'));
        await external.delete(mr, signal);
        assert.deepEqual(await observe(external, mr), { exists: false });
      });
    }

    if (runs('region-mismatch')) {
      it('refuses a bucket that exists in another region than the spec says (it cannot move), yet can still delete it', async () => {
        const name = uniqueName('pledge-region');
        // A bucket outside us-east-1 is addressed with a client of its own region (S3 answers others 301).
        const eu = endpoint.s3({ region: 'eu-west-1' });
        await eu.send(new CreateBucketCommand({ Bucket: name, CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }));
        const mr = managed(name, { region: 'us-west-2' });
        const external = await connect(mr);
        await assert.rejects(external.observe(mr, signal), (err: unknown) => {
          assert.ok(err instanceof TerminalError, `a TerminalError, got ${String(err)}`);
          assert.equal(describeError(err), `bucket ${name} exists in region eu-west-1 but spec.forProvider.region is us-west-2`);
          return true;
        });
        // Deleting the resource: the delete path sees the bucket, and the delete reaches it in its own region.
        mr.metadata.deletionTimestamp = new Date().toISOString();
        const seen = await observe(external, mr);
        assert.deepEqual({ exists: seen.exists, region: seen.atProvider?.region }, { exists: true, region: 'eu-west-1' });
        await external.delete(mr, signal);
        await assert.rejects(eu.send(new HeadBucketCommand({ Bucket: name })), { name: 'NotFound' });
        assert.deepEqual(await observe(external, mr), { exists: false });
      });
    }

    if (runs('never-versioned-suspended')) {
      it('leaves a never-versioned bucket alone when Suspended is desired', async () => {
        const name = uniqueName('pledge-unversioned');
        const mr = managed(name, { region: 'us-east-1', versioning: 'Suspended' });
        const external = await connect(mr);
        await external.create(mr, signal);
        assert.equal((await observe(external, mr)).upToDate, true);
        assert.equal((await endpoint.s3().send(new GetBucketVersioningCommand({ Bucket: name }))).Status, undefined, 'no irreversible PutBucketVersioning');
        await external.delete(mr, signal);
      });
    }

    if (runs('other-accounts-bucket')) {
      it('reports the cloud\'s BucketAlreadyExists when another account owns the name, and never touches their bucket', async () => {
        const name = uniqueName('pledge-taken');
        const other = endpoint.s3({ account: OTHER_ACCOUNT });
        await other.send(new CreateBucketCommand({ Bucket: name }));
        const mr = managed(name, { region: 'us-east-1', tags: { mine: 'yes' } });
        const external = await connect(mr);

        const head = endpoint.s3().send(new HeadBucketCommand({ Bucket: name }));
        if (endpoint.foreignHeadBucket === 200) await head;
        else await assert.rejects(head, (err: unknown) => (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403);

        // Whatever HeadBucket says, the bucket is not in this account's list: not ours.
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
        await assert.rejects(other.send(new GetBucketTaggingCommand({ Bucket: name })), { name: 'NoSuchTagSet' }, 'their bucket did not get our tags');
        await other.send(new HeadBucketCommand({ Bucket: name }));
        await other.send(new DeleteBucketCommand({ Bucket: name }));
      });
    }

    if (runs('not-empty-is-not-deleted')) {
      it('refuses to delete a bucket that still holds objects, saying why', async () => {
        const name = uniqueName('pledge-full');
        const mr = managed(name, { region: 'us-east-1' });
        const external = await connect(mr);
        await external.create(mr, signal);
        const raw = endpoint.s3();
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
        assert.deepEqual(await observe(external, mr), { exists: false });
      });
    }

    if (runs('adopt-external-name')) {
      it('adopts a bucket named by the external-name annotation', async () => {
        const name = uniqueName('pledge-adopted');
        await endpoint.s3().send(new CreateBucketCommand({ Bucket: name }));
        const mr = managed('k8s-side-name', { region: 'us-east-1' });
        mr.metadata.annotations = { 'pledge.dev/external-name': name };
        const external = await connect(mr);
        assert.deepEqual(await observe(external, mr), inSync(endpoint, name, 'us-east-1'));
        await external.delete(mr, signal);
        assert.deepEqual(await observe(external, mr), { exists: false });
      });
    }

    if (runs('gate-closed')) {
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
    }

    if (runs('abort')) {
      it('stops a call when the reconcile is aborted', async () => {
        const mr = managed(uniqueName('pledge-abort'), { region: 'us-east-1' });
        const gate = countingGate();
        const external = await connect(mr, gate);
        const aborter = new AbortController();
        aborter.abort(new Error('reconcile timed out'));
        await assert.rejects(external.observe(mr, aborter.signal), (err: unknown) => {
          assert.match(describeError(err), /^observe failed: .*reconcile timed out$/);
          return true;
        });
        assert.equal(gate.acquired, 0);
      });
    }

    if (runs('throttled')) {
      it('a throttled call is ThrottledError with S3\'s Retry-After, and the gate hears of it', async () => {
        const setThrottle = endpoint.setThrottle;
        assert.ok(setThrottle, 'the endpoint must offer fault injection');
        const name = uniqueName('pledge-slow');
        const mr = managed(name, { region: 'us-east-1' });
        const gate = countingGate();
        const external = await connect(mr, gate);
        await setThrottle('s3', 1);
        try {
          const err = await external.create(mr, signal).then(() => undefined, (e: unknown) => e);
          assert.ok(err instanceof ThrottledError, describeError(err));
          assert.equal(describeError(err), 'create failed: SlowDown: Please reduce your request rate.');
          assert.equal(err.retryAfterMs, 1_000);
          assert.deepEqual(gate.operationsSince(0), ['CreateBucket']);
          assert.ok(gate.recorded[0]?.err instanceof ThrottledError, 'the gate slows down');
        } finally {
          await setThrottle('s3', 0);
        }
        assert.deepEqual(await observe(external, mr), { exists: false }, 'nothing was made');
      });
    }

    bucketSettingsCases(endpoint, runs);
  });
}

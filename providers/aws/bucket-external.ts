// The part of the S3 Bucket kind that talks to the cloud. bucket.ts loads it on the first connect, so
// @aws-sdk/client-s3 is loaded only once an S3 bucket is reconciled, never by a controller without one.
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  type BucketLocationConstraint,
  type ListBucketsCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import { TerminalError, wrapError } from '../../core/errors/index.ts';
import type { CloudCallGate, ConnectContext, ExternalClient, Observation } from '../../core/managed/types.ts';
import { applyBucketSettings, bucketCalls, readBucketState } from './bucket-calls.ts';
import { listBuckets } from './bucket-list.ts';
import { bucketNameOf } from './bucket-name.ts';
import {
  bucketFieldDiffs,
  bucketLateInit,
  describeDrift,
  desiredOf,
  parametersOf,
  type BucketObservation,
  type BucketParameters,
  type BucketResource,
} from './bucket-settings.ts';
import { gated, s3ClientFor } from './client.ts';
import { resolveAwsConfig } from './config.ts';
import { awsErrorInfo, toPledgeError } from './errors.ts';

/** S3 reports us-east-1 as an empty LocationConstraint (and very old buckets as EU). */
export function regionFromLocation(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

export function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/**
 * One bucket's S3 calls: each passes the call gate, carries the reconcile's abort signal and maps its errors once.
 * `s3` is signed for the spec's region; `s3In` gives a client for another (a bucket found elsewhere is deleted there).
 */
function bucketClient(s3: S3Client, s3In: (region: string) => S3Client, calls: CloudCallGate): ExternalClient<BucketParameters, BucketObservation> {
  // The reconciler's logger already carries the object's name; errors add the cloud call and bucket.
  const context = (operation: string, bucket: string) => ({ kind: 'Bucket', bucket, operation });

  /** True when the bucket is in this account's own list: HeadBucket answers 200 or 403 for others' buckets too. */
  async function ownedByUs(name: string, signal: AbortSignal): Promise<boolean> {
    const c = bucketCalls({ calls, bucket: name, message: `listing this account's buckets (s3:ListAllMyBuckets) to confirm it owns ${name}`, signal });
    let token: string | undefined;
    do {
      let page: ListBucketsCommandOutput;
      try {
        page = await c.call('ListBuckets', (o) => s3.send(new ListBucketsCommand({ Prefix: name, ContinuationToken: token }), o));
      } catch (err: unknown) {
        throw wrapError(err, 'observe failed');
      }
      if (page.Buckets?.some((b) => b.Name === name)) return true;
      token = page.ContinuationToken;
    } while (token);
    return false;
  }

  return {
    async observe(mr, signal): Promise<Observation<BucketParameters, BucketObservation>> {
      const name = bucketNameOf(mr);
      const desired = parametersOf(mr);
      const failed = 'observe failed';
      const c = bucketCalls({ calls, bucket: name, message: failed, signal });
      let region: string | undefined;
      let denied: unknown;
      try {
        const head = await gated(calls, 'HeadBucket', signal, () => s3.send(new HeadBucketCommand({ Bucket: name }), { abortSignal: signal }));
        region = head.BucketRegion;
      } catch (err: unknown) {
        const info = awsErrorInfo(err);
        if (info.httpStatus === 404) return { exists: false };
        if (info.httpStatus === 301) region = info.bucketRegion;
        else if (info.httpStatus === 403) denied = err;
        else throw toPledgeError(err, failed, context('HeadBucket', name));
      }
      // A name is global: confirm the bucket is this account's before claiming it (once; atProvider records it).
      const verified = mr.status?.atProvider?.arn === bucketArn(name);
      if ((denied !== undefined || !verified) && !(await ownedByUs(name, signal))) {
        // Another account owns the name. Nothing of ours exists: a create reports the cloud's BucketAlreadyExists,
        // and deleting this resource releases it without touching their bucket.
        return { exists: false };
      }
      if (denied !== undefined) {
        const why = toPledgeError(denied, `bucket ${name} belongs to this account but these credentials may not read it (s3:ListBucket)`);
        throw wrapError(why, failed, context('HeadBucket', name));
      }
      if (region === undefined) {
        const location = await c.call('GetBucketLocation', (o) => s3.send(new GetBucketLocationCommand({ Bucket: name }), o));
        region = regionFromLocation(location.LocationConstraint);
      }
      if (region !== desired.region) {
        // Being deleted, it is still ours to delete (in its own region): a wrong region must not block deletion.
        if (mr.metadata.deletionTimestamp) return { exists: true, upToDate: true, atProvider: { arn: bucketArn(name), region } };
        throw new TerminalError(`bucket ${name} exists in region ${region} but spec.forProvider.region is ${desired.region}`, {
          context: context('HeadBucket', name),
        });
      }
      const state = await readBucketState(s3, c, desired);
      const diff = describeDrift(desired, state);
      const lateInit = bucketLateInit(desired, state);
      return {
        exists: true,
        upToDate: diff === '',
        atProvider: { arn: bucketArn(name), region },
        ...(lateInit ? { lateInit } : {}),
        ...(diff === '' ? {} : { diff, fieldDiffs: bucketFieldDiffs(desired, state) }),
      };
    },

    async create(mr, signal) {
      const name = bucketNameOf(mr);
      const desired = desiredOf(mr);
      const failed = 'create failed';
      const c = bucketCalls({ calls, bucket: name, message: failed, signal });
      const input = {
        Bucket: name,
        // us-east-1 is the default location and refuses to be named (InvalidLocationConstraint).
        ...(desired.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: desired.region as BucketLocationConstraint } }),
      };
      try {
        await gated(calls, 'CreateBucket', signal, () => s3.send(new CreateBucketCommand(input), { abortSignal: signal }));
      } catch (err: unknown) {
        // A retried create whose first attempt succeeded: carry on with what it has.
        if (awsErrorInfo(err).code !== 'BucketAlreadyOwnedByYou') throw toPledgeError(err, failed, context('CreateBucket', name));
      }
      // A new bucket is not blank: AWS gives it default encryption, ownership and a public access block, which
      // settings the spec sets only in part (and unset ones) must keep. So read, then change what differs.
      await applyBucketSettings(s3, c, desired, await readBucketState(s3, c, desired));
      return {};
    },

    async update(mr, signal) {
      const name = bucketNameOf(mr);
      const desired = desiredOf(mr);
      const c = bucketCalls({ calls, bucket: name, message: 'update failed', signal });
      await applyBucketSettings(s3, c, desired, await readBucketState(s3, c, desired));
      return {};
    },

    list: (query, signal) => listBuckets({ s3, s3In, calls, regionFromLocation }, query, signal),

    async delete(mr, signal) {
      const name = bucketNameOf(mr);
      const deleteWith = (client: S3Client) =>
        gated(calls, 'DeleteBucket', signal, () => client.send(new DeleteBucketCommand({ Bucket: name }), { abortSignal: signal }));
      try {
        await deleteWith(s3).catch((err: unknown) => {
          // S3 answers 301 to a request signed for another region than the bucket's: ask there.
          const info = awsErrorInfo(err);
          if (info.httpStatus !== 301 || info.bucketRegion === undefined) throw err;
          return deleteWith(s3In(info.bucketRegion));
        });
      } catch (err: unknown) {
        const code = awsErrorInfo(err).code;
        if (code === 'NoSuchBucket' || code === 'NotFound') return;
        if (code !== 'BucketNotEmpty') throw toPledgeError(err, 'delete failed', context('DeleteBucket', name));
        const why = toPledgeError(err, `bucket ${name} still holds objects and Pledge never deletes data: empty it, or set spec.deletionPolicy to Orphan to keep it`);
        throw wrapError(why, 'delete failed', context('DeleteBucket', name));
      }
    },
  };
}

/** What the kind's connect does: resolves the ProviderConfig and signs the bucket's client for the spec's region. */
export async function connectBucket(mr: BucketResource, ctx: ConnectContext): Promise<ExternalClient<BucketParameters, BucketObservation>> {
  const config = await resolveAwsConfig(ctx.providerConfig, ctx.readSecret, ctx.signal);
  // Only the region is needed to connect; create and update check the rest of the spec and name what is wrong.
  return bucketClient(s3ClientFor(config, parametersOf(mr).region), (region) => s3ClientFor(config, region), ctx.calls);
}

// The part of the GCS Bucket kind that talks to the cloud. bucket.ts loads it on the first connect, so
// @google-cloud/storage is loaded only once a GCP bucket is reconciled, never by a controller without one.
import type { BucketMetadata, GetBucketsResponse } from '@google-cloud/storage';
import { PledgeError, TerminalError, wrapError } from '../../core/errors/index.ts';
import type { CloudCallGate, ConnectContext, ExternalClient, Observation } from '../../core/managed/types.ts';
import { listBuckets } from './bucket-list.ts';
import { bucketNameOf } from './bucket-name.ts';
import {
  atProviderOf,
  createMetadata,
  bucketFieldDiffs,
  describeDrift,
  desiredOf,
  driftedFields,
  lateInitOf,
  patchFor,
  sameLocation,
  stateOf,
  type BucketObservation,
  type BucketParameters,
  type BucketResource,
  type ManagedField,
} from './bucket-settings.ts';
import { gcsSessionFor, type GcsSession } from './client.ts';
import { resolveGcpConfig } from './config.ts';
import { errorFromInfo, gcsErrorInfo, toPledgeError } from './errors.ts';

/**
 * The message for an update the endpoint answered with success but did not carry out (fake-gcs-server's PATCH
 * ignores labels, storage class, lifecycle and IAM configuration). Terminal, so the core reports it as
 * Synced=False and tries again only at the poll interval instead of patching in a loop.
 */
export function notAppliedMessage(sent: readonly ManagedField[], stillDiffering: readonly ManagedField[], drift: string): string {
  const ignored = stillDiffering.filter((f) => sent.includes(f));
  const disturbed = stillDiffering.filter((f) => !sent.includes(f));
  const parts = [];
  if (ignored.length > 0) parts.push(`the endpoint accepted but did not apply: ${ignored.join(', ')}`);
  if (disturbed.length > 0) parts.push(`the endpoint changed ${disturbed.join(', ')}, which the update did not send`);
  return `${parts.join('; ')} (still ${drift}); checked again at the poll interval`;
}

/** One bucket's GCS calls: each passes the call gate, carries the reconcile's abort signal and maps its errors once. */
function bucketClient(session: GcsSession, calls: CloudCallGate): ExternalClient<BucketParameters, BucketObservation> {
  const context = (operation: string, bucket: string) => ({ kind: 'Bucket', bucket, operation });
  // What observe read in this reconcile (a client lives for one), so update does not read it again.
  const observed = new Map<string, BucketMetadata>();

  /** The bucket's resource, or undefined when it does not exist. A 403 is rethrown for the caller to judge. */
  async function read(name: string, signal: AbortSignal, failed: string): Promise<BucketMetadata | undefined> {
    try {
      const [metadata] = await session.call(calls, 'GetBucket', signal, (s) => s.bucket(name).getMetadata());
      return metadata;
    } catch (err: unknown) {
      const status = gcsErrorInfo(err).httpStatus;
      if (status === 404) return undefined;
      if (status === 403) throw err;
      throw toPledgeError(err, failed, context('GetBucket', name));
    }
  }

  /** True when the bucket is in this project's list: a name is global, and GET answers for others' readable buckets too. */
  async function ownedByProject(name: string, signal: AbortSignal, failed: string): Promise<boolean> {
    let pageToken: string | undefined;
    do {
      let page: GetBucketsResponse;
      try {
        page = await session.call(calls, 'ListBuckets', signal, (s) =>
          s.getBuckets({ prefix: name, maxResults: 100, autoPaginate: false, ...(pageToken ? { pageToken } : {}) }),
        );
      } catch (err: unknown) {
        const why = toPledgeError(err, `listing project ${session.projectId}'s buckets (storage.buckets.list) to confirm it owns ${name}`);
        throw wrapError(why, failed, context('ListBuckets', name));
      }
      const [buckets, next] = page;
      if (buckets.some((b) => b.name === name)) return true;
      // The library types the next page's query as {}; it is { pageToken, … } when there is one.
      const token: unknown = (next as { pageToken?: unknown } | null | undefined)?.pageToken;
      pageToken = typeof token === 'string' && token !== '' ? token : undefined;
    } while (pageToken);
    return false;
  }

  return {
    async observe(mr, signal): Promise<Observation<BucketParameters, BucketObservation>> {
      const name = bucketNameOf(mr);
      const failed = 'observe failed';
      let metadata: BucketMetadata | undefined;
      let denied: unknown;
      try {
        metadata = await read(name, signal, failed);
        if (metadata === undefined) return { exists: false };
      } catch (err: unknown) {
        if (gcsErrorInfo(err).httpStatus !== 403) throw err;
        denied = err;
      }
      // Confirm the bucket is this project's before claiming it (once: atProvider.id records it).
      const verified = metadata !== undefined && mr.status?.atProvider?.id === name;
      if (!verified && !(await ownedByProject(name, signal, failed))) {
        // Another project owns the name. Nothing of ours exists: a create reports the conflict, and deleting this
        // resource releases it without touching their bucket.
        return { exists: false };
      }
      if (metadata === undefined) {
        const why = toPledgeError(denied, `bucket ${name} belongs to project ${session.projectId} but these credentials may not read it (storage.buckets.get)`);
        throw wrapError(why, failed, context('GetBucket', name));
      }
      // Deleting needs only to know that it exists: a spec that cannot be met must never block it.
      if (mr.metadata.deletionTimestamp) return { exists: true, atProvider: atProviderOf(metadata) };
      const desired = desiredOf(mr);
      const state = stateOf(metadata);
      // A bucket cannot move.
      if (!sameLocation(desired, state)) {
        throw new TerminalError(`bucket ${name} exists in location ${state.location} but spec.forProvider.location is ${desired.location}: a bucket cannot move`, {
          context: context('GetBucket', name),
        });
      }
      observed.set(name, metadata);
      const fields = driftedFields(desired, state);
      const lateInit = lateInitOf(desired, state);
      return {
        exists: true,
        upToDate: fields.length === 0,
        atProvider: atProviderOf(metadata),
        ...(lateInit ? { lateInit } : {}),
        ...(fields.length > 0 ? { diff: describeDrift(desired, state, fields), fieldDiffs: bucketFieldDiffs(desired, state, fields) } : {}),
      };
    },

    async create(mr, signal) {
      const name = bucketNameOf(mr);
      const desired = desiredOf(mr);
      const failed = 'create failed';
      try {
        await session.call(calls, 'InsertBucket', signal, (s) => s.createBucket(name, createMetadata(desired)));
      } catch (err: unknown) {
        if (gcsErrorInfo(err).httpStatus !== 409) throw toPledgeError(err, failed, context('InsertBucket', name));
        // A retried create whose first attempt succeeded: carry on with what it made.
        if (await ownedByProject(name, signal, failed)) return {};
        const why = toPledgeError(err, `bucket name ${name} is taken by another project (names are global): choose another metadata.name`);
        throw wrapError(why, failed, context('InsertBucket', name));
      }
      return {};
    },

    async update(mr, signal) {
      const name = bucketNameOf(mr);
      const desired = desiredOf(mr);
      const failed = 'update failed';
      const readOrFail = async (): Promise<BucketMetadata> => {
        try {
          const found = await read(name, signal, failed);
          if (found) return found;
          throw new TerminalError(`bucket ${name} disappeared during the update`);
        } catch (err: unknown) {
          if (err instanceof PledgeError) throw err;
          throw toPledgeError(err, failed, context('GetBucket', name));
        }
      };
      const before = stateOf(observed.get(name) ?? (await readOrFail()));
      const fields = driftedFields(desired, before);
      if (fields.length === 0) return {};
      try {
        await session.call(calls, 'PatchBucket', signal, (s) => s.bucket(name).setMetadata(patchFor(desired, before, fields)));
      } catch (err: unknown) {
        throw toPledgeError(err, failed, context('PatchBucket', name));
      }
      // Read back: some endpoints answer 200 and change nothing, and patching again would never end.
      observed.delete(name);
      const after = stateOf(await readOrFail());
      const still = driftedFields(desired, after);
      if (still.length > 0) {
        throw new TerminalError(notAppliedMessage(fields, still, describeDrift(desired, after, still)), { context: context('PatchBucket', name) });
      }
      return {};
    },

    list: (query, signal) => listBuckets(session, calls, query, signal),

    async delete(mr, signal) {
      const name = bucketNameOf(mr);
      try {
        await session.call(calls, 'DeleteBucket', signal, (s) => s.bucket(name).delete());
      } catch (err: unknown) {
        const status = gcsErrorInfo(err).httpStatus;
        if (status === 404) return;
        // GCS answers 409 for a bucket that still holds objects; fake-gcs-server 412.
        if (status !== 409 && status !== 412) throw toPledgeError(err, 'delete failed', context('DeleteBucket', name));
        const why = new TerminalError(`bucket ${name} still holds objects and Pledge never deletes data: empty it, or set spec.deletionPolicy to Orphan to keep it`, {
          cause: errorFromInfo(gcsErrorInfo(err)),
        });
        throw wrapError(why, 'delete failed', context('DeleteBucket', name));
      }
    },
  };
}

/** What the kind's connect does: resolves the ProviderConfig and gives the bucket's client a GCS session. */
export async function connectBucket(_mr: BucketResource, ctx: ConnectContext): Promise<ExternalClient<BucketParameters, BucketObservation>> {
  const config = await resolveGcpConfig(ctx.providerConfig, ctx.readSecret, ctx.signal);
  return bucketClient(gcsSessionFor(config), ctx.calls);
}

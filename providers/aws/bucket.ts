import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketTaggingCommand,
  GetBucketLocationCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  type BucketLocationConstraint,
  type S3Client,
} from '@aws-sdk/client-s3';
import { TerminalError, wrapError } from '../../core/errors/index.ts';
import type { CloudCallGate, ExternalClient, ManagedKind, ManagedResource, Observation } from '../../core/managed/types.ts';
import { bucketNameProblem, bucketNameValidations } from './bucket-name.ts';
import { gated, s3ClientFor } from './client.ts';
import { resolveAwsConfig } from './config.ts';
import { awsErrorInfo, toPledgeError } from './errors.ts';

export const VERSIONING_STATES = ['Enabled', 'Suspended'] as const;
export type VersioningState = (typeof VERSIONING_STATES)[number];

export interface BucketParameters {
  region: string;
  tags?: Record<string, string>;
  versioning?: VersioningState;
}

export interface BucketObservation {
  arn?: string;
  region?: string;
}

export type BucketResource = ManagedResource<BucketParameters, BucketObservation>;

const EXTERNAL_NAME = 'pledge.dev/external-name';

/** What S3 reports about one bucket's managed settings. */
export interface BucketState {
  /** User tags; `aws:` system tags are left out, nobody can set them. */
  tags: Record<string, string>;
  /** Undefined for a bucket that was never versioned. */
  versioning?: VersioningState;
}

/** Tags are managed only when spec.tags is set, and then exactly. */
export function tagsUpToDate(desired: Record<string, string> | undefined, observed: Record<string, string>): boolean {
  if (desired === undefined) return true;
  const keys = Object.keys(desired);
  return keys.length === Object.keys(observed).length && keys.every((k) => observed[k] === desired[k]);
}

/** A never-versioned bucket behaves as Suspended: desiring Suspended there needs no change (and none is made). */
export function versioningUpToDate(desired: VersioningState | undefined, observed: VersioningState | undefined): boolean {
  if (desired === undefined) return true;
  return desired === 'Enabled' ? observed === 'Enabled' : observed !== 'Enabled';
}

/** A short summary for events and logs, naming tag keys but never tag values. */
export function describeDrift(desired: BucketParameters, observed: BucketState): string {
  const parts: string[] = [];
  if (!tagsUpToDate(desired.tags, observed.tags)) {
    const want = desired.tags ?? {};
    const added = Object.keys(want).filter((k) => !(k in observed.tags));
    const removed = Object.keys(observed.tags).filter((k) => !(k in want));
    const changed = Object.keys(want).filter((k) => k in observed.tags && observed.tags[k] !== want[k]);
    const detail = [...added.map((k) => `+${k}`), ...removed.map((k) => `-${k}`), ...changed.map((k) => `~${k}`)].join(' ');
    parts.push(`tags differ (${detail})`);
  }
  if (!versioningUpToDate(desired.versioning, observed.versioning)) {
    parts.push(`versioning ${observed.versioning ?? 'Unversioned'}→${desired.versioning}`);
  }
  return parts.join('; ');
}

/** S3 reports us-east-1 as an empty LocationConstraint (and very old buckets as EU). */
export function regionFromLocation(constraint: string | undefined): string {
  if (!constraint) return 'us-east-1';
  return constraint === 'EU' ? 'eu-west-1' : constraint;
}

export function bucketArn(name: string): string {
  return `arn:aws:s3:::${name}`;
}

/** The bucket's name: the external-name annotation when set, else metadata.name. */
export function bucketNameOf(mr: BucketResource): string {
  const annotated = mr.metadata.annotations?.[EXTERNAL_NAME];
  const name = annotated || mr.metadata.name;
  const problem = bucketNameProblem(name, annotated ? `annotation ${EXTERNAL_NAME}` : 'metadata.name');
  if (problem) throw new TerminalError(`${problem} (got "${name}")`);
  return name;
}

function desiredOf(mr: BucketResource): BucketParameters {
  const p = mr.spec.forProvider;
  if (typeof p?.region !== 'string' || p.region === '') throw new TerminalError('spec.forProvider.region is required');
  if (p.versioning !== undefined && !VERSIONING_STATES.includes(p.versioning)) {
    throw new TerminalError(`spec.forProvider.versioning must be one of ${VERSIONING_STATES.join(', ')}`);
  }
  return p;
}

/** One bucket's S3 calls: each passes the call gate, carries the reconcile's abort signal and maps its errors once. */
function bucketClient(s3: S3Client, calls: CloudCallGate): ExternalClient<BucketParameters, BucketObservation> {
  // The reconciler's logger already carries the object's name; errors add the cloud call and bucket.
  const context = (operation: string, bucket: string) => ({ kind: 'Bucket', bucket, operation });

  /** A call whose every failure is an error of `message`. */
  async function call<O>(operation: string, bucket: string, message: string, signal: AbortSignal, send: () => Promise<O>): Promise<O> {
    try {
      return await gated(calls, operation, signal, send);
    } catch (err: unknown) {
      throw toPledgeError(err, message, context(operation, bucket));
    }
  }

  /** True when the bucket is in this account's own list: HeadBucket answers 200 or 403 for others' buckets too. */
  async function ownedByUs(name: string, signal: AbortSignal): Promise<boolean> {
    const why = `listing this account's buckets (s3:ListAllMyBuckets) to confirm it owns ${name}`;
    let token: string | undefined;
    do {
      let page;
      try {
        page = await call('ListBuckets', name, why, signal, () =>
          s3.send(new ListBucketsCommand({ Prefix: name, ContinuationToken: token }), { abortSignal: signal }),
        );
      } catch (err: unknown) {
        throw wrapError(err, 'observe failed');
      }
      if (page.Buckets?.some((b) => b.Name === name)) return true;
      token = page.ContinuationToken;
    } while (token);
    return false;
  }

  async function readState(name: string, signal: AbortSignal, message: string): Promise<BucketState> {
    const [tagSet, versioning] = await Promise.all([
      gated(calls, 'GetBucketTagging', signal, () => s3.send(new GetBucketTaggingCommand({ Bucket: name }), { abortSignal: signal })).then(
        (out) => out.TagSet ?? [],
        (err: unknown) => {
          if (awsErrorInfo(err).code === 'NoSuchTagSet') return [];
          throw toPledgeError(err, message, context('GetBucketTagging', name));
        },
      ),
      call('GetBucketVersioning', name, message, signal, () => s3.send(new GetBucketVersioningCommand({ Bucket: name }), { abortSignal: signal })),
    ]);
    const tags: Record<string, string> = {};
    for (const tag of tagSet) if (tag.Key !== undefined && !tag.Key.startsWith('aws:')) tags[tag.Key] = tag.Value ?? '';
    const status = versioning.Status;
    return { tags, versioning: status === 'Enabled' || status === 'Suspended' ? status : undefined };
  }

  /** Makes tags and versioning match the spec, touching only what differs. */
  async function apply(name: string, desired: BucketParameters, observed: BucketState, signal: AbortSignal, message: string): Promise<void> {
    if (desired.tags !== undefined && !tagsUpToDate(desired.tags, observed.tags)) {
      const TagSet = Object.entries(desired.tags).map(([Key, Value]) => ({ Key, Value }));
      if (TagSet.length === 0) {
        await call('DeleteBucketTagging', name, message, signal, () => s3.send(new DeleteBucketTaggingCommand({ Bucket: name }), { abortSignal: signal }));
      } else {
        await call('PutBucketTagging', name, message, signal, () =>
          s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet } }), { abortSignal: signal }),
        );
      }
    }
    if (desired.versioning !== undefined && !versioningUpToDate(desired.versioning, observed.versioning)) {
      const Status = desired.versioning;
      await call('PutBucketVersioning', name, message, signal, () =>
        s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status } }), { abortSignal: signal }),
      );
    }
  }

  return {
    async observe(mr, signal): Promise<Observation<BucketParameters, BucketObservation>> {
      const name = bucketNameOf(mr);
      const desired = desiredOf(mr);
      const failed = 'observe failed';
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
        const location = await call('GetBucketLocation', name, failed, signal, () =>
          s3.send(new GetBucketLocationCommand({ Bucket: name }), { abortSignal: signal }),
        );
        region = regionFromLocation(location.LocationConstraint);
      }
      if (region !== desired.region) {
        throw new TerminalError(`bucket ${name} exists in region ${region} but spec.forProvider.region is ${desired.region}`, {
          context: context('HeadBucket', name),
        });
      }
      const state = await readState(name, signal, failed);
      const diff = describeDrift(desired, state);
      return {
        exists: true,
        upToDate: diff === '',
        atProvider: { arn: bucketArn(name), region },
        ...(diff === '' ? {} : { diff }),
      };
    },

    async create(mr, signal) {
      const name = bucketNameOf(mr);
      const desired = desiredOf(mr);
      const failed = 'create failed';
      const input = {
        Bucket: name,
        // us-east-1 is the default location and refuses to be named (InvalidLocationConstraint).
        ...(desired.region === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: desired.region as BucketLocationConstraint } }),
      };
      // A new bucket has no tags and was never versioned.
      let state: BucketState = { tags: {} };
      try {
        await gated(calls, 'CreateBucket', signal, () => s3.send(new CreateBucketCommand(input), { abortSignal: signal }));
      } catch (err: unknown) {
        // A retried create whose first attempt succeeded: read what it has.
        if (awsErrorInfo(err).code !== 'BucketAlreadyOwnedByYou') throw toPledgeError(err, failed, context('CreateBucket', name));
        state = await readState(name, signal, failed);
      }
      await apply(name, desired, state, signal, failed);
      return {};
    },

    async update(mr, signal) {
      const name = bucketNameOf(mr);
      const failed = 'update failed';
      await apply(name, desiredOf(mr), await readState(name, signal, failed), signal, failed);
      return {};
    },

    async delete(mr, signal) {
      const name = bucketNameOf(mr);
      try {
        await gated(calls, 'DeleteBucket', signal, () => s3.send(new DeleteBucketCommand({ Bucket: name }), { abortSignal: signal }));
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

export const bucket: ManagedKind<BucketParameters, BucketObservation> = {
  gvk: { group: 's3.aws.pledge.dev', version: 'v1', kind: 'Bucket' },
  plural: 'buckets',
  deterministicExternalName: true,
  schema: {
    forProvider: {
      type: 'object',
      required: ['region'],
      properties: {
        region: {
          type: 'string',
          pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$',
          description: 'Region the bucket lives in (e.g. eu-west-1). A bucket cannot move: changing it is refused.',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.forProvider.region is immutable' }],
        },
        tags: {
          type: 'object',
          description: 'Tags on the bucket. When set, Pledge makes them exactly these ({} removes all); when unset, tags are left alone.',
          additionalProperties: { type: 'string', maxLength: 256 },
          maxProperties: 50,
          'x-kubernetes-validations': [
            { rule: "self.all(k, size(k) >= 1 && size(k) <= 128 && !k.startsWith('aws:'))", message: 'spec.forProvider.tags keys must be 1 to 128 characters and must not start with aws:' },
          ],
        },
        versioning: {
          type: 'string',
          enum: [...VERSIONING_STATES],
          description: 'Object versioning. A bucket that was never versioned counts as Suspended. Unset leaves it alone.',
        },
      },
    },
    atProvider: {
      type: 'object',
      properties: {
        arn: { type: 'string', description: 'ARN of the bucket.' },
        region: { type: 'string', description: 'Region S3 reports for the bucket.' },
      },
    },
    validations: bucketNameValidations(),
  },
  async connect(mr, ctx) {
    const config = await resolveAwsConfig(ctx.providerConfig, ctx.readSecret, ctx.signal);
    return bucketClient(s3ClientFor(config, desiredOf(mr).region), ctx.calls);
  },
};

/**
 * A bucket's managed settings, desired (spec.forProvider) against observed (what S3 reports): the pure
 * part of the Bucket kind. Every setting follows one rule: unset in the spec means not managed.
 */
import { TerminalError } from '../../core/errors/index.ts';
import { mapDiffs, settingDiff } from '../../core/managed/field-diffs.ts';
import type { FieldDiff, ManagedResource } from '../../core/managed/types.ts';
import { objectOwnershipLateInit, publicAccessBlockUpToDate, describePublicAccessBlockDrift } from './bucket-access.ts';
import type { ObjectOwnership, PublicAccessBlock } from './bucket-access.ts';
import { describeEncryptionDrift, encryptionLateInit, encryptionUpToDate, SSE_ALGORITHMS } from './bucket-encryption.ts';
import type { ObservedEncryption, ServerSideEncryption } from './bucket-encryption.ts';
import { policiesEqual, policyProblem } from './bucket-policy.ts';

export const VERSIONING_STATES = ['Enabled', 'Suspended'] as const;
export type VersioningState = (typeof VERSIONING_STATES)[number];

export interface BucketParameters {
  region: string;
  tags?: Record<string, string>;
  versioning?: VersioningState;
  serverSideEncryption?: ServerSideEncryption;
  publicAccessBlock?: PublicAccessBlock;
  /** A bucket policy, as a JSON document. */
  policy?: string;
  objectOwnership?: ObjectOwnership;
}

export interface BucketObservation {
  arn?: string;
  region?: string;
}

export type BucketResource = ManagedResource<BucketParameters, BucketObservation>;

/** What S3 reports about one bucket's managed settings; an undefined setting is not configured (or was not read). */
export interface BucketState {
  /** User tags; `aws:` system tags are left out, nobody can set them. */
  tags: Record<string, string>;
  /** Undefined for a bucket that was never versioned. */
  versioning?: VersioningState;
  serverSideEncryption?: ObservedEncryption;
  publicAccessBlock?: PublicAccessBlock;
  policy?: string;
  objectOwnership?: string;
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

export function policyUpToDate(desired: string | undefined, observed: string | undefined): boolean {
  return desired === undefined || (observed !== undefined && policiesEqual(desired, observed));
}

export function objectOwnershipUpToDate(desired: ObjectOwnership | undefined, observed: string | undefined): boolean {
  return desired === undefined || desired === observed;
}

/** A short summary for events and logs, naming tag keys but never tag values nor policy text. */
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
  if (desired.serverSideEncryption && !encryptionUpToDate(desired.serverSideEncryption, observed.serverSideEncryption)) {
    parts.push(describeEncryptionDrift(desired.serverSideEncryption, observed.serverSideEncryption));
  }
  if (desired.publicAccessBlock && !publicAccessBlockUpToDate(desired.publicAccessBlock, observed.publicAccessBlock)) {
    parts.push(describePublicAccessBlockDrift(desired.publicAccessBlock, observed.publicAccessBlock));
  }
  if (!policyUpToDate(desired.policy, observed.policy)) {
    parts.push(observed.policy === undefined ? 'policy missing' : 'policy differs');
  }
  if (!objectOwnershipUpToDate(desired.objectOwnership, observed.objectOwnership)) {
    parts.push(`objectOwnership ${observed.objectOwnership ?? 'unset'}→${desired.objectOwnership}`);
  }
  return parts.join('; ');
}

/** The same drift as describeDrift, field by field with values (for pledge plan; a bucket holds no secret setting). */
export function bucketFieldDiffs(desired: BucketParameters, observed: BucketState): FieldDiff[] {
  return [
    ...mapDiffs('tags', desired.tags, observed.tags),
    ...settingDiff('versioning', desired.versioning, observed.versioning ?? 'Suspended', versioningUpToDate(desired.versioning, observed.versioning)),
    ...settingDiff('serverSideEncryption', desired.serverSideEncryption, observed.serverSideEncryption, encryptionUpToDate(desired.serverSideEncryption, observed.serverSideEncryption)),
    ...settingDiff('publicAccessBlock', desired.publicAccessBlock, observed.publicAccessBlock, publicAccessBlockUpToDate(desired.publicAccessBlock, observed.publicAccessBlock)),
    ...settingDiff('policy', desired.policy, observed.policy, policyUpToDate(desired.policy, observed.policy)),
    ...settingDiff('objectOwnership', desired.objectOwnership, observed.objectOwnership, objectOwnershipUpToDate(desired.objectOwnership, observed.objectOwnership)),
  ];
}

/** Settings the spec leaves unset, as the bucket has them: the core writes them into the spec under LateInitialize. */
export function bucketLateInit(desired: BucketParameters, observed: BucketState): Partial<BucketParameters> | undefined {
  const lateInit: Partial<BucketParameters> = {};
  const encryption = desired.serverSideEncryption === undefined ? encryptionLateInit(observed.serverSideEncryption) : undefined;
  if (encryption) lateInit.serverSideEncryption = encryption;
  const ownership = desired.objectOwnership === undefined ? objectOwnershipLateInit(observed.objectOwnership) : undefined;
  if (ownership) lateInit.objectOwnership = ownership;
  return Object.keys(lateInit).length > 0 ? lateInit : undefined;
}

/**
 * The spec as observe needs it: only the region is required. Observe must work whatever else the spec
 * says, or a resource with a bad field could never be deleted; create and update check it all (desiredOf).
 */
export function parametersOf(mr: BucketResource): BucketParameters {
  const p = mr.spec.forProvider;
  if (typeof p?.region !== 'string' || p.region === '') throw new TerminalError('spec.forProvider.region is required');
  return p;
}

/**
 * The spec, checked for what the schema cannot check (or an older schema may have let through), as
 * TerminalErrors naming the field, before any cloud call that would change the bucket.
 */
export function desiredOf(mr: BucketResource): BucketParameters {
  const p = parametersOf(mr);
  if (p.versioning !== undefined && !VERSIONING_STATES.includes(p.versioning)) {
    throw new TerminalError(`spec.forProvider.versioning must be one of ${VERSIONING_STATES.join(', ')}`);
  }
  const sse = p.serverSideEncryption;
  if (sse !== undefined) {
    if (!SSE_ALGORITHMS.includes(sse.algorithm)) {
      throw new TerminalError(`spec.forProvider.serverSideEncryption.algorithm must be one of ${SSE_ALGORITHMS.join(', ')}`);
    }
    if (sse.kmsKeyId !== undefined && sse.algorithm !== 'aws:kms') {
      throw new TerminalError('spec.forProvider.serverSideEncryption.kmsKeyId is allowed only with algorithm aws:kms');
    }
  }
  if (p.policy !== undefined) {
    const problem = typeof p.policy === 'string' ? policyProblem(p.policy) : 'spec.forProvider.policy must be a string';
    if (problem) throw new TerminalError(problem);
  }
  return p;
}

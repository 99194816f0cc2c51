import { isDeepStrictEqual } from 'node:util';
import type { BucketMetadata, CreateBucketRequest, LifecycleRule } from '@google-cloud/storage';
import { TerminalError } from '../../core/errors/index.ts';
import { mapDiffs } from '../../core/managed/field-diffs.ts';
import type { FieldDiff, ManagedResource } from '../../core/managed/types.ts';

export const STORAGE_CLASSES = ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE'] as const;
export type StorageClass = (typeof STORAGE_CLASSES)[number];
export const PUBLIC_ACCESS_PREVENTIONS = ['enforced', 'inherited'] as const;
export type PublicAccessPrevention = (typeof PUBLIC_ACCESS_PREVENTIONS)[number];

export interface LifecycleRuleSpec {
  /** Objects are deleted this many days after they were created. */
  deleteAfterDays: number;
}

/** spec.forProvider of `storage.gcp.pledge.dev/v1 Bucket`. An unset field is left as the cloud has it. */
export interface BucketParameters {
  location: string;
  storageClass?: StorageClass;
  versioning?: boolean;
  labels?: Record<string, string>;
  uniformBucketLevelAccess?: boolean;
  publicAccessPrevention?: PublicAccessPrevention;
  lifecycleRules?: LifecycleRuleSpec[];
}

/** status.atProvider of a Bucket. */
export interface BucketObservation {
  id?: string;
  selfLink?: string;
  location?: string;
  storageClass?: string;
  timeCreated?: string;
}

export type BucketResource = ManagedResource<BucketParameters, BucketObservation>;

/** The settings Pledge manages, as the cloud reports them (absent ones as GCS defaults them). */
export interface BucketState {
  /** Upper case, as GCS reports it (US-CENTRAL1, EU). */
  location: string;
  storageClass?: string;
  versioning: boolean;
  labels: Record<string, string>;
  uniformBucketLevelAccess: boolean;
  publicAccessPrevention: string;
  /** Each rule as a comparable key: `delete-after:<days>` for the shape Pledge writes, JSON for any other. */
  lifecycleRules: string[];
}

/** The forProvider fields compared with the cloud (location is immutable and checked apart). */
export const MANAGED_FIELDS = ['storageClass', 'versioning', 'labels', 'uniformBucketLevelAccess', 'publicAccessPrevention', 'lifecycleRules'] as const;
export type ManagedField = (typeof MANAGED_FIELDS)[number];

function ruleKey(rule: LifecycleRule): string {
  const condition = Object.entries(rule.condition ?? {}).filter(([, v]) => v !== undefined && v !== null);
  const onlyAge = condition.length === 1 && condition[0]?.[0] === 'age' && typeof condition[0][1] === 'number';
  if (rule.action?.type === 'Delete' && onlyAge) return `delete-after:${String(condition[0]?.[1])}`;
  return JSON.stringify(rule);
}

function desiredRuleKeys(rules: readonly LifecycleRuleSpec[]): string[] {
  return rules.map((r) => `delete-after:${r.deleteAfterDays}`).sort();
}

/** Reads the managed settings out of a bucket resource. */
export function stateOf(metadata: BucketMetadata): BucketState {
  const labels: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata.labels ?? {})) if (typeof value === 'string') labels[key] = value;
  const pap = metadata.iamConfiguration?.publicAccessPrevention;
  return {
    location: (metadata.location ?? '').toUpperCase(),
    storageClass: metadata.storageClass,
    versioning: metadata.versioning?.enabled === true,
    labels,
    uniformBucketLevelAccess: metadata.iamConfiguration?.uniformBucketLevelAccess?.enabled === true,
    // Buckets made before the setting existed report "unspecified", which behaves as "inherited".
    publicAccessPrevention: pap === undefined || pap === 'unspecified' ? 'inherited' : pap,
    lifecycleRules: (metadata.lifecycle?.rule ?? []).map(ruleKey).sort(),
  };
}

/** True when the cloud's location is the one asked for (GCS upper-cases locations). */
export function sameLocation(desired: BucketParameters, state: BucketState): boolean {
  return desired.location.toUpperCase() === state.location;
}

/** The fields set in the spec whose cloud value differs. Unset fields are never compared. */
export function driftedFields(desired: BucketParameters, state: BucketState): ManagedField[] {
  const differs: Record<ManagedField, boolean> = {
    storageClass: desired.storageClass !== undefined && desired.storageClass !== state.storageClass,
    versioning: desired.versioning !== undefined && desired.versioning !== state.versioning,
    labels: desired.labels !== undefined && !isDeepStrictEqual(desired.labels, state.labels),
    uniformBucketLevelAccess: desired.uniformBucketLevelAccess !== undefined && desired.uniformBucketLevelAccess !== state.uniformBucketLevelAccess,
    publicAccessPrevention: desired.publicAccessPrevention !== undefined && desired.publicAccessPrevention !== state.publicAccessPrevention,
    lifecycleRules: desired.lifecycleRules !== undefined && !isDeepStrictEqual(desiredRuleKeys(desired.lifecycleRules), state.lifecycleRules),
  };
  return MANAGED_FIELDS.filter((field) => differs[field]);
}

function sortedLabels(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).sort(([a], [b]) => a.localeCompare(b)));
}

/** "versioning: false → true; labels: {"a":"b"} → {"a":"c"}" — what differs, cloud value first. Labels are not secret. */
/** The drifted fields with both values, for pledge plan: labels key by key, the rest whole (no bucket setting is secret). */
export function bucketFieldDiffs(desired: BucketParameters, state: BucketState, fields: readonly ManagedField[]): FieldDiff[] {
  return fields.flatMap((field): FieldDiff[] => {
    if (field === 'labels') return mapDiffs('labels', desired.labels, state.labels);
    if (field === 'lifecycleRules') return [{ path: field, observed: state.lifecycleRules, desired: desiredRuleKeys(desired.lifecycleRules ?? []) }];
    return [{ path: field, observed: state[field], desired: desired[field] }];
  });
}

export function describeDrift(desired: BucketParameters, state: BucketState, fields: readonly ManagedField[]): string {
  const show: Record<ManagedField, () => [unknown, unknown]> = {
    storageClass: () => [state.storageClass, desired.storageClass],
    versioning: () => [state.versioning, desired.versioning],
    labels: () => [sortedLabels(state.labels), sortedLabels(desired.labels ?? {})],
    uniformBucketLevelAccess: () => [state.uniformBucketLevelAccess, desired.uniformBucketLevelAccess],
    publicAccessPrevention: () => [state.publicAccessPrevention, desired.publicAccessPrevention],
    lifecycleRules: () => [state.lifecycleRules, desiredRuleKeys(desired.lifecycleRules ?? [])],
  };
  return fields
    .map((field) => {
      const [cloud, spec] = show[field]();
      return `${field}: ${JSON.stringify(cloud) ?? 'unset'} → ${JSON.stringify(spec)}`;
    })
    .join('; ');
}

function lifecycleOf(rules: readonly LifecycleRuleSpec[]): LifecycleRule[] {
  return rules.map((r) => ({ action: { type: 'Delete' }, condition: { age: r.deleteAfterDays } }));
}

/** The body of buckets.insert: every field the spec sets. */
export function createMetadata(desired: BucketParameters): CreateBucketRequest {
  const metadata: CreateBucketRequest = { location: desired.location };
  if (desired.storageClass !== undefined) metadata.storageClass = desired.storageClass;
  if (desired.versioning !== undefined) metadata.versioning = { enabled: desired.versioning };
  if (desired.labels !== undefined) metadata.labels = { ...desired.labels };
  const iam = iamConfigurationOf(desired);
  if (iam) metadata.iamConfiguration = iam;
  if (desired.lifecycleRules !== undefined && desired.lifecycleRules.length > 0) metadata.lifecycle = { rule: lifecycleOf(desired.lifecycleRules) };
  return metadata;
}

function iamConfigurationOf(desired: BucketParameters, state?: BucketState): BucketMetadata['iamConfiguration'] {
  const ubla = desired.uniformBucketLevelAccess ?? state?.uniformBucketLevelAccess;
  const pap = desired.publicAccessPrevention ?? state?.publicAccessPrevention;
  if (ubla === undefined && pap === undefined) return undefined;
  return {
    ...(ubla === undefined ? {} : { uniformBucketLevelAccess: { enabled: ubla } }),
    ...(pap === undefined ? {} : { publicAccessPrevention: pap }),
  };
}

/**
 * The body of buckets.patch that changes only `fields`. Labels not in the spec are sent as null (how GCS
 * removes a label); iamConfiguration is sent whole (both settings), so nested-object merge rules do not matter.
 */
export function patchFor(desired: BucketParameters, state: BucketState, fields: readonly ManagedField[]): BucketMetadata {
  const patch: BucketMetadata = {};
  for (const field of fields) {
    if (field === 'storageClass' && desired.storageClass !== undefined) patch.storageClass = desired.storageClass;
    if (field === 'versioning' && desired.versioning !== undefined) patch.versioning = { enabled: desired.versioning };
    if (field === 'labels' && desired.labels !== undefined) {
      const labels: Record<string, string | null> = { ...desired.labels };
      for (const key of Object.keys(state.labels)) if (!(key in desired.labels)) labels[key] = null;
      patch.labels = labels;
    }
    if (field === 'uniformBucketLevelAccess' || field === 'publicAccessPrevention') patch.iamConfiguration = iamConfigurationOf(desired, state);
    if (field === 'lifecycleRules' && desired.lifecycleRules !== undefined) {
      // null is how the JSON API clears every rule.
      patch.lifecycle = desired.lifecycleRules.length === 0 ? null : { rule: lifecycleOf(desired.lifecycleRules) };
    }
  }
  return patch;
}

/** Values for forProvider fields the user left unset, from the cloud; undefined when there are none. */
export function lateInitOf(desired: BucketParameters, state: BucketState): Partial<BucketParameters> | undefined {
  const late: Partial<BucketParameters> = {};
  const storageClass = STORAGE_CLASSES.find((c) => c === state.storageClass);
  if (desired.storageClass === undefined && storageClass !== undefined) late.storageClass = storageClass;
  if (desired.versioning === undefined) late.versioning = state.versioning;
  if (desired.uniformBucketLevelAccess === undefined) late.uniformBucketLevelAccess = state.uniformBucketLevelAccess;
  const pap = PUBLIC_ACCESS_PREVENTIONS.find((p) => p === state.publicAccessPrevention);
  if (desired.publicAccessPrevention === undefined && pap !== undefined) late.publicAccessPrevention = pap;
  return Object.keys(late).length > 0 ? late : undefined;
}

/** status.atProvider from a bucket resource. */
export function atProviderOf(metadata: BucketMetadata): BucketObservation {
  const out: BucketObservation = {};
  if (metadata.id) out.id = metadata.id;
  if (metadata.selfLink) out.selfLink = metadata.selfLink;
  if (metadata.location) out.location = metadata.location;
  if (metadata.storageClass) out.storageClass = metadata.storageClass;
  if (metadata.timeCreated) out.timeCreated = metadata.timeCreated;
  return out;
}

/** forProvider, checked: the schema guards admission, this guards what reaches the cloud. */
export function desiredOf(mr: BucketResource): BucketParameters {
  const p = mr.spec.forProvider;
  const fail = (problem: string): never => {
    throw new TerminalError(`spec.forProvider.${problem}`);
  };
  if (typeof p?.location !== 'string' || p.location === '') fail('location is required');
  if (p.storageClass !== undefined && !STORAGE_CLASSES.includes(p.storageClass)) fail(`storageClass must be one of ${STORAGE_CLASSES.join(', ')}`);
  if (p.publicAccessPrevention !== undefined && !PUBLIC_ACCESS_PREVENTIONS.includes(p.publicAccessPrevention)) {
    fail(`publicAccessPrevention must be one of ${PUBLIC_ACCESS_PREVENTIONS.join(', ')}`);
  }
  for (const [i, rule] of (p.lifecycleRules ?? []).entries()) {
    if (!Number.isInteger(rule?.deleteAfterDays) || rule.deleteAfterDays < 0) fail(`lifecycleRules[${i}].deleteAfterDays must be a whole number of days`);
  }
  return p;
}

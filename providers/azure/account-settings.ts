/**
 * A storage account's managed settings, desired (spec.forProvider) against observed (what ARM reports): the
 * pure part of the Account kind. Every optional setting follows one rule: unset in the spec means not managed.
 */
import type { StorageAccount, StorageAccountCreateParameters, StorageAccountUpdateParameters } from '@azure/arm-storage';
import { TerminalError } from '../../core/errors/index.ts';
import { mapDiffs } from '../../core/managed/field-diffs.ts';
import type { FieldDiff, ManagedResource } from '../../core/managed/types.ts';
import { normalizeLocation } from './location.ts';
import { describeTagDrift, tagsUpToDate } from './tags.ts';

export const SKU_NAMES = [
  'Standard_LRS',
  'Standard_GRS',
  'Standard_RAGRS',
  'Standard_ZRS',
  'Standard_GZRS',
  'Standard_RAGZRS',
  'Premium_LRS',
  'Premium_ZRS',
] as const;
export const ACCOUNT_KINDS = ['StorageV2', 'Storage', 'BlobStorage', 'BlockBlobStorage', 'FileStorage'] as const;
export const ACCESS_TIERS = ['Hot', 'Cool'] as const;
export const TLS_VERSIONS = ['TLS1_0', 'TLS1_1', 'TLS1_2'] as const;

export type SkuName = (typeof SKU_NAMES)[number];
export type AccountKind = (typeof ACCOUNT_KINDS)[number];
export type AccessTier = (typeof ACCESS_TIERS)[number];
export type TlsVersion = (typeof TLS_VERSIONS)[number];

export const ACCOUNT_DEFAULTS = { sku: 'Standard_LRS', kind: 'StorageV2' } as const satisfies { sku: SkuName; kind: AccountKind };

/**
 * What ARM assumes when an account does not report a setting: public blob access off, HTTPS only, and
 * TLS 1.0 as the minimum (the API's documented meaning of an unset minimumTlsVersion).
 */
export const ARM_IMPLIED = { allowBlobPublicAccess: false, enableHttpsTrafficOnly: true, minimumTlsVersion: 'TLS1_0' } as const;

export interface AccountParameters {
  resourceGroupName?: string;
  resourceGroupNameRef?: { name: string };
  resourceGroupNameSelector?: { matchLabels?: Record<string, string> };
  location: string;
  sku?: SkuName;
  kind?: AccountKind;
  accessTier?: AccessTier;
  minimumTlsVersion?: TlsVersion;
  allowBlobPublicAccess?: boolean;
  enableHttpsTrafficOnly?: boolean;
  tags?: Record<string, string>;
}

export interface AccountObservation {
  id?: string;
  provisioningState?: string;
  primaryEndpoints?: { blob?: string };
  /** When key1 was made (ARM's keyCreationTime.key1): a regenerated key shows here first. */
  primaryKeyCreationTime?: string;
}

export type AccountResource = ManagedResource<AccountParameters, AccountObservation>;

/** The spec with its defaults applied and what the schema cannot check checked, as TerminalErrors naming the field. */
export interface DesiredAccount extends AccountParameters {
  resourceGroupName: string;
  sku: SkuName;
  kind: AccountKind;
}

export function desiredOf(mr: AccountResource): DesiredAccount {
  const p = mr.spec.forProvider;
  if (typeof p?.location !== 'string' || p.location === '') throw new TerminalError('spec.forProvider.location is required');
  const group = p.resourceGroupName;
  if (typeof group !== 'string' || group === '') {
    throw new TerminalError('spec.forProvider.resourceGroupName is required (directly, or through resourceGroupNameRef or resourceGroupNameSelector)');
  }
  const sku = p.sku ?? ACCOUNT_DEFAULTS.sku;
  const kind = p.kind ?? ACCOUNT_DEFAULTS.kind;
  const oneOf = <T extends string>(value: T | undefined, allowed: readonly T[], path: string) => {
    if (value !== undefined && !allowed.includes(value)) throw new TerminalError(`spec.forProvider.${path} must be one of ${allowed.join(', ')}`);
  };
  oneOf(sku, SKU_NAMES, 'sku');
  oneOf(kind, ACCOUNT_KINDS, 'kind');
  oneOf(p.accessTier, ACCESS_TIERS, 'accessTier');
  oneOf(p.minimumTlsVersion, TLS_VERSIONS, 'minimumTlsVersion');
  return { ...p, resourceGroupName: group, sku, kind };
}

/** Settings ARM reports, with what an unreported one means filled in. */
interface Effective {
  sku?: string;
  kind?: string;
  accessTier?: string;
  minimumTlsVersion: string;
  allowBlobPublicAccess: boolean;
  enableHttpsTrafficOnly: boolean;
}

function effective(observed: StorageAccount): Effective {
  return {
    sku: observed.sku?.name,
    kind: observed.kind,
    accessTier: observed.accessTier,
    minimumTlsVersion: observed.minimumTlsVersion ?? ARM_IMPLIED.minimumTlsVersion,
    allowBlobPublicAccess: observed.allowBlobPublicAccess ?? ARM_IMPLIED.allowBlobPublicAccess,
    enableHttpsTrafficOnly: observed.enableHttpsTrafficOnly ?? ARM_IMPLIED.enableHttpsTrafficOnly,
  };
}

const COMPARED = ['sku', 'kind', 'accessTier', 'minimumTlsVersion', 'allowBlobPublicAccess', 'enableHttpsTrafficOnly'] as const;
type Compared = (typeof COMPARED)[number];

/** The compared settings whose desired value (when set) differs from the account's. */
function differing(desired: DesiredAccount, observed: StorageAccount): Compared[] {
  const have = effective(observed);
  return COMPARED.filter((f) => desired[f] !== undefined && desired[f] !== have[f]);
}

/** A short summary for events and logs: setting names with old→new values (none is secret), tag keys only. */
export function describeAccountDrift(desired: DesiredAccount, observed: StorageAccount): string {
  const have = effective(observed);
  const parts = differing(desired, observed).map((f) => `${f} ${String(have[f] ?? 'unset')}→${String(desired[f])}`);
  if (desired.tags !== undefined && !tagsUpToDate(desired.tags, observed.tags)) parts.push(describeTagDrift(desired.tags, observed.tags));
  return parts.join('; ');
}

/** The same drift with values, field by field, for pledge plan (no account setting is secret). */
export function accountFieldDiffs(desired: DesiredAccount, observed: StorageAccount): FieldDiff[] {
  const have = effective(observed);
  return [...differing(desired, observed).map((f) => ({ path: f, observed: have[f], desired: desired[f] })), ...mapDiffs('tags', desired.tags, observed.tags)];
}

/** A location mismatch cannot be fixed by an update: the account must be re-created by a person. */
export function locationProblem(desired: DesiredAccount, observed: StorageAccount, name: string): string | undefined {
  if (normalizeLocation(observed.location) === normalizeLocation(desired.location)) return undefined;
  return `storage account ${name} exists in location ${observed.location} but spec.forProvider.location is ${desired.location}`;
}

/** The PUT body of a create: everything the spec sets. */
export function createParameters(desired: DesiredAccount): StorageAccountCreateParameters {
  return {
    location: desired.location,
    sku: { name: desired.sku },
    kind: desired.kind,
    ...(desired.tags !== undefined ? { tags: desired.tags } : {}),
    ...(desired.accessTier !== undefined ? { accessTier: desired.accessTier } : {}),
    ...(desired.minimumTlsVersion !== undefined ? { minimumTlsVersion: desired.minimumTlsVersion } : {}),
    ...(desired.allowBlobPublicAccess !== undefined ? { allowBlobPublicAccess: desired.allowBlobPublicAccess } : {}),
    ...(desired.enableHttpsTrafficOnly !== undefined ? { enableHttpsTrafficOnly: desired.enableHttpsTrafficOnly } : {}),
  };
}

/** The PATCH body of an update: only what differs (a PATCH of tags replaces them all). Undefined when nothing does. */
export function updateParameters(desired: DesiredAccount, observed: StorageAccount): StorageAccountUpdateParameters | undefined {
  const patch: StorageAccountUpdateParameters = {};
  for (const f of differing(desired, observed)) {
    if (f === 'sku') patch.sku = { name: desired.sku };
    else if (f === 'kind') patch.kind = desired.kind;
    else if (f === 'accessTier') patch.accessTier = desired.accessTier;
    else if (f === 'minimumTlsVersion') patch.minimumTlsVersion = desired.minimumTlsVersion;
    else if (f === 'allowBlobPublicAccess') patch.allowBlobPublicAccess = desired.allowBlobPublicAccess;
    else patch.enableHttpsTrafficOnly = desired.enableHttpsTrafficOnly;
  }
  if (desired.tags !== undefined && !tagsUpToDate(desired.tags, observed.tags)) patch.tags = desired.tags;
  return Object.keys(patch).length > 0 ? patch : undefined;
}

/** Settings the spec leaves unset, as the account has them, when the schema accepts the value (late-initialization). */
export function accountLateInit(spec: AccountParameters, observed: StorageAccount): Partial<AccountParameters> | undefined {
  const lateInit: Partial<AccountParameters> = {};
  const tier = observed.accessTier;
  if (spec.accessTier === undefined && ACCESS_TIERS.includes(tier as AccessTier)) lateInit.accessTier = tier as AccessTier;
  const tls = observed.minimumTlsVersion;
  if (spec.minimumTlsVersion === undefined && TLS_VERSIONS.includes(tls as TlsVersion)) lateInit.minimumTlsVersion = tls as TlsVersion;
  if (spec.allowBlobPublicAccess === undefined && observed.allowBlobPublicAccess !== undefined) lateInit.allowBlobPublicAccess = observed.allowBlobPublicAccess;
  if (spec.enableHttpsTrafficOnly === undefined && observed.enableHttpsTrafficOnly !== undefined) lateInit.enableHttpsTrafficOnly = observed.enableHttpsTrafficOnly;
  return Object.keys(lateInit).length > 0 ? lateInit : undefined;
}

/** What status.atProvider shows. */
export function accountObservation(observed: StorageAccount): AccountObservation {
  const blob = observed.primaryEndpoints?.blob;
  const keyTime = observed.keyCreationTime?.key1;
  const primaryKeyCreationTime = keyTime instanceof Date && !Number.isNaN(keyTime.getTime()) ? keyTime.toISOString() : undefined;
  return {
    ...(observed.id ? { id: observed.id } : {}),
    ...(observed.provisioningState ? { provisioningState: observed.provisioningState } : {}),
    ...(blob ? { primaryEndpoints: { blob } } : {}),
    ...(primaryKeyCreationTime ? { primaryKeyCreationTime } : {}),
  };
}

/**
 * True when the connection secret already holds this account's key: it has the keys Pledge writes, and key1
 * was made when it was last read (status.atProvider is written only after the secret). Then observe need not
 * list the keys again, which halves the ARM reads of a steady account. An account that does not report
 * keyCreationTime has its keys listed on every observe.
 */
export function connectionSecretCurrent(options: {
  accountName: string;
  previous: AccountObservation | undefined;
  now: AccountObservation;
  secret: Readonly<Record<string, string>>;
}): boolean {
  const { accountName, previous, now, secret } = options;
  if (now.primaryKeyCreationTime === undefined || previous?.primaryKeyCreationTime !== now.primaryKeyCreationTime) return false;
  return secret.accountName === accountName && Boolean(secret.primaryKey) && Boolean(secret.connectionString);
}

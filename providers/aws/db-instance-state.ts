/** A DB instance as RDS reports it, compared with the spec: the pure part of the DBInstance kind. */
import type { DBInstance, ModifyDBInstanceMessage, Tag } from '@aws-sdk/client-rds';
import { mapDiffs } from '../../core/managed/field-diffs.ts';
import type { FieldDiff } from '../../core/managed/types.ts';
import type { DBInstanceObservation, DBInstanceParameters, StorageType } from './db-instance-spec.ts';
import { STORAGE_TYPES } from './db-instance-spec.ts';

/** The instance is usable. */
export const READY_STATUS = 'available';
/** States in which RDS accepts ModifyDBInstance; in others (creating, modifying, ...) changes wait. */
export const MODIFIABLE_STATUSES: ReadonlySet<string> = new Set(['available', 'backing-up', 'storage-optimization', 'storage-full']);

export interface ObservedDBInstance {
  identifier: string;
  arn?: string;
  status?: string;
  engine?: string;
  /** Settings below are what the instance will have: a modification pending for the maintenance window counts. */
  engineVersion?: string;
  dbInstanceClass?: string;
  allocatedStorage?: number;
  storageType?: string;
  dbName?: string;
  masterUsername?: string;
  publiclyAccessible?: boolean;
  backupRetentionPeriod?: number;
  /** User tags; `aws:` and `rds:` system tags are left out. */
  tags: Record<string, string>;
  address?: string;
  port?: number;
}

export function observedFromRds(instance: DBInstance): ObservedDBInstance {
  const pending = instance.PendingModifiedValues ?? {};
  const tags: Record<string, string> = {};
  for (const tag of instance.TagList ?? []) {
    if (tag.Key !== undefined && !tag.Key.startsWith('aws:') && !tag.Key.startsWith('rds:')) tags[tag.Key] = tag.Value ?? '';
  }
  return {
    identifier: instance.DBInstanceIdentifier ?? '',
    arn: instance.DBInstanceArn,
    status: instance.DBInstanceStatus,
    engine: instance.Engine,
    engineVersion: pending.EngineVersion ?? instance.EngineVersion,
    dbInstanceClass: pending.DBInstanceClass ?? instance.DBInstanceClass,
    allocatedStorage: pending.AllocatedStorage ?? instance.AllocatedStorage,
    storageType: pending.StorageType ?? instance.StorageType,
    dbName: instance.DBName,
    masterUsername: instance.MasterUsername,
    publiclyAccessible: instance.PubliclyAccessible,
    backupRetentionPeriod: pending.BackupRetentionPeriod ?? instance.BackupRetentionPeriod,
    tags,
    address: instance.Endpoint?.Address,
    port: instance.Endpoint?.Port,
  };
}

export function atProviderOf(observed: ObservedDBInstance): DBInstanceObservation {
  const out: DBInstanceObservation = {};
  if (observed.arn !== undefined) out.arn = observed.arn;
  if (observed.status !== undefined) out.status = observed.status;
  if (observed.address !== undefined) out.address = observed.address;
  if (observed.port !== undefined) out.port = observed.port;
  if (observed.engineVersion !== undefined) out.engineVersion = observed.engineVersion;
  return out;
}

/** What the connection secret gets from an observation: never a password (RDS does not report it). */
export function connectionDetailsOf(observed: ObservedDBInstance): Record<string, string> {
  const details: Record<string, string> = {};
  if (observed.masterUsername !== undefined) details.username = observed.masterUsername;
  if (observed.address !== undefined) details.endpoint = observed.address;
  if (observed.port !== undefined) details.port = String(observed.port);
  return details;
}

/** "16" accepts 16.4 (RDS picks and upgrades minor versions); "16.4" wants exactly that. */
export function engineVersionUpToDate(desired: string | undefined, observed: string | undefined): boolean {
  if (desired === undefined) return true;
  return observed !== undefined && (observed === desired || observed.startsWith(`${desired}.`));
}

export type ModifyFields = Pick<
  ModifyDBInstanceMessage,
  'DBInstanceClass' | 'AllocatedStorage' | 'StorageType' | 'EngineVersion' | 'AllowMajorVersionUpgrade' | 'PubliclyAccessible' | 'BackupRetentionPeriod'
>;

export interface DBInstanceChanges {
  /** Immutable fields that differ: only another instance would match. */
  immutable: string[];
  /** What ModifyDBInstance must send, only fields that differ (no identifier, password or ApplyImmediately). */
  modify: ModifyFields;
  addTags: Tag[];
  removeTagKeys: string[];
  /** For logs and events: field names with public values, tag keys only. */
  diff: string[];
  /** The same, field by field with values, for pledge plan. */
  fields: FieldDiff[];
}

/** Compares the spec with the instance. Optional fields are compared only when set. */
export function compareDBInstance(desired: DBInstanceParameters, observed: ObservedDBInstance): DBInstanceChanges {
  const changes: DBInstanceChanges = { immutable: [], modify: {}, addTags: [], removeTagKeys: [], diff: [], fields: [] };
  const fixed = (field: string, want: string | undefined, have: string | undefined) => {
    if (want !== undefined && want !== have) {
      changes.immutable.push(field);
      changes.diff.push(`${field} ${have ?? 'unset'}→${want} (immutable)`);
      changes.fields.push({ path: field, observed: have, desired: want, immutable: true });
    }
  };
  fixed('engine', desired.engine, observed.engine);
  fixed('masterUsername', desired.masterUsername, observed.masterUsername);
  fixed('dbName', desired.dbName, observed.dbName);

  const { modify, diff, fields } = changes;
  if (desired.dbInstanceClass !== observed.dbInstanceClass) {
    modify.DBInstanceClass = desired.dbInstanceClass;
    diff.push(`dbInstanceClass ${observed.dbInstanceClass}→${desired.dbInstanceClass}`);
    fields.push({ path: 'dbInstanceClass', observed: observed.dbInstanceClass, desired: desired.dbInstanceClass });
  }
  if (desired.allocatedStorage !== undefined && desired.allocatedStorage !== observed.allocatedStorage) {
    modify.AllocatedStorage = desired.allocatedStorage;
    diff.push(`allocatedStorage ${observed.allocatedStorage}→${desired.allocatedStorage}`);
    fields.push({ path: 'allocatedStorage', observed: observed.allocatedStorage, desired: desired.allocatedStorage });
  }
  if (desired.storageType !== undefined && desired.storageType !== observed.storageType) {
    modify.StorageType = desired.storageType;
    diff.push(`storageType ${observed.storageType}→${desired.storageType}`);
    fields.push({ path: 'storageType', observed: observed.storageType, desired: desired.storageType });
  }
  if (!engineVersionUpToDate(desired.engineVersion, observed.engineVersion)) {
    modify.EngineVersion = desired.engineVersion;
    // The user named the version: a major upgrade is what they asked for.
    modify.AllowMajorVersionUpgrade = true;
    diff.push(`engineVersion ${observed.engineVersion}→${desired.engineVersion}`);
    fields.push({ path: 'engineVersion', observed: observed.engineVersion, desired: desired.engineVersion });
  }
  if (desired.publiclyAccessible !== undefined && desired.publiclyAccessible !== (observed.publiclyAccessible ?? false)) {
    modify.PubliclyAccessible = desired.publiclyAccessible;
    diff.push(`publiclyAccessible ${observed.publiclyAccessible ?? false}→${desired.publiclyAccessible}`);
    fields.push({ path: 'publiclyAccessible', observed: observed.publiclyAccessible ?? false, desired: desired.publiclyAccessible });
  }
  if (desired.backupRetentionPeriod !== undefined && desired.backupRetentionPeriod !== observed.backupRetentionPeriod) {
    modify.BackupRetentionPeriod = desired.backupRetentionPeriod;
    diff.push(`backupRetentionPeriod ${observed.backupRetentionPeriod}→${desired.backupRetentionPeriod}`);
    fields.push({ path: 'backupRetentionPeriod', observed: observed.backupRetentionPeriod, desired: desired.backupRetentionPeriod });
  }
  if (desired.tags !== undefined) {
    const want = desired.tags;
    changes.addTags = Object.entries(want)
      .filter(([k, v]) => observed.tags[k] !== v)
      .map(([Key, Value]) => ({ Key, Value }));
    changes.removeTagKeys = Object.keys(observed.tags).filter((k) => !(k in want));
    if (changes.addTags.length > 0 || changes.removeTagKeys.length > 0) {
      const detail = [...changes.addTags.map((t) => `${t.Key && t.Key in observed.tags ? '~' : '+'}${t.Key}`), ...changes.removeTagKeys.map((k) => `-${k}`)];
      diff.push(`tags differ (${detail.join(' ')})`);
      fields.push(...mapDiffs('tags', want, observed.tags));
    }
  }
  return changes;
}

/**
 * Settings the spec leaves unset, as the instance has them. Engine version and storage size are left out:
 * RDS raises both on its own (minor upgrades, storage autoscaling), and a pinned old value would then ask
 * for a downgrade it refuses.
 */
export function dbInstanceLateInit(desired: DBInstanceParameters, observed: ObservedDBInstance): Partial<DBInstanceParameters> | undefined {
  const lateInit: Partial<DBInstanceParameters> = {};
  if (desired.storageType === undefined && STORAGE_TYPES.includes(observed.storageType as StorageType)) lateInit.storageType = observed.storageType as StorageType;
  if (desired.backupRetentionPeriod === undefined && observed.backupRetentionPeriod !== undefined) lateInit.backupRetentionPeriod = observed.backupRetentionPeriod;
  if (desired.publiclyAccessible === undefined && observed.publiclyAccessible !== undefined) lateInit.publiclyAccessible = observed.publiclyAccessible;
  return Object.keys(lateInit).length > 0 ? lateInit : undefined;
}

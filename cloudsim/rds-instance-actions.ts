/** CreateDBInstance, ModifyDBInstance and DeleteDBInstance, with RDS's checks and its timed states. */
import { createHash, randomBytes } from 'node:crypto';
import type { AwsCaller } from './aws.ts';
import { instanceStatus, rdsError, rdsKey, rdsResult, type RdsInstance, type RdsPending } from './rds-records.ts';
import { MAX_STORAGE_GIB, majorOf, passwordProblem, type QueryParams, RDS_ENGINES, resolveEngineVersion, STORAGE_TYPES, validIdentifier } from './rds-values.ts';
import { instanceXml } from './rds-xml.ts';
import type { ServiceContext } from './service-context.ts';
import type { SimResponse } from './sim-http.ts';

export type RdsCall = { ctx: ServiceContext; p: QueryParams; caller: AwsCaller; now: number };

const invalid = (message: string) => rdsError(400, 'InvalidParameterValue', message);
const combination = (message: string) => rdsError(400, 'InvalidParameterCombination', message);
const badIdentifier = (name: string) =>
  invalid(`The parameter ${name} is not a valid identifier. Identifiers must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end with a hyphen or contain two consecutive hyphens.`);
export const instanceNotFound = (id: string) => rdsError(404, 'DBInstanceNotFound', `DBInstance ${id} not found.`);

/** Where the instance's endpoints live: one random label per account and region, as RDS does. */
function endpointDomain(account: string, region: string): string {
  return `${createHash('sha256').update(`${account}/${region}`).digest('hex').slice(0, 12)}.${region}.rds.amazonaws.com`;
}

function storageProblem(engine: string, storageType: string, size: number): SimResponse | undefined {
  const min = storageType.startsWith('io') ? 100 : (RDS_ENGINES[engine]?.minStorage ?? 20);
  if (!Number.isInteger(size) || size < min || size > MAX_STORAGE_GIB) return invalid(`Invalid storage size for engine name ${engine} and storage type ${storageType}: ${size}`);
  return undefined;
}

/**
 * RDS's documented default for a non-Aurora instance: public without a subnet group or in the `default` one
 * (the default VPC, which has an internet gateway), private in any other subnet group.
 */
export function defaultPubliclyAccessible(subnetGroup: string | undefined): boolean {
  return subnetGroup === undefined || subnetGroup === 'default';
}

export function createInstance({ ctx, p, caller, now }: RdsCall): SimResponse {
  const required = ['DBInstanceIdentifier', 'DBInstanceClass', 'Engine'].find((name) => !p.str(name));
  if (required) return rdsError(400, 'MissingParameter', `The request must contain the parameter ${required}`);
  const id = p.str('DBInstanceIdentifier') ?? '';
  if (!validIdentifier(id)) return badIdentifier('DBInstanceIdentifier');
  const engine = p.str('Engine') ?? '';
  const spec = RDS_ENGINES[engine];
  if (spec === undefined) return invalid('Invalid DB engine');
  const engineVersion = resolveEngineVersion(engine, p.str('EngineVersion'));
  if (engineVersion === undefined) return combination(`Cannot find version ${p.str('EngineVersion') ?? ''} for ${engine}`);
  const instanceClass = p.str('DBInstanceClass') ?? '';
  if (!/^db\.[a-z0-9-]+\.[a-z0-9]+$/.test(instanceClass)) {
    return combination(`RDS does not support creating a DB instance with the following combination: DBInstanceClass=${instanceClass}, Engine=${engine}, EngineVersion=${engineVersion}, LicenseModel=${spec.license}.`);
  }
  const masterUsername = p.str('MasterUsername') ?? '';
  if (masterUsername === '') return invalid('The parameter MasterUsername must be provided and must not be blank.');
  if (!/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(masterUsername) || masterUsername === 'rdsadmin') return invalid(`MasterUsername ${masterUsername} cannot be used as it is a reserved word used by the engine`);
  const managed = p.bool('ManageMasterUserPassword') ?? false;
  const password = p.str('MasterUserPassword');
  if (managed && password !== undefined) return combination('Password cannot be specified when ManageMasterUserPassword is true.');
  if (!managed) {
    if (!password) return invalid('The parameter MasterUserPassword must be provided and must not be blank.');
    const problem = passwordProblem(engine, password);
    if (problem) return invalid(problem);
  }
  // CreateDBInstance's documented default: io1 with Iops, otherwise gp3.
  const storageType = p.str('StorageType') ?? (p.int('Iops') !== undefined ? 'io1' : 'gp3');
  if (!STORAGE_TYPES.includes(storageType)) return invalid(`Invalid storage type: ${storageType}`);
  const allocatedStorage = p.int('AllocatedStorage');
  if (allocatedStorage === undefined) return invalid('The parameter AllocatedStorage must be provided and must not be blank.');
  const storage = storageProblem(engine, storageType, allocatedStorage);
  if (storage) return storage;
  const retention = p.int('BackupRetentionPeriod') ?? 1;
  if (!(retention >= 0 && retention <= 35)) return invalid('Invalid backup retention period: must be from 0 to 35 days.');
  const key = rdsKey(caller.account, caller.region, id);
  const instances = ctx.store.state.rds.instances;
  if (instances[key]) return rdsError(400, 'DBInstanceAlreadyExists', 'DB instance already exists');
  const tags = p.tags();
  const instance: RdsInstance = {
    account: caller.account,
    region: caller.region,
    id: id.toLowerCase(),
    engine,
    engineVersion,
    instanceClass,
    allocatedStorage,
    storageType,
    ...(p.int('Iops') !== undefined ? { iops: p.int('Iops') } : {}),
    ...(p.int('MaxAllocatedStorage') !== undefined ? { maxAllocatedStorage: p.int('MaxAllocatedStorage') } : {}),
    ...(p.str('DBName') ? { dbName: p.str('DBName') } : {}),
    masterUsername,
    manageMasterUserPassword: managed,
    port: p.int('Port') ?? spec.port,
    publiclyAccessible: p.bool('PubliclyAccessible') ?? defaultPubliclyAccessible(p.str('DBSubnetGroupName')),
    backupRetentionPeriod: retention,
    multiAZ: p.bool('MultiAZ') ?? false,
    deletionProtection: p.bool('DeletionProtection') ?? false,
    autoMinorVersionUpgrade: p.bool('AutoMinorVersionUpgrade') ?? true,
    copyTagsToSnapshot: p.bool('CopyTagsToSnapshot') ?? false,
    storageEncrypted: p.bool('StorageEncrypted') ?? false,
    ...(p.bool('StorageEncrypted') ? { kmsKeyId: p.str('KmsKeyId') ?? `arn:aws:kms:${caller.region}:${caller.account}:key/cloudsim-aws-rds` } : {}),
    iamAuth: p.bool('EnableIAMDatabaseAuthentication') ?? false,
    availabilityZone: p.str('AvailabilityZone') ?? `${caller.region}a`,
    vpcSecurityGroupIds: p.list('VpcSecurityGroupIds.VpcSecurityGroupId').length > 0 ? p.list('VpcSecurityGroupIds.VpcSecurityGroupId') : ['sg-0cloudsimdefault'],
    dbSubnetGroupName: p.str('DBSubnetGroupName') ?? 'default',
    parameterGroupName: p.str('DBParameterGroupName') ?? `default.${engine}${majorOf(engine, engineVersion)}`,
    preferredBackupWindow: p.str('PreferredBackupWindow') ?? '03:00-03:30',
    preferredMaintenanceWindow: p.str('PreferredMaintenanceWindow') ?? 'sun:05:00-sun:05:30',
    licenseModel: p.str('LicenseModel') ?? spec.license,
    caCertificateIdentifier: p.str('CACertificateIdentifier') ?? 'rds-ca-rsa2048-g1',
    dbiResourceId: `db-${randomBytes(13).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, 'X').slice(0, 26)}`,
    endpointDomain: endpointDomain(caller.account, caller.region),
    tags,
    createdAt: now,
    availableAt: now + ctx.runtime.knobs.timings.rdsCreateMs,
    pending: {},
    applying: {},
  };
  instances[key] = instance;
  ctx.store.changed();
  return rdsResult('CreateDBInstance', instanceXml(instance, now));
}

export function modifyInstance({ ctx, p, caller, now }: RdsCall): SimResponse {
  const id = p.str('DBInstanceIdentifier') ?? '';
  const instance = ctx.store.state.rds.instances[rdsKey(caller.account, caller.region, id)];
  if (instance === undefined) return instanceNotFound(id);
  if (p.str('NewDBInstanceIdentifier') !== undefined) return invalid('cloudsim does not simulate renaming (NewDBInstanceIdentifier)');
  const status = instanceStatus(instance, now);
  if (status !== 'available') return rdsError(400, 'InvalidDBInstanceState', 'Database instance is not in available state.');

  const changes: RdsPending = {};
  const cls = p.str('DBInstanceClass');
  if (cls !== undefined && cls !== instance.instanceClass) changes.DBInstanceClass = cls;
  const storageType = p.str('StorageType');
  if (storageType !== undefined && !STORAGE_TYPES.includes(storageType)) return invalid(`Invalid storage type: ${storageType}`);
  if (storageType !== undefined && storageType !== instance.storageType) changes.StorageType = storageType;
  const storage = p.int('AllocatedStorage');
  if (storage !== undefined && storage !== instance.allocatedStorage) {
    if (storage < instance.allocatedStorage) return invalid(`Requested storage size (${storage}) is less than current storage size (${instance.allocatedStorage})`);
    const problem = storageProblem(instance.engine, storageType ?? instance.storageType, storage);
    if (problem) return problem;
    changes.AllocatedStorage = storage;
  }
  const requestedVersion = p.str('EngineVersion');
  if (requestedVersion !== undefined) {
    const version = resolveEngineVersion(instance.engine, requestedVersion);
    if (version === undefined) return combination(`Cannot find upgrade target from ${instance.engineVersion} with requested version ${requestedVersion}.`);
    if (majorOf(instance.engine, version) !== majorOf(instance.engine, instance.engineVersion) && !p.bool('AllowMajorVersionUpgrade')) {
      return combination('The AllowMajorVersionUpgrade flag must be present when upgrading to a new major version.');
    }
    if (version !== instance.engineVersion) changes.EngineVersion = version;
  }
  const multiAZ = p.bool('MultiAZ');
  if (multiAZ !== undefined && multiAZ !== instance.multiAZ) changes.MultiAZ = multiAZ;
  const password = p.str('MasterUserPassword');
  if (password !== undefined) {
    if (instance.manageMasterUserPassword) return combination('Password cannot be specified when ManageMasterUserPassword is true.');
    const problem = passwordProblem(instance.engine, password);
    if (problem) return invalid(problem);
    changes.MasterUserPassword = true;
  }
  const retention = p.int('BackupRetentionPeriod');
  if (retention !== undefined && !(retention >= 0 && retention <= 35)) return invalid('Invalid backup retention period: must be from 0 to 35 days.');

  // Applied at once whatever ApplyImmediately says.
  if (retention !== undefined) instance.backupRetentionPeriod = retention;
  const flags = { PubliclyAccessible: 'publiclyAccessible', DeletionProtection: 'deletionProtection', AutoMinorVersionUpgrade: 'autoMinorVersionUpgrade', CopyTagsToSnapshot: 'copyTagsToSnapshot' } as const;
  for (const [param, field] of Object.entries(flags)) {
    const value = p.bool(param);
    if (value !== undefined) instance[field] = value;
  }
  const groups = p.list('VpcSecurityGroupIds.VpcSecurityGroupId');
  if (groups.length > 0) instance.vpcSecurityGroupIds = groups;
  const maxStorage = p.int('MaxAllocatedStorage');
  if (maxStorage !== undefined) instance.maxAllocatedStorage = maxStorage;
  for (const [param, field] of [['PreferredBackupWindow', 'preferredBackupWindow'], ['PreferredMaintenanceWindow', 'preferredMaintenanceWindow'], ['CACertificateIdentifier', 'caCertificateIdentifier']] as const) {
    const value = p.str(param);
    if (value !== undefined) instance[field] = value;
  }

  // Class, storage, version, Multi-AZ: now (`modifying` for a while, taking what waited along) or at the next
  // maintenance window, which cloudsim never reaches. A password change always goes through at once.
  const { MasterUserPassword, ...deferrable } = changes;
  if (p.bool('ApplyImmediately') ?? false) {
    instance.applying = { ...instance.applying, ...instance.pending, ...changes };
    instance.pending = {};
  } else {
    instance.pending = { ...instance.pending, ...deferrable };
    if (MasterUserPassword) instance.applying = { ...instance.applying, MasterUserPassword };
  }
  if (Object.keys(instance.applying).length > 0) instance.applyingUntil = now + ctx.runtime.knobs.timings.rdsModifyMs;
  ctx.store.changed();
  return rdsResult('ModifyDBInstance', instanceXml(instance, now));
}

export function deleteInstance({ ctx, p, caller, now }: RdsCall): SimResponse {
  const id = p.str('DBInstanceIdentifier') ?? '';
  const instance = ctx.store.state.rds.instances[rdsKey(caller.account, caller.region, id)];
  if (instance === undefined) return instanceNotFound(id);
  const status = instanceStatus(instance, now);
  if (status === 'deleting') return rdsError(400, 'InvalidDBInstanceState', `Instance ${instance.id} is already being deleted.`);
  if (instance.deletionProtection) return combination('Cannot delete protected DB Instance, please disable deletion protection and try again.');
  const skip = p.bool('SkipFinalSnapshot') ?? false;
  const finalId = p.str('FinalDBSnapshotIdentifier');
  if (skip && finalId !== undefined) return combination('FinalDBSnapshotIdentifier can not be specified when SkipFinalSnapshot is enabled');
  if (!skip && finalId === undefined) return combination('FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.');
  if (finalId !== undefined) {
    if (!validIdentifier(finalId)) return badIdentifier('FinalDBSnapshotIdentifier');
    if (status !== 'available') return rdsError(400, 'InvalidDBInstanceState', `Instance ${instance.id} is currently ${status} - a final snapshot cannot be taken.`);
    const snapshotKey = rdsKey(caller.account, caller.region, finalId);
    const snapshots = ctx.store.state.rds.snapshots;
    if (snapshots[snapshotKey]) return rdsError(400, 'DBSnapshotAlreadyExists', `Cannot create the snapshot because a snapshot with the identifier ${finalId} already exists.`);
    snapshots[snapshotKey] = {
      account: instance.account,
      region: instance.region,
      id: finalId.toLowerCase(),
      instanceId: instance.id,
      snapshotType: 'manual',
      createdAt: now,
      availableAt: now + ctx.runtime.knobs.timings.rdsSnapshotMs,
      engine: instance.engine,
      engineVersion: instance.engineVersion,
      allocatedStorage: instance.allocatedStorage,
      storageType: instance.storageType,
      port: instance.port,
      availabilityZone: instance.availabilityZone,
      instanceCreateTime: instance.availableAt,
      masterUsername: instance.masterUsername,
      encrypted: instance.storageEncrypted,
      ...(instance.kmsKeyId ? { kmsKeyId: instance.kmsKeyId } : {}),
      dbiResourceId: instance.dbiResourceId,
      licenseModel: instance.licenseModel,
      tags: instance.copyTagsToSnapshot ? [...instance.tags] : [],
    };
  }
  instance.deleteDoneAt = now + ctx.runtime.knobs.timings.rdsDeleteMs;
  ctx.store.changed();
  return rdsResult('DeleteDBInstance', instanceXml(instance, now));
}

/** RDS DBInstance and DBSnapshot as the query protocol writes them (element names and order as RDS and moto use). */
import { instanceStatus, type RdsInstance, type RdsPending, type RdsSnapshot, type RdsTag } from './rds-records.ts';
import { isoTime } from './service-context.ts';
import { el, raw } from './xml.ts';

export function tagListXml(tags: RdsTag[]): string {
  return raw('TagList', tags.map((t) => raw('Tag', `${el('Key', t.Key)}${el('Value', t.Value)}`)).join(''));
}

export function instanceArn(instance: { region: string; account: string; id: string }): string {
  return `arn:aws:rds:${instance.region}:${instance.account}:db:${instance.id}`;
}

export function snapshotArn(snapshot: { region: string; account: string; id: string }): string {
  return `arn:aws:rds:${snapshot.region}:${snapshot.account}:snapshot:${snapshot.id}`;
}

function pendingXml(pending: RdsPending): string {
  const { DBInstanceClass, AllocatedStorage, StorageType, EngineVersion, MultiAZ, Iops, MasterUserPassword } = pending;
  return raw(
    'PendingModifiedValues',
    `${el('DBInstanceClass', DBInstanceClass)}${el('AllocatedStorage', AllocatedStorage)}${el('MasterUserPassword', MasterUserPassword ? '****' : undefined)}` +
      `${el('MultiAZ', MultiAZ)}${el('EngineVersion', EngineVersion)}${el('Iops', Iops)}${el('StorageType', StorageType)}`,
  );
}

const GP3_BASELINE_IOPS = 3000;

export function instanceXml(i: RdsInstance, now: number): string {
  const status = instanceStatus(i, now);
  // No endpoint until the instance has been created once.
  const endpoint = now < i.availableAt ? '' : raw('Endpoint', `${el('Address', `${i.id}.${i.endpointDomain}`)}${el('Port', i.port)}${el('HostedZoneId', 'Z29XKXDKYMONMX')}`);
  const family = `${i.engine}${i.engineVersion.split('.')[0] ?? ''}`;
  return raw(
    'DBInstance',
    el('DBInstanceIdentifier', i.id) +
      el('DBInstanceClass', i.instanceClass) +
      el('Engine', i.engine) +
      el('DBInstanceStatus', status) +
      el('MasterUsername', i.masterUsername) +
      el('DBName', i.dbName) +
      endpoint +
      el('AllocatedStorage', i.allocatedStorage) +
      (now < i.availableAt ? '' : el('InstanceCreateTime', isoTime(i.availableAt))) +
      el('PreferredBackupWindow', i.preferredBackupWindow) +
      el('BackupRetentionPeriod', i.backupRetentionPeriod) +
      raw('DBSecurityGroups', '') +
      raw('VpcSecurityGroups', i.vpcSecurityGroupIds.map((id) => raw('VpcSecurityGroupMembership', `${el('VpcSecurityGroupId', id)}${el('Status', 'active')}`)).join('')) +
      raw('DBParameterGroups', raw('DBParameterGroup', `${el('DBParameterGroupName', i.parameterGroupName)}${el('ParameterApplyStatus', 'in-sync')}`)) +
      el('AvailabilityZone', i.availabilityZone) +
      raw(
        'DBSubnetGroup',
        `${el('DBSubnetGroupName', i.dbSubnetGroupName)}${el('DBSubnetGroupDescription', i.dbSubnetGroupName)}${el('VpcId', 'vpc-0c1a0d5e1cloudsim')}${el('SubnetGroupStatus', 'Complete')}`,
      ) +
      el('PreferredMaintenanceWindow', i.preferredMaintenanceWindow) +
      pendingXml({ ...i.pending, ...i.applying }) +
      (now < i.availableAt ? '' : el('LatestRestorableTime', isoTime(now - 5 * 60_000))) +
      el('MultiAZ', i.multiAZ) +
      el('EngineVersion', i.engineVersion) +
      el('AutoMinorVersionUpgrade', i.autoMinorVersionUpgrade) +
      raw('ReadReplicaDBInstanceIdentifiers', '') +
      el('LicenseModel', i.licenseModel) +
      // gp3 comes with its baseline (3000 IOPS, 125 MiB/s) unless more was asked for.
      el('Iops', i.iops ?? (i.storageType === 'gp3' ? GP3_BASELINE_IOPS : undefined)) +
      raw('OptionGroupMemberships', raw('OptionGroupMembership', `${el('OptionGroupName', `default:${family.replace(/\d+$/, (v) => `-${v}`)}`)}${el('Status', 'in-sync')}`)) +
      el('PubliclyAccessible', i.publiclyAccessible) +
      el('StorageType', i.storageType) +
      el('DbInstancePort', 0) +
      el('StorageEncrypted', i.storageEncrypted) +
      el('KmsKeyId', i.kmsKeyId) +
      el('DbiResourceId', i.dbiResourceId) +
      el('CACertificateIdentifier', i.caCertificateIdentifier) +
      raw('DomainMemberships', '') +
      el('CopyTagsToSnapshot', i.copyTagsToSnapshot) +
      el('MonitoringInterval', 0) +
      el('DBInstanceArn', instanceArn(i)) +
      el('IAMDatabaseAuthenticationEnabled', i.iamAuth) +
      el('PerformanceInsightsEnabled', false) +
      el('DeletionProtection', i.deletionProtection) +
      raw('AssociatedRoles', '') +
      el('MaxAllocatedStorage', i.maxAllocatedStorage) +
      tagListXml(i.tags) +
      (i.manageMasterUserPassword
        ? raw('MasterUserSecret', `${el('SecretArn', `arn:aws:secretsmanager:${i.region}:${i.account}:secret:rds!db-${i.dbiResourceId.slice(3).toLowerCase()}`)}${el('SecretStatus', 'active')}`)
        : '') +
      el('CustomerOwnedIpEnabled', false) +
      el('BackupTarget', 'region') +
      el('NetworkType', 'IPV4') +
      el('StorageThroughput', i.storageType === 'gp3' ? 125 : 0) +
      el('DedicatedLogVolume', false) +
      el('EngineLifecycleSupport', 'open-source-rds-extended-support'),
  );
}

export function snapshotXml(s: RdsSnapshot, now: number): string {
  const ready = now >= s.availableAt;
  return raw(
    'DBSnapshot',
    el('DBSnapshotIdentifier', s.id) +
      el('DBInstanceIdentifier', s.instanceId) +
      el('SnapshotCreateTime', isoTime(s.createdAt)) +
      el('Engine', s.engine) +
      el('AllocatedStorage', s.allocatedStorage) +
      el('Status', ready ? 'available' : 'creating') +
      el('Port', s.port) +
      el('AvailabilityZone', s.availabilityZone) +
      el('VpcId', 'vpc-0c1a0d5e1cloudsim') +
      el('InstanceCreateTime', isoTime(s.instanceCreateTime)) +
      el('MasterUsername', s.masterUsername) +
      el('EngineVersion', s.engineVersion) +
      el('LicenseModel', s.licenseModel) +
      el('SnapshotType', s.snapshotType) +
      el('PercentProgress', ready ? 100 : 0) +
      el('StorageType', s.storageType) +
      el('Encrypted', s.encrypted) +
      el('KmsKeyId', s.kmsKeyId) +
      el('DBSnapshotArn', snapshotArn(s)) +
      el('IAMDatabaseAuthenticationEnabled', false) +
      el('DbiResourceId', s.dbiResourceId) +
      tagListXml(s.tags) +
      el('OriginalSnapshotCreateTime', isoTime(s.createdAt)) +
      el('SnapshotTarget', 'region'),
  );
}

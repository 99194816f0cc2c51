/** What RDS holds, how instance status follows from stored instants, and RDS's query-protocol answers. */
import { awsRequestId } from './aws.ts';
import { xml, type SimResponse } from './sim-http.ts';
import { el } from './xml.ts';

export type RdsTag = { Key: string; Value: string };

/** Changes waiting to be applied (shown as PendingModifiedValues). */
export type RdsPending = Partial<{
  DBInstanceClass: string;
  AllocatedStorage: number;
  StorageType: string;
  EngineVersion: string;
  MultiAZ: boolean;
  Iops: number;
  MasterUserPassword: boolean;
}>;

export type RdsInstance = {
  account: string;
  region: string;
  /** Lower-cased, as RDS stores identifiers. */
  id: string;
  engine: string;
  engineVersion: string;
  instanceClass: string;
  allocatedStorage: number;
  storageType: string;
  iops?: number;
  maxAllocatedStorage?: number;
  dbName?: string;
  masterUsername: string;
  manageMasterUserPassword: boolean;
  port: number;
  publiclyAccessible: boolean;
  backupRetentionPeriod: number;
  multiAZ: boolean;
  deletionProtection: boolean;
  autoMinorVersionUpgrade: boolean;
  copyTagsToSnapshot: boolean;
  storageEncrypted: boolean;
  kmsKeyId?: string;
  iamAuth: boolean;
  availabilityZone: string;
  vpcSecurityGroupIds: string[];
  dbSubnetGroupName: string;
  parameterGroupName: string;
  preferredBackupWindow: string;
  preferredMaintenanceWindow: string;
  licenseModel: string;
  caCertificateIdentifier: string;
  dbiResourceId: string;
  /** `<random>.<region>.rds.amazonaws.com`: the endpoint is `<id>.` + this. */
  endpointDomain: string;
  tags: RdsTag[];
  createdAt: number;
  /** `creating` until then. */
  availableAt: number;
  /** Changes waiting for the maintenance window. */
  pending: RdsPending;
  /** Changes being applied now: `modifying` until applyingUntil, then they land. */
  applying: RdsPending;
  applyingUntil?: number;
  /** `deleting` until then, then gone. */
  deleteDoneAt?: number;
};

export type RdsSnapshot = {
  account: string;
  region: string;
  id: string;
  instanceId: string;
  snapshotType: 'manual' | 'automated';
  createdAt: number;
  availableAt: number;
  engine: string;
  engineVersion: string;
  allocatedStorage: number;
  storageType: string;
  port: number;
  availabilityZone: string;
  instanceCreateTime: number;
  masterUsername: string;
  encrypted: boolean;
  kmsKeyId?: string;
  dbiResourceId: string;
  licenseModel: string;
  tags: RdsTag[];
};

export type RdsState = {
  /** Keyed by `account/region/id`. */
  instances: Record<string, RdsInstance>;
  snapshots: Record<string, RdsSnapshot>;
};

export const rdsKey = (account: string, region: string, id: string) => `${account}/${region}/${id.toLowerCase()}`;

export function instanceStatus(instance: RdsInstance, now: number): string {
  if (instance.deleteDoneAt !== undefined) return 'deleting';
  if (now < instance.availableAt) return 'creating';
  if (instance.applyingUntil !== undefined && now < instance.applyingUntil) {
    return instance.applying.MasterUserPassword && Object.keys(instance.applying).length === 1 ? 'resetting-master-credentials' : 'modifying';
  }
  return 'available';
}

/** Applies what is due: deletions finish, immediate modifications land. Returns whether anything changed. */
export function settleRds(state: RdsState, now: number): boolean {
  let changed = false;
  for (const [key, instance] of Object.entries(state.instances)) {
    if (instance.deleteDoneAt !== undefined && instance.deleteDoneAt <= now) {
      delete state.instances[key];
      changed = true;
    } else if (instance.applyingUntil !== undefined && instance.applyingUntil <= now) {
      const { DBInstanceClass, AllocatedStorage, StorageType, EngineVersion, MultiAZ, Iops } = instance.applying;
      if (DBInstanceClass !== undefined) instance.instanceClass = DBInstanceClass;
      if (AllocatedStorage !== undefined) instance.allocatedStorage = AllocatedStorage;
      if (StorageType !== undefined) instance.storageType = StorageType;
      if (EngineVersion !== undefined) instance.engineVersion = EngineVersion;
      if (MultiAZ !== undefined) instance.multiAZ = MultiAZ;
      if (Iops !== undefined) instance.iops = Iops;
      instance.applying = {};
      delete instance.applyingUntil;
      changed = true;
    }
  }
  return changed;
}

export const RDS_NS = 'http://rds.amazonaws.com/doc/2014-10-31/';

/** `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function rdsError(status: number, code: string, message: string, headers: Record<string, string | number> = {}): SimResponse {
  const requestId = awsRequestId();
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return xml(
    status,
    `<ErrorResponse xmlns="${RDS_NS}"><Error>${el('Type', type)}${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`,
    { 'content-type': 'text/xml', 'x-amzn-requestid': requestId, ...headers },
  );
}

/** `<ActionResponse><ActionResult>…</ActionResult><ResponseMetadata><RequestId/></ResponseMetadata></ActionResponse>` */
export function rdsResult(action: string, result: string): SimResponse {
  const requestId = awsRequestId();
  const body = result === '' ? `<${action}Result/>` : `<${action}Result>${result}</${action}Result>`;
  return xml(200, `<${action}Response xmlns="${RDS_NS}">${body}<ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></${action}Response>`, {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
  });
}

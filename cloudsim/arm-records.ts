/** What Azure Resource Manager holds, and the JSON ARM answers with for it. */
import { isoTime } from './service-context.ts';
import { json, type SimResponse } from './sim-http.ts';

export type ResourceGroupRecord = {
  subscriptionId: string;
  /** As first created: ARM keeps the casing of the name it was given. */
  name: string;
  location: string;
  tags: Record<string, string>;
  managedBy?: string;
  createdAt: number;
  /** Set by DELETE: the group is `Deleting` until then, then gone with everything in it. */
  deleteDoneAt?: number;
};

export type StorageAccountRecord = {
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  location: string;
  tags: Record<string, string>;
  sku: string;
  kind: string;
  /** Settable properties as last written (accessTier, minimumTlsVersion…); read-only ones are computed. */
  properties: Record<string, unknown>;
  createdAt: number;
  /** `Creating` until then, `Succeeded` after. */
  readyAt: number;
  keys: [string, string];
  keysCreatedAt: number;
};

export type ArmOperationRecord = {
  id: string;
  kind: 'storage-account-create' | 'resource-group-delete';
  subscriptionId: string;
  /** ARM id of the resource the operation is about. */
  resourceId: string;
  location: string;
  startedAt: number;
  doneAt: number;
};

export type ArmState = {
  /** Keyed by `subscription/lower-case name`. */
  resourceGroups: Record<string, ResourceGroupRecord>;
  /** Keyed by lower-case name: storage account names are global. */
  storageAccounts: Record<string, StorageAccountRecord>;
  operations: Record<string, ArmOperationRecord>;
};

export const groupKey = (subscriptionId: string, name: string) => `${subscriptionId.toLowerCase()}/${name.toLowerCase()}`;

/** How long finished operations can still be polled. */
export const OPERATION_RETENTION_MS = 60 * 60 * 1000;

/** Applies every timed transition that is due: finished group deletions remove the group and its accounts. */
export function settleArm(state: ArmState, now: number): boolean {
  let changed = false;
  for (const [key, group] of Object.entries(state.resourceGroups)) {
    if (group.deleteDoneAt === undefined || group.deleteDoneAt > now) continue;
    delete state.resourceGroups[key];
    for (const [name, account] of Object.entries(state.storageAccounts)) {
      if (groupKey(account.subscriptionId, account.resourceGroup) === key) delete state.storageAccounts[name];
    }
    changed = true;
  }
  for (const [id, op] of Object.entries(state.operations)) {
    if (op.doneAt + OPERATION_RETENTION_MS < now) {
      delete state.operations[id];
      changed = true;
    }
  }
  return changed;
}

export function armError(status: number, code: string, message: string, headers: Record<string, string | number> = {}): SimResponse {
  return json(status, { error: { code, message } }, headers);
}

export function resourceGroupId(group: { subscriptionId: string; name: string }): string {
  return `/subscriptions/${group.subscriptionId}/resourceGroups/${group.name}`;
}

export function resourceGroupJson(group: ResourceGroupRecord, now: number): Record<string, unknown> {
  const deleting = group.deleteDoneAt !== undefined && group.deleteDoneAt > now;
  return {
    id: resourceGroupId(group),
    name: group.name,
    type: 'Microsoft.Resources/resourceGroups',
    location: group.location,
    ...(Object.keys(group.tags).length > 0 ? { tags: group.tags } : {}),
    ...(group.managedBy ? { managedBy: group.managedBy } : {}),
    properties: { provisioningState: deleting ? 'Deleting' : 'Succeeded' },
  };
}

export function storageAccountId(account: { subscriptionId: string; resourceGroup: string; name: string }): string {
  return `/subscriptions/${account.subscriptionId}/resourceGroups/${account.resourceGroup}/providers/Microsoft.Storage/storageAccounts/${account.name}`;
}

/** Defaults of a new account at the api-versions cloudsim accepts. */
export const STORAGE_PROPERTY_DEFAULTS: Readonly<Record<string, unknown>> = {
  dnsEndpointType: 'Standard',
  defaultToOAuthAuthentication: false,
  publicNetworkAccess: 'Enabled',
  allowCrossTenantReplication: false,
  minimumTlsVersion: 'TLS1_2',
  allowBlobPublicAccess: false,
  allowSharedKeyAccess: true,
  isHnsEnabled: false,
  networkAcls: { bypass: 'AzureServices', virtualNetworkRules: [], ipRules: [], defaultAction: 'Allow' },
  supportsHttpsTrafficOnly: true,
};

export function storageAccountJson(account: StorageAccountRecord, now: number): Record<string, unknown> {
  const created = isoTime(account.createdAt);
  const endpoint = (service: string) => `https://${account.name}.${service}.core.windows.net/`;
  const blobLike = ['StorageV2', 'BlobStorage', 'BlockBlobStorage'].includes(account.kind);
  return {
    sku: { name: account.sku, tier: account.sku.startsWith('Premium') ? 'Premium' : 'Standard' },
    kind: account.kind,
    id: storageAccountId(account),
    name: account.name,
    type: 'Microsoft.Storage/storageAccounts',
    location: account.location,
    tags: account.tags,
    properties: {
      ...STORAGE_PROPERTY_DEFAULTS,
      ...(blobLike && account.kind !== 'BlockBlobStorage' ? { accessTier: 'Hot' } : {}),
      ...account.properties,
      keyCreationTime: { key1: isoTime(account.keysCreatedAt), key2: isoTime(account.keysCreatedAt) },
      privateEndpointConnections: [],
      encryption: {
        requireInfrastructureEncryption: false,
        services: {
          file: { keyType: 'Account', enabled: true, lastEnabledTime: created },
          blob: { keyType: 'Account', enabled: true, lastEnabledTime: created },
        },
        keySource: 'Microsoft.Storage',
      },
      provisioningState: now < account.readyAt ? 'Creating' : 'Succeeded',
      creationTime: created,
      primaryEndpoints: {
        blob: endpoint('blob'),
        queue: endpoint('queue'),
        table: endpoint('table'),
        file: endpoint('file'),
        ...(blobLike ? { dfs: endpoint('dfs'), web: `https://${account.name}.z6.web.core.windows.net/` } : {}),
      },
      primaryLocation: account.location,
      statusOfPrimary: 'available',
    },
  };
}

/** What Microsoft.Storage accepts for sku, kind and the settable account properties. */
import { armError } from './arm-records.ts';
import { isRecord, type SimResponse } from './sim-http.ts';

export const STORAGE_TYPE = 'Microsoft.Storage/storageAccounts';

export const STORAGE_SKUS = ['Standard_LRS', 'Standard_GRS', 'Standard_RAGRS', 'Standard_ZRS', 'Standard_GZRS', 'Standard_RAGZRS', 'Premium_LRS', 'Premium_ZRS'] as const;
export const STORAGE_KINDS = ['Storage', 'StorageV2', 'BlobStorage', 'FileStorage', 'BlockBlobStorage'] as const;

const ENUM_PROPERTIES: Readonly<Record<string, readonly string[]>> = {
  accessTier: ['Hot', 'Cool', 'Cold', 'Premium'],
  minimumTlsVersion: ['TLS1_0', 'TLS1_1', 'TLS1_2', 'TLS1_3'],
  publicNetworkAccess: ['Enabled', 'Disabled', 'SecuredByPerimeter'],
  dnsEndpointType: ['Standard', 'AzureDnsZone'],
  largeFileSharesState: ['Disabled', 'Enabled'],
};

const BOOLEAN_PROPERTIES = [
  'allowBlobPublicAccess',
  'supportsHttpsTrafficOnly',
  'allowSharedKeyAccess',
  'isHnsEnabled',
  'allowCrossTenantReplication',
  'defaultToOAuthAuthentication',
  'isSftpEnabled',
  'isLocalUserEnabled',
  'isNfsV3Enabled',
];

/** Computed by the service: a request that sets them is refused. */
const READ_ONLY_PROPERTIES = ['provisioningState', 'creationTime', 'primaryEndpoints', 'primaryLocation', 'statusOfPrimary', 'keyCreationTime'];

/** Set at creation only. */
const CREATE_ONLY_PROPERTIES = ['isHnsEnabled', 'isNfsV3Enabled'];

const invalidValues = (names: string) => armError(400, 'InvalidValuesForRequestParameters', `Values for request parameters are invalid: ${names}.`);

export function skuKindError(sku: string, kind: string): SimResponse | undefined {
  const badSku = !(STORAGE_SKUS as readonly string[]).includes(sku);
  const badKind = !(STORAGE_KINDS as readonly string[]).includes(kind);
  if (badSku || badKind) return invalidValues([badKind ? 'kind' : '', badSku ? 'sku' : ''].filter(Boolean).join(', '));
  const premiumOnly = kind === 'FileStorage' || kind === 'BlockBlobStorage';
  if (premiumOnly !== sku.startsWith('Premium') && kind !== 'StorageV2' && kind !== 'Storage') return invalidValues('kind, sku');
  if (kind === 'BlobStorage' && sku.startsWith('Premium')) return invalidValues('kind, sku');
  return undefined;
}

/**
 * Checks the settable properties of a create (existing undefined) or update request. Properties cloudsim
 * does not know are accepted and kept as sent.
 */
export function propertiesError(properties: unknown, existing: Record<string, unknown> | undefined): SimResponse | undefined {
  if (properties === undefined) return undefined;
  if (!isRecord(properties)) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: properties must be an object.');
  for (const [name, value] of Object.entries(properties)) {
    if (value === undefined || value === null) continue;
    const allowed = ENUM_PROPERTIES[name];
    const wrongEnum = allowed !== undefined && (typeof value !== 'string' || !allowed.includes(value));
    const wrongBoolean = BOOLEAN_PROPERTIES.includes(name) && typeof value !== 'boolean';
    if (wrongEnum || wrongBoolean) {
      return armError(400, 'InvalidRequestPropertyValue', `The value '${String(value)}' is not allowed for property ${name}.`);
    }
    if (READ_ONLY_PROPERTIES.includes(name)) return armError(400, 'InvalidRequestPropertyValue', `The property '${name}' is read-only and cannot be set.`);
    if (existing !== undefined && CREATE_ONLY_PROPERTIES.includes(name) && value !== (existing[name] ?? false)) {
      return armError(400, 'InvalidRequestPropertyValue', `The property '${name}' can only be set when the storage account is created.`);
    }
  }
  return undefined;
}

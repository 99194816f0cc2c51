// Crossplane provider kinds Pledge has an equivalent of, field by field. Keyed by the provider's
// API group and kind (any version): the Upbound providers' v1beta1 and v1beta2 spell these fields
// alike. A forProvider field not listed here has no Pledge counterpart and is reported.

export interface KindMapping {
  apiVersion: string;
  kind: string;
  /** forProvider field -> Pledge's forProvider field. */
  fields: Readonly<Record<string, string>>;
}

export const KIND_MAP: ReadonlyMap<string, KindMapping> = new Map<string, KindMapping>([
  ['s3.aws.upbound.io|Bucket', { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', fields: { region: 'region', tags: 'tags' } }],
  [
    'rds.aws.upbound.io|Instance',
    {
      apiVersion: 'rds.aws.pledge.dev/v1',
      kind: 'DBInstance',
      fields: {
        region: 'region',
        engine: 'engine',
        engineVersion: 'engineVersion',
        instanceClass: 'dbInstanceClass',
        username: 'masterUsername',
        passwordSecretRef: 'masterUserPasswordSecretRef',
        allocatedStorage: 'allocatedStorage',
        storageType: 'storageType',
        publiclyAccessible: 'publiclyAccessible',
        backupRetentionPeriod: 'backupRetentionPeriod',
        applyImmediately: 'applyImmediately',
        skipFinalSnapshot: 'skipFinalSnapshot',
        finalSnapshotIdentifier: 'finalDBSnapshotIdentifier',
        dbName: 'dbName',
        tags: 'tags',
      },
    },
  ],
  ['azure.upbound.io|ResourceGroup', { apiVersion: 'resources.azure.pledge.dev/v1', kind: 'ResourceGroup', fields: { location: 'location', tags: 'tags' } }],
  [
    'storage.azure.upbound.io|Account',
    {
      apiVersion: 'storage.azure.pledge.dev/v1',
      kind: 'Account',
      fields: {
        resourceGroupName: 'resourceGroupName',
        location: 'location',
        accountKind: 'kind',
        accessTier: 'accessTier',
        minTlsVersion: 'minimumTlsVersion',
        allowNestedItemsToBePublic: 'allowBlobPublicAccess',
        enableHttpsTrafficOnly: 'enableHttpsTrafficOnly',
        httpsTrafficOnlyEnabled: 'enableHttpsTrafficOnly',
        tags: 'tags',
      },
    },
  ],
  [
    'storage.gcp.upbound.io|Bucket',
    {
      apiVersion: 'storage.gcp.pledge.dev/v1',
      kind: 'Bucket',
      fields: { location: 'location', storageClass: 'storageClass', labels: 'labels', uniformBucketLevelAccess: 'uniformBucketLevelAccess', publicAccessPrevention: 'publicAccessPrevention' },
    },
  ],
]);

/** Spec fields every managed resource shares, carried over as they are. */
export const COMMON_SPEC_FIELDS = ['providerConfigRef', 'deletionPolicy', 'managementPolicies', 'writeConnectionSecretToRef'] as const;

export function groupOf(apiVersion: string): string {
  const slash = apiVersion.indexOf('/');
  return slash < 0 ? '' : apiVersion.slice(0, slash);
}

export function mappingFor(apiVersion: unknown, kind: unknown): KindMapping | undefined {
  return typeof apiVersion === 'string' && typeof kind === 'string' ? KIND_MAP.get(`${groupOf(apiVersion)}|${kind}`) : undefined;
}

/** A Crossplane provider's kind (Upbound's or a crossplane-contrib one) rather than a plain Kubernetes object. */
export function isProviderKind(apiVersion: unknown): boolean {
  return typeof apiVersion === 'string' && /(^|\.)(upbound\.io|crossplane\.io)$/.test(groupOf(apiVersion));
}

import type { ManagedKind } from '../../core/managed/types.ts';
import {
  ACCESS_TIERS,
  ACCOUNT_DEFAULTS,
  ACCOUNT_KINDS,
  SKU_NAMES,
  TLS_VERSIONS,
  type AccountObservation,
  type AccountParameters,
} from './account-settings.ts';
import { locationSchema } from './location.ts';
import { nameValidations, STORAGE_ACCOUNT_NAME_RULES } from './names.ts';
import { RESOURCE_GROUP_GVK } from './resource-group.ts';
import { tagsSchema } from './tags.ts';

export type { AccountObservation, AccountParameters, AccountResource } from './account-settings.ts';

const resourceGroupNameSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 90,
  description: 'Resource group the account lives in. Cannot be changed once set.',
} as const;

export const account: ManagedKind<AccountParameters, AccountObservation> = {
  gvk: { group: 'storage.azure.pledge.dev', version: 'v1', kind: 'Account' },
  plural: 'accounts',
  deterministicExternalName: true,
  // Storage account names are 3–24 lower-case letters and digits: a namespaced one's drops the hyphens.
  namespacedName: { maxLength: 24, alphanumeric: true },
  references: [{ field: 'resourceGroupName', to: { gvk: RESOURCE_GROUP_GVK, plural: 'resourcegroups' } }],
  schema: {
    forProvider: {
      type: 'object',
      required: ['location'],
      properties: {
        resourceGroupName: resourceGroupNameSchema,
        resourceGroupNameRef: {
          type: 'object',
          description: 'A ResourceGroup whose name fills resourceGroupName once it is Ready.',
          required: ['name'],
          properties: { name: { type: 'string', minLength: 1, description: 'Name of the ResourceGroup object.' } },
        },
        resourceGroupNameSelector: {
          type: 'object',
          description: 'Selects a ResourceGroup by labels (a Ready one first) to fill resourceGroupName.',
          properties: { matchLabels: { type: 'object', additionalProperties: { type: 'string' }, description: 'Labels the ResourceGroup must have.' } },
        },
        location: locationSchema('storage account'),
        sku: {
          type: 'string',
          enum: [...SKU_NAMES],
          default: ACCOUNT_DEFAULTS.sku,
          description: 'Replication and performance: Standard_LRS, Standard_GRS, Standard_ZRS, … Changing it asks Azure to convert the account.',
        },
        kind: {
          type: 'string',
          enum: [...ACCOUNT_KINDS],
          default: ACCOUNT_DEFAULTS.kind,
          description: 'Kind of storage account. Cannot be changed.',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.forProvider.kind is immutable' }],
        },
        accessTier: { type: 'string', enum: [...ACCESS_TIERS], description: 'Default access tier of blobs. Unset leaves it alone.' },
        minimumTlsVersion: { type: 'string', enum: [...TLS_VERSIONS], description: 'Oldest TLS version requests may use. Unset leaves it alone.' },
        allowBlobPublicAccess: { type: 'boolean', description: 'Allow anonymous read access to containers that ask for it. Unset leaves it alone.' },
        enableHttpsTrafficOnly: { type: 'boolean', description: 'Refuse plain-HTTP requests. Unset leaves it alone.' },
        tags: tagsSchema('storage account', 128),
      },
      'x-kubernetes-validations': [
        {
          rule: 'has(self.resourceGroupName) || has(self.resourceGroupNameRef) || has(self.resourceGroupNameSelector)',
          message: 'spec.forProvider.resourceGroupName, resourceGroupNameRef or resourceGroupNameSelector is required',
        },
        {
          rule: '!has(oldSelf.resourceGroupName) || (has(self.resourceGroupName) && self.resourceGroupName == oldSelf.resourceGroupName)',
          message: 'spec.forProvider.resourceGroupName is immutable once set',
        },
      ],
    },
    atProvider: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'ARM id of the storage account.' },
        provisioningState: { type: 'string', description: 'Provisioning state ARM reports (Creating, ResolvingDNS, Succeeded).' },
        primaryEndpoints: {
          type: 'object',
          description: 'Endpoints of the primary location.',
          properties: { blob: { type: 'string', description: 'Blob service endpoint.' } },
        },
        primaryKeyCreationTime: { type: 'string', description: 'When the primary key (key1) was made; it changes when the key is regenerated.' },
      },
    },
    validations: nameValidations(STORAGE_ACCOUNT_NAME_RULES),
  },
  async connect(mr, ctx) {
    // The SDK loads with the first Azure resource connected, not at start: a controller with none pays nothing for it.
    const { connectAccount } = await import('./account-external.ts');
    return connectAccount(mr, ctx);
  },
};

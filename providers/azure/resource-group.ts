import type { ManagedKind, ManagedResource } from '../../core/managed/types.ts';
import { locationSchema } from './location.ts';
import { nameValidations, RESOURCE_GROUP_NAME_RULES } from './names.ts';
import { tagsSchema } from './tags.ts';

export interface ResourceGroupParameters {
  location: string;
  tags?: Record<string, string>;
}

export interface ResourceGroupObservation {
  id?: string;
  provisioningState?: string;
}

export type ResourceGroupResource = ManagedResource<ResourceGroupParameters, ResourceGroupObservation>;

export const RESOURCE_GROUP_GVK = { group: 'resources.azure.pledge.dev', version: 'v1', kind: 'ResourceGroup' } as const;

export const resourceGroup: ManagedKind<ResourceGroupParameters, ResourceGroupObservation> = {
  gvk: RESOURCE_GROUP_GVK,
  plural: 'resourcegroups',
  deterministicExternalName: true,
  namespacedName: { maxLength: 90 },
  schema: {
    forProvider: {
      type: 'object',
      required: ['location'],
      properties: {
        location: locationSchema('resource group (where its metadata lives)'),
        tags: tagsSchema('resource group', 512),
      },
    },
    atProvider: {
      type: 'object',
      properties: {
        id: { type: 'string', description: 'ARM id of the resource group.' },
        provisioningState: { type: 'string', description: 'Provisioning state ARM reports (Succeeded, Deleting).' },
      },
    },
    validations: nameValidations(RESOURCE_GROUP_NAME_RULES),
  },
  async connect(mr, ctx) {
    // The SDK loads with the first Azure resource connected, not at start: a controller with none pays nothing for it.
    const { connectResourceGroup } = await import('./resource-group-external.ts');
    return connectResourceGroup(mr, ctx);
  },
};

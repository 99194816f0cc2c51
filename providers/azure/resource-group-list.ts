/** The resource groups of a subscription as `pledge import` would declare them (one read-only ARM list). */
import type { ResourceGroup } from '@azure/arm-resources';
import type { ListedExternal, ListQuery } from '../../core/managed/types.ts';
import type { AzureCalls, AzureClients } from './client.ts';
import { normalizeLocation } from './location.ts';
import type { ResourceGroupParameters } from './resource-group.ts';

export async function listResourceGroups(azure: AzureClients, c: AzureCalls, query: ListQuery): Promise<Array<ListedExternal<ResourceGroupParameters>>> {
  let groups: ResourceGroup[];
  try {
    groups = await c.raw('ListResourceGroups', async (o) => {
      const found: ResourceGroup[] = [];
      for await (const group of azure.resources.resourceGroups.list(o)) found.push(group);
      return found;
    });
  } catch (err: unknown) {
    throw c.map(err, `listing the resource groups of subscription ${azure.subscriptionId} failed`, 'ListResourceGroups');
  }
  const out: Array<ListedExternal<ResourceGroupParameters>> = [];
  for (const group of groups) {
    const name = group.name;
    if (name === undefined || !query.wanted(name)) continue;
    const location = normalizeLocation(group.location);
    if (query.region !== undefined && location !== normalizeLocation(query.region)) continue;
    // Tags are declared exactly as they are: managed from now on, and up to date.
    out.push({ externalName: name, region: location, ...(query.details ? { forProvider: { location, tags: { ...group.tags } } } : {}) });
  }
  return out;
}

/**
 * The storage accounts of a subscription as `pledge import` would declare them (one read-only ARM list). Keys
 * are never listed: an imported account has no connection secret until the user asks for one.
 */
import type { StorageAccount } from '@azure/arm-storage';
import type { ListedExternal, ListQuery } from '../../core/managed/types.ts';
import { accountLateInit, ACCOUNT_KINDS, SKU_NAMES, type AccountKind, type AccountParameters, type SkuName } from './account-settings.ts';
import type { AzureCalls, AzureClients } from './client.ts';
import { normalizeLocation } from './location.ts';

/** The resource group named in an ARM id (/subscriptions/…/resourceGroups/<name>/providers/…). */
export function resourceGroupOfId(id: string | undefined): string | undefined {
  return /\/resourceGroups\/([^/]+)\//i.exec(id ?? '')?.[1];
}

export async function listAccounts(azure: AzureClients, c: AzureCalls, query: ListQuery): Promise<Array<ListedExternal<AccountParameters>>> {
  let accounts: StorageAccount[];
  try {
    accounts = await c.raw('ListStorageAccounts', async (o) => {
      const found: StorageAccount[] = [];
      for await (const account of azure.storage.storageAccounts.list(o)) found.push(account);
      return found;
    });
  } catch (err: unknown) {
    throw c.map(err, `listing the storage accounts of subscription ${azure.subscriptionId} failed`, 'ListStorageAccounts');
  }
  const out: Array<ListedExternal<AccountParameters>> = [];
  for (const account of accounts) {
    const name = account.name;
    if (name === undefined || !query.wanted(name)) continue;
    const location = normalizeLocation(account.location ?? '');
    if (query.region !== undefined && location !== normalizeLocation(query.region)) continue;
    if (!query.details) {
      out.push({ externalName: name, region: location });
      continue;
    }
    const sku = SKU_NAMES.find((s): s is SkuName => s === account.sku?.name);
    const kind = ACCOUNT_KINDS.find((k): k is AccountKind => k === account.kind);
    const group = resourceGroupOfId(account.id);
    const forProvider: AccountParameters = {
      ...(group ? { resourceGroupName: group } : {}),
      location,
      ...(sku ? { sku } : {}),
      ...(kind ? { kind } : {}),
      ...accountLateInit({ location }, account),
      tags: { ...account.tags },
    };
    const notes: string[] = [];
    // The schema's defaults would stand for a setting it cannot hold, and an update would then "fix" the account.
    if (!sku) notes.push(`sku ${account.sku?.name ?? '(none)'} is not one Pledge manages: set spec.forProvider.sku before applying`);
    if (!kind) notes.push(`kind ${account.kind ?? '(none)'} is not one Pledge manages: set spec.forProvider.kind before applying`);
    out.push({ externalName: name, region: location, forProvider, ...(notes.length > 0 ? { notes } : {}) });
  }
  return out;
}

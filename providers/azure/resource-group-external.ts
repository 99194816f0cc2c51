// The part of the Azure ResourceGroup kind that talks to the cloud. resource-group.ts loads it on the first connect,
// so the Azure SDK is loaded only once an Azure resource is reconciled, never by a controller without one.
import type { ResourceGroup } from '@azure/arm-resources';
import { TerminalError, TransientError, wrapError } from '../../core/errors/index.ts';
import { mapDiffs } from '../../core/managed/field-diffs.ts';
import type { ConnectContext, ExternalClient, Observation } from '../../core/managed/types.ts';
import { azureCalls, azureClientsFor, startLongRunning, type AzureCalls, type AzureClients } from './client.ts';
import { resolveAzureConfig } from './config.ts';
import { isNotFound } from './errors.ts';
import { normalizeLocation } from './location.ts';
import { listResourceGroups } from './resource-group-list.ts';
import { externalNameOf, RESOURCE_GROUP_NAME_RULES } from './names.ts';
import type { ResourceGroupObservation, ResourceGroupParameters, ResourceGroupResource } from './resource-group.ts';
import { describeTagDrift, tagsUpToDate } from './tags.ts';

/** How many of a group's storage accounts a refused delete names. */
const LISTED_CONTENTS = 5;

export function resourceGroupNameOf(mr: ResourceGroupResource): string {
  return externalNameOf(mr, RESOURCE_GROUP_NAME_RULES);
}

function desiredOf(mr: ResourceGroupResource): ResourceGroupParameters {
  const p = mr.spec.forProvider;
  if (typeof p?.location !== 'string' || p.location === '') throw new TerminalError('spec.forProvider.location is required');
  return p;
}

/** What differs between the spec and the group, for events and logs (tag keys, never values). */
export function describeResourceGroupDrift(desired: ResourceGroupParameters, observed: ResourceGroup): string {
  return desired.tags === undefined || tagsUpToDate(desired.tags, observed.tags) ? '' : describeTagDrift(desired.tags, observed.tags);
}

function resourceGroupClient(azure: AzureClients, callsFor: (signal: AbortSignal) => AzureCalls): ExternalClient<ResourceGroupParameters, ResourceGroupObservation> {
  /** The provisioning state this reconcile observed: a delete already under way is not started twice. */
  let observedState: string | undefined;

  /** The storage accounts still in the group (up to LISTED_CONTENTS); undefined when the group is gone. */
  async function accountsIn(c: AzureCalls, name: string): Promise<string[] | undefined> {
    try {
      return await c.raw('ListStorageAccountsInGroup', async (o) => {
        const found: string[] = [];
        for await (const a of azure.storage.storageAccounts.listByResourceGroup(name, o)) {
          found.push(a.name ?? a.id ?? '(unnamed)');
          if (found.length >= LISTED_CONTENTS) break;
        }
        return found;
      });
    } catch (err: unknown) {
      if (isNotFound(err)) return undefined;
      throw c.map(err, 'delete failed', 'ListStorageAccountsInGroup');
    }
  }

  return {
    async observe(mr, signal): Promise<Observation<ResourceGroupParameters, ResourceGroupObservation>> {
      const c = callsFor(signal);
      const name = resourceGroupNameOf(mr);
      const desired = desiredOf(mr);
      let group: ResourceGroup;
      try {
        group = await c.raw('GetResourceGroup', (o) => azure.resources.resourceGroups.get(name, o));
      } catch (err: unknown) {
        if (isNotFound(err)) return { exists: false };
        throw c.map(err, 'observe failed', 'GetResourceGroup');
      }
      const state = group.properties?.provisioningState;
      observedState = state;
      const atProvider: ResourceGroupObservation = { ...(group.id ? { id: group.id } : {}), ...(state ? { provisioningState: state } : {}) };
      if (!mr.metadata.deletionTimestamp && normalizeLocation(group.location) !== normalizeLocation(desired.location)) {
        throw new TerminalError(`resource group ${name} exists in location ${group.location} but spec.forProvider.location is ${desired.location}`);
      }
      if (state !== 'Succeeded') {
        // Deleting (by us or someone else) or still settling: nothing to change now, look again soon.
        return { exists: true, ready: false, upToDate: true, atProvider };
      }
      const diff = describeResourceGroupDrift(desired, group);
      return { exists: true, ready: true, upToDate: diff === '', atProvider, ...(diff === '' ? {} : { diff, fieldDiffs: mapDiffs('tags', desired.tags, group.tags) }) };
    },

    async create(mr, signal) {
      const c = callsFor(signal);
      const name = resourceGroupNameOf(mr);
      const desired = desiredOf(mr);
      // A PUT: creating a group that exists with the same location is a no-op, so a retried create is safe.
      await c.call('CreateResourceGroup', 'create failed', (o) =>
        azure.resources.resourceGroups.createOrUpdate(name, { location: desired.location, ...(desired.tags ? { tags: desired.tags } : {}) }, o),
      );
      return {};
    },

    async update(mr, signal) {
      const c = callsFor(signal);
      const name = resourceGroupNameOf(mr);
      const desired = desiredOf(mr);
      // Tags are the only thing to update (location is immutable); a PATCH replaces the whole set.
      if (desired.tags !== undefined) await c.call('UpdateResourceGroup', 'update failed', (o) => azure.resources.resourceGroups.update(name, { tags: desired.tags }, o));
      return {};
    },

    list: (query, signal) => listResourceGroups(azure, callsFor(signal), query),

    /**
     * Deletes the group only once no storage account is left in it. ARM deletes a group with everything in it,
     * which would bypass the Account objects that manage those accounts (their deletionPolicy Orphan, their
     * finalizers) and destroy accounts Pledge does not manage. So the group waits, as a TransientError that
     * retries with backoff and says for what; when a group and its accounts are deleted at once, the accounts
     * go first through their own objects and the group follows.
     */
    async delete(mr, signal) {
      const c = callsFor(signal);
      const name = resourceGroupNameOf(mr);
      if (observedState === 'Deleting') return;
      const remaining = await accountsIn(c, name);
      if (remaining === undefined) return;
      if (remaining.length > 0) {
        const more = remaining.length >= LISTED_CONTENTS ? ', …' : '';
        const why = new TransientError(
          `resource group ${name} still contains storage account${remaining.length === 1 ? '' : 's'} ${remaining.join(', ')}${more}: ` +
            'deleting the group would delete them too, so Pledge waits until they are deleted (or set spec.deletionPolicy to Orphan to keep the group)',
        );
        throw wrapError(why, 'delete failed');
      }
      try {
        await c.raw('DeleteResourceGroup', (o) => startLongRunning(azure.resources.resourceGroups.delete(name, o)));
      } catch (err: unknown) {
        if (isNotFound(err)) return;
        throw c.map(err, 'delete failed', 'DeleteResourceGroup');
      }
    },
  };
}

/** What the kind's connect does: resolves the ProviderConfig and gives the group's client its ARM clients. */
export async function connectResourceGroup(
  mr: ResourceGroupResource,
  ctx: ConnectContext,
): Promise<ExternalClient<ResourceGroupParameters, ResourceGroupObservation>> {
  const config = await resolveAzureConfig(ctx.providerConfig, ctx.readSecret, ctx.signal);
  const context = { kind: 'ResourceGroup', name: mr.metadata.name };
  return resourceGroupClient(azureClientsFor(config), (signal) => azureCalls({ gate: ctx.calls, signal, secret: config.clientSecret, context }));
}

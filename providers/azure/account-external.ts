// The part of the Azure storage Account kind that talks to the cloud. account.ts loads it on the first connect, so
// the Azure SDK is loaded only once an Azure resource is reconciled, never by a controller without one.
import type { StorageAccount } from '@azure/arm-storage';
import { TerminalError } from '../../core/errors/index.ts';
import type { ConnectContext, ExternalClient, Observation } from '../../core/managed/types.ts';
import {
  accountLateInit,
  accountObservation,
  connectionSecretCurrent,
  createParameters,
  accountFieldDiffs,
  describeAccountDrift,
  desiredOf,
  locationProblem,
  updateParameters,
  type AccountObservation,
  type AccountParameters,
  type AccountResource,
} from './account-settings.ts';
import { listAccounts } from './account-list.ts';
import { azureCalls, azureClientsFor, startLongRunning, type AzureCalls, type AzureClients } from './client.ts';
import { resolveAzureConfig } from './config.ts';
import { accountConnectionDetails } from './connection-string.ts';
import { azureErrorInfo, isNotFound } from './errors.ts';
import { externalNameOf, STORAGE_ACCOUNT_NAME_RULES } from './names.ts';

/** Provisioning states after which a PUT must be sent again (ARM's way to retry a failed provisioning). */
const FAILED_STATES = new Set(['Failed', 'Canceled']);

export function accountNameOf(mr: AccountResource): string {
  return externalNameOf(mr, STORAGE_ACCOUNT_NAME_RULES);
}

function accountClient(
  azure: AzureClients,
  callsFor: (signal: AbortSignal) => AzureCalls,
  secret: Readonly<Record<string, string>>,
): ExternalClient<AccountParameters, AccountObservation> {
  /** What this reconcile's observe saw: update PATCHes only what differs, re-PUTs a failed account; delete does not delete twice. */
  let observed: StorageAccount | undefined;
  let observedState: string | undefined;

  async function connectionDetails(c: AzureCalls, group: string, name: string, account: StorageAccount): Promise<Record<string, string>> {
    const keys = await c.call('ListStorageAccountKeys', 'observe failed', (o) => azure.storage.storageAccounts.listKeys(group, name, o));
    const key = keys.keys?.find((k) => k.keyName === 'key1') ?? keys.keys?.[0];
    if (!key?.value) throw new TerminalError(`storage account ${name} reports no access keys (is shared key access disabled?)`);
    return accountConnectionDetails({ accountName: name, accountKey: key.value, blobEndpoint: account.primaryEndpoints?.blob, armEndpoint: azure.endpoint });
  }

  return {
    async observe(mr, signal): Promise<Observation<AccountParameters, AccountObservation>> {
      const c = callsFor(signal);
      const name = accountNameOf(mr);
      const deleting = mr.metadata.deletionTimestamp !== undefined;
      // Deleted before its reference ever resolved: nothing can have been created, so nothing blocks the delete.
      if (deleting && !mr.spec.forProvider?.resourceGroupName) return { exists: false };
      const desired = desiredOf(mr);
      const group = desired.resourceGroupName;
      let account: StorageAccount;
      try {
        account = await c.raw('GetStorageAccount', (o) => azure.storage.storageAccounts.getProperties(group, name, o));
      } catch (err: unknown) {
        // ResourceGroupNotFound too: an account cannot exist in a group that does not.
        if (isNotFound(err)) return { exists: false };
        throw c.map(err, 'observe failed', 'GetStorageAccount');
      }
      const state = account.provisioningState;
      observed = account;
      observedState = state;
      const atProvider = accountObservation(account);
      const misplaced = locationProblem(desired, account, name);
      if (misplaced && !deleting) throw new TerminalError(misplaced);
      if (state !== undefined && FAILED_STATES.has(state)) {
        return { exists: true, ready: false, upToDate: false, atProvider, diff: `provisioningState ${state}: sending the create again` };
      }
      if (state !== 'Succeeded') {
        // Creating, ResolvingDNS, Deleting…: the operation runs in Azure; the core looks again soon.
        return { exists: true, ready: false, upToDate: true, atProvider };
      }
      const diff = describeAccountDrift(desired, account);
      const lateInit = accountLateInit(mr.spec.forProvider, account);
      const current = connectionSecretCurrent({ accountName: name, previous: mr.status?.atProvider, now: atProvider, secret });
      const listKeys = mr.spec.writeConnectionSecretToRef !== undefined && !deleting && !current;
      return {
        exists: true,
        ready: true,
        upToDate: diff === '',
        atProvider,
        ...(lateInit ? { lateInit } : {}),
        ...(diff === '' ? {} : { diff, fieldDiffs: accountFieldDiffs(desired, account) }),
        ...(listKeys ? { connectionDetails: await connectionDetails(c, group, name, account) } : {}),
      };
    },

    /**
     * Starts the create (a PUT, which ARM answers at once with 200 or 202) and returns without waiting for
     * provisioning: later observes see Creating/ResolvingDNS as not ready, then Succeeded. A PUT of an
     * existing account with the same settings succeeds, so a retried create is safe.
     */
    async create(mr, signal) {
      const c = callsFor(signal);
      const name = accountNameOf(mr);
      const desired = desiredOf(mr);
      await c.call('CreateStorageAccount', 'create failed', (o) =>
        startLongRunning(azure.storage.storageAccounts.create(desired.resourceGroupName, name, createParameters(desired), o)),
      );
      return {};
    },

    async update(mr, signal) {
      const c = callsFor(signal);
      const name = accountNameOf(mr);
      const desired = desiredOf(mr);
      const group = desired.resourceGroupName;
      if (observedState !== undefined && FAILED_STATES.has(observedState)) {
        await c.call('CreateStorageAccount', 'update failed', (o) =>
          startLongRunning(azure.storage.storageAccounts.create(group, name, createParameters(desired), o)),
        );
        return {};
      }
      // The core updates right after observing; read only when called on its own.
      const account = observed ?? (await c.call('GetStorageAccount', 'update failed', (o) => azure.storage.storageAccounts.getProperties(group, name, o)));
      const patch = updateParameters(desired, account);
      if (patch) await c.call('UpdateStorageAccount', 'update failed', (o) => azure.storage.storageAccounts.update(group, name, patch, o));
      return {};
    },

    list: (query, signal) => listAccounts(azure, callsFor(signal), query),

    /** ARM deletes a storage account synchronously (200/204); a 202 means it goes on in Azure, which is fine too. */
    async delete(mr, signal) {
      const c = callsFor(signal);
      const name = accountNameOf(mr);
      const group = desiredOf(mr).resourceGroupName;
      if (observedState === 'Deleting') return;
      try {
        await c.raw('DeleteStorageAccount', (o) => azure.storage.storageAccounts.delete(group, name, o));
      } catch (err: unknown) {
        if (isNotFound(err) || azureErrorInfo(err).httpStatus === 202) return;
        throw c.map(err, 'delete failed', 'DeleteStorageAccount');
      }
    },
  };
}

/** What the kind's connect does: resolves the ProviderConfig and gives the account's client its ARM clients. */
export async function connectAccount(mr: AccountResource, ctx: ConnectContext): Promise<ExternalClient<AccountParameters, AccountObservation>> {
  const config = await resolveAzureConfig(ctx.providerConfig, ctx.readSecret, ctx.signal);
  const context = { kind: 'Account', name: mr.metadata.name };
  const callsFor = (signal: AbortSignal) => azureCalls({ gate: ctx.calls, signal, secret: config.clientSecret, context });
  return accountClient(azureClientsFor(config), callsFor, ctx.connectionDetails);
}

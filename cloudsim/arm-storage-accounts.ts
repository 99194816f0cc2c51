/**
 * Microsoft.Storage storage accounts: create (LRO), get, update, delete, list, listKeys, regenerateKey,
 * checkNameAvailability, and the create operation's status endpoints.
 */
import { randomBytes } from 'node:crypto';
import { startOperation, storageOperationHeaders, storageOperationStatus } from './arm-operations.ts';
import { armError, groupKey, storageAccountJson, type StorageAccountRecord } from './arm-records.ts';
import type { ArmCall, ArmEndpoint, ArmMatcher } from './arm.ts';
import { azureLocationError, normalizeLocation, tagsError } from './azure-values.ts';
import { isoTime, type ServiceContext } from './service-context.ts';
import { empty, isRecord, json, jsonBody, stringRecord, type SimResponse } from './sim-http.ts';
import { propertiesError, skuKindError, STORAGE_TYPE } from './arm-storage-values.ts';

const ACCOUNT_NAME = /^[a-z0-9]{3,24}$/;

const invalidName = (name: string) =>
  `${name} is not a valid storage account name. Storage account name must be between 3 and 24 characters in length and use numbers and lower-case letters only.`;

const newKey = () => randomBytes(64).toString('base64');

export function storageAccountEndpoints(ctx: ServiceContext): ArmMatcher {
  const arm = () => ctx.store.state.arm;
  const groupOf = (call: ArmCall, name: string) => {
    const group = arm().resourceGroups[groupKey(call.subscriptionId, name)];
    return group?.deleteDoneAt === undefined ? group : undefined;
  };
  const groupNotFound = (name: string) => armError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
  const accountNotFound = (name: string, rg: string) =>
    armError(404, 'ResourceNotFound', `The Resource 'Microsoft.Storage/storageAccounts/${name}' under resource group '${rg}' was not found. For more details please go to https://aka.ms/ARMResourceNotFoundFix`);
  const notProvisioned = () =>
    armError(409, 'StorageAccountIsNotProvisioned', "The storage account provisioning state must be 'Succeeded' before executing the operation.");

  /** The account `name` in resource group `rg` of the caller's subscription, or ARM's 404. */
  function lookup(call: ArmCall, rg: string, name: string): StorageAccountRecord | SimResponse {
    if (groupOf(call, rg) === undefined) return groupNotFound(rg);
    const account = arm().storageAccounts[name.toLowerCase()];
    if (account === undefined || groupKey(account.subscriptionId, account.resourceGroup) !== groupKey(call.subscriptionId, rg)) {
      return accountNotFound(name, rg);
    }
    return account;
  }
  const isAccount = (value: StorageAccountRecord | SimResponse): value is StorageAccountRecord => 'keys' in value;

  function create(call: ArmCall, rg: string, name: string): SimResponse {
    if (!ACCOUNT_NAME.test(name)) return armError(400, 'AccountNameInvalid', invalidName(name));
    const body = jsonBody(call.req);
    if (!isRecord(body)) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    const group = groupOf(call, rg);
    if (group === undefined) return groupNotFound(rg);
    const sku = isRecord(body.sku) && typeof body.sku.name === 'string' ? body.sku.name : undefined;
    if (sku === undefined) return armError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'Required property 'sku' not found in JSON.'");
    if (typeof body.kind !== 'string') return armError(400, 'InvalidRequestContent', "The request content was invalid and could not be deserialized: 'Required property 'kind' not found in JSON.'");
    if (typeof body.location !== 'string' || body.location === '') return armError(400, 'LocationRequired', 'The location property is required for this definition.');
    const location = normalizeLocation(body.location);
    const problem =
      azureLocationError(location, 'LocationNotAvailableForResourceType', `resource type '${STORAGE_TYPE}'`) ??
      skuKindError(sku, body.kind) ??
      tagsError(body.tags) ??
      propertiesError(body.properties, undefined);
    if (problem) return problem;
    const properties = isRecord(body.properties) ? body.properties : {};
    const existing = arm().storageAccounts[name];
    if (existing) {
      if (existing.subscriptionId !== call.subscriptionId) return armError(409, 'StorageAccountAlreadyTaken', `The storage account named ${name} is already taken.`);
      if (groupKey(existing.subscriptionId, existing.resourceGroup) !== groupKey(call.subscriptionId, rg)) {
        return armError(409, 'StorageAccountInAnotherResourceGroup', `The account ${name} is already in another resource group in this subscription.`);
      }
      if (existing.location !== location) {
        return armError(
          409,
          'InvalidResourceLocation',
          `The resource '${name}' already exists in location '${existing.location}' in resource group '${existing.resourceGroup}'. A resource with the same name cannot be created in location '${location}'. Please select a new resource name.`,
        );
      }
      Object.assign(existing, { sku, kind: body.kind, tags: stringRecord(body.tags), properties: { ...existing.properties, ...properties } });
      ctx.store.changed();
      return json(200, storageAccountJson(existing, call.now));
    }
    const account: StorageAccountRecord = {
      subscriptionId: call.subscriptionId,
      resourceGroup: group.name,
      name,
      location,
      tags: stringRecord(body.tags),
      sku,
      kind: body.kind,
      properties,
      createdAt: call.now,
      readyAt: call.now + ctx.runtime.knobs.timings.armCreateMs,
      keys: [newKey(), newKey()],
      keysCreatedAt: call.now,
    };
    arm().storageAccounts[name] = account;
    const op = startOperation(ctx, {
      kind: 'storage-account-create',
      subscriptionId: call.subscriptionId,
      resourceId: `/subscriptions/${call.subscriptionId}/resourceGroups/${group.name}/providers/Microsoft.Storage/storageAccounts/${name}`,
      location,
      startedAt: call.now,
      doneAt: account.readyAt,
    });
    return empty(202, { ...storageOperationHeaders(call.req.origin, op, call.apiVersion, call.now), 'content-type': 'text/plain; charset=utf-8' });
  }

  function update(call: ArmCall, rg: string, name: string): SimResponse {
    const found = lookup(call, rg, name);
    if (!isAccount(found)) return found;
    const body = jsonBody(call.req);
    if (!isRecord(body)) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    if (call.now < found.readyAt) return notProvisioned();
    const sku = isRecord(body.sku) && typeof body.sku.name === 'string' ? body.sku.name : found.sku;
    const kind = typeof body.kind === 'string' ? body.kind : found.kind;
    if (kind !== found.kind && !(found.kind === 'Storage' && kind === 'StorageV2')) {
      return armError(400, 'InvalidValuesForRequestParameters', 'Values for request parameters are invalid: kind.');
    }
    const problem = skuKindError(sku, kind) ?? tagsError(body.tags) ?? propertiesError(body.properties, found.properties);
    if (problem) return problem;
    found.sku = sku;
    found.kind = kind;
    if (body.tags !== undefined) found.tags = stringRecord(body.tags);
    if (isRecord(body.properties)) found.properties = { ...found.properties, ...body.properties };
    ctx.store.changed();
    return json(200, storageAccountJson(found, call.now));
  }

  function remove(call: ArmCall, rg: string, name: string): SimResponse {
    if (groupOf(call, rg) === undefined) return groupNotFound(rg);
    const found = lookup(call, rg, name);
    // Deleting what is not there succeeds with 204, as everywhere in ARM.
    if (!isAccount(found)) return empty(204);
    delete arm().storageAccounts[found.name];
    ctx.store.changed();
    return empty(200);
  }

  const keysJson = (account: StorageAccountRecord) => ({
    keys: account.keys.map((value, i) => ({ creationTime: isoTime(account.keysCreatedAt), keyName: `key${i + 1}`, value, permissions: 'FULL' })),
  });

  function listKeys(call: ArmCall, rg: string, name: string): SimResponse {
    const found = lookup(call, rg, name);
    if (!isAccount(found)) return found;
    if (call.now < found.readyAt) return notProvisioned();
    return json(200, keysJson(found));
  }

  function regenerateKey(call: ArmCall, rg: string, name: string): SimResponse {
    const found = lookup(call, rg, name);
    if (!isAccount(found)) return found;
    const body = jsonBody(call.req);
    const keyName = isRecord(body) ? body.keyName : undefined;
    if (keyName !== 'key1' && keyName !== 'key2') return armError(400, 'InvalidValuesForRequestParameters', 'Values for request parameters are invalid: keyName.');
    found.keys[keyName === 'key1' ? 0 : 1] = newKey();
    found.keysCreatedAt = call.now;
    ctx.store.changed();
    return json(200, keysJson(found));
  }

  function checkName(call: ArmCall): SimResponse {
    const body = jsonBody(call.req);
    if (!isRecord(body) || typeof body.name !== 'string') return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    if (body.type !== STORAGE_TYPE) return armError(400, 'InvalidValuesForRequestParameters', 'Values for request parameters are invalid: type.');
    if (!ACCOUNT_NAME.test(body.name)) return json(200, { nameAvailable: false, reason: 'AccountNameInvalid', message: invalidName(body.name) });
    if (arm().storageAccounts[body.name]) return json(200, { nameAvailable: false, reason: 'AlreadyExists', message: `The storage account named ${body.name} is already taken.` });
    return json(200, { nameAvailable: true });
  }

  function list(call: ArmCall, rg: string | undefined): SimResponse {
    if (rg !== undefined && groupOf(call, rg) === undefined) return groupNotFound(rg);
    const accounts = Object.values(arm().storageAccounts)
      .filter((a) => a.subscriptionId === call.subscriptionId && (rg === undefined || groupKey(a.subscriptionId, a.resourceGroup) === groupKey(call.subscriptionId, rg)))
      .sort((a, b) => a.name.localeCompare(b.name));
    return json(200, { value: accounts.map((a) => storageAccountJson(a, call.now)) });
  }

  const endpoint = (operation: string, action: string, scopeDepth: number, handle: (call: ArmCall) => SimResponse): ArmEndpoint => ({
    operation,
    provider: 'storage',
    action: `Microsoft.Storage/${action}`,
    scope: (segments) => `/${segments.slice(0, scopeDepth).join('/')}`,
    handle,
  });

  return (method, lower) => {
    const [, , third, , p, ns, type, name, verb] = lower;
    // /subscriptions/{sub}/providers/Microsoft.Storage/…
    if (third === 'providers' && lower[3] === 'microsoft.storage') {
      const rest = lower.slice(4);
      if (rest.length === 1 && rest[0] === 'storageaccounts' && method === 'GET') return endpoint('StorageAccounts_List', 'storageAccounts/read', 2, (c) => list(c, undefined));
      if (rest.length === 1 && rest[0] === 'checknameavailability' && method === 'POST') {
        return endpoint('StorageAccounts_CheckNameAvailability', 'storageAccounts/read', 2, checkName);
      }
      if (rest.length === 4 && rest[0] === 'locations' && rest[2] === 'asyncoperations' && method === 'GET') {
        return endpoint('StorageAccounts_OperationStatus', 'locations/asyncoperations/read', 2, (c) => storageOperationStatus(ctx, c, c.segments[7] ?? ''));
      }
      return undefined;
    }
    // /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.Storage/storageAccounts[/{name}[/verb]]
    if (third !== 'resourcegroups' || p !== 'providers' || ns !== 'microsoft.storage' || type !== 'storageaccounts') return undefined;
    const rgOf = (c: ArmCall) => c.segments[3] ?? '';
    const nameOf = (c: ArmCall) => c.segments[7] ?? '';
    if (name === undefined) {
      return method === 'GET' ? endpoint('StorageAccounts_ListByResourceGroup', 'storageAccounts/read', 4, (c) => list(c, rgOf(c))) : undefined;
    }
    if (verb === 'listkeys' && lower.length === 9 && method === 'POST') {
      return endpoint('StorageAccounts_ListKeys', 'storageAccounts/listkeys/action', 8, (c) => listKeys(c, rgOf(c), nameOf(c)));
    }
    if (verb === 'regeneratekey' && lower.length === 9 && method === 'POST') {
      return endpoint('StorageAccounts_RegenerateKey', 'storageAccounts/regeneratekey/action', 8, (c) => regenerateKey(c, rgOf(c), nameOf(c)));
    }
    if (lower.length !== 8) return undefined;
    switch (method) {
      case 'PUT':
        return endpoint('StorageAccounts_Create', 'storageAccounts/write', 8, (c) => create(c, rgOf(c), nameOf(c)));
      case 'GET':
        return endpoint('StorageAccounts_GetProperties', 'storageAccounts/read', 8, (c) => {
          const found = lookup(c, rgOf(c), nameOf(c));
          return isAccount(found) ? json(200, storageAccountJson(found, c.now)) : found;
        });
      case 'PATCH':
        return endpoint('StorageAccounts_Update', 'storageAccounts/write', 8, (c) => update(c, rgOf(c), nameOf(c)));
      case 'DELETE':
        return endpoint('StorageAccounts_Delete', 'storageAccounts/delete', 8, (c) => remove(c, rgOf(c), nameOf(c)));
      default:
        return undefined;
    }
  };
}

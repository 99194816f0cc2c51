// cloudsim's Entra ID and ARM, driven by the real Azure SDKs (and raw HTTPS for the error shapes), against
// the environment's cloudsim.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ResourceManagementClient } from '@azure/arm-resources';
import { StorageManagementClient } from '@azure/arm-storage';
import { ClientSecretCredential } from '@azure/identity';
import { admin, entraToken, httpsCall, simEnv, uniqueName, type SimEnv } from './support.ts';

let sim: SimEnv;
let resources: ResourceManagementClient;
let storage: StorageManagementClient;
const ARM_CREATE_MS = 600;

function restError(err: unknown): { statusCode?: number; code?: string; message: string } {
  assert.ok(err instanceof Error, `expected an Error, got ${String(err)}`);
  return err as Error & { statusCode?: number; code?: string };
}

before(async () => {
  sim = simEnv();
  const credential = new ClientSecretCredential(sim.azure.tenantId, sim.azure.clientId, sim.azure.clientSecret, {
    authorityHost: sim.azureUrl,
    disableInstanceDiscovery: true,
  });
  // No SDK retries: each call is one request, so throttling and outages surface as they are.
  const options = { endpoint: sim.azureUrl, credentials: { scopes: [`${sim.azureUrl}/.default`] }, retryOptions: { maxRetries: 0 } };
  resources = new ResourceManagementClient(credential, sim.azure.subscriptionId, options);
  storage = new StorageManagementClient(credential, sim.azure.subscriptionId, options);
  await admin(sim.adminUrl, 'PATCH', 'knobs', { timings: { armCreateMs: ARM_CREATE_MS, armDeleteMs: ARM_CREATE_MS } });
});

after(async () => {
  if (sim) await admin(sim.adminUrl, 'POST', 'reset');
});

test('resource groups: create, read (case-insensitive), check existence, patch tags, list, delete through the LRO', async () => {
  const name = uniqueName('Rg-');
  const created = await resources.resourceGroups.createOrUpdate(name, { location: 'West Europe', tags: { team: 'a' } });
  assert.equal(created.name, name);
  assert.equal(created.location, 'westeurope', 'ARM normalizes the location');
  assert.deepEqual(created.tags, { team: 'a' });
  assert.equal(created.properties?.provisioningState, 'Succeeded');
  assert.equal((await resources.resourceGroups.get(name.toLowerCase())).name, name, 'names are case-insensitive; the original casing is kept');
  assert.equal((await resources.resourceGroups.checkExistence(name)).body, true);
  assert.equal((await resources.resourceGroups.checkExistence(`${name}-nope`)).body, false);
  const patched = await resources.resourceGroups.update(name, { tags: { team: 'b', env: 'test' } });
  assert.deepEqual(patched.tags, { team: 'b', env: 'test' });
  const listed: string[] = [];
  for await (const g of resources.resourceGroups.list()) listed.push(g.name ?? '');
  assert.ok(listed.includes(name));

  const started = Date.now();
  await resources.resourceGroups.delete(name);
  assert.ok(Date.now() - started >= ARM_CREATE_MS - 50, 'the delete poller waited for the LRO');
  await assert.rejects(resources.resourceGroups.get(name), (err: unknown) => {
    const e = restError(err);
    return e.statusCode === 404 && e.code === 'ResourceGroupNotFound';
  });
});

test('storage accounts: beginCreateAndWait goes through the LRO; settings round-trip; listKeys; update; delete', async () => {
  const group = uniqueName('rg-');
  const name = uniqueName('acct').slice(0, 24);
  await resources.resourceGroups.createOrUpdate(group, { location: 'eastus' });
  const availability = await storage.storageAccounts.checkNameAvailability({ name, type: 'Microsoft.Storage/storageAccounts' });
  assert.equal(availability.nameAvailable, true);

  const poller = storage.storageAccounts.create(group, name, {
    location: 'eastus',
    sku: { name: 'Standard_GRS' },
    kind: 'StorageV2',
    tags: { owner: 'pledge' },
    accessTier: 'Cool',
    minimumTlsVersion: 'TLS1_2',
    allowBlobPublicAccess: true,
    enableHttpsTrafficOnly: false,
  });
  const during = await storage.storageAccounts.getProperties(group, name);
  assert.equal(during.provisioningState, 'Creating', 'the account exists while the LRO runs');
  await assert.rejects(storage.storageAccounts.listKeys(group, name), (err: unknown) => restError(err).code === 'StorageAccountIsNotProvisioned');
  const account = await poller;
  assert.equal(account.provisioningState, 'Succeeded');
  assert.deepEqual(account.tags, { owner: 'pledge' });
  assert.equal(account.location, 'eastus');
  assert.equal(account.sku?.name, 'Standard_GRS');
  assert.equal(account.kind, 'StorageV2');
  assert.equal(account.accessTier, 'Cool');
  assert.equal(account.minimumTlsVersion, 'TLS1_2');
  assert.equal(account.allowBlobPublicAccess, true);
  assert.equal(account.enableHttpsTrafficOnly, false);
  assert.equal(account.primaryEndpoints?.blob, `https://${name}.blob.core.windows.net/`);

  const again = await storage.storageAccounts.beginCreateAndWait(group, name, { location: 'eastus', sku: { name: 'Standard_GRS' }, kind: 'StorageV2', tags: { owner: 'x' } });
  assert.deepEqual(again.tags, { owner: 'x' }, 'a PUT on an existing account updates it');

  const keys = await storage.storageAccounts.listKeys(group, name);
  assert.deepEqual(keys.keys?.map((k) => k.keyName), ['key1', 'key2']);
  assert.ok((keys.keys?.[0]?.value ?? '').length > 40);

  const updated = await storage.storageAccounts.update(group, name, { tags: { owner: 'y' }, accessTier: 'Hot', minimumTlsVersion: 'TLS1_3' });
  assert.deepEqual(updated.tags, { owner: 'y' });
  assert.equal(updated.accessTier, 'Hot');
  assert.equal(updated.minimumTlsVersion, 'TLS1_3');
  assert.equal(updated.sku?.name, 'Standard_GRS', 'a PATCH leaves what it does not name');

  const taken = await storage.storageAccounts.checkNameAvailability({ name, type: 'Microsoft.Storage/storageAccounts' });
  assert.equal(taken.nameAvailable, false);
  assert.equal(taken.reason, 'AlreadyExists');
  const inGroup: string[] = [];
  for await (const a of storage.storageAccounts.listByResourceGroup(group)) inGroup.push(a.name ?? '');
  assert.deepEqual(inGroup, [name]);

  await storage.storageAccounts.delete(group, name);
  await storage.storageAccounts.delete(group, name); // gone already: 204, no error
  await assert.rejects(storage.storageAccounts.getProperties(group, name), (err: unknown) => {
    const e = restError(err);
    return e.statusCode === 404 && e.code === 'ResourceNotFound';
  });
  await resources.resourceGroups.delete(group);
});

test('deleting a resource group deletes its storage accounts', async () => {
  const group = uniqueName('rg-');
  const name = uniqueName('acc').slice(0, 24);
  await resources.resourceGroups.createOrUpdate(group, { location: 'eastus' });
  await storage.storageAccounts.create(group, name, { location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' });
  await resources.resourceGroups.delete(group);
  const availability = await storage.storageAccounts.checkNameAvailability({ name, type: 'Microsoft.Storage/storageAccounts' });
  assert.equal(availability.nameAvailable, true, 'the account went with its group');
});

test('ARM refuses bad input with its own codes', async () => {
  await assert.rejects(storage.storageAccounts.create('no-such-group', 'abcabc123', { location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' }), (err: unknown) => {
    const e = restError(err);
    return e.statusCode === 404 && e.code === 'ResourceGroupNotFound';
  });
  const group = uniqueName('rg-');
  await resources.resourceGroups.createOrUpdate(group, { location: 'eastus' });
  await assert.rejects(storage.storageAccounts.create(group, 'Not_Valid', { location: 'eastus', sku: { name: 'Standard_LRS' }, kind: 'StorageV2' }), (err: unknown) => restError(err).code === 'AccountNameInvalid');
  await assert.rejects(storage.storageAccounts.create(group, 'abcabc123', { location: 'eastus', sku: { name: 'Gold_LRS' }, kind: 'StorageV2' }), (err: unknown) => restError(err).code === 'InvalidValuesForRequestParameters');
  await assert.rejects(resources.resourceGroups.createOrUpdate(group, { location: 'westus' }), (err: unknown) => {
    const e = restError(err);
    return e.statusCode === 409 && e.code === 'InvalidResourceGroupLocation';
  });
  await assert.rejects(resources.resourceGroups.createOrUpdate('bad name!', { location: 'westus' }), (err: unknown) => restError(err).code === 'InvalidResourceGroup');
  await resources.resourceGroups.delete(group);
});

test('api-version is required and checked; the bearer token is required and checked', async () => {
  const token = (await entraToken(sim)).json() as { access_token: string };
  const base = `${sim.azureUrl}/subscriptions/${sim.azure.subscriptionId}/resourcegroups`;
  const auth = { authorization: `Bearer ${token.access_token}` };
  const call = (url: string, headers: Record<string, string>) => httpsCall(url, { headers, caPath: sim.caPath });
  const err = (body: string) => (JSON.parse(body) as { error: { code: string; message: string } }).error;

  const missing = await call(base, auth);
  assert.equal(missing.status, 400);
  assert.equal(err(missing.body).code, 'MissingApiVersionParameter');
  const wrong = await call(`${base}?api-version=2099-01-01`, auth);
  assert.equal(wrong.status, 400);
  assert.equal(err(wrong.body).code, 'InvalidApiVersionParameter');
  assert.match(err(wrong.body).message, /2025-04-01/, 'the message lists the accepted versions');
  const ok = await call(`${base}?api-version=2021-04-01`, auth);
  assert.equal(ok.status, 200, 'older accepted versions work');

  const noToken = await call(`${base}?api-version=2025-04-01`, {});
  assert.equal(noToken.status, 401);
  assert.equal(err(noToken.body).code, 'AuthenticationFailed');
  assert.match(String(noToken.headers['www-authenticate']), /^Bearer /);
  const forged = `${token.access_token.slice(0, -4)}AAAA`;
  const bad = await call(`${base}?api-version=2025-04-01`, { authorization: `Bearer ${forged}` });
  assert.equal(bad.status, 401);
  assert.equal(err(bad.body).code, 'InvalidAuthenticationToken');
  const otherSub = await call(`${sim.azureUrl}/subscriptions/00000000-0000-4000-8000-000000000000/resourcegroups?api-version=2025-04-01`, auth);
  assert.equal(otherSub.status, 404);
  assert.equal(err(otherSub.body).code, 'SubscriptionNotFound');
});

test('Entra: a wrong client secret is refused with AADSTS7000215, by the SDK and on the wire', async () => {
  const wrong = new ClientSecretCredential(sim.azure.tenantId, sim.azure.clientId, 'not-the-secret', { authorityHost: sim.azureUrl, disableInstanceDiscovery: true });
  await assert.rejects(wrong.getToken(`${sim.azureUrl}/.default`), (err: unknown) => restError(err).message.includes('AADSTS7000215'));
  const raw = await entraToken(sim, 'not-the-secret');
  assert.equal(raw.status, 401);
  const body = raw.json() as { error: string; error_description: string; error_codes: number[] };
  assert.equal(body.error, 'invalid_client');
  assert.match(body.error_description, /^AADSTS7000215: Invalid client secret provided/);
  assert.deepEqual(body.error_codes, [7000215]);
  assert.ok(!raw.body.includes('not-the-secret'), 'the secret is not echoed');
  const discovery = await httpsCall(`${sim.azureUrl}/${sim.azure.tenantId}/v2.0/.well-known/openid-configuration`, { caPath: sim.caPath });
  const config = discovery.json() as Record<string, string>;
  assert.equal(config.token_endpoint, `${sim.azureUrl}/${sim.azure.tenantId}/oauth2/v2.0/token`);
  assert.equal(config.issuer, `${sim.azureUrl}/${sim.azure.tenantId}/v2.0`);
});

test('knobs: ARM throttling reaches the SDK as 429 with Retry-After; an outage as 503; counters count both', async () => {
  await admin(sim.adminUrl, 'DELETE', 'counters');
  const group = uniqueName('rg-');
  await resources.resourceGroups.createOrUpdate(group, { location: 'eastus' });
  await admin(sim.adminUrl, 'PATCH', 'knobs', { faults: { 'arm.ResourceGroups_Get': { throttleRate: 1, retryAfterSeconds: 7 } } });
  await assert.rejects(resources.resourceGroups.get(group), (err: unknown) => {
    const e = restError(err) as Error & { statusCode?: number; code?: string; response?: { headers: { get(n: string): string | undefined } } };
    return e.statusCode === 429 && e.code === 'SubscriptionRequestsThrottled' && e.response?.headers.get('retry-after') === '7';
  });
  assert.equal((await resources.resourceGroups.checkExistence(group)).body, true, 'only the named operation is throttled');
  await admin(sim.adminUrl, 'PATCH', 'knobs', { faults: { 'arm.ResourceGroups_Get': null } });

  await admin(sim.adminUrl, 'POST', 'outages', { service: 'arm', seconds: 1 });
  await assert.rejects(resources.resourceGroups.checkExistence(group), (err: unknown) => restError(err).statusCode === 503);
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  assert.equal((await resources.resourceGroups.get(group)).name, group, 'the outage window ended by itself');

  const counts = await admin<Record<string, Record<string, Record<string, number>>>>(sim.adminUrl, 'GET', 'counters');
  assert.equal(counts.arm?.ResourceGroups_Get?.throttled, 1);
  assert.equal(counts.arm?.ResourceGroups_Get?.ok, 1);
  assert.equal(counts.arm?.ResourceGroups_CheckExistence?.outage, 1);
  assert.equal(counts.arm?.ResourceGroups_CreateOrUpdate?.ok, 1);
  assert.ok((counts.entra?.Token?.ok ?? 0) <= 1, 'the SDK caches its token');
  await resources.resourceGroups.delete(group);
});

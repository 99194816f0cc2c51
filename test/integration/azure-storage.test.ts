// Azure end to end: kubectl → kube-apiserver → `pledge run` → Azure SDKs (Entra token, ARM over HTTPS) → cloudsim.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { kubectl, kubectlApply } from '../env/index.ts';
import { azureTestEnv, rawAzure, setKnobs, timings, uniqueAzureName, type AzureTestEnv } from '../providers/azure-cloudsim.ts';
import { condition, eventually, getJson, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';

const found = azureTestEnv();
const skip = typeof found === 'string' ? found : false;
const env = (typeof found === 'string' ? undefined : found) as AzureTestEnv;

const RG = 'resourcegroups.resources.azure.pledge.dev';
const ACCOUNT = 'accounts.storage.azure.pledge.dev';
const LOCATION = 'westeurope';
const WRONG_SECRET = 'xyz8Q~definitely-not-the-client-secret-0123';
/** How long cloudsim keeps a new storage account Creating in these tests: long enough to be seen. */
const CREATE_MS = 8_000;

function providerConfigYaml(name: string, secretName: string, secret: string): string {
  return `
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: ${secretName}, namespace: pledge-system}
stringData:
  clientSecret: "${secret}"
---
apiVersion: azure.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  tenantId: "${env.tenantId}"
  clientId: "${env.clientId}"
  subscriptionId: "${env.subscriptionId}"
  clientSecretSecretRef: {name: ${secretName}, namespace: pledge-system, key: clientSecret}
  endpoint: ${env.url}
  authorityHost: ${env.url}
`;
}

const groupYaml = (name: string, extra = '', tags = '{team: platform}') => `
apiVersion: resources.azure.pledge.dev/v1
kind: ResourceGroup
metadata: {name: ${name}}
spec:
  forProvider: {location: ${LOCATION}, tags: ${tags}}
${extra}`;

const accountYaml = (name: string, groupObject: string) => `
apiVersion: storage.azure.pledge.dev/v1
kind: Account
metadata: {name: ${name}}
spec:
  forProvider:
    resourceGroupNameRef: {name: ${groupObject}}
    location: ${LOCATION}
    sku: Standard_LRS
    kind: StorageV2
    minimumTlsVersion: TLS1_2
    allowBlobPublicAccess: false
    tags: {app: web}
  writeConnectionSecretToRef: {name: ${name}-conn, namespace: default}
`;

async function apply(yaml: string): Promise<void> {
  const res = await kubectlApply(yaml);
  assert.equal(res.code, 0, res.stderr);
}

async function waitReady(resource: string, name: string, controller: ControllerProcess, timeout = '60s'): Promise<void> {
  const res = await kubectl(['wait', '--for=condition=Ready', `--timeout=${timeout}`, `${resource}/${name}`], { timeoutMs: 90_000 });
  assert.equal(res.code, 0, `kubectl wait ${resource}/${name}: ${res.stderr}\ncontroller log:\n${(await controller.log()).slice(-4000)}`);
}

async function gone(resource: string, name: string): Promise<boolean> {
  return (await getJson(resource, name)) === undefined;
}

describe('Azure ResourceGroup and storage Account on a real kube-apiserver and cloudsim', { skip }, () => {
  let controller: ControllerProcess;
  const raw = skip ? undefined : rawAzure(env);
  const group = uniqueAzureName('pledgee2erg');
  const acct = uniqueAzureName('pledgee2e');

  let previousCreateMs = 1_000;
  before(async () => {
    previousCreateMs = (await timings(env)).armCreateMs ?? previousCreateMs;
    await setKnobs(env, { timings: { armCreateMs: CREATE_MS } });
    await installCrds();
    await apply(providerConfigYaml('default', 'azure-creds', env.clientSecret));
    await apply(providerConfigYaml('azure-wrong-secret', 'azure-wrong-creds', WRONG_SECRET));
    // The controller must trust cloudsim's CA: Node reads NODE_EXTRA_CA_CERTS at start.
    controller = await startController({ pollInterval: '2s', env: { NODE_EXTRA_CA_CERTS: env.caPath } });
  });

  after(async () => {
    if (skip) return;
    await kubectl(['delete', ACCOUNT, '--all', '--ignore-not-found', '--timeout=60s'], { timeoutMs: 70_000 });
    await kubectl(['delete', RG, '--all', '--ignore-not-found', '--timeout=60s'], { timeoutMs: 70_000 });
    await controller?.stop();
    await setKnobs(env, { timings: { armCreateMs: previousCreateMs } });
  });

  test('a ResourceGroup and an Account referencing it by resourceGroupNameRef are created and become Ready; the create does not block the queue', async () => {
    await apply(groupYaml(group));
    await apply(accountYaml(acct, group));

    // While ARM provisions the account, the Account reports it and is not Ready.
    await eventually(async () => {
      const obj = await getJson<{ status?: { atProvider?: { provisioningState?: string } } }>(ACCOUNT, acct);
      return obj?.status?.atProvider?.provisioningState === 'Creating' && (await condition(ACCOUNT, acct, 'Ready'))?.status === 'False';
    }, 'the Account to show provisioningState Creating with Ready=False', 30_000);
    // Meanwhile the controller serves others: a second group becomes Ready before the account does.
    const other = uniqueAzureName('pledgee2eother');
    await apply(groupYaml(other));
    await waitReady(RG, other, controller);
    assert.equal((await condition(ACCOUNT, acct, 'Ready'))?.status, 'False', 'the account is still provisioning');

    await waitReady(ACCOUNT, acct, controller);
    const obj = await getJson<{ spec: { forProvider: { resourceGroupName?: string } }; metadata: { annotations: Record<string, string> }; status: { atProvider: Record<string, unknown> } }>(ACCOUNT, acct);
    assert.equal(obj?.spec.forProvider.resourceGroupName, group, 'the reference was resolved into resourceGroupName');
    assert.equal(obj?.metadata.annotations['pledge.dev/external-name'], acct);
    const { primaryKeyCreationTime, ...atProvider } = obj?.status.atProvider ?? {};
    assert.deepEqual(atProvider, {
      id: `/subscriptions/${env.subscriptionId}/resourceGroups/${group}/providers/Microsoft.Storage/storageAccounts/${acct}`,
      provisioningState: 'Succeeded',
      primaryEndpoints: { blob: `https://${acct}.blob.core.windows.net/` },
    });
    assert.ok(!Number.isNaN(Date.parse(String(primaryKeyCreationTime))), 'atProvider.primaryKeyCreationTime is a time');
    const cloud = await raw?.storage.storageAccounts.getProperties(group, acct);
    assert.equal(cloud?.minimumTlsVersion, 'TLS1_2');
    assert.equal(cloud?.allowBlobPublicAccess, false);
    assert.deepEqual(cloud?.tags, { app: 'web' });
    assert.deepEqual((await raw?.resources.resourceGroups.get(group))?.tags, { team: 'platform' });

    const table = await mustKubectl(['get', ACCOUNT, acct]);
    assert.match(table.trim().split('\n')[1] ?? '', new RegExp(`^${acct}\\s+True\\s+True\\s+${acct}\\s+\\d+s$`));
    await kubectl(['delete', RG, other, '--timeout=60s'], { timeoutMs: 70_000 });
  });

  test('the connection secret holds accountName, primaryKey and connectionString; no key or client secret reaches the log', async () => {
    const keys = await raw?.storage.storageAccounts.listKeys(group, acct);
    const key1 = keys?.keys?.find((k) => k.keyName === 'key1')?.value ?? '';
    assert.ok(key1.length > 20);
    let data: Record<string, string> = {};
    await eventually(async () => {
      const secret = await getJson<{ data?: Record<string, string>; type?: string }>('secret', `${acct}-conn`, 'default');
      data = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
      return data.primaryKey !== undefined;
    }, 'the connection secret');
    assert.equal(data.accountName, acct);
    assert.equal(data.primaryKey, key1);
    assert.equal(data.connectionString, `DefaultEndpointsProtocol=https;AccountName=${acct};AccountKey=${key1};EndpointSuffix=core.windows.net`);
    // A key regenerated in Azure reaches the secret at the next poll.
    const rotated = await raw?.storage.storageAccounts.regenerateKey(group, acct, { keyName: 'key1' });
    const newKey = rotated?.keys?.find((k) => k.keyName === 'key1')?.value ?? '';
    await eventually(async () => {
      const secret = await getJson<{ data?: Record<string, string> }>('secret', `${acct}-conn`, 'default');
      return Buffer.from(secret?.data?.primaryKey ?? '', 'base64').toString('utf8') === newKey;
    }, 'the regenerated key in the connection secret', 15_000);
    const log = await controller.log();
    assert.ok(!log.includes(key1) && !log.includes(newKey), 'the account keys are not logged');
    assert.ok(!log.includes(env.clientSecret), 'the client secret is not logged');
    assert.match(log, /connectionKeys/, 'key names are logged');
  });

  test('drift made through ARM (tags, minimumTlsVersion, allowBlobPublicAccess) is corrected within the poll interval', async () => {
    await raw?.resources.resourceGroups.update(group, { tags: { team: 'hacker' } });
    await raw?.storage.storageAccounts.update(group, acct, { minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true, tags: { app: 'web', owner: 'mallory' } });
    const changed = await raw?.storage.storageAccounts.getProperties(group, acct);
    assert.equal(changed?.minimumTlsVersion, 'TLS1_0', 'the drift took');
    const started = Date.now();
    await eventually(
      async () => {
        const a = await raw?.storage.storageAccounts.getProperties(group, acct);
        const g = await raw?.resources.resourceGroups.get(group);
        return a?.minimumTlsVersion === 'TLS1_2' && a.allowBlobPublicAccess === false && JSON.stringify(a.tags) === '{"app":"web"}' && JSON.stringify(g?.tags) === '{"team":"platform"}';
      },
      'the account and group settings to be restored',
      20_000,
    );
    // Poll interval 2 s ± 10 %, plus one reconcile: well under 10 s.
    assert.ok(Date.now() - started < 10_000, `restored after ${Date.now() - started} ms`);
    const events = await mustKubectl(['get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${acct}`, '-o', 'json']);
    const messages = (JSON.parse(events) as { items: Array<{ reason: string; message: string }> }).items.filter((e) => e.reason === 'UpdatedExternalResource').map((e) => e.message);
    assert.ok(messages.some((m) => m.includes('minimumTlsVersion TLS1_0→TLS1_2') && m.includes('allowBlobPublicAccess true→false')), messages.join(' | '));
  });

  test('a ResourceGroup waits while a storage account is still in it, and goes once the Account is deleted', async () => {
    const del = await kubectl(['delete', RG, group, '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    await eventually(async () => /still contains storage account/.test((await condition(RG, group, 'Synced'))?.message ?? ''), 'the group to say what it waits for');
    const synced = await condition(RG, group, 'Synced');
    assert.match(synced?.message ?? '', new RegExp(`^delete failed: resource group ${group} still contains storage account ${acct}: deleting the group would delete them too`));
    assert.equal((await condition(RG, group, 'Ready'))?.reason, 'Deleting');
    assert.ok(await raw?.resources.resourceGroups.get(group), 'the group is still in Azure');
    assert.ok(await raw?.storage.storageAccounts.getProperties(group, acct), 'and so is the account');

    const delAccount = await kubectl(['delete', ACCOUNT, acct, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(delAccount.code, 0, delAccount.stderr);
    await eventually(async () => gone(RG, group), 'the ResourceGroup object to be gone', 60_000);
    const groups: string[] = [];
    for await (const g of raw?.resources.resourceGroups.list() ?? []) groups.push(g.name ?? '');
    assert.ok(!groups.includes(group), 'the group is gone from Azure');
    assert.equal(await getJson('secret', `${acct}-conn`, 'default'), undefined, 'the connection secret went with the Account');
  });

  test('deleting a ResourceGroup and its Account at once removes both', async () => {
    const g = uniqueAzureName('pledgee2ebothrg');
    const a = uniqueAzureName('pledgee2eboth');
    await apply(groupYaml(g));
    await apply(accountYaml(a, g));
    await waitReady(ACCOUNT, a, controller);
    const del = await kubectl(['delete', RG, g, '--wait=false']);
    assert.equal(del.code, 0, del.stderr);
    const delAccount = await kubectl(['delete', ACCOUNT, a, '--wait=false']);
    assert.equal(delAccount.code, 0, delAccount.stderr);
    await eventually(async () => (await gone(RG, g)) && (await gone(ACCOUNT, a)), 'both objects to be gone', 90_000);
    const accounts: string[] = [];
    for await (const x of raw?.storage.storageAccounts.list() ?? []) accounts.push(x.name ?? '');
    assert.ok(!accounts.includes(a), 'the account is gone from Azure');
    await assert.rejects(raw?.resources.resourceGroups.get(g) ?? Promise.reject(new Error('no client')), /could not be found/);
  });

  test('a ProviderConfig with a wrong client secret gives Synced=False with Entra\'s AADSTS error; the controller keeps serving others', async () => {
    const bad = uniqueAzureName('pledgee2ebadcreds');
    await apply(groupYaml(bad, '  providerConfigRef: {name: azure-wrong-secret}'));
    await eventually(async () => (await condition(RG, bad, 'Synced'))?.status === 'False', 'Synced=False');
    const synced = await condition(RG, bad, 'Synced');
    assert.equal(synced?.reason, 'TerminalError');
    assert.match(synced?.message ?? '', /^observe failed: invalid_client: AADSTS7000215: Invalid client secret provided\./);
    assert.ok(!(synced?.message ?? '').includes(WRONG_SECRET), 'the secret is not in the condition');
    assert.ok(!(await controller.log()).includes(WRONG_SECRET), 'nor in the log');
    const events = await mustKubectl(['get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${bad}`, '-o', 'json']);
    const reasons = (JSON.parse(events) as { items: Array<{ reason: string; type: string }> }).items.map((e) => `${e.type}/${e.reason}`);
    assert.ok(reasons.includes('Warning/CannotObserveExternalResource'), reasons.join(', '));

    assert.equal(controller.child.hasExited(), false);
    const good = uniqueAzureName('pledgee2egood');
    await apply(groupYaml(good));
    await waitReady(RG, good, controller);

    // Fixing the Secret fixes the resource: the new secret means new credentials.
    await apply(providerConfigYaml('azure-wrong-secret', 'azure-wrong-creds', env.clientSecret));
    await waitReady(RG, bad, controller, '90s');
    assert.equal((await condition(RG, bad, 'Synced'))?.status, 'True');
    await kubectl(['delete', RG, good, bad, '--timeout=60s'], { timeoutMs: 70_000 });
  });

  test('names Azure would refuse are refused at admission, naming metadata.name', async () => {
    const res = await kubectlApply(accountYaml('pledge-hyphen', 'rg'));
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /metadata\.name may contain only lowercase letters and digits/);
    const long = await kubectlApply(accountYaml('a'.repeat(25), 'rg'));
    assert.notEqual(long.code, 0);
    assert.match(long.stderr, /metadata\.name must be 3 to 24 characters/);
  });
});

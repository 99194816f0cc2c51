// The Azure kinds against cloudsim's ARM and Entra over HTTPS: the Azure SDKs talk to cloudsim, nothing is mocked.
// The runner (make test / test/env/run.ts) starts cloudsim and exports its URL, CA and identity.
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { after, before, describe, it } from 'node:test';
import { describeError, NotFoundError, type PledgeError, TerminalError, ThrottledError, TransientError } from '../../core/errors/index.ts';
import type { CloudCallGate, ConnectContext, ExternalClient, ManagedResource, SecretKeySelector } from '../../core/managed/types.ts';
import { account, type AccountObservation, type AccountParameters } from '../../providers/azure/account.ts';
import { resourceGroup, type ResourceGroupObservation, type ResourceGroupParameters } from '../../providers/azure/resource-group.ts';
import { azureTestEnv, rawAzure, setKnobs, timings, uniqueAzureName, type AzureTestEnv } from './azure-cloudsim.ts';

const found = azureTestEnv();
const skip = typeof found === 'string' ? found : false;
const env = (typeof found === 'string' ? undefined : found) as AzureTestEnv;

const signal = AbortSignal.timeout(120_000);
const LOCATION = 'westeurope';
/** How long cloudsim keeps a new storage account Creating here: long enough to see it even on a busy machine. */
const CREATE_MS = 3_000;

/** The core's call gate, counting: every ARM request must wait on it and report back. */
function countingGate() {
  const gate = {
    acquired: 0,
    recorded: [] as Array<{ operation: string; err?: unknown }>,
    async acquire(sig: AbortSignal) {
      sig.throwIfAborted();
      gate.acquired++;
    },
    record(operation: string, err?: unknown) {
      gate.recorded.push(err === undefined ? { operation } : { operation, err });
    },
  };
  return gate;
}

function connectContext(options: { calls?: CloudCallGate; secret?: string; subscriptionId?: string; connectionDetails?: Record<string, string> } = {}): ConnectContext {
  return {
    providerConfig: {
      apiVersion: 'azure.pledge.dev/v1',
      kind: 'ProviderConfig',
      metadata: { name: 'default' },
      spec: {
        tenantId: env.tenantId,
        clientId: env.clientId,
        subscriptionId: options.subscriptionId ?? env.subscriptionId,
        clientSecretSecretRef: { name: 'azure-creds', namespace: 'pledge-system', key: 'clientSecret' },
        endpoint: env.url,
        authorityHost: env.url,
      },
    },
    async readSecret(ref: SecretKeySelector) {
      if (ref.name !== 'azure-creds' || ref.key !== 'clientSecret') throw new Error(`unexpected secret read ${ref.namespace}/${ref.name}/${ref.key}`);
      return options.secret ?? env.clientSecret;
    },
    connectionDetails: options.connectionDetails ?? {},
    calls: options.calls ?? countingGate(),
    signal,
  };
}

type Group = ManagedResource<ResourceGroupParameters, ResourceGroupObservation>;
type Account = ManagedResource<AccountParameters, AccountObservation>;

function group(name: string, forProvider: ResourceGroupParameters): Group {
  return { apiVersion: 'resources.azure.pledge.dev/v1', kind: 'ResourceGroup', metadata: { name, generation: 1 }, spec: { forProvider } };
}

function storageAccount(name: string, forProvider: AccountParameters, withSecret = true): Account {
  return {
    apiVersion: 'storage.azure.pledge.dev/v1',
    kind: 'Account',
    metadata: { name, generation: 1 },
    spec: { forProvider, ...(withSecret ? { writeConnectionSecretToRef: { name: `${name}-conn`, namespace: 'default' } } : {}) },
  };
}

/** Observes as the reconciler would, with a fresh client per reconcile (connect is per reconcile). */
async function observe<P, A>(kind: { connect(mr: ManagedResource<P, A>, ctx: ConnectContext): Promise<ExternalClient<P, A>> }, mr: ManagedResource<P, A>, ctx = connectContext()) {
  const external = await kind.connect(mr, ctx);
  const observation = await external.observe(mr, signal);
  if (observation.atProvider) mr.status = { ...mr.status, atProvider: observation.atProvider };
  return { external, observation };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(200, undefined, { signal });
  }
}

function rejectsWith(Class: typeof PledgeError, pattern: RegExp) {
  return (err: unknown) => {
    assert.ok(err instanceof Class, `want ${Class.name}, got ${err instanceof Error ? `${err.constructor.name}: ${describeError(err)}` : String(err)}`);
    assert.match(describeError(err), pattern);
    return true;
  };
}

describe('Azure ResourceGroup and storage Account against cloudsim', { skip }, () => {
  const raw = skip ? undefined : rawAzure(env);
  const groupName = uniqueAzureName('pledgerg');
  const accountName = uniqueAzureName('pledgeacct');
  const rg = () => group(groupName, { location: LOCATION, tags: { team: 'platform' } });
  const acct = () =>
    storageAccount(accountName, { resourceGroupName: groupName, location: LOCATION, sku: 'Standard_LRS', kind: 'StorageV2', minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, tags: { app: 'web' } });

  let previous: Record<string, number> = {};
  before(async () => {
    previous = await timings(env);
    // Slow enough that a test can see the account Creating, fast enough to keep the suite quick.
    await setKnobs(env, { timings: { armCreateMs: CREATE_MS, armDeleteMs: 1_000 } });
  });
  after(async () => {
    if (!skip) await setKnobs(env, { timings: { armCreateMs: previous.armCreateMs, armDeleteMs: previous.armDeleteMs } });
  });

  it('creates a resource group, notices tag drift, corrects it', async () => {
    const gate = countingGate();
    const mr = rg();
    assert.deepEqual((await observe(resourceGroup, mr, connectContext({ calls: gate }))).observation, { exists: false }, 'absent before create');

    const external = await resourceGroup.connect(mr, connectContext({ calls: gate }));
    await external.create(mr, signal);
    await external.create(mr, signal); // a retried create is a PUT of the same thing: fine

    const created = (await observe(resourceGroup, mr, connectContext({ calls: gate }))).observation;
    assert.equal(created.exists, true);
    assert.equal(created.ready, true);
    assert.equal(created.upToDate, true);
    assert.equal(created.atProvider?.id, `/subscriptions/${env.subscriptionId}/resourceGroups/${groupName}`);
    assert.equal(created.atProvider?.provisioningState, 'Succeeded');

    await raw?.resources.resourceGroups.update(groupName, { tags: { team: 'hacker', extra: 'x' } });
    const drifted = await observe(resourceGroup, mr, connectContext({ calls: gate }));
    assert.equal(drifted.observation.upToDate, false);
    assert.equal(drifted.observation.diff, 'tags differ (-extra ~team)');
    await drifted.external.update(mr, signal);
    assert.deepEqual((await raw?.resources.resourceGroups.get(groupName))?.tags, { team: 'platform' });
    assert.equal((await observe(resourceGroup, mr, connectContext({ calls: gate }))).observation.upToDate, true);

    assert.ok(gate.acquired > 0);
    assert.equal(gate.recorded.length, gate.acquired, 'every request acquired the gate once and was recorded once');
    const failures = gate.recorded.filter((r) => r.err !== undefined);
    assert.deepEqual(failures.map((r) => r.operation), ['GetResourceGroup'], 'only the first observe failed, and it was a 404');
    assert.ok(failures[0]?.err instanceof NotFoundError, 'recorded as not_found');
  });

  it('creates a storage account without waiting for provisioning, then sees Creating → Succeeded', async () => {
    const mr = acct();
    assert.deepEqual((await observe(account, mr)).observation, { exists: false });
    const gate = countingGate();
    const external = await account.connect(mr, connectContext({ calls: gate }));
    const started = Date.now();
    await external.create(mr, signal);
    const took = Date.now() - started;
    assert.ok(took < CREATE_MS, `create returned after ${took} ms, before provisioning ended`);
    assert.deepEqual(gate.recorded.map((r) => r.operation), ['CreateStorageAccount'], 'one request: the PUT, no polling');

    const creating = (await observe(account, mr)).observation;
    assert.equal(creating.exists, true);
    assert.equal(creating.ready, false, 'not ready while provisioning');
    assert.equal(creating.upToDate, true, 'nothing to update while provisioning');
    assert.equal(creating.atProvider?.provisioningState, 'Creating');
    assert.equal(creating.connectionDetails, undefined, 'no keys before the account is provisioned');

    const ready = await until('the account to be Succeeded', async () => {
      const o = (await observe(account, mr)).observation;
      return o.ready ? o : undefined;
    });
    assert.equal(ready.upToDate, true, ready.diff);
    assert.equal(ready.atProvider?.provisioningState, 'Succeeded');
    assert.equal(ready.atProvider?.primaryEndpoints?.blob, `https://${accountName}.blob.core.windows.net/`);
    assert.deepEqual(ready.lateInit, { accessTier: 'Hot', enableHttpsTrafficOnly: true });

    const keys = await raw?.storage.storageAccounts.listKeys(groupName, accountName);
    const key1 = keys?.keys?.find((k) => k.keyName === 'key1')?.value ?? '';
    assert.ok(key1.length > 20);
    assert.deepEqual(ready.connectionDetails, {
      accountName,
      primaryKey: key1,
      connectionString: `DefaultEndpointsProtocol=https;AccountName=${accountName};AccountKey=${key1};EndpointSuffix=core.windows.net`,
      blobEndpoint: `https://${accountName}.blob.core.windows.net/`,
    });
    // A create of what exists with the same settings is a no-op PUT.
    await (await account.connect(mr, connectContext())).create(mr, signal);
  });

  it('corrects drift in tags, minimumTlsVersion and allowBlobPublicAccess made through ARM', async () => {
    const mr = acct();
    await raw?.storage.storageAccounts.update(groupName, accountName, { minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true, tags: { app: 'web', owner: 'mallory' } });
    const gate = countingGate();
    const { external, observation } = await observe(account, mr, connectContext({ calls: gate }));
    assert.equal(observation.upToDate, false);
    assert.equal(observation.diff, 'minimumTlsVersion TLS1_0→TLS1_2; allowBlobPublicAccess true→false; tags differ (-owner)');
    await external.update(mr, signal);
    assert.deepEqual(
      gate.recorded.map((r) => r.operation),
      ['GetStorageAccount', 'ListStorageAccountKeys', 'UpdateStorageAccount'],
      'update PATCHes what observe saw differ, without reading again',
    );
    const now = await raw?.storage.storageAccounts.getProperties(groupName, accountName);
    assert.equal(now?.minimumTlsVersion, 'TLS1_2');
    assert.equal(now?.allowBlobPublicAccess, false);
    assert.deepEqual(now?.tags, { app: 'web' });
    assert.equal((await observe(account, mr)).observation.upToDate, true);
  });

  it('a current connection secret is not read again; a regenerated key is', async () => {
    const mr = acct();
    const first = (await observe(account, mr)).observation;
    const details = first.connectionDetails ?? {};
    assert.ok(details.primaryKey, 'the first observe lists the keys');
    assert.ok(mr.status?.atProvider?.primaryKeyCreationTime, 'and records when key1 was made');

    const steady = countingGate();
    const again = (await observe(account, mr, connectContext({ calls: steady, connectionDetails: details }))).observation;
    assert.deepEqual(steady.recorded.map((r) => r.operation), ['GetStorageAccount'], 'one ARM call per poll for a steady account');
    assert.equal(again.connectionDetails, undefined);

    await delay(20, undefined, { signal }); // a later creation time
    const rotated = await raw?.storage.storageAccounts.regenerateKey(groupName, accountName, { keyName: 'key1' });
    const newKey = rotated?.keys?.find((k) => k.keyName === 'key1')?.value ?? '';
    assert.ok(newKey !== '' && newKey !== details.primaryKey);
    const after = countingGate();
    const seen = (await observe(account, mr, connectContext({ calls: after, connectionDetails: details }))).observation;
    assert.deepEqual(after.recorded.map((r) => r.operation), ['GetStorageAccount', 'ListStorageAccountKeys']);
    assert.equal(seen.connectionDetails?.primaryKey, newKey);
    assert.match(seen.connectionDetails?.connectionString ?? '', new RegExp(`;AccountKey=${newKey.replace(/[+/]/g, '\\$&')};`));
  });

  it('an unset setting is not managed: an account without a connection secret makes one call per observe', async () => {
    const mr = storageAccount(accountName, { resourceGroupName: groupName, location: LOCATION }, false);
    const gate = countingGate();
    const { observation } = await observe(account, mr, connectContext({ calls: gate }));
    assert.equal(observation.upToDate, true);
    assert.equal(observation.connectionDetails, undefined);
    assert.deepEqual(gate.recorded.map((r) => r.operation), ['GetStorageAccount']);
  });

  it('a location that differs from the cloud is terminal, naming both', async () => {
    const mr = storageAccount(accountName, { resourceGroupName: groupName, location: 'eastus' });
    await assert.rejects(observe(account, mr), rejectsWith(TerminalError, new RegExp(`storage account ${accountName} exists in location westeurope but spec.forProvider.location is eastus`)));
    const wrongGroup = group(groupName, { location: 'eastus' });
    await assert.rejects(observe(resourceGroup, wrongGroup), rejectsWith(TerminalError, /exists in location westeurope but spec.forProvider.location is eastus/));
  });

  it('a resource group is not deleted while it still holds a storage account; it says which', async () => {
    const mr = rg();
    const { external, observation } = await observe(resourceGroup, mr);
    assert.equal(observation.exists, true);
    await assert.rejects(
      external.delete(mr, signal),
      rejectsWith(TransientError, new RegExp(`^delete failed: resource group ${groupName} still contains storage account ${accountName}: deleting the group would delete them too, so Pledge waits`)),
    );
    assert.ok(await raw?.resources.resourceGroups.get(groupName), 'the group is still there');
  });

  it('deletes the account, then the group (a long-running delete, not waited for)', async () => {
    const a = acct();
    a.metadata.deletionTimestamp = new Date().toISOString();
    const first = await observe(account, a);
    assert.equal(first.observation.exists, true);
    await first.external.delete(a, signal);
    await first.external.delete(a, signal); // gone already is success
    assert.deepEqual((await observe(account, a)).observation, { exists: false });

    const g = rg();
    g.metadata.deletionTimestamp = new Date().toISOString();
    const gate = countingGate();
    const before = await observe(resourceGroup, g, connectContext({ calls: gate }));
    const started = Date.now();
    await before.external.delete(g, signal);
    assert.ok(Date.now() - started < 1_000, 'the delete returns without waiting for the 1 s operation');
    assert.deepEqual(gate.recorded.map((r) => r.operation), ['GetResourceGroup', 'ListStorageAccountsInGroup', 'DeleteResourceGroup']);

    const deleting = await observe(resourceGroup, g);
    assert.equal(deleting.observation.exists, true, 'exists while deleting, so the core keeps its finalizer');
    assert.equal(deleting.observation.ready, false);
    assert.equal(deleting.observation.atProvider?.provisioningState, 'Deleting');
    const gate2 = countingGate();
    const again = await observe(resourceGroup, g, connectContext({ calls: gate2 }));
    await again.external.delete(g, signal);
    assert.deepEqual(gate2.recorded.map((r) => r.operation), ['GetResourceGroup'], 'a delete under way is not started again');

    await until('the group to be gone', async () => ((await observe(resourceGroup, g)).observation.exists ? undefined : true));
    await (await resourceGroup.connect(g, connectContext())).delete(g, signal); // gone already is success
  });

  it('an account whose group does not exist does not exist; creating it waits (NotFound, retried)', async () => {
    const mr = storageAccount(uniqueAzureName('pledgeorphan'), { resourceGroupName: uniqueAzureName('pledgenorg'), location: LOCATION });
    const { external, observation } = await observe(account, mr);
    assert.deepEqual(observation, { exists: false });
    await assert.rejects(external.create(mr, signal), rejectsWith(NotFoundError, /^create failed: ResourceGroupNotFound: Resource group '.*' could not be found\.$/));
  });

  it('an Account deleted before its reference resolved has nothing to delete (no stuck finalizer)', async () => {
    const mr = storageAccount(uniqueAzureName('pledgeunres'), { resourceGroupNameRef: { name: 'never-ready' }, location: LOCATION });
    const gate = countingGate();
    await assert.rejects(observe(account, mr, connectContext({ calls: gate })), rejectsWith(TerminalError, /resourceGroupName is required/));
    mr.metadata.deletionTimestamp = new Date().toISOString();
    assert.deepEqual((await observe(account, mr, connectContext({ calls: gate }))).observation, { exists: false });
    assert.equal(gate.acquired, 0, 'no cloud call either way');
  });

  it('a wrong client secret is terminal with Entra\'s AADSTS code, and the secret never shows', async () => {
    const wrong = 'abc8Q~this-is-the-wrong-secret-0123456789';
    const gate = countingGate();
    const mr = rg();
    const external = await resourceGroup.connect(mr, connectContext({ secret: wrong, calls: gate }));
    await assert.rejects(external.observe(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError, `got ${String(err)}`);
      const text = describeError(err);
      assert.match(text, /^observe failed: invalid_client: AADSTS7000215: Invalid client secret provided\./);
      assert.doesNotMatch(text, /Trace ID/);
      const everything = JSON.stringify([text, err.context, (err.cause as PledgeError).context]);
      assert.ok(!everything.includes(wrong) && !everything.includes(env.clientSecret), 'no secret in the error');
      return true;
    });
    assert.equal(gate.recorded.length, 1);
    assert.ok(gate.recorded[0]?.err instanceof TerminalError, 'the gate records the mapped (terminal) error');
  });

  it('a subscription the principal cannot reach is terminal, not "not found"', async () => {
    const mr = rg();
    const external = await resourceGroup.connect(mr, connectContext({ subscriptionId: '00000000-0000-4000-8000-000000000000' }));
    await assert.rejects(external.observe(mr, signal), rejectsWith(TerminalError, /^observe failed: SubscriptionNotFound: /));
  });

  it('ARM throttling becomes ThrottledError with Retry-After', async () => {
    await setKnobs(env, { faults: { 'arm.ResourceGroups_Get': { throttleRate: 1, retryAfterSeconds: 7 } } });
    try {
      const mr = rg();
      const gate = countingGate();
      const external = await resourceGroup.connect(mr, connectContext({ calls: gate }));
      await assert.rejects(external.observe(mr, signal), (err: unknown) => {
        assert.ok(err instanceof ThrottledError, `got ${String(err)}`);
        assert.equal(err.retryAfterMs, 7_000);
        assert.match(describeError(err), /^observe failed: SubscriptionRequestsThrottled: /);
        return true;
      });
      assert.equal(gate.recorded.length, 1, 'no SDK retry: one request, one gate pass');
      assert.ok(gate.recorded[0]?.err instanceof ThrottledError, 'the gate sees the throttling (and slows the bucket)');
    } finally {
      await setKnobs(env, { faults: { 'arm.ResourceGroups_Get': null } });
    }
  });

  it('an ARM outage (503 with Retry-After) becomes ThrottledError with that wait, not Transient backoff', async () => {
    const outages = (method: string, body?: unknown) =>
      fetch(`${env.url}/_cloudsim/outages${method === 'DELETE' ? '?service=arm' : ''}`, {
        method,
        headers: { 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
    const mr = rg();
    const gate = countingGate();
    // Connect first: the token comes from Entra, which the ARM outage leaves alone.
    const external = await resourceGroup.connect(mr, connectContext({ calls: gate }));
    assert.equal((await outages('POST', { service: 'arm', seconds: 30 })).status < 300, true);
    try {
      await assert.rejects(external.observe(mr, signal), (err: unknown) => {
        assert.ok(err instanceof ThrottledError, `got ${err instanceof Error ? err.constructor.name : typeof err}: ${describeError(err)}`);
        // cloudsim answers with the whole seconds left of the window.
        assert.ok(err.retryAfterMs > 25_000 && err.retryAfterMs <= 30_000, `retryAfterMs ${err.retryAfterMs}`);
        assert.match(describeError(err), /^observe failed: ServiceUnavailable: /);
        return true;
      });
    } finally {
      await outages('DELETE');
    }
    assert.ok(gate.recorded[0]?.err instanceof ThrottledError, 'the gate sees it as throttling (and pauses the ProviderConfig\'s bucket)');
  });

  it('an invalid external-name annotation is terminal before any call', async () => {
    const mr = storageAccount('validname', { resourceGroupName: 'rg', location: LOCATION });
    mr.metadata.annotations = { 'pledge.dev/external-name': 'Not_Valid' };
    const gate = countingGate();
    const external = await account.connect(mr, connectContext({ calls: gate }));
    await assert.rejects(external.observe(mr, signal), rejectsWith(TerminalError, /annotation pledge\.dev\/external-name may contain only lowercase letters and digits/));
    assert.equal(gate.acquired, 0);
  });
});

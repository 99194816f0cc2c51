import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { StorageAccount } from '@azure/arm-storage';
import { TerminalError } from '../../core/errors/index.ts';
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
  type AccountParameters,
  type AccountResource,
} from './account-settings.ts';

function managed(forProvider: Partial<AccountParameters>): AccountResource {
  return { metadata: { name: 'acct1' }, spec: { forProvider: { location: 'westeurope', resourceGroupName: 'rg1', ...forProvider } } };
}

/** What ARM reports for a fresh StorageV2 account (a GET answer, deserialized by the SDK). */
function observed(overrides: Partial<StorageAccount> = {}): StorageAccount {
  return {
    id: '/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/acct1',
    name: 'acct1',
    location: 'westeurope',
    sku: { name: 'Standard_LRS' },
    kind: 'StorageV2',
    provisioningState: 'Succeeded',
    accessTier: 'Hot',
    minimumTlsVersion: 'TLS1_2',
    allowBlobPublicAccess: false,
    enableHttpsTrafficOnly: true,
    tags: { team: 'storage' },
    primaryEndpoints: { blob: 'https://acct1.blob.core.windows.net/' },
    ...overrides,
  } as StorageAccount;
}

describe('desiredOf', () => {
  it('defaults sku Standard_LRS and kind StorageV2', () => {
    const d = desiredOf(managed({}));
    assert.equal(d.sku, 'Standard_LRS');
    assert.equal(d.kind, 'StorageV2');
  });
  it('needs a resolved resource group, naming the ways to give one', () => {
    assert.throws(() => desiredOf(managed({ resourceGroupName: undefined, resourceGroupNameRef: { name: 'rg' } })), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.match(err.message, /resourceGroupName is required \(directly, or through resourceGroupNameRef or resourceGroupNameSelector\)/);
      return true;
    });
  });
  it('refuses an enum value an older schema may have let through, naming the field', () => {
    assert.throws(() => desiredOf(managed({ minimumTlsVersion: 'TLS1_9' as never })), /spec\.forProvider\.minimumTlsVersion must be one of TLS1_0, TLS1_1, TLS1_2/);
  });
});

describe('comparison', () => {
  const cases: Array<{ reason: string; spec: Partial<AccountParameters>; account: Partial<StorageAccount>; diff: string; patch?: Record<string, unknown> }> = [
    { reason: 'an account that matches needs nothing', spec: { minimumTlsVersion: 'TLS1_2', tags: { team: 'storage' } }, account: {}, diff: '' },
    { reason: 'unset settings are not managed', spec: {}, account: { minimumTlsVersion: 'TLS1_0', allowBlobPublicAccess: true, tags: { x: 'y' } }, diff: '' },
    { reason: 'a lowered TLS minimum is put back', spec: { minimumTlsVersion: 'TLS1_2' }, account: { minimumTlsVersion: 'TLS1_0' }, diff: 'minimumTlsVersion TLS1_0→TLS1_2', patch: { minimumTlsVersion: 'TLS1_2' } },
    { reason: 'an unreported TLS minimum means TLS1_0 to ARM', spec: { minimumTlsVersion: 'TLS1_2' }, account: { minimumTlsVersion: undefined }, diff: 'minimumTlsVersion TLS1_0→TLS1_2', patch: { minimumTlsVersion: 'TLS1_2' } },
    { reason: 'public blob access switched on behind our back is switched off', spec: { allowBlobPublicAccess: false }, account: { allowBlobPublicAccess: true }, diff: 'allowBlobPublicAccess true→false', patch: { allowBlobPublicAccess: false } },
    { reason: 'unreported public access means off: desiring off needs nothing', spec: { allowBlobPublicAccess: false }, account: { allowBlobPublicAccess: undefined }, diff: '' },
    { reason: 'unreported HTTPS-only means on', spec: { enableHttpsTrafficOnly: true }, account: { enableHttpsTrafficOnly: undefined }, diff: '' },
    { reason: 'tags are made exactly the spec\'s (keys named, values not)', spec: { tags: { team: 'data', env: 'prod' } }, account: { tags: { team: 'storage', extra: 'secret-ish' } }, diff: 'tags differ (+env -extra ~team)', patch: { tags: { team: 'data', env: 'prod' } } },
    { reason: 'empty tags remove them all', spec: { tags: {} }, account: { tags: { a: 'b' } }, diff: 'tags differ (-a)', patch: { tags: {} } },
    { reason: 'a sku change is asked of ARM', spec: { sku: 'Standard_GRS' }, account: {}, diff: 'sku Standard_LRS→Standard_GRS', patch: { sku: { name: 'Standard_GRS' } } },
    { reason: 'several differences go in one PATCH', spec: { accessTier: 'Cool', minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false }, account: { accessTier: 'Hot', minimumTlsVersion: 'TLS1_1', allowBlobPublicAccess: true }, diff: 'accessTier Hot→Cool; minimumTlsVersion TLS1_1→TLS1_2; allowBlobPublicAccess true→false', patch: { accessTier: 'Cool', minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false } },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const desired = desiredOf(managed(c.spec));
      const account = observed(c.account);
      assert.equal(describeAccountDrift(desired, account), c.diff);
      assert.deepEqual(updateParameters(desired, account), c.patch);
    });
  }
});

describe('createParameters', () => {
  it('sends what the spec sets and nothing it does not', () => {
    assert.deepEqual(createParameters(desiredOf(managed({ minimumTlsVersion: 'TLS1_2', tags: { a: 'b' } }))), {
      location: 'westeurope',
      sku: { name: 'Standard_LRS' },
      kind: 'StorageV2',
      tags: { a: 'b' },
      minimumTlsVersion: 'TLS1_2',
    });
  });
});

describe('locationProblem', () => {
  it('accepts ARM\'s spelling of the same region', () => {
    assert.equal(locationProblem(desiredOf(managed({})), observed({ location: 'West Europe' }), 'acct1'), undefined);
  });
  it('names both locations when they differ', () => {
    assert.equal(locationProblem(desiredOf(managed({})), observed({ location: 'eastus' }), 'acct1'), 'storage account acct1 exists in location eastus but spec.forProvider.location is westeurope');
  });
});

describe('accountLateInit', () => {
  it('fills unset settings with what the account has, only with values the schema accepts', () => {
    assert.deepEqual(accountLateInit(managed({ minimumTlsVersion: 'TLS1_2' }).spec.forProvider, observed({ accessTier: 'Premium' as never, minimumTlsVersion: 'TLS1_0' })), {
      allowBlobPublicAccess: false,
      enableHttpsTrafficOnly: true,
    });
  });
  it('has nothing to add when the spec sets everything', () => {
    const spec = managed({ accessTier: 'Hot', minimumTlsVersion: 'TLS1_2', allowBlobPublicAccess: false, enableHttpsTrafficOnly: true }).spec.forProvider;
    assert.equal(accountLateInit(spec, observed()), undefined);
  });
});

describe('accountObservation', () => {
  it('shows id, provisioning state and the blob endpoint', () => {
    assert.deepEqual(accountObservation(observed({ provisioningState: 'Creating' })), {
      id: '/subscriptions/s/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/acct1',
      provisioningState: 'Creating',
      primaryEndpoints: { blob: 'https://acct1.blob.core.windows.net/' },
    });
  });
});

describe('connectionSecretCurrent', () => {
  const secret = { accountName: 'acct1', primaryKey: 'k', connectionString: 'DefaultEndpointsProtocol=https;AccountName=acct1;AccountKey=k;EndpointSuffix=core.windows.net' };
  const at = (primaryKeyCreationTime?: string) => (primaryKeyCreationTime ? { primaryKeyCreationTime } : {});
  const cases: Array<{ reason: string; previous?: string; now?: string; secret: Record<string, string>; current: boolean }> = [
    { reason: 'the key is as old as when the secret was written: no need to list keys', previous: '2025-01-01T00:00:00.000Z', now: '2025-01-01T00:00:00.000Z', secret, current: true },
    { reason: 'a regenerated key has a newer creation time', previous: '2025-01-01T00:00:00.000Z', now: '2025-02-01T00:00:00.000Z', secret, current: false },
    { reason: 'a secret without the key (deleted, or never written)', previous: '2025-01-01T00:00:00.000Z', now: '2025-01-01T00:00:00.000Z', secret: {}, current: false },
    { reason: 'a secret of another account (renamed external name)', previous: '2025-01-01T00:00:00.000Z', now: '2025-01-01T00:00:00.000Z', secret: { ...secret, accountName: 'other' }, current: false },
    { reason: 'an account that does not report key creation times', secret, current: false },
    { reason: 'nothing recorded yet in status', now: '2025-01-01T00:00:00.000Z', secret, current: false },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      assert.equal(connectionSecretCurrent({ accountName: 'acct1', previous: at(c.previous), now: at(c.now), secret: c.secret }), c.current);
    });
  }

  it('accountObservation reports key1\'s creation time', () => {
    const account = observed({ keyCreationTime: { key1: new Date('2025-01-01T00:00:00Z'), key2: new Date('2025-01-02T00:00:00Z') } });
    assert.equal(accountObservation(account).primaryKeyCreationTime, '2025-01-01T00:00:00.000Z');
  });
});

describe('accountFieldDiffs (pledge plan)', () => {
  it('gives each differing setting and tag with both values, unreported settings at what ARM implies', () => {
    const desired = desiredOf(managed({ accessTier: 'Cool', enableHttpsTrafficOnly: true, tags: { team: 'data' } }));
    assert.deepEqual(accountFieldDiffs(desired, observed({ enableHttpsTrafficOnly: undefined })), [
      { path: 'accessTier', observed: 'Hot', desired: 'Cool' },
      { path: 'tags.team', observed: 'storage', desired: 'data' },
    ]);
    assert.deepEqual(accountFieldDiffs(desiredOf(managed({})), observed()), []);
  });
});

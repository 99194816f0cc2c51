import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError, describeError } from '../../core/errors/index.ts';
import type { KubeObject, SecretKeySelector } from '../../core/managed/types.ts';
import { parseProviderConfig, resolveAzureConfig } from './config.ts';

const SECRET_VALUE = 'abc8Q~the-client-secret-value-1234567890';
const ref = { name: 'azure-creds', namespace: 'pledge-system', key: 'clientSecret' };
const base = { tenantId: '11111111-1111-4111-8111-111111111111', clientId: '22222222-2222-4222-8222-222222222222', subscriptionId: '33333333-3333-4333-8333-333333333333', clientSecretSecretRef: ref };

function providerConfig(spec: unknown): KubeObject {
  return { apiVersion: 'azure.pledge.dev/v1', kind: 'ProviderConfig', metadata: { name: 'default' }, spec };
}

const signal = new AbortController().signal;

describe('parseProviderConfig', () => {
  it('defaults the public cloud endpoints', () => {
    const parsed = parseProviderConfig(providerConfig(base));
    assert.equal(parsed.endpoint, 'https://management.azure.com');
    assert.equal(parsed.authorityHost, 'https://login.microsoftonline.com');
  });

  it('drops a trailing slash, so the token scope is <endpoint>/.default', () => {
    const parsed = parseProviderConfig(providerConfig({ ...base, endpoint: 'https://127.0.0.1:8443/', authorityHost: 'https://127.0.0.1:8443//' }));
    assert.equal(parsed.endpoint, 'https://127.0.0.1:8443');
    assert.equal(parsed.authorityHost, 'https://127.0.0.1:8443');
  });

  const invalid: Array<{ reason: string; spec: unknown; field: RegExp }> = [
    { reason: 'no tenant', spec: { ...base, tenantId: undefined }, field: /spec\.tenantId is required/ },
    { reason: 'a tenant with spaces', spec: { ...base, tenantId: 'my tenant' }, field: /spec\.tenantId "my tenant" is not a tenant id or domain/ },
    { reason: 'no client id', spec: { ...base, clientId: '' }, field: /spec\.clientId is required/ },
    { reason: 'no subscription', spec: { ...base, subscriptionId: undefined }, field: /spec\.subscriptionId is required/ },
    { reason: 'no secret reference', spec: { ...base, clientSecretSecretRef: undefined }, field: /spec\.clientSecretSecretRef is required/ },
    { reason: 'a secret reference without a key', spec: { ...base, clientSecretSecretRef: { name: 'x', namespace: 'y' } }, field: /spec\.clientSecretSecretRef\.key is required/ },
    { reason: 'a plain-HTTP endpoint (tokens would travel in clear)', spec: { ...base, endpoint: 'http://127.0.0.1:8080' }, field: /spec\.endpoint must be an https:\/\/ URL/ },
    { reason: 'an authority host that is not a URL', spec: { ...base, authorityHost: 'login' }, field: /spec\.authorityHost must be an https:\/\/ URL/ },
    { reason: 'a field of the wrong type', spec: { ...base, subscriptionId: 7 }, field: /spec\.subscriptionId must be a string/ },
  ];
  for (const c of invalid) {
    it(`rejects ${c.reason}, naming the field and the ProviderConfig`, () => {
      assert.throws(() => parseProviderConfig(providerConfig(c.spec)), (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.match(err.message, /^ProviderConfig "default": /);
        assert.match(err.message, c.field);
        return true;
      });
    });
  }
});

describe('resolveAzureConfig', () => {
  it('reads the client secret from the Secret, trimmed', async () => {
    const reads: SecretKeySelector[] = [];
    const config = await resolveAzureConfig(providerConfig(base), async (r) => {
      reads.push(r);
      return `${SECRET_VALUE}\n`;
    }, signal);
    assert.deepEqual(reads, [ref]);
    assert.equal(config.clientSecret, SECRET_VALUE);
    assert.equal(config.tenantId, base.tenantId);
  });

  it('refuses an empty secret without showing any value', async () => {
    await assert.rejects(resolveAzureConfig(providerConfig(base), async () => '  \n', signal), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(describeError(err), 'Secret pledge-system/azure-creds key "clientSecret" (spec.clientSecretSecretRef) is empty');
      return true;
    });
  });
});

describe('credentials source WorkloadIdentity', () => {
  const { clientSecretSecretRef: _ref, ...keyless } = base;
  const noSecrets = async (): Promise<string> => {
    throw new Error('workload identity must read no Secret');
  };

  it('needs no Secret: the token file from the ProviderConfig, or AZURE_FEDERATED_TOKEN_FILE', async () => {
    const given = await resolveAzureConfig(
      providerConfig({ ...keyless, credentials: { source: 'WorkloadIdentity', tokenFile: '/var/run/pledge/azure-token' } }),
      noSecrets,
      signal,
      { AZURE_FEDERATED_TOKEN_FILE: '/elsewhere' },
    );
    assert.equal(given.tokenFile, '/var/run/pledge/azure-token');
    assert.equal(given.clientSecret, undefined);
    const fromEnv = await resolveAzureConfig(providerConfig({ ...keyless, credentials: { source: 'WorkloadIdentity' } }), noSecrets, signal, {
      AZURE_FEDERATED_TOKEN_FILE: '/var/run/secrets/azure/tokens/azure-identity-token',
    });
    assert.equal(fromEnv.tokenFile, '/var/run/secrets/azure/tokens/azure-identity-token');
    assert.equal(fromEnv.tenantId, base.tenantId);
    assert.equal(fromEnv.clientId, base.clientId);
  });

  it('names the variable when no token file is given anywhere', async () => {
    await assert.rejects(
      resolveAzureConfig(providerConfig({ ...keyless, credentials: { source: 'WorkloadIdentity' } }), noSecrets, signal, {}),
      (err: unknown) => err instanceof ConfigError && /tokenFile is unset and AZURE_FEDERATED_TOKEN_FILE is not set/.test(err.message),
    );
  });

  it('still requires the secret reference for source Secret, and rejects unknown sources and relative paths', () => {
    assert.throws(() => parseProviderConfig(providerConfig({ ...keyless, credentials: { source: 'Secret' } })), /clientSecretSecretRef is required unless/);
    assert.throws(() => parseProviderConfig(providerConfig({ ...keyless, credentials: { source: 'ManagedIdentity' } })), /source must be one of Secret, WorkloadIdentity/);
    assert.throws(
      () => parseProviderConfig(providerConfig({ ...keyless, credentials: { source: 'WorkloadIdentity', tokenFile: 'token' } })),
      /tokenFile must be an absolute path/,
    );
  });
});

import assert from 'node:assert/strict';
import { generateKeyPairSync, verify } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/errors/index.ts';
import type { KubeObject, SecretKeySelector } from '../../core/managed/types.ts';
import { parseProviderConfig, resolveGcpConfig } from './config.ts';
import { GOOGLE_TOKEN_URI, parseServiceAccountKey } from './service-account-key.ts';
import { signAssertion } from './token-source.ts';

const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PEM = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();

function keyJson(overrides: Record<string, unknown> = {}): string {
  return JSON.stringify({
    type: 'service_account',
    project_id: 'pledge-test',
    private_key_id: 'kid-1',
    private_key: PEM,
    client_email: 'pledge@pledge-test.iam.gserviceaccount.com',
    token_uri: GOOGLE_TOKEN_URI,
    ...overrides,
  });
}

function providerConfig(spec: unknown): KubeObject {
  return { apiVersion: 'gcp.pledge.dev/v1', kind: 'ProviderConfig', metadata: { name: 'default' }, spec };
}

const secretRef = { name: 'gcp-creds', namespace: 'pledge-system' };
const signal = new AbortController().signal;

function secrets(value: string) {
  const reads: SecretKeySelector[] = [];
  return {
    reads,
    async readSecret(ref: SecretKeySelector): Promise<string> {
      reads.push(ref);
      return value;
    },
  };
}

describe('parseProviderConfig (GCP)', () => {
  it('defaults the Secret key to credentials.json', () => {
    assert.deepEqual(parseProviderConfig(providerConfig({ projectId: 'my-project', credentialsSecretRef: secretRef })), {
      projectId: 'my-project',
      source: 'Secret',
      endpoint: undefined,
      credentialsSecretRef: { ...secretRef, key: 'credentials.json' },
    });
  });

  it('allows no credentials only with an endpoint (emulators take unauthenticated requests)', () => {
    assert.deepEqual(parseProviderConfig(providerConfig({ projectId: 'my-project', endpoint: 'http://127.0.0.1:4443' })), {
      projectId: 'my-project',
      source: 'Secret',
      endpoint: 'http://127.0.0.1:4443',
    });
  });

  const invalid: Array<{ reason: string; spec: unknown; field: RegExp }> = [
    { reason: 'no project', spec: { credentialsSecretRef: secretRef }, field: /spec\.projectId is required/ },
    { reason: 'a project id GCP would refuse', spec: { projectId: 'Bad_Project', credentialsSecretRef: secretRef }, field: /spec\.projectId "Bad_Project" is not a GCP project id/ },
    { reason: 'no credentials against Google', spec: { projectId: 'my-project' }, field: /spec\.credentialsSecretRef is required unless spec\.endpoint is set/ },
    { reason: 'an endpoint that is not a URL', spec: { projectId: 'my-project', endpoint: 'localhost:4443' }, field: /spec\.endpoint must be an http/ },
    { reason: 'a Secret reference without a namespace', spec: { projectId: 'my-project', credentialsSecretRef: { name: 'x' } }, field: /spec\.credentialsSecretRef\.namespace is required/ },
  ];
  for (const c of invalid) {
    it(`refuses ${c.reason}, naming the field`, () => {
      assert.throws(() => parseProviderConfig(providerConfig(c.spec)), (err: unknown) => err instanceof ConfigError && c.field.test(err.message));
    });
  }
});

describe('resolveGcpConfig', () => {
  it('reads the key from the Secret named, and parses it', async () => {
    const store = secrets(keyJson());
    const config = await resolveGcpConfig(providerConfig({ projectId: 'my-project', credentialsSecretRef: { ...secretRef, key: 'sa.json' } }), store.readSecret, signal);
    assert.deepEqual(store.reads, [{ ...secretRef, key: 'sa.json' }]);
    assert.equal(config.key?.clientEmail, 'pledge@pledge-test.iam.gserviceaccount.com');
    assert.equal(config.key?.tokenUri, GOOGLE_TOKEN_URI);
    assert.equal(config.projectId, 'my-project');
  });

  it('reads no Secret when there is no reference', async () => {
    const store = secrets('');
    const config = await resolveGcpConfig(providerConfig({ projectId: 'my-project', endpoint: 'http://127.0.0.1:1' }), store.readSecret, signal);
    assert.equal(store.reads.length, 0);
    assert.equal(config.key, undefined);
  });

  it('honours a custom token_uri only when the ProviderConfig points at another endpoint', async () => {
    const custom = keyJson({ token_uri: 'http://127.0.0.1:9/token' });
    const toGoogle = resolveGcpConfig(providerConfig({ projectId: 'my-project', credentialsSecretRef: secretRef }), secrets(custom).readSecret, signal);
    await assert.rejects(toGoogle, /has token_uri http:\/\/127\.0\.0\.1:9\/token: without spec\.endpoint only https:\/\/oauth2\.googleapis\.com\/token is used/);
    const toSim = await resolveGcpConfig(providerConfig({ projectId: 'my-project', endpoint: 'http://127.0.0.1:9', credentialsSecretRef: secretRef }), secrets(custom).readSecret, signal);
    assert.equal(toSim.key?.tokenUri, 'http://127.0.0.1:9/token');
  });
});

describe('parseServiceAccountKey', () => {
  const where = 'Secret pledge-system/gcp-creds key "credentials.json"';
  const bad: Array<{ reason: string; json: string; problem: RegExp }> = [
    { reason: 'not JSON', json: 'nope', problem: /is not JSON/ },
    { reason: 'a user credential, not a service account', json: keyJson({ type: 'authorized_user' }), problem: /has type "authorized_user": only "service_account"/ },
    { reason: 'no client_email', json: keyJson({ client_email: '' }), problem: /has no client_email/ },
    { reason: 'no private key', json: keyJson({ private_key: undefined }), problem: /has no private_key/ },
    { reason: 'a private key that is not PEM', json: keyJson({ private_key: '-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n' }), problem: /private_key that is not a PEM private key/ },
    { reason: 'a token_uri that is not a URL', json: keyJson({ token_uri: 'token' }), problem: /token_uri that is not an http\(s\) URL/ },
  ];
  for (const c of bad) {
    it(`refuses ${c.reason}, naming where the key came from and never a value from it`, () => {
      assert.throws(
        () => parseServiceAccountKey(c.json, { where, allowCustomTokenUri: true }),
        (err: unknown) => err instanceof ConfigError && err.message.startsWith(where) && c.problem.test(err.message) && !err.message.includes('PRIVATE KEY'),
      );
    });
  }
});

describe('signAssertion', () => {
  it('is an RS256 JWT for the token endpoint that the key\'s public half verifies', () => {
    const key = parseServiceAccountKey(keyJson({ token_uri: 'http://127.0.0.1:9/token' }), { where: 'test', allowCustomTokenUri: true });
    const jwt = signAssertion(key, { scope: 'https://www.googleapis.com/auth/devstorage.full_control', nowMs: 1_700_000_000_500, lifetimeSeconds: 3_600 });
    const [head = '', payload = '', signature = ''] = jwt.split('.');
    assert.deepEqual(JSON.parse(Buffer.from(head, 'base64url').toString()), { alg: 'RS256', typ: 'JWT', kid: 'kid-1' });
    assert.deepEqual(JSON.parse(Buffer.from(payload, 'base64url').toString()), {
      iss: 'pledge@pledge-test.iam.gserviceaccount.com',
      scope: 'https://www.googleapis.com/auth/devstorage.full_control',
      aud: 'http://127.0.0.1:9/token',
      iat: 1_700_000_000,
      exp: 1_700_003_600,
    });
    assert.ok(verify('sha256', Buffer.from(`${head}.${payload}`), publicKey, Buffer.from(signature, 'base64url')));
  });
});

describe('credentials source ExternalAccount (workload identity federation)', () => {
  const audience = '//iam.googleapis.com/projects/123456789012/locations/global/workloadIdentityPools/pledge-pool/providers/kubernetes';
  const external = { audience, credentialSource: { file: '/var/run/pledge/gcp-token' } };
  const noSecrets = async (): Promise<string> => {
    throw new Error('external_account credentials must read no Secret');
  };

  it('defaults to Google\'s STS and a JWT subject token, and reads no Secret', async () => {
    const config = await resolveGcpConfig(providerConfig({ projectId: 'my-project', credentials: { source: 'ExternalAccount', externalAccount: external } }), noSecrets, signal);
    assert.deepEqual(config.externalAccount, {
      audience,
      subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
      tokenUrl: 'https://sts.googleapis.com/v1/token',
      tokenFile: '/var/run/pledge/gcp-token',
    });
    assert.equal(config.key, undefined);
  });

  it('sends the subject token elsewhere than Google only when spec.endpoint points elsewhere too', () => {
    const elsewhere = { ...external, tokenUrl: 'http://127.0.0.1:4443/v1/token', serviceAccountImpersonationUrl: 'http://127.0.0.1:4443/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken' };
    assert.throws(
      () => parseProviderConfig(providerConfig({ projectId: 'my-project', credentials: { source: 'ExternalAccount', externalAccount: elsewhere } })),
      /tokenUrl: without spec.endpoint only https:\/\/sts.googleapis.com\/v1\/token is used/,
    );
    const parsed = parseProviderConfig(
      providerConfig({ projectId: 'my-project', endpoint: 'http://127.0.0.1:4443', credentials: { source: 'ExternalAccount', externalAccount: elsewhere } }),
    );
    assert.equal(parsed.externalAccount?.tokenUrl, elsewhere.tokenUrl);
    assert.equal(parsed.externalAccount?.serviceAccountImpersonationUrl, elsewhere.serviceAccountImpersonationUrl);
  });

  it('names the field that is missing or wrong', () => {
    const bad: Array<[unknown, RegExp]> = [
      [undefined, /externalAccount is required when source is ExternalAccount/],
      [{ ...external, audience: 'projects/1/pools/x' }, /audience must name a workload identity pool provider/],
      [{ audience }, /credentialSource\.file is required/],
      [{ ...external, credentialSource: { file: 'token' } }, /credentialSource\.file must be an absolute path/],
      [{ ...external, subjectTokenType: 'urn:ietf:params:oauth:token-type:saml2' }, /subjectTokenType must be one of/],
    ];
    for (const [externalAccount, message] of bad) {
      assert.throws(() => parseProviderConfig(providerConfig({ projectId: 'my-project', credentials: { source: 'ExternalAccount', externalAccount } })), message);
    }
  });
});

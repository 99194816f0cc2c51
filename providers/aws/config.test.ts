import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/errors/index.ts';
import type { KubeObject, SecretKeySelector } from '../../core/managed/types.ts';
import { parseProviderConfig, resolveAwsConfig } from './config.ts';

const SECRET_VALUE = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

function providerConfig(spec: unknown): KubeObject {
  return { apiVersion: 'aws.pledge.dev/v1', kind: 'ProviderConfig', metadata: { name: 'default' }, spec };
}

/** A Secret store with one Secret, as the core's readSecret would see it. */
function secrets(data: Record<string, string>) {
  const reads: SecretKeySelector[] = [];
  const readSecret = async (ref: SecretKeySelector): Promise<string> => {
    reads.push(ref);
    const value = ref.namespace === 'pledge-system' && ref.name === 'aws-creds' ? data[ref.key] : undefined;
    if (value === undefined) throw new ConfigError(`Secret ${ref.namespace}/${ref.name} has no key "${ref.key}"`);
    return value;
  };
  return { readSecret, reads };
}

const signal = new AbortController().signal;
const secretRef = { name: 'aws-creds', namespace: 'pledge-system' };

describe('parseProviderConfig', () => {
  it('defaults to the Environment chain and no endpoint', () => {
    assert.deepEqual(parseProviderConfig(providerConfig({ region: 'eu-west-1' })), {
      region: 'eu-west-1',
      source: 'Environment',
      endpoint: undefined,
      forcePathStyle: false,
    });
  });

  it('defaults path-style addressing on when an endpoint is set, and lets it be turned off', () => {
    assert.equal(parseProviderConfig(providerConfig({ endpoint: 'http://127.0.0.1:5055' })).forcePathStyle, true);
    assert.equal(parseProviderConfig(providerConfig({ endpoint: 'http://127.0.0.1:5055', s3ForcePathStyle: false })).forcePathStyle, false);
  });

  it('defaults the Secret keys', () => {
    const parsed = parseProviderConfig(providerConfig({ credentials: { source: 'Secret', secretRef } }));
    assert.deepEqual(parsed.secretRef, { ...secretRef, accessKeyIdKey: 'accessKeyId', secretAccessKeyKey: 'secretAccessKey', sessionTokenKey: undefined });
  });

  const invalid: Array<{ reason: string; spec: unknown; field: RegExp }> = [
    { reason: 'Secret without secretRef', spec: { credentials: { source: 'Secret' } }, field: /spec\.credentials\.secretRef is required when source is Secret/ },
    { reason: 'Secret without a name', spec: { credentials: { source: 'Secret', secretRef: { namespace: 'x' } } }, field: /spec\.credentials\.secretRef\.name is required when source is Secret/ },
    { reason: 'Secret without a namespace', spec: { credentials: { source: 'Secret', secretRef: { name: 'x' } } }, field: /spec\.credentials\.secretRef\.namespace is required when source is Secret/ },
    { reason: 'an unknown source', spec: { credentials: { source: 'Vault' } }, field: /spec\.credentials\.source must be one of Secret, Environment/ },
    { reason: 'a region that is not one', spec: { region: 'Europe' }, field: /spec\.region "Europe" is not an AWS region/ },
    { reason: 'an endpoint that is not a URL', spec: { endpoint: 'localhost:5055' }, field: /spec\.endpoint must be an http:\/\/ or https:\/\/ URL/ },
    { reason: 'a path-style flag that is not a boolean', spec: { s3ForcePathStyle: 'yes' }, field: /spec\.s3ForcePathStyle must be true or false/ },
    { reason: 'a key name of the wrong type', spec: { credentials: { source: 'Secret', secretRef: { ...secretRef, accessKeyIdKey: 7 } } }, field: /spec\.credentials\.secretRef\.accessKeyIdKey must be a string/ },
  ];
  for (const c of invalid) {
    it(`rejects ${c.reason}, naming the field and the ProviderConfig`, () => {
      assert.throws(() => parseProviderConfig(providerConfig(c.spec)), (err: unknown) => {
        assert.ok(err instanceof ConfigError, 'a ConfigError');
        assert.match(err.message, /^ProviderConfig "default": /);
        assert.match(err.message, c.field);
        return true;
      });
    });
  }
});

describe('resolveAwsConfig', () => {
  it('reads the access key from the named Secret keys, trimming a trailing newline', async () => {
    const store = secrets({ id: 'AKIATEST\n', key: `${SECRET_VALUE}\n`, token: 'session' });
    const config = await resolveAwsConfig(
      providerConfig({
        region: 'us-west-2',
        endpoint: 'http://127.0.0.1:5055',
        credentials: { source: 'Secret', secretRef: { ...secretRef, accessKeyIdKey: 'id', secretAccessKeyKey: 'key', sessionTokenKey: 'token' } },
      }),
      store.readSecret,
      signal,
    );
    assert.deepEqual(config, {
      region: 'us-west-2',
      endpoint: 'http://127.0.0.1:5055',
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIATEST', secretAccessKey: SECRET_VALUE, sessionToken: 'session' },
    });
    assert.deepEqual(store.reads.map((r) => r.key).sort(), ['id', 'key', 'token']);
  });

  it('reads no Secret for the Environment source', async () => {
    const store = secrets({});
    const config = await resolveAwsConfig(providerConfig({ region: 'us-east-1' }), store.readSecret, signal);
    assert.equal(config.credentials, undefined);
    assert.equal(store.reads.length, 0);
  });

  it('names the key and field of an empty value without printing any value', async () => {
    const store = secrets({ accessKeyId: 'AKIATEST', secretAccessKey: '  \n' });
    await assert.rejects(resolveAwsConfig(providerConfig({ credentials: { source: 'Secret', secretRef } }), store.readSecret, signal), (err: unknown) => {
      assert.ok(err instanceof ConfigError);
      assert.equal(err.message, 'Secret pledge-system/aws-creds key "secretAccessKey" (spec.credentials.secretRef.secretAccessKeyKey) is empty');
      assert.doesNotMatch(JSON.stringify([err.message, err.context]), /AKIATEST/);
      return true;
    });
  });

  it('passes on the core\'s error for a missing key', async () => {
    const store = secrets({ accessKeyId: 'AKIATEST' });
    await assert.rejects(resolveAwsConfig(providerConfig({ credentials: { source: 'Secret', secretRef } }), store.readSecret, signal), /has no key "secretAccessKey"/);
  });
});

describe('credentials source WebIdentity', () => {
  const roleArn = 'arn:aws:iam::111122223333:role/pledge-controller';

  it('takes the role and token file from the ProviderConfig and reads no Secret', async () => {
    const { readSecret, reads } = secrets({});
    const config = await resolveAwsConfig(
      providerConfig({ region: 'us-east-1', credentials: { source: 'WebIdentity', webIdentity: { roleArn, tokenFile: '/var/run/pledge/token' } } }),
      readSecret,
      signal,
      {},
    );
    assert.deepEqual(config.webIdentity, { roleArn, tokenFile: '/var/run/pledge/token', roleSessionName: 'pledge' });
    assert.equal(config.credentials, undefined);
    assert.equal(reads.length, 0);
  });

  it('fills unset fields from the variables IRSA sets, the ProviderConfig winning', async () => {
    const env = { AWS_ROLE_ARN: 'arn:aws:iam::444455556666:role/from-env', AWS_WEB_IDENTITY_TOKEN_FILE: '/var/run/secrets/eks.amazonaws.com/serviceaccount/token' };
    const fromEnv = await resolveAwsConfig(providerConfig({ credentials: { source: 'WebIdentity' } }), secrets({}).readSecret, signal, env);
    assert.deepEqual(fromEnv.webIdentity, { roleArn: env.AWS_ROLE_ARN, tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE, roleSessionName: 'pledge' });
    const mixed = await resolveAwsConfig(providerConfig({ credentials: { source: 'WebIdentity', webIdentity: { roleArn } } }), secrets({}).readSecret, signal, env);
    assert.deepEqual(mixed.webIdentity, { roleArn, tokenFile: env.AWS_WEB_IDENTITY_TOKEN_FILE, roleSessionName: 'pledge' });
  });

  it('names the unset field and the variable when neither gives it', async () => {
    await assert.rejects(
      resolveAwsConfig(providerConfig({ credentials: { source: 'WebIdentity', webIdentity: { roleArn } } }), secrets({}).readSecret, signal, {}),
      (err: unknown) => err instanceof ConfigError && /webIdentity\.tokenFile is unset and AWS_WEB_IDENTITY_TOKEN_FILE is not set/.test(err.message),
    );
  });

  it('rejects a role ARN that is not a role, and a relative token path', () => {
    assert.throws(
      () => parseProviderConfig(providerConfig({ credentials: { source: 'WebIdentity', webIdentity: { roleArn: 'arn:aws:iam::111122223333:user/bob' } } })),
      /webIdentity\.roleArn .* is not an IAM role ARN/,
    );
    assert.throws(
      () => parseProviderConfig(providerConfig({ credentials: { source: 'WebIdentity', webIdentity: { roleArn, tokenFile: 'token' } } })),
      /tokenFile must be an absolute path/,
    );
  });
});

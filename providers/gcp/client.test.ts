import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { describe, it } from 'node:test';
import { ConfigError } from '../../core/errors/index.ts';
import { gcsSessionFor } from './client.ts';
import type { GcpClientConfig } from './config.ts';

function key(): NonNullable<GcpClientConfig['key']> {
  return { clientEmail: 'a@p.iam.gserviceaccount.com', privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, tokenUri: 'http://127.0.0.1:9/token' };
}

describe('gcsSessionFor', () => {
  it('reuses one session (and so one token cache) for the same endpoint, project and key', () => {
    const k = key();
    const a = gcsSessionFor({ projectId: 'p-one-1', endpoint: 'http://127.0.0.1:9', key: k });
    const b = gcsSessionFor({ projectId: 'p-one-1', endpoint: 'http://127.0.0.1:9', key: { ...k } });
    assert.equal(a, b);
  });

  it('keeps sessions apart for another key, project or endpoint', () => {
    const k = key();
    const base = gcsSessionFor({ projectId: 'p-two-2', endpoint: 'http://127.0.0.1:9', key: k });
    assert.notEqual(gcsSessionFor({ projectId: 'p-two-2', endpoint: 'http://127.0.0.1:9', key: key() }), base);
    assert.notEqual(gcsSessionFor({ projectId: 'p-two-3', endpoint: 'http://127.0.0.1:9', key: k }), base);
    assert.notEqual(gcsSessionFor({ projectId: 'p-two-2', endpoint: 'http://127.0.0.1:10', key: k }), base);
    assert.notEqual(gcsSessionFor({ projectId: 'p-two-2', endpoint: 'http://127.0.0.1:9' }), base);
  });

  it('refuses to run with STORAGE_EMULATOR_HOST set, which would send every ProviderConfig\'s calls to one place', () => {
    process.env.STORAGE_EMULATOR_HOST = 'http://127.0.0.1:1';
    try {
      assert.throws(() => gcsSessionFor({ projectId: 'p-three-3', endpoint: 'http://127.0.0.1:9' }), (err: unknown) => err instanceof ConfigError && /STORAGE_EMULATOR_HOST/.test(err.message));
    } finally {
      delete process.env.STORAGE_EMULATOR_HOST;
    }
  });

  it('targets Google by default, as a custom endpoint so the library never looks for default credentials', () => {
    const session = gcsSessionFor({ projectId: 'p-four-4', key: key() });
    assert.equal(session.storage.apiEndpoint, 'https://storage.googleapis.com:443');
    assert.equal(session.storage.customEndpoint, true);
    assert.equal(session.storage.retryOptions.autoRetry, false);
  });
});

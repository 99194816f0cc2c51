import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CloudCallGate } from '../../core/managed/types.ts';
import type { ExternalAccountSettings } from './config.ts';
import { createTokenSource, externalAccountGrant } from './token-source.ts';

/** A call gate that only counts what passed it. */
function gate(): CloudCallGate & { operations: string[] } {
  const operations: string[] = [];
  return {
    operations,
    async acquire(signal: AbortSignal) {
      signal.throwIfAborted();
    },
    record(operation: string) {
      operations.push(operation);
    },
  };
}

async function body(req: IncomingMessage): Promise<string> {
  let text = '';
  for await (const chunk of req) text += String(chunk);
  return text;
}

/** An STS and IAM Credentials on loopback that record what they were sent and answer like Google's. */
let server: Server;
let url: string;
let dir: string;
const seen: Array<{ path: string; form?: URLSearchParams; json?: unknown; authorization?: string }> = [];
let refuse = false;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pledge-token-source-'));
  server = createServer(async (req, res) => {
    const text = await body(req);
    const path = req.url ?? '';
    if (path === '/v1/token') {
      const form = new URLSearchParams(text);
      seen.push({ path, form });
      res.setHeader('content-type', 'application/json');
      if (refuse) {
        res.statusCode = 400;
        res.end(JSON.stringify({ error: 'invalid_grant', error_description: 'The audience in ID Token [x] does not match the expected audience.' }));
        return;
      }
      res.end(JSON.stringify({ access_token: `federated-for-${form.get('subject_token')}`, issued_token_type: 'urn:ietf:params:oauth:token-type:access_token', token_type: 'Bearer', expires_in: 3600 }));
      return;
    }
    seen.push({ path, json: JSON.parse(text), authorization: req.headers.authorization });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify({ accessToken: 'service-account-token', expireTime: new Date(Date.now() + 3_600_000).toISOString() }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(async () => {
  await new Promise((resolve) => server.close(resolve));
  await rm(dir, { recursive: true, force: true });
});

const signal = new AbortController().signal;
const audience = '//iam.googleapis.com/projects/123/locations/global/workloadIdentityPools/pool/providers/k8s';

function settings(file: string, impersonate = false): ExternalAccountSettings {
  return {
    audience,
    subjectTokenType: 'urn:ietf:params:oauth:token-type:jwt',
    tokenUrl: `${url}/v1/token`,
    tokenFile: file,
    ...(impersonate ? { serviceAccountImpersonationUrl: `${url}/v1/projects/-/serviceAccounts/sa@p.iam.gserviceaccount.com:generateAccessToken` } : {}),
  };
}

describe('externalAccountGrant', () => {
  it('exchanges the file\'s token at the STS (RFC 8693), and reads the file again for the next exchange (rotation)', async () => {
    const file = join(dir, 'rotating');
    await writeFile(file, 'first-token\n');
    const calls = gate();
    const tokens = createTokenSource(externalAccountGrant(settings(file)));
    assert.equal(await tokens.token(calls, signal), 'federated-for-first-token');
    const form = seen.at(-1)?.form;
    assert.equal(form?.get('grant_type'), 'urn:ietf:params:oauth:grant-type:token-exchange');
    assert.equal(form?.get('audience'), audience);
    assert.equal(form?.get('subject_token_type'), 'urn:ietf:params:oauth:token-type:jwt');
    assert.equal(form?.get('requested_token_type'), 'urn:ietf:params:oauth:token-type:access_token');
    assert.deepEqual(calls.operations, ['STSToken'], 'the exchange passed the call gate');

    await writeFile(file, 'second-token');
    assert.equal(await tokens.token(calls, signal), 'federated-for-first-token', 'a fresh token is reused');
    tokens.invalidate();
    assert.equal(await tokens.token(calls, signal), 'federated-for-second-token');
  });

  it('with an impersonation URL, buys the service account\'s token with the federated one', async () => {
    const file = join(dir, 'impersonating');
    await writeFile(file, 'subject');
    const calls = gate();
    const token = await createTokenSource(externalAccountGrant(settings(file, true))).token(calls, signal);
    assert.equal(token, 'service-account-token');
    const last = seen.at(-1);
    assert.equal(last?.authorization, 'Bearer federated-for-subject');
    assert.deepEqual(last?.json, { scope: ['https://www.googleapis.com/auth/devstorage.full_control'], lifetime: '3600s' });
    assert.deepEqual(calls.operations, ['STSToken', 'GenerateAccessToken']);
  });

  it('reports a refusal with the STS\'s words and a missing file by its path, never the token', async () => {
    const file = join(dir, 'refused');
    await writeFile(file, 'do-not-print-this-token');
    refuse = true;
    try {
      await assert.rejects(createTokenSource(externalAccountGrant(settings(file))).token(gate(), signal), (err: unknown) => {
        assert.ok(err instanceof Error);
        assert.match(err.message, /invalid_grant: The audience in ID Token \[x\] does not match/);
        assert.ok(!err.message.includes('do-not-print-this-token'));
        return true;
      });
    } finally {
      refuse = false;
    }
    await assert.rejects(createTokenSource(externalAccountGrant(settings(join(dir, 'missing')))).token(gate(), signal), /cannot read the subject token file .*missing .*ENOENT/);
  });
});

// The GCS Bucket suite against cloudsim's GCS JSON API and Google token endpoint (started by test/env/run.ts):
// here the ProviderConfig carries a service-account key whose token_uri points at cloudsim.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { NotFoundError } from '../../core/errors/index.ts';
import { bucket } from '../../providers/gcp/bucket.ts';
import { testEnv } from '../env/index.ts';
import { countingGate, gcsBucketSuite, managed, uniqueName } from './gcp-bucket.case.ts';

const sim = testEnv().cloudsim;
if (!sim?.gcpKeyPath) throw new Error('PLEDGE_TEST_CLOUDSIM_GCS_URL / PLEDGE_TEST_CLOUDSIM_GCP_KEY are not set: run under test/env/run.ts');
const { gcsUrl, adminUrl } = sim;
const keyJson = readFileSync(sim.gcpKeyPath, 'utf8');
const projectId = (JSON.parse(keyJson) as { project_id: string }).project_id;
const SECRET = 'pledge-system/gcp-creds/credentials.json';
const credentialsSecretRef = { name: 'gcp-creds', namespace: 'pledge-system', key: 'credentials.json' };

/** cloudsim serves requests without Authorization (as emulators do), which is all the test's own clients need. */
const anonymous = (project: string) => new Storage({ projectId: project, apiEndpoint: gcsUrl, retryOptions: { autoRetry: false } });

async function knobs(body: unknown): Promise<void> {
  const res = await fetch(`${adminUrl}/_cloudsim/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  assert.equal(res.status, 200, await res.text());
}

gcsBucketSuite({
  name: 'cloudsim',
  providerConfigSpec: { projectId, endpoint: gcsUrl, credentialsSecretRef },
  secrets: { [SECRET]: keyJson },
  location: 'us-central1',
  otherLocation: 'EU',
  raw: async () => anonymous(projectId),
  otherProject: async () => anonymous('pledge-other-project'),
  setThrottle: (rate) => knobs({ faults: { gcs: rate > 0 ? { throttleRate: rate, retryAfterSeconds: 1 } : null } }),
  notRun: {
    'ignored-field-is-reported-not-looped': 'cloudsim applies every field a PATCH sends (fake-gcs-server runs this case)',
  },
});

/** A pass-through proxy in front of cloudsim's GCS listener that notes each request's Authorization scheme, never the token. */
async function recordingProxy() {
  const seen: string[] = [];
  const target = new URL(gcsUrl);
  const server = createServer((req, res) => {
    const auth = req.headers.authorization;
    seen.push(auth === undefined ? 'none' : /^Bearer ya29\.\S+$/.test(auth) ? 'cloudsim-token' : 'other');
    const headers: IncomingHttpHeaders = { ...req.headers, host: target.host };
    const upstream = request({ host: target.hostname, port: target.port, path: req.url, method: req.method, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

describe('GCS Bucket against cloudsim: authentication', () => {
  let proxy: Awaited<ReturnType<typeof recordingProxy>>;
  before(async () => {
    proxy = await recordingProxy();
  });
  after(async () => {
    await proxy?.close();
  });

  it('every GCS request carries the access token cloudsim\'s token endpoint issued for the key', async () => {
    const signal = AbortSignal.timeout(60_000);
    const gate = countingGate();
    const name = uniqueName('pledge-auth');
    const mr = managed(name, { location: 'us-central1' });
    const ctx = {
      providerConfig: { metadata: { name: 'sim' }, spec: { projectId, endpoint: proxy.url, credentialsSecretRef } },
      readSecret: async () => keyJson,
      connectionDetails: {},
      calls: gate,
      signal,
    };
    const external = await bucket.connect(mr, ctx);
    await external.create(mr, signal);
    assert.equal((await external.observe(mr, signal)).exists, true);
    await external.delete(mr, signal);
    assert.deepEqual(proxy.seen, ['cloudsim-token', 'cloudsim-token', 'cloudsim-token', 'cloudsim-token'], 'insert, get, list, delete');
    assert.ok(gate.recorded.every((r) => r.err === undefined || r.err instanceof NotFoundError));
  });
});

describe('GCS Bucket against cloudsim: token lifetime', () => {
  after(async () => {
    await knobs({ timings: { tokenLifetimeSeconds: 3599 } });
  });

  it('a token is replaced before it expires, so no call is refused for an expired one', async () => {
    await knobs({ timings: { tokenLifetimeSeconds: 2 } });
    const signal = AbortSignal.timeout(60_000);
    const gate = countingGate();
    const mr = managed(uniqueName('pledge-refresh'), { location: 'us-central1' });
    // A project of its own, so the session (and its token cache) is not one an earlier test warmed up.
    const ctx = {
      providerConfig: { metadata: { name: 'sim' }, spec: { projectId: 'pledge-refresh-test', endpoint: gcsUrl, credentialsSecretRef } },
      readSecret: async () => keyJson,
      connectionDetails: {},
      calls: gate,
      signal,
    };
    const external = await bucket.connect(mr, ctx);
    await external.observe(mr, signal);
    await external.observe(mr, signal);
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    await external.observe(mr, signal);
    assert.deepEqual(gate.operations(), ['OAuthToken', 'GetBucket', 'GetBucket', 'OAuthToken', 'GetBucket'], 'one token for the first calls, a new one past half its 2 s life');
    assert.ok(gate.recorded.every((r) => r.err === undefined || r.err instanceof NotFoundError), 'no call refused');
  });
});

// cloudsim's GCS JSON API and Google token endpoint, driven by @google-cloud/storage (and raw HTTP for the
// token exchange) against the environment's cloudsim.
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Storage } from '@google-cloud/storage';
import { admin, simEnv, uniqueName, type SimEnv } from './support.ts';

let sim: SimEnv;
let storage: Storage;
const PROJECT = 'cloudsim-project';

type GcsApiError = Error & { code?: number; errors?: { reason?: string }[] };
function gcsFails(code: number, reason: string): (err: unknown) => boolean {
  return (err: unknown) => {
    assert.ok(err instanceof Error);
    const e = err as GcsApiError;
    assert.equal(e.code, code, e.message);
    assert.equal(e.errors?.[0]?.reason, reason);
    return true;
  };
}

before(() => {
  sim = simEnv();
  storage = new Storage({ apiEndpoint: sim.gcsUrl, projectId: PROJECT, retryOptions: { autoRetry: false } });
});

after(async () => {
  if (sim) await admin(sim.adminUrl, 'POST', 'reset');
});

test('buckets: insert with every field, read back, patch (labels merge, null removes), metageneration, preconditions, delete', async () => {
  const name = uniqueName('cs-gcs-');
  const [bucket] = await storage.createBucket(name, {
    location: 'europe-west1',
    storageClass: 'NEARLINE',
    versioning: { enabled: true },
    labels: { team: 'a', env: 'dev' },
    iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
    lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age: 30 } }] },
  });
  const [meta] = await bucket.getMetadata();
  assert.equal(meta.name, name);
  assert.equal(meta.location, 'EUROPE-WEST1');
  assert.equal(meta.locationType, 'region');
  assert.equal(meta.storageClass, 'NEARLINE');
  assert.deepEqual(meta.versioning, { enabled: true });
  assert.deepEqual(meta.labels, { team: 'a', env: 'dev' });
  assert.equal(meta.iamConfiguration?.uniformBucketLevelAccess?.enabled, true);
  assert.equal(meta.iamConfiguration?.publicAccessPrevention, 'enforced');
  assert.deepEqual(meta.lifecycle?.rule, [{ action: { type: 'Delete' }, condition: { age: 30 } }]);
  assert.equal(meta.metageneration, '1');
  assert.match(String(meta.projectNumber), /^\d{12}$/);
  assert.ok(meta.timeCreated && meta.updated);

  const [patched] = await bucket.setMetadata({ labels: { team: null, owner: 'b' }, versioning: { enabled: false } } as never);
  assert.deepEqual(patched.labels, { env: 'dev', owner: 'b' });
  assert.equal(patched.versioning, undefined);
  assert.equal(patched.metageneration, '2');
  assert.equal(patched.storageClass, 'NEARLINE', 'a patch leaves what it does not name');
  await assert.rejects(bucket.setMetadata({ labels: { x: 'y' } }, { ifMetagenerationMatch: 1 }), gcsFails(412, 'conditionNotMet'));
  await bucket.setMetadata({ lifecycle: null } as never, { ifMetagenerationMatch: 2 });
  assert.equal((await bucket.getMetadata())[0].lifecycle, undefined);

  await bucket.file('a.txt').save('hello', { resumable: false });
  await assert.rejects(bucket.delete(), gcsFails(409, 'conflict'));
  await bucket.file('a.txt').delete();
  await bucket.delete();
  await assert.rejects(bucket.getMetadata(), gcsFails(404, 'notFound'));
  assert.equal((await bucket.exists())[0], false);
});

test('buckets: name conflicts, bad names, list with prefix and pages', async () => {
  const prefix = uniqueName('cs-list-');
  for (const n of ['a', 'b', 'c']) await storage.createBucket(`${prefix}-${n}`);
  await assert.rejects(storage.createBucket(`${prefix}-a`), (err: unknown) => gcsFails(409, 'conflict')(err) && /already own it/.test((err as Error).message));
  const other = new Storage({ apiEndpoint: sim.gcsUrl, projectId: 'another-project', retryOptions: { autoRetry: false } });
  await assert.rejects(other.createBucket(`${prefix}-a`), (err: unknown) => gcsFails(409, 'conflict')(err) && /not available/.test((err as Error).message));
  await assert.rejects(storage.createBucket('Bad_Name'), gcsFails(400, 'invalid'));

  const [all] = await storage.getBuckets({ prefix });
  assert.deepEqual(all.map((b) => b.name), [`${prefix}-a`, `${prefix}-b`, `${prefix}-c`]);
  const [page, next] = await storage.getBuckets({ prefix, maxResults: 2, autoPaginate: false });
  assert.deepEqual(page.map((b) => b.name), [`${prefix}-a`, `${prefix}-b`]);
  assert.ok(next, 'a next page is announced');
  assert.deepEqual((await other.getBuckets({ prefix }))[0], [], 'buckets are listed per project');
  for (const b of all) await b.delete();
});

test('auth: a service-account key (self-signed JWTs) works; so does a token from POST /token; a bad token is refused', async () => {
  assert.ok(sim.gcpKeyPath, 'PLEDGE_TEST_CLOUDSIM_GCP_KEY is set');
  const key = JSON.parse(readFileSync(sim.gcpKeyPath, 'utf8')) as { client_email: string; private_key: string; private_key_id: string; token_uri: string };
  assert.equal(key.token_uri, `${sim.gcsUrl}/token`);
  const withKey = (credentials: typeof key) => new Storage({ apiEndpoint: sim.gcsUrl, projectId: PROJECT, credentials, useAuthWithCustomEndpoint: true, retryOptions: { autoRetry: false } });
  const otherKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const authed = withKey(key);
  const name = uniqueName('cs-auth-');
  await authed.createBucket(name);
  assert.equal((await authed.bucket(name).getMetadata())[0].name, name);
  // The same account with another private key: proof that the SDK sends credentials and cloudsim checks them.
  await assert.rejects(withKey({ ...key, private_key: otherKey }).bucket(name).getMetadata(), gcsFails(401, 'authError'));

  const assertion = (privateKey: string) => {
    const now = Math.floor(Date.now() / 1000);
    const part = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const unsigned = `${part({ alg: 'RS256', typ: 'JWT', kid: key.private_key_id })}.${part({ iss: key.client_email, scope: 'https://www.googleapis.com/auth/devstorage.full_control', aud: key.token_uri, iat: now, exp: now + 3600 })}`;
    return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(privateKey, 'base64url')}`;
  };
  const exchange = (jwt: string) =>
    fetch(key.token_uri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: jwt }),
      signal: AbortSignal.timeout(10_000),
    });
  const granted = await exchange(assertion(key.private_key));
  assert.equal(granted.status, 200);
  const { access_token: token, token_type: type } = (await granted.json()) as { access_token: string; token_type: string };
  assert.equal(type, 'Bearer');
  const get = (bearer: string) => fetch(`${sim.gcsUrl}/storage/v1/b/${name}`, { headers: { authorization: `Bearer ${bearer}` }, signal: AbortSignal.timeout(10_000) });
  assert.equal((await get(token)).status, 200);

  const forged = await exchange(assertion(otherKey));
  assert.equal(forged.status, 400);
  assert.deepEqual(await forged.json(), { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' });
  const refused = await get(`${token.slice(0, -3)}abc`);
  assert.equal(refused.status, 401);
  assert.equal(((await refused.json()) as { error: { errors: { reason: string }[] } }).error.errors[0]?.reason, 'authError');
  await authed.bucket(name).delete();
});

test('knobs: GCS throttling reaches the SDK as 429 rateLimitExceeded; an outage as 503; counters', async () => {
  const name = uniqueName('cs-knob-');
  await storage.createBucket(name);
  await admin(sim.adminUrl, 'DELETE', 'counters');
  await admin(sim.adminUrl, 'PATCH', 'knobs', { faults: { 'gcs.buckets.get': { throttleRate: 1 } } });
  await assert.rejects(storage.bucket(name).getMetadata(), gcsFails(429, 'rateLimitExceeded'));
  await admin(sim.adminUrl, 'PATCH', 'knobs', { faults: { 'gcs.buckets.get': null } });
  await admin(sim.adminUrl, 'POST', 'outages', { service: 'gcs', seconds: 30 });
  await assert.rejects(storage.bucket(name).getMetadata(), gcsFails(503, 'backendError'));
  await admin(sim.adminUrl, 'DELETE', 'outages');
  await storage.bucket(name).getMetadata();
  const counts = await admin<Record<string, Record<string, Record<string, number>>>>(sim.adminUrl, 'GET', 'counters');
  assert.deepEqual(counts.gcs?.['buckets.get'], { throttled: 1, outage: 1, ok: 1 });
  await storage.bucket(name).delete();
});

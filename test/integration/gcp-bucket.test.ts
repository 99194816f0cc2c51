// GCS Bucket end to end: kubectl → kube-apiserver → `pledge run` → @google-cloud/storage → fake-gcs-server
// (and cloudsim), and back. The SDK clients here are the test's own, changing buckets behind Pledge's back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { Storage } from '@google-cloud/storage';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { reconcileEvidence } from './support/reconcile-evidence.ts';

const RESOURCE = 'buckets.storage.gcp.pledge.dev';
const suffix = randomBytes(3).toString('hex');

function bucketYaml(name: string, providerConfig: string, forProvider: string): string {
  return `
apiVersion: storage.gcp.pledge.dev/v1
kind: Bucket
metadata: {name: ${name}}
spec:
  providerConfigRef: {name: ${providerConfig}}
  forProvider:
${forProvider.replace(/^/gm, '    ')}
`;
}

async function waitReady(controller: ControllerProcess, name: string): Promise<void> {
  const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${RESOURCE}/${name}`], { timeoutMs: 70_000 });
  assert.equal(wait.code, 0, `kubectl wait: ${wait.stderr}\ncontroller log:\n${(await controller.log()).slice(-3000)}`);
}

async function bucketGone(storage: Storage, name: string): Promise<boolean> {
  const [exists] = await storage.bucket(name).exists();
  return !exists;
}

const env = testEnv();
const fakeGcsUrl = env.fakeGcsUrl;
const sim = env.cloudsim;
if (!fakeGcsUrl || !sim?.gcpKeyPath) throw new Error('PLEDGE_TEST_FAKE_GCS_URL and PLEDGE_TEST_CLOUDSIM_* are not set: run under test/env/run.ts');
const keyJson = readFileSync(sim.gcpKeyPath, 'utf8');
const simProject = (JSON.parse(keyJson) as { project_id: string }).project_id;
let controller: ControllerProcess;

before(async () => {
  await installCrds();
  // fake-gcs-server takes unauthenticated requests: no credentials, only the endpoint. cloudsim gets the
  // service-account key it issued, whose token_uri points at it.
  const res = await kubectlApply(`
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: gcp-fake-gcs}
spec: {projectId: pledge-test, endpoint: "${fakeGcsUrl}"}
---
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: gcp-cloudsim-key, namespace: pledge-system}
data:
  credentials.json: ${Buffer.from(keyJson).toString('base64')}
---
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: gcp-cloudsim}
spec:
  projectId: ${simProject}
  endpoint: "${sim.gcsUrl}"
  credentialsSecretRef: {name: gcp-cloudsim-key, namespace: pledge-system}
`);
  assert.equal(res.code, 0, res.stderr);
  controller = await startController({ pollInterval: '2s' });
});

after(async () => {
  await controller?.stop();
});

describe('GCS Bucket on a real kube-apiserver and fake-gcs-server', () => {
  const storage = new Storage({ projectId: 'pledge-test', apiEndpoint: fakeGcsUrl, retryOptions: { autoRetry: false } });
  const providerConfig = 'gcp-fake-gcs';
  const name = `pledge-gcs-e2e-${suffix}`;

  test('kubectl apply makes a versioned bucket; Ready; atProvider; late-init; printer columns', async () => {
    assert.equal((await kubectlApply(bucketYaml(name, providerConfig, 'location: us-central1\nversioning: true'))).code, 0);
    await waitReady(controller, name);
    const [metadata] = await storage.bucket(name).getMetadata();
    assert.equal(metadata.versioning?.enabled, true);

    const obj = await getJson<{ spec: { forProvider: Record<string, unknown> }; status: { atProvider: Record<string, string> }; metadata: { annotations: Record<string, string> } }>(RESOURCE, name);
    assert.equal(obj?.status.atProvider.id, name);
    assert.equal(obj?.status.atProvider.location, 'US-CENTRAL1');
    assert.equal(obj?.metadata.annotations['pledge.dev/external-name'], name);
    assert.deepEqual(obj?.spec.forProvider, {
      location: 'us-central1',
      versioning: true,
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: false,
      publicAccessPrevention: 'inherited',
    }, 'unset fields are late-initialized from the cloud');

    const [header, row] = (await mustKubectl(['get', RESOURCE, name])).trim().split('\n');
    assert.match(header ?? '', /^NAME\s+READY\s+SYNCED\s+EXTERNAL-NAME\s+AGE$/);
    assert.match(row ?? '', new RegExp(`^${name}\\s+True\\s+True\\s+${name}\\s+\\d+s$`));
  });

  test('versioning turned off behind Pledge\'s back is turned back on within the poll interval', async () => {
    await storage.bucket(name).setMetadata({ versioning: { enabled: false } });
    const started = Date.now();
    await eventually(async () => (await storage.bucket(name).getMetadata())[0].versioning?.enabled === true, 'versioning to be restored', 15_000);
    assert.ok(Date.now() - started < 10_000, `restored after ${Date.now() - started} ms`);
  });

  test('editing the Bucket updates the cloud', async () => {
    await mustKubectl(['patch', RESOURCE, name, '--type=merge', '-p', '{"spec":{"forProvider":{"versioning":false}}}']);
    await eventually(async () => (await storage.bucket(name).getMetadata())[0].versioning?.enabled === false, 'versioning off in the cloud');
    await eventually(async () => (await condition(RESOURCE, name, 'Synced'))?.status === 'True', 'Synced=True');
  });

  test('a field the endpoint ignores becomes Synced=False naming it, checked at the poll interval, not in a loop', async (t) => {
    await mustKubectl(['patch', RESOURCE, name, '--type=merge', '-p', '{"spec":{"forProvider":{"labels":{"team":"storage"}}}}']);
    await eventually(async () => (await condition(RESOURCE, name, 'Synced'))?.status === 'False', 'Synced=False');
    const synced = await condition(RESOURCE, name, 'Synced');
    assert.equal(synced?.reason, 'TerminalError');
    assert.equal(
      synced?.message,
      'update failed: the endpoint accepted but did not apply: labels (still labels: {} → {"team":"storage"}); checked again at the poll interval',
    );
    assert.equal((await condition(RESOURCE, name, 'Ready'))?.status, 'True', 'the bucket itself is still there and usable');

    // Counted by the controller's own clock from its last attempt, once an attempt after the window shows it
    // kept checking.
    const failures = reconcileEvidence(() => controller.log(), { kind: 'Bucket', name, msg: /^update failed: / });
    const start = (await failures.lines()).at(-1)?.time ?? Date.now();
    const attempts = (await failures.within(start, 6_000, 'tried the update again after a 6 s window')).length;
    // Poll interval 2 s ± 10 %: about three attempts in 6 s; a hot loop would make hundreds.
    assert.ok(attempts >= 1 && attempts <= 5, `${attempts} update attempts in 6 s`);
    t.diagnostic(`${attempts} update attempts in 6 s at a 2 s poll interval`);

    // Dropping the field from the spec ends it.
    await mustKubectl(['patch', RESOURCE, name, '--type=json', '-p', '[{"op":"remove","path":"/spec/forProvider/labels"}]']);
    await eventually(async () => (await condition(RESOURCE, name, 'Synced'))?.status === 'True', 'Synced=True again');
  });

  test('kubectl delete removes the bucket from the cloud and then the finalizer', async () => {
    const del = await kubectl(['delete', RESOURCE, name, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(del.code, 0, del.stderr);
    assert.equal(await getJson(RESOURCE, name), undefined, 'the object is gone');
    assert.ok(await bucketGone(storage, name), 'the bucket is gone from the cloud');
  });

  test('a name GCS would refuse is refused at admission, naming the field', async () => {
    const res = await kubectlApply(bucketYaml(`my-google-bucket-${suffix}`, providerConfig, 'location: us-central1'));
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /metadata\.name must not contain "google"/);
    const labels = await kubectlApply(bucketYaml(`pledge-badlabel-${suffix}`, providerConfig, 'location: us-central1\nlabels: {Team: x}'));
    assert.notEqual(labels.code, 0);
    assert.match(labels.stderr, /spec\.forProvider\.labels keys must be/);
  });
});

describe('GCS Bucket on a real kube-apiserver and cloudsim (service-account key, token endpoint)', () => {
  // The test's own client: cloudsim serves requests without Authorization, as the emulators do.
  const storage = new Storage({ projectId: simProject, apiEndpoint: sim.gcsUrl, retryOptions: { autoRetry: false } });
  const providerConfig = 'gcp-cloudsim';
  const name = `pledge-gcs-sim-${suffix}`;
  const every = [
    'location: EU',
    'storageClass: NEARLINE',
    'versioning: true',
    'labels: {team: storage, env: test}',
    'uniformBucketLevelAccess: true',
    'publicAccessPrevention: enforced',
    'lifecycleRules: [{deleteAfterDays: 30}]',
  ].join('\n');

  async function cloud() {
    const [metadata] = await storage.bucket(name).getMetadata();
    return {
      storageClass: metadata.storageClass,
      versioning: metadata.versioning?.enabled === true,
      labels: metadata.labels ?? {},
      uniformBucketLevelAccess: metadata.iamConfiguration?.uniformBucketLevelAccess?.enabled === true,
      publicAccessPrevention: metadata.iamConfiguration?.publicAccessPrevention,
      deleteAfterDays: (metadata.lifecycle?.rule ?? []).map((r) => r.condition.age),
    };
  }
  const wanted = { storageClass: 'NEARLINE', versioning: true, labels: { team: 'storage', env: 'test' }, uniformBucketLevelAccess: true, publicAccessPrevention: 'enforced', deleteAfterDays: [30] };

  test('kubectl apply makes a bucket with every field set; Ready; the cloud has them all', async () => {
    assert.equal((await kubectlApply(bucketYaml(name, providerConfig, every))).code, 0);
    await waitReady(controller, name);
    assert.deepEqual(await cloud(), wanted);
    const obj = await getJson<{ status: { atProvider: Record<string, string> } }>(RESOURCE, name);
    assert.equal(obj?.status.atProvider.location, 'EU');
    assert.equal(obj?.status.atProvider.storageClass, 'NEARLINE');
    assert.equal((await condition(RESOURCE, name, 'Synced'))?.status, 'True');
  });

  test('drift in every field, made through the SDK, is put back within the poll interval', async (t) => {
    await storage.bucket(name).setMetadata({
      storageClass: 'COLDLINE',
      versioning: { enabled: false },
      labels: { team: 'hacker', extra: 'x' },
      iamConfiguration: { uniformBucketLevelAccess: { enabled: false }, publicAccessPrevention: 'inherited' },
      lifecycle: null,
    });
    assert.notDeepEqual(await cloud(), wanted, 'the drift took');
    const started = Date.now();
    await eventually(async () => isDeepEqual(await cloud(), wanted), 'every field to be restored', 15_000);
    assert.ok(Date.now() - started < 10_000, `restored after ${Date.now() - started} ms`);
    t.diagnostic(`every field restored ${Date.now() - started} ms after the drift`);
  });

  test('editing the Bucket updates the cloud, field by field', async () => {
    await mustKubectl(['patch', RESOURCE, name, '--type=merge', '-p', JSON.stringify({
      spec: { forProvider: { storageClass: 'ARCHIVE', labels: { team: 'data', env: null }, lifecycleRules: [{ deleteAfterDays: 7 }, { deleteAfterDays: 90 }] } },
    })]);
    await eventually(async () => isDeepEqual(await cloud(), { ...wanted, storageClass: 'ARCHIVE', labels: { team: 'data' }, deleteAfterDays: [7, 90] }), 'the new settings in the cloud');
    await eventually(async () => (await condition(RESOURCE, name, 'Synced'))?.status === 'True', 'Synced=True');
  });

  test('kubectl delete removes the bucket from cloudsim and then the finalizer', async () => {
    const del = await kubectl(['delete', RESOURCE, name, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(del.code, 0, del.stderr);
    assert.equal(await getJson(RESOURCE, name), undefined);
    assert.ok(await bucketGone(storage, name));
  });

  test('neither the private key nor an access token ever reached the controller\'s log', async () => {
    const log = await controller.log();
    const pem = (JSON.parse(keyJson) as { private_key: string }).private_key;
    const keyBody = pem.split('\n').find((line) => line.length > 40) ?? pem;
    assert.ok(log.includes(name), 'the log covers the cloudsim bucket');
    assert.ok(!log.includes(keyBody), 'no private key material');
    assert.ok(!/ya29\./.test(log), 'no access token');
  });
});

function isDeepEqual(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

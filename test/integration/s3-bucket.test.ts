// The walking skeleton end to end: kubectl → kube-apiserver → `pledge run` → AWS SDK → moto, and back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  CreateBucketCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  HeadBucketCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { kubectl, kubectlApply } from '../env/index.ts';
import {
  condition,
  eventually,
  getJson,
  installAwsProviderConfig,
  installCrds,
  motoS3,
  mustKubectl,
  startController,
  type ControllerProcess,
} from './harness.ts';
import { reconcileEvidence } from './support/reconcile-evidence.ts';

const suffix = randomBytes(3).toString('hex');
const bucketYaml = (name: string, forProvider: string, extraSpec = '') => `
apiVersion: s3.aws.pledge.dev/v1
kind: Bucket
metadata: {name: ${name}}
spec:
  forProvider:
${forProvider.replace(/^/gm, '    ')}
${extraSpec.replace(/^/gm, '  ')}
`;

async function cloudTags(s3: S3Client, bucket: string): Promise<Record<string, string>> {
  try {
    const out = await s3.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    return Object.fromEntries((out.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  } catch (err: unknown) {
    if (err instanceof Error && err.name === 'NoSuchTagSet') return {};
    throw err;
  }
}

async function cloudVersioning(s3: S3Client, bucket: string): Promise<string | undefined> {
  return (await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status;
}

async function bucketExists(s3: S3Client, bucket: string): Promise<boolean> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return true;
  } catch (err: unknown) {
    if (err instanceof Error && (err.name === 'NotFound' || err.name === 'NoSuchBucket')) return false;
    throw err;
  }
}

describe('S3 Bucket on a real kube-apiserver and moto', () => {
  let controller: ControllerProcess;
  let s3: S3Client;

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '2s' });
    s3 = motoS3();
  });

  after(async () => {
    await controller?.stop();
  });

  const name = `pledge-e2e-${suffix}`;

  test('kubectl apply makes a bucket with tags and versioning; Ready; arn; printer columns', async () => {
    const res = await kubectlApply(bucketYaml(name, 'region: us-east-1\ntags: {team: platform, env: test}\nversioning: Enabled'));
    assert.equal(res.code, 0, res.stderr);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `bucket.s3.aws.pledge.dev/${name}`], { timeoutMs: 70_000 });
    assert.equal(wait.code, 0, `kubectl wait: ${wait.stderr}\ncontroller log:\n${(await controller.log()).slice(-3000)}`);

    assert.ok(await bucketExists(s3, name));
    assert.deepEqual(await cloudTags(s3, name), { team: 'platform', env: 'test' });
    assert.equal(await cloudVersioning(s3, name), 'Enabled');

    const obj = await getJson<{ status: { atProvider: { arn: string; region: string } }; metadata: { annotations: Record<string, string>; finalizers: string[] } }>('bucket.s3.aws.pledge.dev', name);
    assert.equal(obj?.status.atProvider.arn, `arn:aws:s3:::${name}`);
    assert.equal(obj?.metadata.annotations['pledge.dev/external-name'], name);
    assert.ok(obj?.metadata.finalizers.length, 'a finalizer guards the cloud object');

    const table = await mustKubectl(['get', 'buckets.s3.aws.pledge.dev', name]);
    const [header, row] = table.trim().split('\n');
    assert.match(header ?? '', /^NAME\s+READY\s+SYNCED\s+EXTERNAL-NAME\s+AGE$/);
    assert.match(row ?? '', new RegExp(`^${name}\\s+True\\s+True\\s+${name}\\s+\\d+s$`));
  });

  test('drift made behind Pledge\'s back (tags, versioning) is put back within the poll interval', async () => {
    await s3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: 'team', Value: 'hacker' }, { Key: 'extra', Value: 'x' }] } }));
    await s3.send(new PutBucketVersioningCommand({ Bucket: name, VersioningConfiguration: { Status: 'Suspended' } }));
    assert.deepEqual(await cloudTags(s3, name), { team: 'hacker', extra: 'x' }, 'the drift took');
    const started = Date.now();
    await eventually(
      async () => isDeep(await cloudTags(s3, name), { team: 'platform', env: 'test' }) && (await cloudVersioning(s3, name)) === 'Enabled',
      'tags and versioning to be restored',
      15_000,
    );
    // Poll interval 2 s ± 10 %, plus one reconcile: well under 10 s.
    assert.ok(Date.now() - started < 10_000, `restored after ${Date.now() - started} ms`);
  });

  test('editing tags in the Bucket updates the cloud', async () => {
    await mustKubectl(['patch', 'buckets.s3.aws.pledge.dev', name, '--type=json', '-p', '[{"op":"replace","path":"/spec/forProvider/tags","value":{"team":"data","cost-center":"42"}}]']);
    await eventually(async () => isDeep(await cloudTags(s3, name), { team: 'data', 'cost-center': '42' }), 'the new tags in the cloud');
    await eventually(async () => (await condition('bucket.s3.aws.pledge.dev', name, 'Synced'))?.status === 'True', 'Synced=True');
  });

  test('kubectl delete removes the bucket from the cloud and then the finalizer', async () => {
    const del = await kubectl(['delete', 'buckets.s3.aws.pledge.dev', name, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(del.code, 0, del.stderr);
    assert.equal(await getJson('bucket.s3.aws.pledge.dev', name), undefined, 'the object is gone');
    assert.equal(await bucketExists(s3, name), false, 'the bucket is gone from the cloud');
  });

  test('deletionPolicy Orphan keeps the bucket in the cloud', async () => {
    const orphan = `pledge-orphan-${suffix}`;
    assert.equal((await kubectlApply(bucketYaml(orphan, 'region: us-east-1', 'deletionPolicy: Orphan'))).code, 0);
    assert.equal((await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `bucket.s3.aws.pledge.dev/${orphan}`], { timeoutMs: 70_000 })).code, 0);
    const del = await kubectl(['delete', 'buckets.s3.aws.pledge.dev', orphan, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(del.code, 0, del.stderr);
    assert.equal(await getJson('bucket.s3.aws.pledge.dev', orphan), undefined);
    assert.equal(await bucketExists(s3, orphan), true, 'an orphaned bucket stays');
  });

  test('a cloud-side error (name taken by another account) becomes Synced=False with the cloud\'s code and message; the controller keeps running', async () => {
    const taken = `pledge-taken-${suffix}`;
    await motoS3({ account: '111111111111' }).send(new CreateBucketCommand({ Bucket: taken }));
    assert.equal((await kubectlApply(bucketYaml(taken, 'region: us-east-1\ntags: {team: platform}'))).code, 0);
    await eventually(async () => (await condition('bucket.s3.aws.pledge.dev', taken, 'Synced'))?.status === 'False', 'Synced=False');
    const synced = await condition('bucket.s3.aws.pledge.dev', taken, 'Synced');
    assert.equal(synced?.reason, 'TerminalError');
    assert.equal((await condition('bucket.s3.aws.pledge.dev', taken, 'Stalled'))?.status, 'True', 'a terminal error stalls it (kstatus Failed, Argo CD Degraded)');
    assert.match(synced?.message ?? '', /^create failed: BucketAlreadyExists: The requested bucket name is not available/);
    const events = await mustKubectl(['get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${taken}`, '-o', 'json']);
    const reasons = (JSON.parse(events) as { items: Array<{ reason: string; type: string }> }).items.map((e) => `${e.type}/${e.reason}`);
    assert.ok(reasons.includes('Warning/CannotCreateExternalResource'), reasons.join(', '));

    // No hot loop: a terminal error waits for the poll interval (2 s here), so a few seconds see only a few
    // attempts. Counted by the controller's own clock from its last attempt, once an attempt after the window
    // shows it kept trying.
    const failures = reconcileEvidence(() => controller.log(), { kind: 'Bucket', name: taken, msg: /^create failed: / });
    const start = (await failures.lines()).at(-1)?.time ?? Date.now();
    const attempts = (await failures.within(start, 5_000, 'tried the create again after a 5 s window')).length;
    assert.ok(attempts >= 1 && attempts <= 4, `${attempts} create attempts in 5 s`);

    // The controller is alive and still works for others.
    assert.equal(controller.child.hasExited(), false);
    const other = `pledge-after-error-${suffix}`;
    assert.equal((await kubectlApply(bucketYaml(other, 'region: us-east-1'))).code, 0);
    assert.equal((await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `bucket.s3.aws.pledge.dev/${other}`], { timeoutMs: 70_000 })).code, 0);

    // Deleting it releases the name without touching the other account's bucket.
    assert.equal((await kubectl(['delete', 'buckets.s3.aws.pledge.dev', taken, other, '--timeout=60s'], { timeoutMs: 70_000 })).code, 0);
    assert.equal(await bucketExists(motoS3({ account: '111111111111' }), taken), true);
  });

  test('an invalid bucket name is refused at admission, naming the field', async () => {
    const res = await kubectlApply(bucketYaml('Bad_Name.example', 'region: us-east-1'));
    assert.notEqual(res.code, 0);
    // Kubernetes' own name validation refuses underscores and capitals; our CEL rule names S3's rules.
    assert.match(res.stderr, /metadata\.name/);
    const dotted = await kubectlApply(bucketYaml(`ab..cd-${suffix}`, 'region: us-east-1'));
    assert.notEqual(dotted.code, 0);
    assert.match(dotted.stderr, /metadata\.name/);
    assert.match(dotted.stderr, /\.\./);
    const ip = await kubectlApply(bucketYaml('192.168.5.4', 'region: us-east-1'));
    assert.notEqual(ip.code, 0);
    assert.match(ip.stderr, /metadata\.name.*IP/i);
  });

  test('an invalid versioning value is refused at admission, naming the field', async () => {
    const res = await kubectlApply(bucketYaml(`pledge-bad-${suffix}`, 'region: us-east-1\nversioning: Maybe'));
    assert.notEqual(res.code, 0);
    assert.match(res.stderr, /spec\.forProvider\.versioning/);
    assert.match(res.stderr, /Enabled/);
  });
});

function isDeep(a: unknown, b: unknown): boolean {
  try {
    assert.deepEqual(a, b);
    return true;
  } catch {
    return false;
  }
}

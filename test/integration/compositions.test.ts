// Compositions end to end: XRD → live CRDs → claim → XR → managed resources → cloud, and back.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { GetBucketVersioningCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO, startController, TEST_CREDENTIALS, type ControllerProcess } from './harness.ts';

const examples = join(REPO, 'compositions/examples');
const suffix = randomBytes(3).toString('hex');

interface Obj {
  metadata: { name: string; labels?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string }> };
  spec: Record<string, unknown> & { resourceRef?: { name: string }; resourceRefs?: Array<{ kind: string; name: string }>; compositionRevisionRef?: { name: string } };
  status?: Record<string, unknown>;
}

async function bucketGone(name: string): Promise<boolean> {
  try {
    await motoS3().send(new HeadBucketCommand({ Bucket: name }));
    return false;
  } catch {
    return true;
  }
}

describe('compositions: object-storage on AWS, postgres on RDS', () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '5s' });
    await mustKubectl(['apply', '-f', join(examples, 'object-storage/definition.yaml'), '-f', join(examples, 'object-storage/composition-aws.yaml')]);
    await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
  });
  after(async () => {
    await controller?.stop();
  });

  const claim = `photos-${suffix}`;
  const claimYaml = (versioning: boolean) => `
apiVersion: platform.example.org/v1alpha1
kind: ObjectStorage
metadata: {name: ${claim}, namespace: default}
spec:
  region: us-east-1
  versioning: ${versioning}
  compositionSelector: {matchLabels: {provider: aws}}
  writeConnectionSecretToRef: {name: ${claim}-conn}
`;

  test('a claim creates its XR and a Bucket in moto, becomes Ready with its connection secret', async () => {
    assert.equal((await kubectlApply(claimYaml(true))).code, 0);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `objectstorage/${claim}`, '-n', 'default'], { timeoutMs: 100_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-4000)}`);
    const c = await getJson<Obj>('objectstorage', claim, 'default');
    const xrName = c?.spec.resourceRef?.name ?? '';
    const xr = await getJson<Obj>('xobjectstorage', xrName);
    assert.equal(xr?.spec.compositionRef && (xr.spec.compositionRef as { name: string }).name, 'objectstorage-aws');
    const bucketRef = xr?.spec.resourceRefs?.find((r) => r.kind === 'Bucket');
    assert.ok(bucketRef, 'the XR lists its composed Bucket');
    const bucket = await getJson<Obj>('buckets.s3.aws.pledge.dev', bucketRef.name);
    assert.equal(bucket?.metadata.labels?.['pledge.dev/claim-name'], claim);
    assert.equal(bucket?.metadata.ownerReferences?.[0]?.name, xrName);
    assert.equal((await motoS3().send(new GetBucketVersioningCommand({ Bucket: bucketRef.name }))).Status, 'Enabled');
    assert.equal(c?.status?.bucketName, bucketRef.name, 'ToCompositeFieldPath flows back to the claim');
    const secret = await getJson<{ data: Record<string, string> }>('secret', `${claim}-conn`, 'default');
    assert.equal(Buffer.from(secret?.data.bucketName ?? '', 'base64').toString(), bucketRef.name);
  });

  test('changing versioning on the claim reaches the cloud', async () => {
    assert.equal((await kubectlApply(claimYaml(false))).code, 0);
    const c = await getJson<Obj>('objectstorage', claim, 'default');
    const xr = await getJson<Obj>('xobjectstorage', c?.spec.resourceRef?.name ?? '');
    const bucketName = xr?.spec.resourceRefs?.find((r) => r.kind === 'Bucket')?.name ?? '';
    await eventually(async () => (await motoS3().send(new GetBucketVersioningCommand({ Bucket: bucketName }))).Status === 'Suspended', 'versioning Suspended in moto', 45_000);
  });

  test('editing the Composition makes a new revision; Automatic XRs move, Manual ones stay', async () => {
    const manual = `pinned-${suffix}`;
    assert.equal((await kubectlApply(`apiVersion: platform.example.org/v1alpha1\nkind: ObjectStorage\nmetadata: {name: ${manual}, namespace: default}\nspec: {region: us-east-1, compositionUpdatePolicy: Manual, compositionSelector: {matchLabels: {provider: aws}}}\n`)).code, 0);
    assert.equal((await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `objectstorage/${manual}`, '-n', 'default'], { timeoutMs: 100_000 })).code, 0);
    const revisionOf = async (claimName: string) => {
      const c = await getJson<Obj>('objectstorage', claimName, 'default');
      return (await getJson<Obj>('xobjectstorage', c?.spec.resourceRef?.name ?? ''))?.spec.compositionRevisionRef?.name;
    };
    const before = { automatic: await revisionOf(claim), manual: await revisionOf(manual) };
    assert.equal(before.automatic, before.manual);
    const revisionsBefore = JSON.parse(await mustKubectl(['get', 'compositionrevisions', '-l', 'pledge.dev/composition-name=objectstorage-aws', '-o', 'json'])).items.length as number;
    await mustKubectl(['patch', 'compositions.pledge.dev', 'objectstorage-aws', '--type=json', '-p', '[{"op":"add","path":"/spec/resources/0/base/spec/forProvider/tags/revision","value":"two"}]']);
    await eventually(async () => (await revisionOf(claim)) !== before.automatic, 'the Automatic XR to move to the new revision');
    const revisions = JSON.parse(await mustKubectl(['get', 'compositionrevisions', '-l', 'pledge.dev/composition-name=objectstorage-aws', '-o', 'json'])).items as Array<{ spec: { revision: number } }>;
    assert.equal(revisions.length, revisionsBefore + 1);
    assert.equal(await revisionOf(manual), before.manual, 'the Manual XR stays on its revision');
    await kubectl(['delete', 'objectstorage', manual, '-n', 'default', '--timeout=60s']);
  });

  test('a claim violating the XRD schema is refused naming the field; a broken patch shows on the claim, others keep working', async () => {
    const bad = await kubectlApply(`apiVersion: platform.example.org/v1alpha1\nkind: ObjectStorage\nmetadata: {name: bad-${suffix}, namespace: default}\nspec: {region: us-east-1, sizeClass: enormous}\n`);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec\.sizeClass/);

    await mustKubectl(['apply', '-f', '-'], `apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: broken-${suffix}, labels: {provider: broken-${suffix}}}
spec:
  compositeTypeRef: {apiVersion: platform.example.org/v1alpha1, kind: XObjectStorage}
  resources:
  - name: bucket
    base: {apiVersion: s3.aws.pledge.dev/v1, kind: Bucket, spec: {forProvider: {region: us-east-1}}}
    patches:
    - type: FromCompositeFieldPath
      fromFieldPath: spec.region
      toFieldPath: spec.forProvider.region
      transforms: [{type: math, math: {type: Multiply, multiply: 2}}]
`);
    const broken = `broken-${suffix}`;
    assert.equal((await kubectlApply(`apiVersion: platform.example.org/v1alpha1\nkind: ObjectStorage\nmetadata: {name: ${broken}, namespace: default}\nspec: {region: us-east-1, compositionSelector: {matchLabels: {provider: broken-${suffix}}}}\n`)).code, 0);
    await eventually(async () => (await condition('objectstorage', broken, 'Synced', 'default'))?.status === 'False', 'claim Synced=False', 30_000);
    const synced = await condition('objectstorage', broken, 'Synced', 'default');
    assert.match(synced?.message ?? '', new RegExp(`broken-${suffix}`));
    assert.match(synced?.message ?? '', /resource "bucket"/);
    assert.match(synced?.message ?? '', /input is required to be a number/);
    const events = await mustKubectl(['get', 'events', '-n', 'default', '--field-selector', `involvedObject.name=${broken}`, '-o', 'jsonpath={.items[*].reason}']);
    assert.match(events, /CompositeResourceNotSynced/);
    assert.equal(controller.child.hasExited(), false);
    await kubectl(['delete', 'objectstorage', broken, '-n', 'default', '--timeout=60s']);
  });

  test('the claim turned Ready within 2 s of its last composed resource', async () => {
    const c = await getJson<Obj & { status: { conditions: Array<{ type: string; lastTransitionTime: string }> } }>('objectstorage', claim, 'default');
    const xr = await getJson<Obj>('xobjectstorage', c?.spec.resourceRef?.name ?? '');
    const bucketName = xr?.spec.resourceRefs?.find((r) => r.kind === 'Bucket')?.name ?? '';
    const bucket = await getJson<{ status: { conditions: Array<{ type: string; lastTransitionTime: string }> } }>('buckets.s3.aws.pledge.dev', bucketName);
    const readyAt = (conds: Array<{ type: string; lastTransitionTime: string }> | undefined) => Date.parse(conds?.find((x) => x.type === 'Ready')?.lastTransitionTime ?? '');
    const lag = readyAt(c?.status.conditions) - readyAt(bucket?.status.conditions);
    assert.ok(lag >= 0 && lag <= 2_000, `claim Ready ${lag} ms after its Bucket (timestamps have 1 s resolution)`);
  });

  test('postgres: claim → RDS instance in moto → claim secret with host, port, username, password', async () => {
    await mustKubectl(['apply', '-f', join(examples, 'postgres/definition.yaml'), '-f', join(examples, 'postgres/composition-aws.yaml')]);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xpostgresqlinstances.platform.example.org']);
    const dbClaim = `orders-${suffix}`;
    const yaml = (await readFile(join(examples, 'postgres/claim.yaml'), 'utf8')).replaceAll('orders-db', dbClaim);
    assert.equal((await kubectlApply(yaml)).code, 0);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `postgresqlinstance/${dbClaim}`, '-n', 'default'], { timeoutMs: 100_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-3000)}`);
    const secret = await getJson<{ data: Record<string, string> }>('secret', `${dbClaim}-conn`, 'default');
    const data = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    assert.deepEqual(Object.keys(data).sort(), ['host', 'password', 'port', 'username']);
    assert.equal(data.username, 'app');
    assert.match(data.port ?? '', /^\d+$/);
    assert.ok((data.password ?? '').length >= 16, 'a generated password');
    const c = await getJson<Obj>('postgresqlinstance', dbClaim, 'default');
    const xr = await getJson<Obj>('xpostgresqlinstance', c?.spec.resourceRef?.name ?? '');
    const dbName = xr?.spec.resourceRefs?.find((r) => r.kind === 'DBInstance')?.name ?? '';
    const rds = new RDSClient({ region: 'us-east-1', endpoint: testEnv().motoUrl, credentials: TEST_CREDENTIALS });
    const described = await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbName }));
    assert.equal(described.DBInstances?.[0]?.Engine, 'postgres');
    assert.equal(described.DBInstances?.[0]?.Endpoint?.Address, data.host);
    assert.equal(c?.status?.address, data.host, 'status.address flows back to the claim');
    assert.equal((await kubectl(['delete', 'postgresqlinstance', dbClaim, '-n', 'default', '--timeout=90s'], { timeoutMs: 100_000 })).code, 0);
    await eventually(async () => ((await rds.send(new DescribeDBInstancesCommand({}))).DBInstances ?? []).every((d) => d.DBInstanceIdentifier !== dbName), 'the RDS instance gone');
  });

  test('deleting the claim removes the XR, the Bucket and the cloud bucket', async () => {
    const c = await getJson<Obj>('objectstorage', claim, 'default');
    const xrName = c?.spec.resourceRef?.name ?? '';
    const xr = await getJson<Obj>('xobjectstorage', xrName);
    const bucketName = xr?.spec.resourceRefs?.find((r) => r.kind === 'Bucket')?.name ?? '';
    const del = await kubectl(['delete', 'objectstorage', claim, '-n', 'default', '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(del.code, 0, del.stderr);
    assert.equal(await getJson('xobjectstorage', xrName), undefined);
    await eventually(async () => (await getJson('buckets.s3.aws.pledge.dev', bucketName)) === undefined, 'Bucket object gone');
    assert.ok(await bucketGone(bucketName), 'cloud bucket gone');
    assert.equal(await getJson('secret', `${claim}-conn`, 'default'), undefined, 'claim secret gone');
  });

  test('deleting an XRD is refused while instances exist; once they are gone its CRDs go too', async () => {
    const keep = `keep-${suffix}`;
    assert.equal((await kubectlApply(`apiVersion: platform.example.org/v1alpha1\nkind: ObjectStorage\nmetadata: {name: ${keep}, namespace: default}\nspec: {region: us-east-1, compositionSelector: {matchLabels: {provider: aws}}}\n`)).code, 0);
    const xrd = 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org';
    await mustKubectl(['delete', xrd, '--wait=false']);
    await eventually(async () => (await condition('compositeresourcedefinitions.pledge.dev', 'xobjectstorages.platform.example.org', 'Established'))?.reason === 'DeletionBlocked', 'DeletionBlocked');
    const blocked = await condition('compositeresourcedefinitions.pledge.dev', 'xobjectstorages.platform.example.org', 'Established');
    assert.match(blocked?.message ?? '', /1 ObjectStorage/);
    assert.ok(await getJson('crd', 'objectstorages.platform.example.org'), 'the claim CRD is still served');
    assert.equal((await kubectl(['delete', 'objectstorage', keep, '-n', 'default', '--timeout=60s'], { timeoutMs: 70_000 })).code, 0);
    await eventually(async () => (await getJson('crd', 'xobjectstorages.platform.example.org')) === undefined, 'the XR CRD removed', 30_000);
    assert.equal(await getJson('compositeresourcedefinitions.pledge.dev', 'xobjectstorages.platform.example.org'), undefined);
  });
});

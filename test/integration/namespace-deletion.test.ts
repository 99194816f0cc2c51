// Deletion as a real cluster does it, with the environment's kube-controller-manager: deleting a namespace takes
// its claims, their composites, managed resources and cloud buckets with it, and the namespace goes; the garbage
// collector removes what a deleted owner leaves behind (a Composition's revisions, which Pledge never deletes).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { kubectl, kubectlApply } from '../env/index.ts';
import { condition, eventually, getJson, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO, startController, type ControllerProcess } from './harness.ts';

const examples = join(REPO, 'compositions/examples/object-storage');
const suffix = randomBytes(3).toString('hex');
const NAMESPACE = 'team-a';
/** The namespace controller waits 5 s before it starts, then looks again every 8 s while finalizers remain. */
const NAMESPACE_GONE_WITHIN_MS = 120_000;

type Meta = { name: string; uid: string; deletionTimestamp?: string; finalizers?: string[]; annotations?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; uid: string }> };
type Obj = { metadata: Meta; spec: { resourceRef?: { name: string }; resourceRefs?: Array<{ kind: string; name: string }> }; status?: { phase?: string } };
type List = { items: Array<{ kind: string; metadata: Meta & { namespace?: string } }> };

/** The bucket's HEAD status in moto: 200 while it exists, 404 once it is gone. */
async function bucketStatus(name: string): Promise<number | undefined> {
  try {
    return (await motoS3().send(new HeadBucketCommand({ Bucket: name }))).$metadata.httpStatusCode;
  } catch (err: unknown) {
    return (err as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  }
}

/** Every object of every listable kind, in all namespaces, that is being deleted: what a stuck finalizer leaves. */
async function objectsBeingDeleted(): Promise<string[]> {
  const kinds = (await mustKubectl(['api-resources', '--verbs=list', '-o', 'name'])).trim().split('\n');
  // Events are written about deletions, never finalized; listing them is noise.
  const listed = JSON.parse(await mustKubectl(['get', kinds.filter((k) => !k.startsWith('events')).join(','), '-A', '-o', 'json'])) as List;
  return listed.items.filter((o) => o.metadata.deletionTimestamp).map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name} finalizers=${JSON.stringify(o.metadata.finalizers)}`);
}

describe('deletion with a real kube-controller-manager', () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '5s' });
    await mustKubectl(['apply', '-f', join(examples, 'definition.yaml'), '-f', join(examples, 'composition-aws.yaml')]);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
  });
  after(async () => {
    await controller?.stop();
  });

  test(`kubectl delete namespace ${NAMESPACE} removes its claims, their composites, managed resources and cloud buckets, then the namespace`, async () => {
    const claims = [`photos-${suffix}`, `logs-${suffix}`];
    const applied = await kubectlApply(
      `apiVersion: v1\nkind: Namespace\nmetadata: {name: ${NAMESPACE}}\n` +
        claims
          .map(
            (name, i) => `---
apiVersion: platform.example.org/v1alpha1
kind: ObjectStorage
metadata: {name: ${name}, namespace: ${NAMESPACE}}
spec:
  region: us-east-1
  compositionSelector: {matchLabels: {provider: aws}}
${i === 0 ? `  writeConnectionSecretToRef: {name: ${name}-conn}\n` : ''}`,
          )
          .join(''),
    );
    assert.equal(applied.code, 0, applied.stderr);
    for (const claim of claims) {
      const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `objectstorage/${claim}`, '-n', NAMESPACE], { timeoutMs: 100_000 });
      assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-4000)}`);
    }

    // Before: every layer exists, Ready, and the buckets are in moto.
    const composites: string[] = [];
    const buckets: Array<{ object: string; cloud: string }> = [];
    for (const claim of claims) {
      const xrName = (await getJson<Obj>('objectstorage', claim, NAMESPACE))?.spec.resourceRef?.name ?? '';
      const xr = await getJson<Obj>('xobjectstorage', xrName);
      assert.ok(xr, `the composite of ${claim}`);
      assert.equal((await condition('xobjectstorage', xrName, 'Ready'))?.status, 'True');
      composites.push(xrName);
      const ref = xr.spec.resourceRefs?.find((r) => r.kind === 'Bucket');
      assert.ok(ref, `${xrName} lists its Bucket`);
      const bucket = await getJson<Obj>('buckets.s3.aws.pledge.dev', ref.name);
      assert.equal((await condition('buckets.s3.aws.pledge.dev', ref.name, 'Ready'))?.status, 'True');
      assert.deepEqual(bucket?.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['XObjectStorage', xrName, xr.metadata.uid]]);
      const cloud = bucket?.metadata.annotations?.['pledge.dev/external-name'] ?? '';
      assert.equal(await bucketStatus(cloud), 200, `bucket ${cloud} exists in moto`);
      buckets.push({ object: ref.name, cloud });
    }
    assert.ok(await getJson('secret', `${claims[0]}-conn`, NAMESPACE), 'the claim connection secret');
    // Files before this one in the lane may have left something mid-deletion; only what this test adds counts.
    const stuckBefore = new Set(await objectsBeingDeleted());

    const started = Date.now();
    const deleted = await kubectl(['delete', 'namespace', NAMESPACE, '--wait=false']);
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal((await getJson<Obj>('namespace', NAMESPACE))?.status?.phase, 'Terminating');
    // Without a namespace controller the namespace would stay Terminating, and the claims with it, for ever.
    await eventually(async () => (await getJson('namespace', NAMESPACE)) === undefined, `namespace ${NAMESPACE} gone`, NAMESPACE_GONE_WITHIN_MS);
    const wallMs = Date.now() - started;
    console.log(`# namespace ${NAMESPACE} with ${claims.length} claims deleted in ${wallMs} ms`);

    // The claim finalizer waits for the composite, the composite's for its Buckets, theirs for the cloud: once the
    // namespace is gone, everything under it is already gone too.
    for (const xrName of composites) assert.equal(await getJson('xobjectstorage', xrName), undefined, `composite ${xrName} gone`);
    for (const { object, cloud } of buckets) {
      assert.equal(await getJson('buckets.s3.aws.pledge.dev', object), undefined, `Bucket ${object} gone`);
      assert.equal(await bucketStatus(cloud), 404, `bucket ${cloud} gone from moto`);
    }
    // Other tests of the lane may hold claims of the same kind elsewhere: none of this test's may be left anywhere.
    const left = (await mustKubectl(['get', 'objectstorages', '-A', '-o', 'name'])).split('\n').filter((l) => claims.some((c) => l.endsWith(`/${c}`)));
    assert.deepEqual(left, [], 'no claim of the namespace left anywhere');
    assert.deepEqual((await objectsBeingDeleted()).filter((o) => !stuckBefore.has(o)), [], 'nothing left stuck on a finalizer');
    assert.equal(controller.child.hasExited(), false);
  });

  test('the garbage collector deletes a Composition’s revisions with it (background); orphaning keeps them, unowned', async () => {
    const base = await readFile(join(examples, 'composition-aws.yaml'), 'utf8');
    const composition = (name: string) => base.replace('name: objectstorage-aws', `name: ${name}`).replace('labels: {provider: aws}', `labels: {provider: ${name}}`);
    const revisionsOf = async (name: string) => (JSON.parse(await mustKubectl(['get', 'compositionrevisions', '-l', `pledge.dev/composition-name=${name}`, '-o', 'json'])) as List).items;
    const [collected, orphaned] = [`gc-${suffix}`, `orphan-${suffix}`];
    await mustKubectl(['apply', '-f', '-'], `${composition(collected)}---\n${composition(orphaned)}`);
    for (const name of [collected, orphaned]) {
      await eventually(async () => (await revisionsOf(name)).length === 1, `a revision of ${name}`);
      const owner = await getJson<Obj>('compositions.pledge.dev', name);
      assert.deepEqual((await revisionsOf(name))[0]?.metadata.ownerReferences?.map((o) => [o.kind, o.name, o.uid]), [['Composition', name, owner?.metadata.uid]]);
    }

    assert.equal((await kubectl(['delete', 'compositions.pledge.dev', collected, '--cascade=background'])).code, 0);
    await eventually(async () => (await revisionsOf(collected)).length === 0, `the revision of ${collected} collected`, 60_000);

    // Orphan deletion is itself the garbage collector's work: it takes the owner reference off, then the owner goes.
    const orphanDelete = await kubectl(['delete', 'compositions.pledge.dev', orphaned, '--cascade=orphan', '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(orphanDelete.code, 0, orphanDelete.stderr);
    assert.equal(await getJson('compositions.pledge.dev', orphaned), undefined);
    const kept = await revisionsOf(orphaned);
    assert.equal(kept.length, 1, 'the orphaned revision stays');
    assert.deepEqual(kept[0]?.metadata.ownerReferences ?? [], []);
    await mustKubectl(['delete', 'compositionrevisions', '-l', `pledge.dev/composition-name=${orphaned}`]);
  });
});

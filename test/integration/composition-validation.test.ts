// The composite reconciler checks every rendered resource against its kind's schema before it applies
// anything: a Composition that renders an invalid resource fails on the claim's Synced naming the
// template and the field, and not one composed resource is applied — not even the valid ones. A field
// the schema does not declare would otherwise be pruned silently by the API server.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { kubectl, kubectlApply } from '../env/index.ts';
import { condition, eventually, getJson, installAwsProviderConfig, installCrds, mustKubectl, REPO, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const composition = `invalid-${suffix}`;
const claim = `checked-${suffix}`;

const compositionYaml = (regionField: string) => `apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: ${composition}, labels: {provider: ${composition}}}
spec:
  compositeTypeRef: {apiVersion: platform.example.org/v1alpha1, kind: XObjectStorage}
  resources:
  - name: logs
    base: {apiVersion: s3.aws.pledge.dev/v1, kind: Bucket, spec: {forProvider: {region: us-east-1}}}
  - name: data
    base: {apiVersion: s3.aws.pledge.dev/v1, kind: Bucket, spec: {forProvider: {region: us-east-1}}}
    patches:
    - {fromFieldPath: spec.region, toFieldPath: spec.forProvider.${regionField}}
`;

interface Xr {
  spec: { resourceRefs?: Array<{ kind: string; name: string }> };
}

describe('composite reconciler: composed resources validated before anything is applied', () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '5s' });
    await mustKubectl(['apply', '-f', join(REPO, 'compositions/examples/object-storage/definition.yaml')]);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
  });
  after(async () => {
    await kubectl(['delete', 'objectstorage', claim, '-n', 'default', '--timeout=60s', '--ignore-not-found']);
    await kubectl(['delete', 'compositions.pledge.dev', composition, '--ignore-not-found']);
    await controller?.stop();
  });

  test('a template patching a field its kind does not have fails the claim Synced, naming template and field; nothing applied', async () => {
    await mustKubectl(['apply', '-f', '-'], compositionYaml('regoin'));
    const applied = await kubectlApply(`apiVersion: platform.example.org/v1alpha1
kind: ObjectStorage
metadata: {name: ${claim}, namespace: default}
spec: {region: eu-west-1, compositionSelector: {matchLabels: {provider: ${composition}}}}
`);
    assert.equal(applied.code, 0, applied.stderr);
    await eventually(async () => (await condition('objectstorage', claim, 'Synced', 'default'))?.status === 'False', 'the claim Synced=False', 60_000);
    const synced = await condition('objectstorage', claim, 'Synced', 'default');
    assert.match(synced?.message ?? '', new RegExp(`Composition "${composition}" \\(revision 1\\): composed resources invalid, nothing applied: resource "data" \\(Bucket [a-z0-9-]+-data\\): spec\\.forProvider\\.regoin: field not declared in the schema`));
    assert.doesNotMatch(synced?.message ?? '', /resource "logs"/, 'the valid template is not blamed');
    const xrName = (await getJson<{ spec: { resourceRef?: { name: string } } }>('objectstorage', claim, 'default'))?.spec.resourceRef?.name ?? '';
    const xr = await getJson<Xr>('xobjectstorage', xrName);
    assert.deepEqual(xr?.spec.resourceRefs ?? [], [], 'no composed resource recorded');
    const buckets = await mustKubectl(['get', 'buckets.s3.aws.pledge.dev', '-l', `pledge.dev/composite=${xrName}`, '-o', 'name']);
    assert.equal(buckets.trim(), '', 'not even the valid template was applied');
    assert.match(await controller.log(), /composed resources invalid/);
  });

  test('the Composition fixed, the same claim composes both buckets and turns Synced', async () => {
    await mustKubectl(['apply', '-f', '-'], compositionYaml('region'));
    await eventually(async () => (await condition('objectstorage', claim, 'Synced', 'default'))?.status === 'True', 'the claim Synced=True', 60_000);
    const xrName = (await getJson<{ spec: { resourceRef?: { name: string } } }>('objectstorage', claim, 'default'))?.spec.resourceRef?.name ?? '';
    const xr = await getJson<Xr>('xobjectstorage', xrName);
    assert.deepEqual(xr?.spec.resourceRefs?.map((r) => r.kind), ['Bucket', 'Bucket']);
    const data = await getJson<{ spec: { forProvider: { region: string } } }>('buckets.s3.aws.pledge.dev', `${xrName}-data`);
    assert.equal(data?.spec.forProvider.region, 'eu-west-1', 'the patch reached the field it names');
  });
});

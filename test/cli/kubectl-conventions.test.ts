// kubectl's conventions on Pledge's kinds, as Crossplane has them: short names xrd/xrds, comp, comprev; categories
// pledge (every kind Pledge serves), managed, composite and claim (the last two on the CRDs an XRD makes at runtime).
// Against the test API server with the real kubectl and real objects: each name lists what it should and no more.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { kubectl, kubectlApply } from '../env/index.ts';
import { getJson, installAwsProviderConfig, installCrds, mustKubectl, startController, type ControllerProcess } from '../integration/harness.ts';

const suffix = randomBytes(3).toString('hex');
const kind = `XConv${suffix}`;
const plural = `xconv${suffix}s`;
const claimKind = `Conv${suffix}`;
const claimPlural = `conv${suffix}s`;
const group = 'platform.example.org';
const xrdName = `${plural}.${group}`;
const composition = `conv-${suffix}`;
const claim = `conv-claim-${suffix}`;
const bucket = `pledge-conv-${suffix}`;

/** `kubectl get <what> -o name` as a set of `kind.group/name` lines. */
async function names(what: string, extra: string[] = []): Promise<string[]> {
  const res = await kubectl(['get', what, '-o', 'name', ...extra]);
  assert.equal(res.code, 0, `kubectl get ${what}: ${res.stderr}`);
  return res.stdout.split('\n').filter(Boolean);
}

describe('kubectl short names and categories', () => {
  let controller: ControllerProcess;
  let cacheDir = '';

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    // A discovery cache from before the XRD exists, as a user's ~/.kube/cache would be.
    cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
    assert.equal((await kubectl(['get', 'pledge', `--cache-dir=${cacheDir}`])).code, 0);
    controller = await startController({ pollInterval: '5s' });
    await mustKubectl(
      ['apply', '-f', '-'],
      `apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: ${xrdName}}
spec:
  group: ${group}
  names: {kind: ${kind}, plural: ${plural}}
  claimNames: {kind: ${claimKind}, plural: ${claimPlural}}
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {bucketName: {type: string}}}
---
apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: ${composition}}
spec:
  compositeTypeRef: {apiVersion: ${group}/v1alpha1, kind: ${kind}}
  resources:
  - name: bucket
    base: {apiVersion: s3.aws.pledge.dev/v1, kind: Bucket, spec: {forProvider: {region: us-east-1}}}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.bucketName, toFieldPath: "metadata.annotations[pledge.dev/external-name]"}
`,
    );
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', `compositeresourcedefinitions.pledge.dev/${xrdName}`]);
    const applied = await kubectlApply(`apiVersion: ${group}/v1alpha1\nkind: ${claimKind}\nmetadata: {name: ${claim}, namespace: default}\nspec: {bucketName: ${bucket}, compositionRef: {name: ${composition}}}\n`);
    assert.equal(applied.code, 0, applied.stderr);
    // The controller has bound the claim to a composite and composed the Bucket: every category has a real member.
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `${claimPlural}.${group}/${claim}`, '-n', 'default'], { timeoutMs: 100_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-3000)}`);
  });
  after(async () => {
    await kubectl(['delete', `${claimPlural}.${group}`, claim, '-n', 'default', '--timeout=60s'], { timeoutMs: 70_000 });
    await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', xrdName, '--wait=false']);
    await kubectl(['delete', 'compositions.pledge.dev', composition, '--wait=false']);
    await controller?.stop();
    await rm(cacheDir, { recursive: true, force: true });
  });

  const composite = async () => (await getJson<{ spec: { resourceRef: { name: string } } }>(`${claimPlural}.${group}`, claim, 'default'))?.spec.resourceRef.name ?? '';
  const composedBucket = async () =>
    (await getJson<{ spec: { resourceRefs: Array<{ kind: string; name: string }> } }>(`${plural}.${group}`, await composite()))?.spec.resourceRefs.find((r) => r.kind === 'Bucket')?.name ?? '';

  test('xrd and xrds list CompositeResourceDefinitions; comp Compositions; comprev their revisions', async () => {
    for (const short of ['xrd', 'xrds']) assert.ok((await names(short)).includes(`compositeresourcedefinition.pledge.dev/${xrdName}`), short);
    assert.ok((await names('comp')).includes(`composition.pledge.dev/${composition}`));
    const revisions = await names('comprev', ['-l', `pledge.dev/composition-name=${composition}`]);
    assert.equal(revisions.length, 1, revisions.join(', '));
    assert.match(revisions[0] ?? '', new RegExp(`^compositionrevision.pledge.dev/${composition}-`));
    // The table kubectl prints for a short name is the CRD's, with its printer columns.
    const table = await mustKubectl(['get', 'xrd', xrdName]);
    assert.match(table, /^NAME\s+ESTABLISHED\s+OFFERED\s+AGE\n/);
    assert.match(table, new RegExp(`^${xrdName.replaceAll('.', '\\.')}\\s+True\\s+True\\s+`, 'm'));
  });

  test('pledge lists every kind Pledge serves (XRDs, Compositions, revisions, managed resources, ProviderConfigs), not the XRs or claims', async () => {
    const all = await names('pledge');
    const bucketName = await composedBucket();
    for (const expected of [
      `compositeresourcedefinition.pledge.dev/${xrdName}`,
      `composition.pledge.dev/${composition}`,
      `bucket.s3.aws.pledge.dev/${bucketName}`,
      'providerconfig.aws.pledge.dev/default',
    ]) {
      assert.ok(all.includes(expected), `${expected} in kubectl get pledge`);
    }
    assert.ok(all.some((n) => n.startsWith(`compositionrevision.pledge.dev/${composition}-`)));
    assert.ok(!all.some((n) => n.includes(`.${group}/`)), 'composites and claims are the platform team\'s kinds: kubectl get composite / claim');
  });

  test('managed lists the composed Bucket and no composite; composite lists the XR; claim lists the claim', async () => {
    const xr = await composite();
    const bucketName = await composedBucket();
    const managed = await names('managed');
    assert.ok(managed.includes(`bucket.s3.aws.pledge.dev/${bucketName}`));
    assert.ok(managed.every((n) => n.includes('.pledge.dev/')), managed.join(', '));
    assert.ok(!managed.some((n) => n.startsWith('providerconfig.')), 'a ProviderConfig is not a managed resource');
    const composites = await names('composite');
    assert.ok(composites.includes(`${kind.toLowerCase()}.${group}/${xr}`), composites.join(', '));
    assert.ok(!composites.some((n) => n.includes('pledge.dev/')));
    const claims = await names('claim', ['-A']);
    assert.ok(claims.includes(`${claimKind.toLowerCase()}.${group}/${claim}`), claims.join(', '));
    assert.ok(!claims.some((n) => n.startsWith(`${kind.toLowerCase()}.`)), 'the XR is not a claim');
  });

  test('a claim kind made after kubectl cached discovery joins "claim" once the cache is refreshed (kubectl api-resources)', async () => {
    // kubectl keeps discovery for 6 hours and expands a category from that cache without asking again: the XRD's
    // new claim CRD is not in it. README: run `kubectl api-resources` (it refreshes the cache) after adding an XRD.
    const stale = await kubectl(['get', 'claim', '-A', '-o', 'name', `--cache-dir=${cacheDir}`]);
    assert.ok(!stale.stdout.includes(`/${claim}`), `a stale cache cannot know the new claim kind: ${stale.stdout}${stale.stderr}`);
    assert.equal((await kubectl(['api-resources', `--cache-dir=${cacheDir}`])).code, 0);
    const fresh = await kubectl(['get', 'claim', '-A', '-o', 'name', `--cache-dir=${cacheDir}`]);
    assert.equal(fresh.code, 0, fresh.stderr);
    assert.ok(fresh.stdout.includes(`${claimKind.toLowerCase()}.${group}/${claim}`), fresh.stdout);
  });

  test('the tables a person sees: each short name and category prints the kind columns with the object in them', async () => {
    const xr = await composite();
    const cases: Array<[string[], RegExp]> = [
      [['get', 'claim', '-A'], new RegExp(`^default\\s+(\\S+/)?${claim}\\s+True\\s+True`, 'm')],
      [['get', 'composite'], new RegExp(`^(\\S+/)?${xr}\\s+True\\s+True\\s+${composition}`, 'm')],
      [['get', 'managed'], new RegExp(`^bucket.s3.aws.pledge.dev/${await composedBucket()}\\s+True\\s+True\\s+${bucket}`, 'm')],
      [['get', 'xrd'], new RegExp(`^${xrdName}\\s+True\\s+True`, 'm')],
      [['get', 'comp'], new RegExp(`^${composition}\\s+${kind}\\s+${group}/v1alpha1`, 'm')],
      [['get', 'comprev'], new RegExp(`^${composition}-\\w+\\s+1\\s+${kind}`, 'm')],
    ];
    for (const [args, expected] of cases) {
      const out = await mustKubectl(args);
      process.stdout.write(`$ kubectl ${args.join(' ')}\n${out}\n`);
      assert.match(out, expected);
    }
  });
});

// `pledge import -n NS` into Crossplane v2's namespaced kinds: S3 buckets made straight in moto, listed with a team's
// namespaced ProviderConfig, adopted as `.m.` Buckets in the team's namespace (Observe only), applied with kubectl and
// Ready under `pledge run`; what a cluster-scoped or namespaced resource already points at is never offered again.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { parseAllDocuments } from 'yaml';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { installCrds, REPO, startController, TEST_CREDENTIALS, type ControllerProcess } from '../integration/harness.ts';
import { teamNamespaceYaml } from '../integration/support/team-namespace.ts';

const suffix = randomBytes(3).toString('hex');
const NS = `imp-team-${suffix}`;
const FREE = `imp-ns-free-${suffix}`;
const TAKEN = `imp-ns-taken-${suffix}`;

function pledgeImport(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/pledge.ts'), 'import', ...args, `--kubeconfig=${testEnv().kubeconfigPath}`], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

const KIND = 'buckets.s3.aws.m.pledge.dev';
const TEAM_CONFIG = ['-n', NS, '--provider-config-kind', 'ProviderConfig', '--provider-config', 'team'];

describe('pledge import -n: into a namespace, as the namespaced kind', () => {
  let controller: ControllerProcess | undefined;

  before(async () => {
    await installCrds();
    const s3 = new S3Client({ endpoint: testEnv().motoUrl, region: 'us-east-1', forcePathStyle: true, credentials: TEST_CREDENTIALS });
    for (const name of [FREE, TAKEN]) await s3.send(new CreateBucketCommand({ Bucket: name }));
    const applied = await kubectlApply(`
${teamNamespaceYaml(NS)}---
# Another team already observes TAKEN from a cluster-scoped Bucket: it is not offered.
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: imp-ns-${suffix}}
spec:
  region: us-east-1
  endpoint: ${testEnv().motoUrl}
  credentials: {source: Environment}
---
apiVersion: s3.aws.pledge.dev/v1
kind: Bucket
metadata: {name: ${TAKEN}, annotations: {pledge.dev/external-name: ${TAKEN}}}
spec:
  managementPolicies: [Observe]
  forProvider: {region: us-east-1}
  providerConfigRef: {name: imp-ns-${suffix}}
`);
    assert.equal(applied.code, 0, applied.stderr);
  });

  after(async () => {
    await kubectl(['delete', KIND, '--all', '-n', NS, '--timeout=60s']);
    await kubectl(['delete', 'buckets.s3.aws.pledge.dev', TAKEN, '--timeout=60s']);
    await controller?.stop();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'providerconfigs.aws.pledge.dev', `imp-ns-${suffix}`, '--wait=false']);
  });

  test('the candidates: listed with the team\'s ProviderConfig, without what a resource already points at', async () => {
    const run = await pledgeImport([KIND, ...TEAM_CONFIG, '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const names = (JSON.parse(run.stdout) as Array<{ externalName: string }>).map((r) => r.externalName);
    assert.ok(names.includes(FREE), `${FREE} listed: ${names.join(', ')}`);
    assert.ok(!names.includes(TAKEN), 'a bucket a cluster-scoped Bucket observes is not offered');
    assert.match(run.stderr, new RegExp(`pledge import ${KIND.replace(/\./g, '\\.')} -n ${NS} NAME`));
  });

  test('adopted as a .m. Bucket in the namespace, Observe only; applied, it is Ready and then no longer offered', async () => {
    const run = await pledgeImport([KIND, ...TEAM_CONFIG, FREE]);
    assert.equal(run.code, 0, run.stderr);
    const [doc] = parseAllDocuments(run.stdout).map((d) => d.toJS() as { apiVersion: string; metadata: { name: string; namespace: string; annotations: Record<string, string> }; spec: { managementPolicies: string[]; providerConfigRef: unknown } });
    assert.equal(doc?.apiVersion, 's3.aws.m.pledge.dev/v1');
    assert.equal(doc?.metadata.namespace, NS);
    assert.equal(doc?.metadata.annotations['pledge.dev/external-name'], FREE, 'the cloud name kept: no namespace hash for an adopted resource');
    assert.deepEqual(doc?.spec.providerConfigRef, { name: 'team', kind: 'ProviderConfig' });
    assert.deepEqual(doc?.spec.managementPolicies, ['Observe']);

    controller = await startController({ pollInterval: '2s' });
    const applied = await kubectlApply(run.stdout);
    assert.equal(applied.code, 0, applied.stderr);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${KIND}/${doc?.metadata.name}`, '-n', NS], { timeoutMs: 70_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-3000)}`);

    const again = await pledgeImport([KIND, ...TEAM_CONFIG, FREE]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`Bucket ${FREE} is already managed by Bucket ${NS}/${FREE}`));
  });

  test('bad input: a namespaced kind without -n, a cluster kind with it, --provider-config-kind alone', async () => {
    const cases: Array<[string[], RegExp]> = [
      [[KIND], /is namespaced: give the namespace to import into with -n/],
      [['buckets.s3.aws.pledge.dev', '-n', NS], /is cluster-scoped: leave out -n/],
      [['buckets.s3.aws.pledge.dev', '--provider-config-kind', 'ProviderConfig'], /--provider-config-kind is for a namespaced kind: give -n\/--namespace too/],
    ];
    for (const [args, message] of cases) {
      const run = await pledgeImport(args);
      assert.equal(run.code, 1, args.join(' '));
      assert.match(run.stderr, message);
    }
  });
});

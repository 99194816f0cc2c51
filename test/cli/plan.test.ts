// `pledge plan` end to end through the real binary: claims of object storage composed into S3 Buckets on cloudsim
// and on moto. Plan runs as a read-only identity (a ServiceAccount with get/list/watch only, its token from the
// TokenRequest API), with the controller stopped, and every run is checked for zero writes: cloudsim's request log,
// a recording proxy in front of moto (methods), and the API server's audit log for the plan identity.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PutBucketTaggingCommand, S3Client } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { renderKubeconfig } from '../env/kubeconfig.ts';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { installCrds, mustKubectl, REPO, startController, TEST_CREDENTIALS, type ControllerProcess } from '../integration/harness.ts';
import { cloudsimAdmin } from '../integration/support/cloudsim-admin.ts';
import { installCloudsimProviderConfigs, removeCloudsimProviderConfigs } from '../integration/support/cloudsim-provider-configs.ts';
import { startThrottlingProxy, type ThrottlingProxy } from '../integration/support/throttling-proxy.ts';

const env = testEnv();
const sim = env.cloudsim;
if (!sim) throw new Error('cloudsim is not running: run under test/env/run.ts');
const admin = cloudsimAdmin(sim.adminUrl);
const suffix = randomBytes(3).toString('hex');
const SIM = `plan-sim-${suffix}`;
const MOTO = `plan-moto-${suffix}`;
const PLANNER = `pledge-plan-${suffix}`;
const auditLog = process.env.PLEDGE_TEST_AUDIT_LOG;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

interface PlanJson {
  resources: Array<{ action: string; kind: string; name: string; source: string; composedBy?: string; externalName?: string; fields: Array<{ path: string; from?: unknown; to?: unknown; sensitive?: boolean }> }>;
  summary: Record<string, number>;
}

let dir = '';
let plannerKubeconfig = '';
let proxy: ThrottlingProxy;
let controller: ControllerProcess | undefined;

function pledge(args: string[], kubeconfig = plannerKubeconfig): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/pledge.ts'), 'plan', ...args, `--kubeconfig=${kubeconfig}`], { timeout: 120_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

/** A cloud operation that changes something, by cloudsim's operation names. */
function isWrite(operation: string): boolean {
  const last = operation.split(/[._]/).pop() ?? '';
  return /^(create|put|update|delete|patch|insert|modify|remove|add|regenerate|restore|reboot|start|stop|tag|untag|set)/i.test(last);
}

function auditLines(): Array<{ verb: string; user?: { username?: string }; objectRef?: { resource?: string } }> {
  if (!auditLog || !existsSync(auditLog)) return [];
  return readFileSync(auditLog, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { verb: string; user?: { username?: string } });
}

/**
 * Runs plan and checks it wrote nothing anywhere, and that it looked: cloud reads in cloudsim's log or through
 * the moto proxy, and GET/LISTs of the plan identity in the audit log.
 */
async function planWithoutWrites(args: string[], clouds: { cloudsim: boolean; moto: boolean }): Promise<Run> {
  const since = Date.now();
  const proxied = proxy.requests().length;
  const audited = auditLines().length;
  const run = await pledge(args);
  const simCalls = (await admin.requests(since)).requests;
  assert.deepEqual(simCalls.filter((r) => isWrite(r.operation)).map((r) => r.operation), [], 'no write call reached cloudsim');
  if (clouds.cloudsim) assert.ok(simCalls.length > 0, 'plan observed the resources in cloudsim');
  const motoCalls = proxy.requests().slice(proxied);
  assert.deepEqual(motoCalls.filter((r) => r.method !== 'GET' && r.method !== 'HEAD').map((r) => `${r.method} ${r.path}`), [], 'no write call reached moto');
  if (clouds.moto) assert.ok(motoCalls.length > 0, 'plan observed the buckets in moto');
  if (auditLog) {
    const user = `system:serviceaccount:default:${PLANNER}`;
    const mine = auditLines().slice(audited).filter((l) => l.user?.username === user);
    assert.ok(mine.length > 0, 'the audit log shows the plan identity reading the cluster');
    assert.deepEqual(mine.filter((l) => !['get', 'list', 'watch'].includes(l.verb)).map((l) => `${l.verb} ${l.objectRef?.resource}`), [], 'no write to the API server');
  }
  return run;
}

const claimsYaml = (which: Array<'sim' | 'moto'>) =>
  which
    .map(
      (w) => `apiVersion: platform.example.org/v1alpha1
kind: ObjectStorage
metadata: {name: plan-${w}-${suffix}, namespace: default}
spec:
  region: us-east-1
  compositionSelector: {matchLabels: {plan: ${w}-${suffix}}}
`,
    )
    .join('---\n');

function compositionYaml(w: 'sim' | 'moto', providerConfig: string, templates: string[]): string {
  const resources = templates
    .map(
      (t) => `  - name: ${t}
    base:
      apiVersion: s3.aws.pledge.dev/v1
      kind: Bucket
      spec:
        providerConfigRef: {name: ${providerConfig}}
        forProvider:
          region: us-east-1
          tags: {managed-by: pledge, purpose: ${t}}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.region, toFieldPath: spec.forProvider.region}
    - {type: FromCompositeFieldPath, fromFieldPath: spec.claimRef.namespace, toFieldPath: spec.forProvider.tags.team}`,
    )
    .join('\n');
  return `apiVersion: pledge.dev/v1
kind: Composition
metadata:
  name: plan-${w}-${suffix}
  labels: {plan: ${w}-${suffix}}
spec:
  compositeTypeRef: {apiVersion: platform.example.org/v1alpha1, kind: XObjectStorage}
  resources:
${resources}
`;
}

async function file(name: string, text: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

function parsePlan(run: Run): PlanJson {
  try {
    return JSON.parse(run.stdout) as PlanJson;
  } catch {
    throw new Error(`plan printed no JSON (exit ${run.code}): ${run.stdout}\n${run.stderr}`);
  }
}

describe('pledge plan', () => {
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pledge-plan-'));
    await installCrds();
    await installCloudsimProviderConfigs(SIM);
    proxy = await startThrottlingProxy({ upstream: env.motoUrl, throttleShare: 0 });
    await mustKubectl(['apply', '-f', '-'], `
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: ${MOTO}, namespace: pledge-system}
stringData: {accessKeyId: ${TEST_CREDENTIALS.accessKeyId}, secretAccessKey: ${TEST_CREDENTIALS.secretAccessKey}}
---
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${MOTO}}
spec:
  region: us-east-1
  endpoint: ${proxy.url}
  credentials: {source: Secret, secretRef: {name: ${MOTO}, namespace: pledge-system}}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: ${PLANNER}, namespace: default}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ${PLANNER}}
rules:
- {apiGroups: ["*"], resources: ["*"], verbs: [get, list, watch]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ${PLANNER}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: ${PLANNER}}
subjects:
- {kind: ServiceAccount, name: ${PLANNER}, namespace: default}
`);
    const token = (await mustKubectl(['create', 'token', PLANNER, '-n', 'default', '--duration=2h'])).trim();
    const adminConfig = parse(readFileSync(env.kubeconfigPath, 'utf8')) as { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }> };
    const cluster = adminConfig.clusters[0]?.cluster;
    assert.ok(cluster);
    plannerKubeconfig = join(dir, 'planner.kubeconfig');
    await writeFile(plannerKubeconfig, renderKubeconfig({ server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(), token, user: PLANNER, name: PLANNER }));

    controller = await startController({ pollInterval: '5s' });
    await mustKubectl(['apply', '-f', join(REPO, 'compositions/examples/object-storage/definition.yaml')]);
    await mustKubectl(['apply', '-f', '-'], `${compositionYaml('sim', SIM, ['data', 'logs'])}---\n${compositionYaml('moto', MOTO, ['data', 'logs'])}`);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
    // Plan runs with no controller: nothing else talks to the clouds or writes to the API server meanwhile.
    await controller.stop();
    controller = undefined;
  });

  after(async () => {
    // What this file made goes while a controller runs: were its ProviderConfigs removed first, its resources could never
    // be released and would stay in the lane's environment, failing in the log of every later test's controller.
    controller ??= await startController({ pollInterval: '5s' });
    await kubectl(['delete', 'objectstorage', '-n', 'default', `plan-sim-${suffix}`, `plan-moto-${suffix}`, '--ignore-not-found', '--timeout=90s'], { timeoutMs: 100_000 });
    const managed = JSON.parse((await kubectl(['get', 'managed', '-o', 'json'])).stdout || '{}') as { items?: Array<{ kind: string; apiVersion: string; metadata: { name: string }; spec?: { providerConfigRef?: { name?: string } } }> };
    const ours = (managed.items ?? []).filter((o) => [SIM, MOTO].includes(o.spec?.providerConfigRef?.name ?? '')).map((o) => `${o.kind.toLowerCase()}.${o.apiVersion.split('/')[0]}/${o.metadata.name}`);
    if (ours.length > 0) await kubectl(['delete', ...ours, '--ignore-not-found', '--timeout=90s'], { timeoutMs: 100_000 });
    await controller.stop();
    await proxy?.close();
    await removeCloudsimProviderConfigs(SIM);
  });

  test('a fresh claim plans a create for each composed resource, and writes nothing anywhere', async () => {
    const claims = await file('claims.yaml', claimsYaml(['sim', 'moto']));
    const run = await planWithoutWrites([claims, '-o', 'json'], { cloudsim: true, moto: true });
    assert.equal(run.code, 2, `exit 2 (changes): ${run.stderr}`);
    const plan = parsePlan(run);
    assert.deepEqual(plan.resources.map((r) => [r.action, r.kind, r.composedBy]).sort(), [
      ['create', 'Bucket', `ObjectStorage default/plan-moto-${suffix}`],
      ['create', 'Bucket', `ObjectStorage default/plan-moto-${suffix}`],
      ['create', 'Bucket', `ObjectStorage default/plan-sim-${suffix}`],
      ['create', 'Bucket', `ObjectStorage default/plan-sim-${suffix}`],
    ]);
    const data = plan.resources.find((r) => r.composedBy?.includes('plan-sim') && r.name.endsWith('-data'));
    assert.deepEqual(data?.fields, [
      { path: 'region', to: 'us-east-1' },
      { path: 'tags.managed-by', to: 'pledge' },
      { path: 'tags.purpose', to: 'data' },
      { path: 'tags.team', to: 'default' },
    ]);
    assert.equal(data?.source, `${claims}:1`);
    // The claim was not applied: the cluster has nothing new.
    assert.match((await kubectl(['get', 'objectstorage', '-n', 'default', `plan-sim-${suffix}`])).stderr, /NotFound/);

    const table = await pledge([claims]);
    assert.equal(table.code, 2);
    assert.match(table.stdout, /^ACTION +KIND +NAME/m);
    assert.match(table.stdout, /Plan: 4 to create, 0 to update, 0 to replace, 0 to delete, 0 unchanged\./);
    assert.ok(!table.stdout.includes('\u001b['), 'no colour when stdout is not a terminal');
  });

  test('once applied and Ready the claims plan no change and exit 0; a tag changed in the cloud shows as exactly that field', async () => {
    const claims = await file('claims.yaml', claimsYaml(['sim', 'moto']));
    controller = await startController({ pollInterval: '5s' });
    assert.equal((await kubectlApply(claimsYaml(['sim', 'moto']))).code, 0);
    for (const w of ['sim', 'moto']) {
      const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', 'objectstorage', `plan-${w}-${suffix}`, '-n', 'default'], { timeoutMs: 100_000 });
      assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-3000)}`);
    }
    await controller.stop();
    controller = undefined;

    const unchanged = await planWithoutWrites([claims, '-o', 'json'], { cloudsim: true, moto: true });
    assert.equal(unchanged.code, 0, `exit 0 (no changes): ${unchanged.stdout}${unchanged.stderr}`);
    const plan = parsePlan(unchanged);
    assert.deepEqual(plan.resources.map((r) => r.action), ['no change', 'no change', 'no change', 'no change']);
    assert.ok(plan.resources.every((r) => r.externalName === r.name), 'the live external names were used');

    // Someone retags one bucket in each cloud behind Pledge's back.
    const simData = plan.resources.find((r) => r.composedBy?.includes('plan-sim') && r.name.endsWith('-data'))?.name ?? '';
    const motoLogs = plan.resources.find((r) => r.composedBy?.includes('plan-moto') && r.name.endsWith('-logs'))?.name ?? '';
    const retag = (endpoint: string, bucket: string, purpose: string) =>
      new S3Client({ region: 'us-east-1', endpoint, forcePathStyle: true, credentials: TEST_CREDENTIALS }).send(
        new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet: [{ Key: 'managed-by', Value: 'pledge' }, { Key: 'purpose', Value: purpose }, { Key: 'team', Value: 'someone-else' }] } }),
      );
    await retag(sim.awsUrl, simData, 'data');
    await retag(env.motoUrl, motoLogs, 'logs');

    const drift = await planWithoutWrites([claims, '-o', 'json'], { cloudsim: true, moto: true });
    assert.equal(drift.code, 2);
    const changed = parsePlan(drift).resources.filter((r) => r.action !== 'no change');
    assert.deepEqual(
      changed.map((r) => [r.action, r.name, r.fields]),
      [
        ['update', simData, [{ path: 'tags.team', from: 'someone-else', to: 'default' }]],
        ['update', motoLogs, [{ path: 'tags.team', from: 'someone-else', to: 'default' }]],
      ],
    );
    const table = await pledge([claims]);
    assert.match(table.stdout, /~ tags\.team: "someone-else" → "default"/);
    assert.match(table.stdout, /Plan: 0 to create, 2 to update, 0 to replace, 0 to delete, 2 unchanged\./);

    // A bucket cannot move: the spec's region is immutable (CRD rule self == oldSelf), so a new region is a replace.
    const moved = await file('moved.yaml', `apiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\nmetadata: {name: ${simData}}\nspec:\n  providerConfigRef: {name: ${SIM}}\n  forProvider: {region: eu-west-1}\n`);
    const replace = await planWithoutWrites([moved, '-o', 'json'], { cloudsim: false, moto: false });
    assert.equal(replace.code, 2, replace.stderr);
    assert.deepEqual(
      parsePlan(replace).resources.map((r) => [r.action, r.name, r.fields]),
      [['replace', simData, [{ path: 'region', from: 'us-east-1', to: 'eu-west-1', immutable: true }]]],
    );
  });

  test('--compositions: a Composition from files that drops a template plans the delete of its resource (orphan under deletionPolicy Orphan)', async () => {
    const claims = await file('sim-claim.yaml', claimsYaml(['sim']));
    const compositions = join(dir, 'compositions');
    await mkdir(compositions, { recursive: true });
    await writeFile(join(compositions, 'sim.yaml'), compositionYaml('sim', SIM, ['data']));
    const run = await planWithoutWrites([claims, '--compositions', compositions, '-o', 'json'], { cloudsim: true, moto: false });
    assert.equal(run.code, 2, run.stderr);
    const plan = parsePlan(run);
    const byTemplate = Object.fromEntries(plan.resources.map((r) => [r.name.slice(r.name.lastIndexOf('-') + 1), r.action]));
    assert.equal(byTemplate.logs, 'delete');
    assert.ok(['update', 'no change'].includes(byTemplate.data ?? ''), JSON.stringify(plan.resources));

    // Under deletionPolicy Orphan the cloud bucket is kept: orphan, not delete.
    const logs = plan.resources.find((r) => r.name.endsWith('-logs'))?.name ?? '';
    await mustKubectl(['patch', `buckets.s3.aws.pledge.dev/${logs}`, '--type=merge', '-p', '{"spec":{"deletionPolicy":"Orphan"}}']);
    const orphan = await planWithoutWrites([claims, '--compositions', compositions, '-o', 'json'], { cloudsim: true, moto: false });
    assert.equal(orphan.code, 2, orphan.stderr);
    assert.equal(parsePlan(orphan).resources.find((r) => r.name === logs)?.action, 'orphan');
  });

  test('a master password changed in its Secret plans as (sensitive): neither value is printed', async () => {
    const db = `plan-db-${suffix}`;
    const oldPassword = `Old-pw-${suffix}-0123456789`;
    const newPassword = `New-pw-${suffix}-9876543210`;
    const secret = (password: string) => `apiVersion: v1\nkind: Secret\nmetadata: {name: ${db}-pw, namespace: default}\nstringData: {password: ${password}}\n`;
    const manifest = `apiVersion: rds.aws.pledge.dev/v1
kind: DBInstance
metadata: {name: ${db}}
spec:
  providerConfigRef: {name: ${SIM}}
  forProvider:
    region: us-east-1
    engine: postgres
    dbInstanceClass: db.t3.micro
    allocatedStorage: 20
    masterUsername: app
    masterUserPasswordSecretRef: {name: ${db}-pw, namespace: default, key: password}
    skipFinalSnapshot: true
  writeConnectionSecretToRef: {name: ${db}-conn, namespace: default}
`;
    const path = await file('db.yaml', manifest);
    assert.equal((await kubectlApply(secret(oldPassword))).code, 0);
    controller = await startController({ pollInterval: '5s' });
    try {
      assert.equal((await kubectlApply(manifest)).code, 0);
      const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `dbinstances.rds.aws.pledge.dev/${db}`], { timeoutMs: 100_000 });
      assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-3000)}`);
    } finally {
      await controller.stop();
      controller = undefined;
    }
    const unchanged = await planWithoutWrites([path, '-o', 'json'], { cloudsim: false, moto: false });
    assert.equal(unchanged.code, 0, unchanged.stdout + unchanged.stderr);

    assert.equal((await kubectlApply(secret(newPassword))).code, 0);
    const json = await planWithoutWrites([path, '-o', 'json'], { cloudsim: false, moto: false });
    const table = await pledge([path]);
    assert.equal(json.code, 2, json.stderr);
    assert.deepEqual(parsePlan(json).resources.map((r) => [r.action, r.fields]), [['update', [{ path: 'masterUserPassword', sensitive: true }]]]);
    assert.match(table.stdout, /~ masterUserPassword: \(sensitive\)/);
    for (const out of [json.stdout, json.stderr, table.stdout, table.stderr]) {
      assert.ok(!out.includes(oldPassword) && !out.includes(newPassword), 'no password in the output');
    }
    await kubectl(['delete', `dbinstances.rds.aws.pledge.dev/${db}`, '--wait=false']);
  });

  test('Azure and GCP on cloudsim: a changed tag, label or setting shows as exactly that field', async () => {
    const group = `plan-rg-${suffix}`;
    const account = `plan${suffix}acct`;
    const gcs = `plan-gcs-${suffix}`;
    const manifests = (team: string, accessTier: string) => `apiVersion: resources.azure.pledge.dev/v1
kind: ResourceGroup
metadata: {name: ${group}}
spec:
  providerConfigRef: {name: ${SIM}}
  forProvider: {location: westeurope, tags: {team: ${team}}}
---
apiVersion: storage.azure.pledge.dev/v1
kind: Account
metadata: {name: ${account}}
spec:
  providerConfigRef: {name: ${SIM}}
  forProvider: {resourceGroupNameRef: {name: ${group}}, location: westeurope, kind: StorageV2, sku: Standard_LRS, accessTier: ${accessTier}}
  writeConnectionSecretToRef: {name: ${account}-conn, namespace: default}
---
apiVersion: storage.gcp.pledge.dev/v1
kind: Bucket
metadata: {name: ${gcs}}
spec:
  providerConfigRef: {name: ${SIM}}
  forProvider: {location: EU, labels: {team: ${team}}}
`;
    controller = await startController({ pollInterval: '5s' });
    try {
      assert.equal((await kubectlApply(manifests('platform', 'Hot'))).code, 0);
      for (const r of [`resourcegroups.resources.azure.pledge.dev/${group}`, `accounts.storage.azure.pledge.dev/${account}`, `buckets.storage.gcp.pledge.dev/${gcs}`]) {
        const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', r], { timeoutMs: 100_000 });
        assert.equal(wait.code, 0, `${r}: ${wait.stderr}\n${(await controller.log()).slice(-3000)}`);
      }
    } finally {
      await controller.stop();
      controller = undefined;
    }
    const same = await planWithoutWrites([await file('azure-gcp.yaml', manifests('platform', 'Hot')), '-o', 'json'], { cloudsim: true, moto: false });
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.deepEqual(parsePlan(same).resources.map((r) => r.action), ['no change', 'no change', 'no change']);

    const changed = await planWithoutWrites([await file('azure-gcp.yaml', manifests('data', 'Cool')), '-o', 'json'], { cloudsim: true, moto: false });
    assert.equal(changed.code, 2, changed.stderr);
    assert.deepEqual(
      parsePlan(changed).resources.map((r) => [r.action, r.kind, r.fields]),
      [
        ['update', 'ResourceGroup', [{ path: 'tags.team', from: 'platform', to: 'data' }]],
        ['update', 'Account', [{ path: 'accessTier', from: 'Hot', to: 'Cool' }]],
        ['update', 'Bucket', [{ path: 'labels.team', from: 'platform', to: 'data' }]],
      ],
    );
    await kubectl(['delete', `accounts.storage.azure.pledge.dev/${account}`, `buckets.storage.gcp.pledge.dev/${gcs}`, '--wait=false']);
  });

  describe('bad input names the file, the line, the object and the field', () => {
    test('a missing file', async () => {
      const run = await pledge([join(dir, 'nope.yaml')]);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `error: ${join(dir, 'nope.yaml')}: no such file or directory\n`);
    });
    test('a YAML syntax error', async () => {
      const path = await file('broken.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: [unclosed\n');
      const run = await pledge([path]);
      assert.equal(run.code, 1);
      assert.match(run.stderr, new RegExp(`^error: ${path}:\\d+:\\d+: YAML syntax error`));
      assert.match(run.stderr, /broken\.yaml:(4|5):/, 'the line of the error');
    });
    test('an unknown kind', async () => {
      const path = await file('unknown.yaml', `apiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\nmetadata: {name: b-${suffix}}\nspec: {forProvider: {region: us-east-1}, providerConfigRef: {name: ${SIM}}}\n---\napiVersion: example.org/v1\nkind: Gadget\nmetadata: {name: g}\n`);
      const run = await pledge([path]);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `error: ${path}:6: unknown kind Gadget (example.org/v1): neither a managed kind nor a claim or composite of an XRD in the files or the cluster\n`);
    });
    test('a field path that does not exist, in a managed resource and in a claim', async () => {
      const bucket = await file('typo.yaml', `apiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\nmetadata: {name: b-${suffix}}\nspec:\n  providerConfigRef: {name: ${SIM}}\n  forProvider: {region: us-east-1, versionin: Enabled}\n`);
      const run = await pledge([bucket]);
      assert.equal(run.code, 1);
      assert.equal(run.stderr, `error: ${bucket}:1: Bucket b-${suffix}: field spec.forProvider.versionin does not exist in the Bucket schema\n`);
      const claim = await file('claim-typo.yaml', claimsYaml(['sim']).replace('region: us-east-1', 'region: us-east-1\n  sizeClas: small'));
      const claimRun = await pledge([claim]);
      assert.equal(claimRun.code, 1);
      assert.match(claimRun.stderr, new RegExp(`^error: ${claim}:1: ObjectStorage plan-sim-${suffix}: field spec.sizeClas does not exist`));
    });
  });
});

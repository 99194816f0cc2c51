// Namespaced managed resources (the `.m.` groups) end to end: two teams' namespaces, the same resource names in
// each, real `pledge run` (the chart's RBAC) against moto (S3, RDS) and cloudsim (Azure, GCS); and two RBAC
// identities (ServiceAccounts with TokenRequest tokens, a Role each in its own namespace) using real kubectl.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { namespacedExternalName } from '../../core/managed/namespaced.ts';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { renderKubeconfig } from '../env/kubeconfig.ts';
import { condition, eventually, getJson, installCrds, motoS3, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { teamNamespaceYaml } from './support/team-namespace.ts';

const suffix = randomBytes(3).toString('hex');
const TEAM_A = `team-a-${suffix}`;
const TEAM_B = `team-b-${suffix}`;
const CLUSTER_CONFIG = `shared-${suffix}`;
const BUCKET = 'buckets.s3.aws.m.pledge.dev';
const DB = 'dbinstances.rds.aws.m.pledge.dev';
const RG = 'resourcegroups.resources.azure.m.pledge.dev';
const ACCOUNT = 'accounts.storage.azure.m.pledge.dev';
const GCS = 'buckets.storage.gcp.m.pledge.dev';
const NOP = 'nopresources.nop.m.pledge.dev';
const DB_PASSWORD = `Pw-${randomBytes(8).toString('hex')}`;

async function apply(yaml: string): Promise<void> {
  const res = await kubectlApply(yaml);
  assert.equal(res.code, 0, res.stderr);
}

/** What one team declares in its namespace: its own AWS ProviderConfig and Secrets, and one resource of every namespaced kind. */
function teamYaml(namespace: string): string {
  return `
${teamNamespaceYaml(namespace)}---
apiVersion: s3.aws.m.pledge.dev/v1
kind: Bucket
metadata: {name: assets, namespace: ${namespace}}
spec:
  forProvider: {region: us-east-1}
  providerConfigRef: {kind: ProviderConfig, name: team}
---
apiVersion: resources.azure.m.pledge.dev/v1
kind: ResourceGroup
metadata: {name: rg, namespace: ${namespace}}
spec:
  forProvider: {location: westeurope}
  providerConfigRef: {name: ${CLUSTER_CONFIG}}
---
apiVersion: storage.azure.m.pledge.dev/v1
kind: Account
metadata: {name: store, namespace: ${namespace}}
spec:
  forProvider:
    resourceGroupNameRef: {name: rg}
    location: westeurope
    sku: Standard_LRS
    kind: StorageV2
  providerConfigRef: {name: ${CLUSTER_CONFIG}}
  writeConnectionSecretToRef: {name: store-conn}
---
apiVersion: storage.gcp.m.pledge.dev/v1
kind: Bucket
metadata: {name: assets, namespace: ${namespace}}
spec:
  forProvider: {location: us-central1}
  providerConfigRef: {kind: ClusterProviderConfig, name: ${CLUSTER_CONFIG}}
---
apiVersion: nop.m.pledge.dev/v1
kind: NopResource
metadata: {name: marker, namespace: ${namespace}}
spec:
  forProvider:
    connectionDetails: [{name: team, value: ${namespace}}]
    conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "True"}]
  writeConnectionSecretToRef: {name: marker-conn}
`;
}

/** The platform team's ClusterProviderConfigs for Azure and GCS (cloudsim), credentials in pledge-system. */
async function clusterConfigsYaml(): Promise<string> {
  const env = testEnv();
  if (!env.cloudsim?.gcpKeyPath || !env.azure) throw new Error('cloudsim is not running: run under test/env/run.ts');
  const gcpKey = await readFile(env.cloudsim.gcpKeyPath, 'utf8');
  const projectId = (JSON.parse(gcpKey) as { project_id: string }).project_id;
  return `
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: ${CLUSTER_CONFIG}-azure, namespace: pledge-system}
stringData: {clientSecret: "${env.azure.clientSecret}"}
---
apiVersion: azure.m.pledge.dev/v1
kind: ClusterProviderConfig
metadata: {name: ${CLUSTER_CONFIG}}
spec:
  tenantId: "${env.azure.tenantId}"
  clientId: "${env.azure.clientId}"
  subscriptionId: "${env.azure.subscriptionId}"
  clientSecretSecretRef: {name: ${CLUSTER_CONFIG}-azure, namespace: pledge-system, key: clientSecret}
  endpoint: ${env.cloudsim.azureUrl}
  authorityHost: ${env.cloudsim.azureUrl}
---
apiVersion: v1
kind: Secret
metadata: {name: ${CLUSTER_CONFIG}-gcp, namespace: pledge-system}
stringData:
  credentials.json: |
${gcpKey.trim().replace(/^/gm, '    ')}
---
apiVersion: gcp.m.pledge.dev/v1
kind: ClusterProviderConfig
metadata: {name: ${CLUSTER_CONFIG}}
spec:
  projectId: ${projectId}
  endpoint: ${env.cloudsim.gcsUrl}
  credentialsSecretRef: {name: ${CLUSTER_CONFIG}-gcp, namespace: pledge-system, key: credentials.json}
`;
}

/** A ServiceAccount for the team, allowed its own namespace's Secrets and namespaced managed kinds, and a kubeconfig with its token. */
async function teamIdentity(namespace: string): Promise<string> {
  await apply(`
apiVersion: v1
kind: ServiceAccount
metadata: {name: member, namespace: ${namespace}}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: member, namespace: ${namespace}}
rules:
  - apiGroups: [""]
    resources: [secrets]
    verbs: [get, list]
  - apiGroups: [s3.aws.m.pledge.dev, aws.m.pledge.dev]
    resources: ["*"]
    verbs: [get, list, create, update, delete]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: member, namespace: ${namespace}}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: member}
subjects: [{kind: ServiceAccount, name: member, namespace: ${namespace}}]
`);
  const token = (await mustKubectl(['create', 'token', 'member', '-n', namespace, '--duration=1h'])).trim();
  const admin = testEnv().kubeconfigPath;
  const cluster = (parse(await readFile(admin, 'utf8')) as { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }> }).clusters[0]?.cluster;
  assert.ok(cluster, 'the admin kubeconfig names a cluster');
  const path = join(dirname(admin), `member-${namespace}.kubeconfig`);
  const user = `system:serviceaccount:${namespace}:member`;
  await writeFile(path, renderKubeconfig({ server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(), token, user, name: namespace }), { mode: 0o600 });
  return path;
}

async function waitReady(resource: string, name: string, namespace: string, controller: ControllerProcess): Promise<void> {
  const res = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', '-n', namespace, `${resource}/${name}`], { timeoutMs: 120_000 });
  assert.equal(res.code, 0, `kubectl wait ${namespace}/${resource}/${name}: ${res.stderr}\ncontroller log:\n${(await controller.log()).slice(-4000)}`);
}

const externalName = async (resource: string, name: string, namespace: string) =>
  (await getJson<{ metadata: { annotations?: Record<string, string> } }>(resource, name, namespace))?.metadata.annotations?.['pledge.dev/external-name'];

async function secretKeys(name: string, namespace: string): Promise<string[] | undefined> {
  const secret = await getJson<{ data?: Record<string, string> }>('secret', name, namespace);
  return secret && Object.keys(secret.data ?? {}).sort();
}

describe('namespaced managed resources: two teams, the same names, their own namespaces', { timeout: 300_000 }, () => {
  let controller: ControllerProcess;
  const kubeconfigOf: Record<string, string> = {};

  before(async () => {
    await installCrds();
    await apply(await clusterConfigsYaml());
    for (const ns of [TEAM_A, TEAM_B]) await apply(teamYaml(ns));
    // team-a's alone: a password Secret and a ProviderConfig no other team has.
    await apply(`
apiVersion: v1
kind: Secret
metadata: {name: db-pass, namespace: ${TEAM_A}}
stringData: {password: ${DB_PASSWORD}}
---
apiVersion: aws.m.pledge.dev/v1
kind: ProviderConfig
metadata: {name: only-a, namespace: ${TEAM_A}}
spec:
  region: us-east-1
  endpoint: ${testEnv().motoUrl}
  credentials: {source: Secret, secretRef: {name: aws-creds}}
---
apiVersion: rds.aws.m.pledge.dev/v1
kind: DBInstance
metadata: {name: db, namespace: ${TEAM_A}}
spec:
  forProvider:
    region: us-east-1
    engine: postgres
    dbInstanceClass: db.t3.micro
    masterUsername: app
    allocatedStorage: 20
    masterUserPasswordSecretRef: {name: db-pass, key: password}
  providerConfigRef: {kind: ProviderConfig, name: team}
  writeConnectionSecretToRef: {name: db-conn}
`);
    for (const ns of [TEAM_A, TEAM_B]) kubeconfigOf[ns] = await teamIdentity(ns);
    controller = await startController();
  });

  after(async () => {
    for (const ns of [TEAM_A, TEAM_B]) {
      await kubectl(['delete', [BUCKET, DB, ACCOUNT, GCS, NOP].join(','), '--all', '-n', ns, '--timeout=90s'], { timeoutMs: 120_000 });
      await kubectl(['delete', RG, '--all', '-n', ns, '--timeout=90s'], { timeoutMs: 120_000 });
    }
    await controller?.stop();
    await kubectl(['delete', 'namespace', TEAM_A, TEAM_B, '--wait=false']);
    await kubectl(['delete', 'clusterproviderconfigs.azure.m.pledge.dev,clusterproviderconfigs.gcp.m.pledge.dev', CLUSTER_CONFIG, '--ignore-not-found']);
    await kubectl(['delete', 'secret', '-n', 'pledge-system', `${CLUSTER_CONFIG}-azure`, `${CLUSTER_CONFIG}-gcp`, '--ignore-not-found']);
  });

  test('every namespaced kind reaches Ready in both namespaces; the same names are different cloud objects', async () => {
    for (const ns of [TEAM_A, TEAM_B]) {
      for (const [resource, name] of [[BUCKET, 'assets'], [RG, 'rg'], [ACCOUNT, 'store'], [GCS, 'assets'], [NOP, 'marker']] as const) {
        await waitReady(resource, name, ns, controller);
      }
    }
    // The cloud name carries the namespace: <namespace>-<name>-<hash>, letters and digits only for a storage account.
    for (const [resource, name] of [[BUCKET, 'assets'], [RG, 'rg'], [GCS, 'assets']] as const) {
      const a = await externalName(resource, name, TEAM_A);
      const b = await externalName(resource, name, TEAM_B);
      assert.equal(a, namespacedExternalName(TEAM_A, name), `${resource} ${TEAM_A}/${name}`);
      assert.ok(a?.startsWith(`${TEAM_A}-${name}-`) && b?.startsWith(`${TEAM_B}-${name}-`), `${a} / ${b}`);
    }
    const accountA = await externalName(ACCOUNT, 'store', TEAM_A);
    const accountB = await externalName(ACCOUNT, 'store', TEAM_B);
    assert.match(accountA ?? '', /^[a-z0-9]{3,24}$/);
    assert.notEqual(accountA, accountB);
    // Both buckets exist in moto under their own names.
    const s3 = motoS3();
    for (const ns of [TEAM_A, TEAM_B]) await s3.send(new HeadBucketCommand({ Bucket: namespacedExternalName(ns, 'assets') }));
    // The Account's reference resolved to the ResourceGroup of its own namespace.
    for (const ns of [TEAM_A, TEAM_B]) {
      const account = await getJson<{ spec: { forProvider: { resourceGroupName?: string } } }>(ACCOUNT, 'store', ns);
      assert.equal(account?.spec.forProvider.resourceGroupName, await externalName(RG, 'rg', ns), `${ns}: the Account's resourceGroupName`);
    }
  });

  test("connection secrets are written in the resource's own namespace; the RDS password is read from it", async () => {
    await waitReady(DB, 'db', TEAM_A, controller);
    assert.deepEqual(await secretKeys('db-conn', TEAM_A), ['endpoint', 'password', 'port', 'username'], `${TEAM_A}/db-conn`);
    const db = await getJson<{ data: Record<string, string> }>('secret', 'db-conn', TEAM_A);
    assert.equal(Buffer.from(db?.data.password ?? '', 'base64').toString(), DB_PASSWORD, "the password is the one from team-a's Secret");
    for (const ns of [TEAM_A, TEAM_B]) {
      assert.ok((await secretKeys('store-conn', ns))?.length, `${ns}/store-conn`);
      const marker = await getJson<{ data: Record<string, string> }>('secret', 'marker-conn', ns);
      assert.equal(Buffer.from(marker?.data.team ?? '', 'base64').toString(), ns, `${ns}/marker-conn is the NopResource of ${ns}`);
    }
  });

  test('a Secret in another namespace cannot be named: the field is not served, kubectl is refused', async () => {
    const res = await kubectlApply(`
apiVersion: rds.aws.m.pledge.dev/v1
kind: DBInstance
metadata: {name: db, namespace: ${TEAM_B}}
spec:
  forProvider:
    region: us-east-1
    engine: postgres
    dbInstanceClass: db.t3.micro
    masterUsername: app
    allocatedStorage: 20
    masterUserPasswordSecretRef: {name: db-pass, namespace: ${TEAM_A}, key: password}
  providerConfigRef: {kind: ProviderConfig, name: team}
  writeConnectionSecretToRef: {name: db-conn, namespace: ${TEAM_A}}
`);
    assert.notEqual(res.code, 0, 'applied a DBInstance naming a Secret of another namespace');
    assert.match(res.stderr, /unknown field "spec\.forProvider\.masterUserPasswordSecretRef\.namespace"/);
    assert.match(res.stderr, /unknown field "spec\.writeConnectionSecretToRef\.namespace"/);
  });

  test("team-b naming team-a's ProviderConfig finds none in its own namespace: Synced=False, nothing made", async () => {
    await apply(`
apiVersion: s3.aws.m.pledge.dev/v1
kind: Bucket
metadata: {name: borrowed, namespace: ${TEAM_B}}
spec:
  forProvider: {region: us-east-1}
  providerConfigRef: {kind: ProviderConfig, name: only-a}
`);
    let message = '';
    await eventually(async () => {
      const synced = await condition(BUCKET, 'borrowed', 'Synced', TEAM_B);
      message = synced?.message ?? '';
      return synced?.status === 'False';
    }, 'the borrowed Bucket to be Synced=False');
    assert.match(message, new RegExp(`ProviderConfig "only-a" in namespace ${TEAM_B} \\(spec\\.providerConfigRef\\.name\\) not found`));
    assert.equal(await externalName(BUCKET, 'borrowed', TEAM_B), undefined, 'no cloud name was ever chosen');
    await kubectl(['delete', BUCKET, 'borrowed', '-n', TEAM_B, '--timeout=30s']);
  });

  test("deleting team-a's Bucket deletes team-a's bucket in the cloud and leaves team-b's of the same name", async () => {
    const s3 = motoS3();
    const res = await kubectl(['delete', BUCKET, 'assets', '-n', TEAM_A, '--timeout=60s'], { timeoutMs: 90_000 });
    assert.equal(res.code, 0, res.stderr);
    await assert.rejects(s3.send(new HeadBucketCommand({ Bucket: namespacedExternalName(TEAM_A, 'assets') })), /NotFound|404/);
    await s3.send(new HeadBucketCommand({ Bucket: namespacedExternalName(TEAM_B, 'assets') }));
    assert.equal((await condition(BUCKET, 'assets', 'Ready', TEAM_B))?.status, 'True');
  });

  test("team-b's identity cannot read team-a's Secrets or ProviderConfigs, nor make resources in team-a; team-a's can", async () => {
    const as = (ns: string, args: string[]) => kubectl(args, { kubeconfigPath: kubeconfigOf[ns] });
    const own = await as(TEAM_A, ['get', 'secret', 'db-conn', '-n', TEAM_A, '-o', 'name']);
    assert.equal(own.code, 0, `team-a reads its own secret: ${own.stderr}`);
    assert.equal((await as(TEAM_A, ['get', 'providerconfigs.aws.m.pledge.dev', 'only-a', '-n', TEAM_A, '-o', 'name'])).code, 0);
    for (const args of [
      ['get', 'secret', 'db-conn', '-n', TEAM_A],
      ['get', 'secret', 'db-pass', '-n', TEAM_A],
      ['get', 'providerconfigs.aws.m.pledge.dev', 'only-a', '-n', TEAM_A],
      ['get', BUCKET, '-n', TEAM_A],
    ]) {
      const res = await as(TEAM_B, args);
      assert.notEqual(res.code, 0, `team-b: kubectl ${args.join(' ')} succeeded`);
      assert.match(res.stderr, /forbidden/i, args.join(' '));
    }
    const create = await kubectlApply(
      `{"apiVersion":"s3.aws.m.pledge.dev/v1","kind":"Bucket","metadata":{"name":"intruder","namespace":"${TEAM_A}"},"spec":{"forProvider":{"region":"us-east-1"},"providerConfigRef":{"kind":"ProviderConfig","name":"only-a"}}}`,
      { kubeconfigPath: kubeconfigOf[TEAM_B] },
    );
    assert.notEqual(create.code, 0, 'team-b created a Bucket in team-a');
    assert.match(create.stderr, /forbidden/i);
  });
});

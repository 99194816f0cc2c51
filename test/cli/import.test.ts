// `pledge import` end to end through the real binary: resources made straight in the cloud (the test's own SDK
// clients, against cloudsim, moto and fake-gcs-server), imported as YAML, applied with kubectl and adopted by
// `pledge run` (the chart's identity) to Ready with no write call to the cloud: cloudsim's request log, a recording
// proxy in front of moto and the controller's own count of cloud calls by operation say so; `pledge plan` on the
// imported YAML then says `no change`. Then --manage, --all and the verb's bad input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, RDSClient } from '@aws-sdk/client-rds';
import { CreateBucketCommand, DeleteBucketCommand, PutBucketTaggingCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { Storage } from '@google-cloud/storage';
import { parseAllDocuments } from 'yaml';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, installAwsProviderConfig, installCrds, REPO, startController, TEST_CREDENTIALS, type ControllerProcess } from '../integration/harness.ts';
import { cloudsimAdmin } from '../integration/support/cloudsim-admin.ts';
import { installCloudsimProviderConfigs, removeCloudsimProviderConfigs } from '../integration/support/cloudsim-provider-configs.ts';
import { azureTestEnv, rawAzure, type AzureTestEnv } from '../providers/azure-cloudsim.ts';

const env = testEnv();
const sim = env.cloudsim;
const azureEnv = azureTestEnv();
if (!sim?.gcpKeyPath || !env.fakeGcsUrl || typeof azureEnv === 'string') throw new Error('cloudsim and fake-gcs-server are not running: run under test/env/run.ts');
const azure: AzureTestEnv = azureEnv;
const suffix = randomBytes(3).toString('hex');
const SIM = `imp-sim-${suffix}`;
const MOTO = `imp-moto-${suffix}`;
const FAKE_GCS = `imp-fake-gcs-${suffix}`;
const admin = cloudsimAdmin(sim.adminUrl);

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function pledge(args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/pledge.ts'), ...args, `--kubeconfig=${env.kubeconfigPath}`], { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/** A cloud operation that changes something, by cloudsim's and the providers' operation names. */
function isWrite(operation: string): boolean {
  const last = operation.split(/[._]/).pop() ?? '';
  return /^(create|put|update|delete|patch|insert|modify|remove|add|regenerate|restore|reboot|start|stop|tag|untag|set)/i.test(last);
}

/** pledge_cloud_api_calls_total by operation, from the controller's /metrics. */
async function callsByOperation(controller: ControllerProcess): Promise<Map<string, number>> {
  const text = await (await fetch(`${controller.metricsUrl}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^pledge_cloud_api_calls_total\{[^}]*operation="([^"]+)"[^}]*\}\s+(\S+)$/.exec(line);
    if (m?.[1]) out.set(m[1], (out.get(m[1]) ?? 0) + Number(m[2]));
  }
  return out;
}

/** One request Pledge sent to moto, as the recording proxy in front of it saw it. */
interface MotoCall {
  at: number;
  method: string;
  path: string;
  /** The Query API's Action (RDS); undefined for S3's REST calls. */
  action?: string;
}

/** A write to moto: an RDS Action that changes something, or an S3 request that is not GET or HEAD. */
function isMotoWrite(call: MotoCall): boolean {
  return call.action !== undefined ? isWrite(call.action) : !['GET', 'HEAD'].includes(call.method);
}

/** A loopback proxy in front of moto that records every request Pledge sends, independently of Pledge's own counts. */
async function startRecordingProxy(upstream: string): Promise<{ url: string; calls: MotoCall[]; close(): Promise<void> }> {
  const target = new URL(upstream);
  const calls: MotoCall[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', 'http://proxy');
      const action = url.searchParams.get('Action') ?? (body.length > 0 && !body.toString('utf8').startsWith('<') ? new URLSearchParams(body.toString('utf8')).get('Action') : null);
      calls.push({ at: Date.now(), method: req.method ?? 'GET', path: url.pathname, ...(action ? { action } : {}) });
      const forward = httpRequest({ host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.on('error', (err: unknown) => {
        if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
        res.end(`recording proxy: moto failed: ${String(err)}`);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    close: () => new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }),
  };
}

const simS3 = new S3Client({ region: 'us-east-1', endpoint: sim.awsUrl, forcePathStyle: true, credentials: TEST_CREDENTIALS });
const simRds = new RDSClient({ region: 'us-east-1', endpoint: sim.awsUrl, credentials: TEST_CREDENTIALS });
const motoS3 = new S3Client({ region: 'us-east-1', endpoint: env.motoUrl, forcePathStyle: true, credentials: TEST_CREDENTIALS });
const motoRds = new RDSClient({ region: 'us-east-1', endpoint: env.motoUrl, credentials: TEST_CREDENTIALS });
const simProject = (JSON.parse(readFileSync(sim.gcpKeyPath, 'utf8')) as { project_id: string }).project_id;
const fakeGcs = new Storage({ projectId: 'pledge-test', apiEndpoint: env.fakeGcsUrl, retryOptions: { autoRetry: false } });
const simGcs = new Storage({ projectId: simProject, apiEndpoint: sim.gcsUrl, retryOptions: { autoRetry: false } });

const PASSWORD = 'Imported-pw-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'pledge-import-'));

/** `pledge plan` on the YAML import printed: adopting changes nothing, so it says `no change` and exits 0. */
async function assertPlanNoChange(label: string, yamlText: string): Promise<void> {
  const file = join(dir, `${label.replace(/\W+/g, '-')}.yaml`);
  writeFileSync(file, yamlText);
  const plan = await pledge(['plan', file]);
  assert.equal(plan.code, 0, `pledge plan ${file}: ${plan.stdout}${plan.stderr}`);
  assert.match(plan.stdout, /no change/, plan.stdout);
}

/** One resource per kind and cloud, made directly in the cloud; `resource` is the kind as the CLI is asked for it. */
interface Case {
  label: string;
  resource: string;
  providerConfig: string;
  name: string;
  make(): Promise<void>;
  /** What the imported forProvider must say (a few fields read back from the cloud). */
  expect: Record<string, unknown>;
  /** Where it lives: cloudsim's request log, or the recording proxy in front of moto, shows what the cloud saw. */
  cloud: 'cloudsim' | 'moto' | 'fake-gcs';
}

const cases: Case[] = [
  {
    label: 'S3 Bucket on cloudsim',
    resource: 'buckets.s3.aws.pledge.dev',
    providerConfig: SIM,
    name: `imp-sim-bkt-${suffix}`,
    cloud: 'cloudsim',
    expect: { region: 'us-east-1', versioning: 'Enabled', tags: { team: 'data' } },
    async make() {
      await simS3.send(new CreateBucketCommand({ Bucket: this.name }));
      await simS3.send(new PutBucketVersioningCommand({ Bucket: this.name, VersioningConfiguration: { Status: 'Enabled' } }));
      await simS3.send(new PutBucketTaggingCommand({ Bucket: this.name, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }));
    },
  },
  {
    label: 'S3 Bucket on moto',
    resource: 'Bucket.s3.aws.pledge.dev',
    providerConfig: MOTO,
    name: `imp-moto-bkt-${suffix}`,
    cloud: 'moto',
    expect: { region: 'us-east-1', versioning: 'Enabled', tags: { team: 'data' } },
    async make() {
      await motoS3.send(new CreateBucketCommand({ Bucket: this.name }));
      await motoS3.send(new PutBucketVersioningCommand({ Bucket: this.name, VersioningConfiguration: { Status: 'Enabled' } }));
      await motoS3.send(new PutBucketTaggingCommand({ Bucket: this.name, Tagging: { TagSet: [{ Key: 'team', Value: 'data' }] } }));
    },
  },
  ...[
    { label: 'RDS DBInstance on cloudsim', providerConfig: SIM, name: `imp-sim-db-${suffix}`, rds: simRds, cloud: 'cloudsim' as const },
    { label: 'RDS DBInstance on moto', providerConfig: MOTO, name: `imp-moto-db-${suffix}`, rds: motoRds, cloud: 'moto' as const },
  ].map(
    (c): Case => ({
      label: c.label,
      resource: 'dbinstances',
      providerConfig: c.providerConfig,
      name: c.name,
      cloud: c.cloud,
      expect: { region: 'us-east-1', engine: 'postgres', dbInstanceClass: 'db.t3.micro', masterUsername: 'admin0', tags: { app: 'billing' } },
      async make() {
        await c.rds.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: c.name,
            Engine: 'postgres',
            DBInstanceClass: 'db.t3.micro',
            AllocatedStorage: 20,
            MasterUsername: 'admin0',
            MasterUserPassword: PASSWORD,
            PubliclyAccessible: false,
            Tags: [{ Key: 'app', Value: 'billing' }],
          }),
        );
      },
    }),
  ),
  {
    label: 'Azure ResourceGroup on cloudsim',
    resource: 'ResourceGroup',
    providerConfig: SIM,
    name: `imp-rg-${suffix}`,
    cloud: 'cloudsim',
    expect: { location: 'westeurope', tags: { env: 'prod' } },
    async make() {
      await rawAzure(azure).resources.resourceGroups.createOrUpdate(this.name, { location: 'westeurope', tags: { env: 'prod' } });
    },
  },
  {
    label: 'Azure storage Account on cloudsim',
    resource: 'accounts.storage.azure.pledge.dev',
    providerConfig: SIM,
    name: `impacct${suffix}`,
    cloud: 'cloudsim',
    expect: { location: 'westeurope', resourceGroupName: `imp-rg-${suffix}`, sku: 'Standard_GRS', kind: 'StorageV2' },
    async make() {
      await rawAzure(azure).storage.storageAccounts.beginCreateAndWait(`imp-rg-${suffix}`, this.name, { location: 'westeurope', sku: { name: 'Standard_GRS' }, kind: 'StorageV2' });
    },
  },
  {
    label: 'GCS Bucket on cloudsim',
    resource: 'buckets.storage.gcp.pledge.dev',
    providerConfig: SIM,
    name: `imp-gcs-${suffix}`,
    cloud: 'cloudsim',
    expect: { location: 'EU', versioning: true, labels: { tier: 'gold' } },
    async make() {
      await simGcs.createBucket(this.name, { location: 'EU', versioning: { enabled: true }, labels: { tier: 'gold' } });
    },
  },
  {
    // fake-gcs-server keeps neither the location nor the labels it is given: the import says what it reports.
    label: 'GCS Bucket on fake-gcs-server',
    resource: 'buckets.storage.gcp.pledge.dev',
    providerConfig: FAKE_GCS,
    name: `imp-fake-gcs-${suffix}`,
    cloud: 'fake-gcs',
    expect: { location: 'US-CENTRAL1', versioning: true, storageClass: 'STANDARD' },
    async make() {
      await fakeGcs.createBucket(this.name, { versioning: { enabled: true } });
    },
  },
];

let controller: ControllerProcess;
let motoProxy: Awaited<ReturnType<typeof startRecordingProxy>> | undefined;
const imported = new Map<string, string>();

before(async () => {
  await installCrds();
  await installCloudsimProviderConfigs(SIM);
  await installAwsProviderConfig(MOTO);
  // Pledge reaches moto only through the recording proxy; the test's own clients go straight to moto.
  motoProxy = await startRecordingProxy(env.motoUrl);
  const pc = await kubectlApply(`
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${MOTO}}
spec:
  region: us-east-1
  endpoint: ${motoProxy.url}
  credentials:
    source: Secret
    secretRef: {name: aws-creds, namespace: pledge-system}
`);
  assert.equal(pc.code, 0, pc.stderr);
  // fake-gcs-server takes unauthenticated requests: the endpoint is all its ProviderConfig needs.
  const gcs = await kubectlApply(`
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${FAKE_GCS}}
spec: {projectId: pledge-test, endpoint: "${env.fakeGcsUrl}"}
`);
  assert.equal(gcs.code, 0, gcs.stderr);
  const ns = await kubectl(['create', 'namespace', `imp-${suffix}`]);
  assert.equal(ns.code, 0, ns.stderr);
  for (const c of cases) await c.make();
  controller = await startController();
});

/** What the test applied, to delete by name (other tests' objects of these kinds share the API server). */
const applied: Array<[plural: string, name: string]> = [];

/** Removes what the test made, in the cluster (while the controller runs, for the finalizers) and in the clouds. */
after(async () => {
  for (const [plural, name] of applied) await kubectl(['delete', plural, name, '--ignore-not-found', '--timeout=60s'], { timeoutMs: 70_000 });
  await controller?.stop();
  await motoProxy?.close();
  const quietly = (p: Promise<unknown>) => p.catch(() => undefined);
  for (const bucket of [`imp-sim-bkt-${suffix}`, `imp-sim-fresh-${suffix}`]) await quietly(simS3.send(new DeleteBucketCommand({ Bucket: bucket })));
  for (const bucket of [`imp-moto-bkt-${suffix}`, `imp-moto-managed-${suffix}`]) await quietly(motoS3.send(new DeleteBucketCommand({ Bucket: bucket })));
  await quietly(simRds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: `imp-sim-db-${suffix}`, SkipFinalSnapshot: true })));
  await quietly(motoRds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: `imp-moto-db-${suffix}`, SkipFinalSnapshot: true })));
  const arm = rawAzure(azure);
  await quietly(arm.storage.storageAccounts.delete(`imp-rg-${suffix}`, `impacct${suffix}`));
  await quietly(arm.resources.resourceGroups.beginDelete(`imp-rg-${suffix}`));
  await quietly(simGcs.bucket(`imp-gcs-${suffix}`).delete());
  await quietly(fakeGcs.bucket(`imp-fake-gcs-${suffix}`).delete());
  await kubectl(['delete', 'providerconfigs.gcp.pledge.dev', FAKE_GCS, '--ignore-not-found']);
  await removeCloudsimProviderConfigs(SIM);
  await kubectl(['delete', 'providerconfigs.aws.pledge.dev', MOTO, '--ignore-not-found']);
  await kubectl(['delete', 'namespace', `imp-${suffix}`, '--wait=false']);
  rmSync(dir, { recursive: true, force: true });
});

describe('pledge import adopts one existing resource of every kind, with no write to the cloud', () => {
  for (const c of cases) {
    test(`${c.label}: listed as a candidate, imported as YAML, applied, Ready with no cloud write`, async () => {
      const importedFrom = Date.now();
      const listing = await pledge(['import', c.resource, '--provider-config', c.providerConfig]);
      assert.equal(listing.code, 0, listing.stderr);
      assert.match(listing.stdout, new RegExp(`^${c.name}\\b`, 'm'), `the candidates name the new resource:\n${listing.stdout}`);
      assert.match(listing.stderr, /Adopt with: pledge import/);

      const run = await pledge(['import', c.resource, '--provider-config', c.providerConfig, '--secret-namespace', `imp-${suffix}`, c.name]);
      assert.equal(run.code, 0, run.stderr);
      const docs = parseAllDocuments(run.stdout).map((d) => d.toJS() as { metadata: { name: string; annotations: Record<string, string> }; spec: Record<string, unknown> });
      assert.equal(docs.length, 1, run.stdout);
      const mr = docs[0];
      assert.ok(mr);
      assert.equal(mr.metadata.annotations['pledge.dev/external-name'], c.name);
      assert.deepEqual(mr.spec.managementPolicies, ['Observe']);
      assert.deepEqual(mr.spec.providerConfigRef, { name: c.providerConfig });
      const forProvider = mr.spec.forProvider as Record<string, unknown>;
      for (const [field, value] of Object.entries(c.expect)) assert.deepEqual(forProvider[field], value, `forProvider.${field} in\n${run.stdout}`);
      assert.ok(!run.stdout.includes(PASSWORD), 'no password in the YAML');
      imported.set(c.label, run.stdout);

      if (c.resource === 'dbinstances') {
        assert.match(run.stderr, /note: DBInstance .*create Secret/);
        const ref = forProvider.masterUserPasswordSecretRef as { name: string; namespace: string; key: string };
        const secret = await kubectl(['create', 'secret', 'generic', ref.name, '-n', ref.namespace, `--from-literal=${ref.key}=${PASSWORD}`]);
        assert.equal(secret.code, 0, secret.stderr);
      }

      const since = Date.now();
      const before = await callsByOperation(controller);
      const plural = c.resource === 'dbinstances' ? 'dbinstances.rds.aws.pledge.dev' : c.resource.toLowerCase().replace(/^bucket\./, 'buckets.').replace(/^resourcegroup$/, 'resourcegroups.resources.azure.pledge.dev');
      applied.push([plural, mr.metadata.name]);
      const apply = await kubectlApply(run.stdout);
      assert.equal(apply.code, 0, apply.stderr);
      await eventually(async () => (await condition(plural, mr.metadata.name, 'Ready'))?.status === 'True', `${c.label} Ready`, 90_000).catch(async (err: unknown) => {
        throw new Error(`${String(err)}\n${JSON.stringify(await condition(plural, mr.metadata.name, 'Synced'))}\n${(await controller.log()).slice(-3000)}`);
      });
      // The controller looked (observe calls counted), and wrote nothing.
      const after = await callsByOperation(controller);
      const made = [...after].filter(([op, n]) => n > (before.get(op) ?? 0)).map(([op]) => op);
      assert.ok(made.length > 0, 'the controller called the cloud');
      assert.deepEqual(made.filter(isWrite), [], `calls since the apply: ${made.join(', ')}`);
      if (c.cloud === 'moto') {
        // What moto saw: reads by the CLI while importing and by the controller since the apply, no write.
        const seen = motoProxy?.calls.filter((call) => call.at >= importedFrom) ?? [];
        assert.ok(seen.some((call) => call.at >= since), 'the controller reached moto through the proxy');
        assert.deepEqual(seen.filter(isMotoWrite), [], `moto saw: ${seen.map((call) => call.action ?? `${call.method} ${call.path}`).join(', ')}`);
      }
      if (c.cloud === 'cloudsim') {
        const log = await admin.requests(since);
        assert.ok(log.complete, 'cloudsim kept every request since the apply');
        assert.ok(log.requests.length > 0);
        assert.deepEqual(log.requests.filter((r) => isWrite(r.operation)).map((r) => `${r.service} ${r.operation}`), []);
      }
      const synced = await condition(plural, mr.metadata.name, 'Synced');
      assert.equal(synced?.status, 'True', JSON.stringify(synced));
      await assertPlanNoChange(c.label, run.stdout);
    });
  }
});

describe('pledge import --manage and --all', () => {
  test('--manage adopts with full management (moto S3): Ready, up to date, still no write', async () => {
    const name = `imp-moto-managed-${suffix}`;
    await motoS3.send(new CreateBucketCommand({ Bucket: name }));
    await motoS3.send(new PutBucketTaggingCommand({ Bucket: name, Tagging: { TagSet: [{ Key: 'owner', Value: 'platform' }] } }));
    const run = await pledge(['import', 'buckets.s3.aws.pledge.dev', '--provider-config', MOTO, '--manage', name]);
    assert.equal(run.code, 0, run.stderr);
    const [doc] = parseAllDocuments(run.stdout).map((d) => d.toJS() as { spec: { managementPolicies: string[]; forProvider: Record<string, unknown> } });
    assert.deepEqual(doc?.spec.managementPolicies, ['*']);
    assert.deepEqual(doc?.spec.forProvider.tags, { owner: 'platform' });
    const before = await callsByOperation(controller);
    const since = Date.now();
    applied.push(['buckets.s3.aws.pledge.dev', name]);
    assert.equal((await kubectlApply(run.stdout)).code, 0);
    await eventually(async () => (await condition('buckets.s3.aws.pledge.dev', name, 'Ready'))?.status === 'True', 'managed import Ready', 90_000);
    // Two polls (2 s) more: an update would have come by now if the spec differed from the bucket.
    await new Promise((r) => setTimeout(r, 5_000));
    const after = await callsByOperation(controller);
    const made = [...after].filter(([op, n]) => n > (before.get(op) ?? 0)).map(([op]) => op);
    assert.ok(made.includes('HeadBucket'), `the controller observed: ${made.join(', ')}`);
    assert.deepEqual(made.filter(isWrite), [], `calls since the apply: ${made.join(', ')}`);
    const seen = motoProxy?.calls.filter((call) => call.at >= since) ?? [];
    assert.ok(seen.length > 0, 'the controller reached moto through the proxy');
    assert.deepEqual(seen.filter(isMotoWrite), [], `moto saw: ${seen.map((call) => `${call.method} ${call.path}`).join(', ')}`);
    assert.equal((await condition('buckets.s3.aws.pledge.dev', name, 'Synced'))?.status, 'True');
    await assertPlanNoChange('managed', run.stdout);
  });

  test('--all imports only what nothing manages; the candidate listing leaves out what was adopted', async () => {
    const fresh = `imp-sim-fresh-${suffix}`;
    await simS3.send(new CreateBucketCommand({ Bucket: fresh }));
    const adopted = `imp-sim-bkt-${suffix}`;
    const listing = await pledge(['import', 'buckets.s3.aws.pledge.dev', '--provider-config', SIM, '-o', 'json']);
    assert.equal(listing.code, 0, listing.stderr);
    const names = (JSON.parse(listing.stdout) as Array<{ externalName: string }>).map((r) => r.externalName);
    assert.ok(names.includes(fresh), names.join(', '));
    assert.ok(!names.includes(adopted), `${adopted} is managed already: ${names.join(', ')}`);
    const all = await pledge(['import', 'buckets.s3.aws.pledge.dev', '--provider-config', SIM, '--all', '-o', 'json']);
    assert.equal(all.code, 0, all.stderr);
    const list = JSON.parse(all.stdout) as { kind: string; items: Array<{ metadata: { annotations: Record<string, string> } }> };
    assert.equal(list.kind, 'List');
    const external = list.items.map((i) => i.metadata.annotations['pledge.dev/external-name']);
    assert.ok(external.includes(fresh) && !external.includes(adopted), external.join(', '));
    const again = await pledge(['import', 'buckets.s3.aws.pledge.dev', '--provider-config', SIM, adopted]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, new RegExp(`error: Bucket ${adopted} is already managed by Bucket ${adopted} \\(ProviderConfig ${SIM}\\)`));
  });
});

describe('pledge import: bad input', () => {
  const cases: Array<{ what: string; args: string[]; error: RegExp }> = [
    { what: 'an unknown kind', args: ['import', 'Buckett'], error: /^error: unknown kind "Buckett": Pledge imports buckets\.s3\.aws\.pledge\.dev, .*dbinstances\.rds\.aws\.pledge\.dev/m },
    { what: 'an ambiguous kind', args: ['import', 'Bucket'], error: /^error: kind "Bucket" is ambiguous: say which, one of buckets\.s3\.aws\.pledge\.dev, buckets\.storage\.gcp\.pledge\.dev$/m },
    { what: 'a missing ProviderConfig', args: ['import', 'ResourceGroup', '--provider-config', 'nowhere'], error: /^error: ProviderConfig "nowhere" \(providerconfigs\.azure\.pledge\.dev\) not found in the cluster$/m },
    { what: 'a name the cloud does not have', args: ['import', 'dbinstances', '--provider-config', MOTO, 'no-such-db'], error: new RegExp(`^error: no DBInstance named no-such-db found with ProviderConfig ${MOTO}$`, 'm') },
    { what: 'names and --all', args: ['import', 'dbinstances', '--all', 'a'], error: /^error: give resource names or --all, not both$/m },
    { what: 'a kind with no cloud', args: ['import', 'NopResource'], error: /^error: NopResource \(nopresources\.nop\.pledge\.dev\) stands for nothing outside the cluster: there is no cloud resource to import/m },
  ];
  for (const c of cases) {
    test(`${c.what}: exit 1, named`, async () => {
      const run = await pledge(c.args);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, c.error);
      assert.equal(run.stdout, '');
    });
  }

  test('a cloud error: the cloud\'s own message, named with the kind and ProviderConfig (Azure refuses a wrong client secret)', async () => {
    const bad = `imp-bad-${suffix}`;
    const res = await kubectlApply(`
apiVersion: v1
kind: Secret
metadata: {name: ${bad}, namespace: pledge-system}
stringData: {clientSecret: not-the-secret}
---
apiVersion: azure.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${bad}}
spec:
  tenantId: "${azure.tenantId}"
  clientId: "${azure.clientId}"
  subscriptionId: "${azure.subscriptionId}"
  clientSecretSecretRef: {name: ${bad}, namespace: pledge-system, key: clientSecret}
  endpoint: ${azure.url}
  authorityHost: ${azure.url}
`);
    assert.equal(res.code, 0, res.stderr);
    try {
      const run = await pledge(['import', 'ResourceGroup', '--provider-config', bad]);
      assert.equal(run.code, 1, run.stdout + run.stderr);
      assert.match(run.stderr, new RegExp(`^error: listing ResourceGroup \\(resourcegroups\\.resources\\.azure\\.pledge\\.dev\\) with ProviderConfig ${bad} failed: .*AADSTS`, 'm'));
      assert.ok(!run.stderr.includes('not-the-secret'), 'the secret is not shown');
    } finally {
      await kubectl(['delete', 'providerconfigs.azure.pledge.dev', bad, '--ignore-not-found']);
      await kubectl(['delete', 'secret', '-n', 'pledge-system', bad, '--ignore-not-found']);
    }
  });
});

// Runs last (test/env/run-suite.ts holds back the files of this folder until every other file has finished;
// a plain `node --test` orders files by path, hence the folder name): after the whole suite, no secret value —
// cloud keys, generated or given database passwords, storage account keys, the Azure client secrets — appears
// in any controller log of the run, nor in the events, statuses or metrics of any of its environments.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { controllerLogsDir, kubectl, kubectlApply, suiteEnvironments, testEnv, type SuiteEnvironment } from '../env/index.ts';
import { eventually, getJson, installAwsProviderConfig, installCrds, mustKubectl, startController, TEST_CREDENTIALS, type ControllerProcess } from '../integration/harness.ts';

const suffix = randomBytes(3).toString('hex');
const SECRET_KEYS = /password|secret|key|token|connectionstring/i;

async function allControllerLogs(): Promise<string> {
  const root = controllerLogsDir();
  assert.ok(root, 'PLEDGE_TEST_SUITE_DIR or PLEDGE_TEST_ENV_DIR is set by make test');
  let text = '';
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) text += await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return text;
}

/** `kubectl` against one environment of the run; fails the test on a non-zero exit. */
async function kubectlIn(env: SuiteEnvironment, args: string[]): Promise<string> {
  const res = await kubectl(args, { kubeconfigPath: env.kubeconfigPath });
  assert.equal(res.code, 0, `${env.name}: kubectl ${args.join(' ')}: ${res.stderr}`);
  return res.stdout;
}

/** Every value of a secret-looking key in every Secret of one environment's cluster, decoded. */
async function secretValuesInCluster(env: SuiteEnvironment): Promise<string[]> {
  const list = JSON.parse(await kubectlIn(env, ['get', 'secrets', '-A', '-o', 'json'])) as { items: Array<{ data?: Record<string, string> }> };
  return list.items.flatMap((s) => Object.entries(s.data ?? {}).filter(([k]) => SECRET_KEYS.test(k)).map(([, v]) => Buffer.from(v, 'base64').toString()));
}

/** The managed, composite and claim objects of one environment's cluster: metadata and status. */
async function statusesIn(env: SuiteEnvironment): Promise<string> {
  let statuses = '';
  for (const category of ['managed', 'composite', 'claim']) {
    const res = await kubectl(['get', category, '-A', '-o', 'json'], { kubeconfigPath: env.kubeconfigPath });
    // A category exists only once some kind declares it (composite and claim need an XRD).
    if (res.code !== 0 && res.stderr.includes("doesn't have a resource type")) continue;
    assert.equal(res.code, 0, `${env.name}: ${res.stderr}`);
    statuses += JSON.stringify((JSON.parse(res.stdout) as { items: Array<{ status?: unknown; metadata?: unknown }> }).items.map((o) => [o.metadata, o.status]));
  }
  return statuses;
}

describe('secret safety across the whole suite', () => {
  let controller: ControllerProcess;
  const known = new Set<string>([TEST_CREDENTIALS.secretAccessKey]);
  const given = `Given-${randomBytes(12).toString('hex')}`;
  const db = `safety-${suffix}`;
  const dbGiven = `safety-given-${suffix}`;
  let environments: SuiteEnvironment[] = [];

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    const azure = testEnv().azure;
    if (azure) known.add(azure.clientSecret);
    controller = await startController({ pollInterval: '2s' });
    // A generated and a given password, through the whole create/observe/update path at debug level.
    await mustKubectl(['create', 'secret', 'generic', '-n', 'default', `${dbGiven}-pw`, `--from-literal=password=${given}`]);
    known.add(given);
    const instance = (name: string, extra: string) => `apiVersion: rds.aws.pledge.dev/v1
kind: DBInstance
metadata: {name: ${name}}
spec:
  forProvider: {region: us-east-1, engine: postgres, dbInstanceClass: db.t3.micro, allocatedStorage: 20, masterUsername: app, skipFinalSnapshot: true${extra}}
  writeConnectionSecretToRef: {name: ${name}-conn, namespace: default}
`;
    const manifests = [instance(db, ''), instance(dbGiven, `, masterUserPasswordSecretRef: {name: ${dbGiven}-pw, namespace: default, key: password}`)];
    assert.equal((await kubectlApply(manifests.join('---\n'))).code, 0);
    for (const name of [db, dbGiven]) {
      assert.equal((await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `dbinstance.rds.aws.pledge.dev/${name}`], { timeoutMs: 100_000 })).code, 0);
    }
    await eventually(async () => (await getJson<{ data?: { password?: string } }>('secret', `${db}-conn`, 'default'))?.data?.password !== undefined, 'generated password stored');
    // Every environment of the run (make test runs the end-to-end files side by side, each lane its own).
    environments = await suiteEnvironments();
    for (const env of environments) {
      if (env.azureClientSecretPath) known.add((await readFile(env.azureClientSecretPath, 'utf8')).trim());
      for (const value of await secretValuesInCluster(env)) if (value.length >= 8) known.add(value);
    }
  });

  after(async () => {
    await kubectl(['delete', 'dbinstances.rds.aws.pledge.dev', db, dbGiven, '--timeout=60s'], { timeoutMs: 70_000 });
    await controller?.stop();
  });

  test('no secret value in logs, events, status or metrics', async () => {
    assert.ok(known.size >= 3, `secrets to look for: ${known.size}`);
    const metrics = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
    let events = '';
    let statuses = '';
    for (const env of environments) {
      events += await kubectlIn(env, ['get', 'events', '-A', '-o', 'json']);
      statuses += await statusesIn(env);
    }
    assert.ok(statuses.includes(db), 'the managed resources are part of what is checked');
    const logs = await allControllerLogs();
    assert.ok(logs.length > 10_000, 'the suite left controller logs to check');
    const corpus: Record<string, string> = { logs, events, statuses, metrics };
    for (const [where, text] of Object.entries(corpus)) {
      for (const secret of known) {
        assert.ok(!text.includes(secret), `a secret value (${secret.length} chars, starting ${secret.slice(0, 2)}…) appears in ${where}`);
      }
    }
  });
});

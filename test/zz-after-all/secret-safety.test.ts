// Runs last (the test runner orders files by path, hence the folder name): after the whole suite, no
// secret value — cloud keys, generated or given database passwords, storage account keys, the Azure
// client secret — appears in any controller log, event, status or metrics output.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { eventually, getJson, installAwsProviderConfig, installCrds, mustKubectl, startController, TEST_CREDENTIALS, type ControllerProcess } from '../integration/harness.ts';

const suffix = randomBytes(3).toString('hex');
const SECRET_KEYS = /password|secret|key|token|connectionstring/i;

async function allControllerLogs(): Promise<string> {
  const dir = process.env.PLEDGE_TEST_ENV_DIR;
  assert.ok(dir, 'PLEDGE_TEST_ENV_DIR is set by test/env/run.ts');
  const root = join(dir, 'controller-logs');
  let text = '';
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) text += await readFile(join(entry.parentPath, entry.name), 'utf8');
  }
  return text;
}

/** Every value of a secret-looking key in every Secret of the cluster, decoded. */
async function secretValuesInCluster(): Promise<string[]> {
  const list = JSON.parse(await mustKubectl(['get', 'secrets', '-A', '-o', 'json'])) as { items: Array<{ data?: Record<string, string> }> };
  return list.items.flatMap((s) => Object.entries(s.data ?? {}).filter(([k]) => SECRET_KEYS.test(k)).map(([, v]) => Buffer.from(v, 'base64').toString()));
}

describe('secret safety across the whole suite', () => {
  let controller: ControllerProcess;
  const known = new Set<string>([TEST_CREDENTIALS.secretAccessKey]);
  const given = `Given-${randomBytes(12).toString('hex')}`;
  const db = `safety-${suffix}`;
  const dbGiven = `safety-given-${suffix}`;

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
    for (const value of await secretValuesInCluster()) if (value.length >= 8) known.add(value);
  });

  after(async () => {
    await kubectl(['delete', 'dbinstances.rds.aws.pledge.dev', db, dbGiven, '--timeout=60s'], { timeoutMs: 70_000 });
    await controller?.stop();
  });

  test('no secret value in logs, events, status or metrics', async () => {
    assert.ok(known.size >= 3, `secrets to look for: ${known.size}`);
    const metrics = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
    const events = await mustKubectl(['get', 'events', '-A', '-o', 'json']);
    let statuses = '';
    for (const category of ['managed', 'composite', 'claim']) {
      const res = await kubectl(['get', category, '-A', '-o', 'json']);
      // A category exists only once some kind declares it (composite and claim need an XRD).
      if (res.code !== 0 && res.stderr.includes("doesn't have a resource type")) continue;
      assert.equal(res.code, 0, res.stderr);
      statuses += JSON.stringify((JSON.parse(res.stdout) as { items: Array<{ status?: unknown; metadata?: unknown }> }).items.map((o) => [o.metadata, o.status]));
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

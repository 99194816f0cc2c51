// The RDS DBInstance end to end: kubectl → kube-apiserver → `pledge run` → AWS SDK → moto, and back through
// status and the connection secret. moto makes instances `available` at once; RDS takes minutes.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { DeleteDBSnapshotCommand, type RDSClient } from '@aws-sdk/client-rds';
import { kubectl, kubectlApply } from '../env/index.ts';
import { dbInstance, dbSnapshots, motoRds } from './aws-cloud.ts';
import { condition, eventually, getJson, installAwsProviderConfig, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const RESOURCE = 'dbinstances.rds.aws.pledge.dev';
const NAMESPACE = 'default';

interface DBInstanceView {
  metadata: { annotations?: Record<string, string> };
  spec: { forProvider: Record<string, unknown> };
  status?: { atProvider?: { arn?: string; status?: string; address?: string; port?: number; engineVersion?: string } };
}

function dbYaml(name: string, forProvider: Record<string, unknown>, spec: Record<string, unknown> = {}): string {
  return JSON.stringify({
    apiVersion: 'rds.aws.pledge.dev/v1',
    kind: 'DBInstance',
    metadata: { name },
    spec: {
      forProvider: { region: 'us-east-1', engine: 'postgres', dbInstanceClass: 'db.t3.micro', masterUsername: 'app', allocatedStorage: 20, ...forProvider },
      ...spec,
    },
  });
}

const connectionSecretOf = (name: string) => ({ writeConnectionSecretToRef: { name: `${name}-conn`, namespace: NAMESPACE } });

/** The Secret's data, decoded; undefined when it does not exist. */
async function secretData(name: string): Promise<Record<string, string> | undefined> {
  const res = await kubectl(['get', 'secret', '-n', NAMESPACE, name, '-o', 'json']);
  if (res.code !== 0) {
    if (res.stderr.includes('NotFound')) return undefined;
    throw new Error(`kubectl get secret ${name}: ${res.stderr}`);
  }
  const data = (JSON.parse(res.stdout) as { data?: Record<string, string> }).data ?? {};
  return Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]));
}

describe('RDS DBInstance on a real kube-apiserver and moto', () => {
  let controller: ControllerProcess;
  let rds: RDSClient;
  const name = `pledge-db-${suffix}`;
  const passwordsSeen: string[] = [];

  async function waitReady(resource: string): Promise<void> {
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${RESOURCE}/${resource}`], { timeoutMs: 70_000 });
    assert.equal(wait.code, 0, `kubectl wait: ${wait.stderr}\ncontroller log:\n${(await controller.log()).slice(-3000)}`);
  }

  async function deleteAndWait(resource: string): Promise<void> {
    const del = await kubectl(['delete', RESOURCE, resource, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(del.code, 0, `${del.stderr}\ncontroller log:\n${(await controller.log()).slice(-3000)}`);
  }

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '2s' });
    rds = motoRds();
  });

  after(async () => {
    await controller?.stop();
  });

  test('kubectl apply creates an instance with a generated password; Ready once available; the connection secret has username, password, endpoint, port', async () => {
    const res = await kubectlApply(dbYaml(name, { tags: { team: 'data' }, skipFinalSnapshot: true }, connectionSecretOf(name)));
    assert.equal(res.code, 0, res.stderr);
    await waitReady(name);

    const instance = await dbInstance(rds, name);
    assert.equal(instance?.DBInstanceStatus, 'available');
    assert.equal(instance?.DBInstanceClass, 'db.t3.micro');
    assert.deepEqual(instance?.TagList, [{ Key: 'team', Value: 'data' }]);

    const secret = await secretData(`${name}-conn`);
    assert.deepEqual(Object.keys(secret ?? {}).sort(), ['endpoint', 'password', 'port', 'username']);
    assert.equal(secret?.username, 'app');
    assert.equal(secret?.endpoint, instance?.Endpoint?.Address);
    assert.equal(secret?.port, '5432');
    assert.match(secret?.password ?? '', /^[A-Za-z][A-Za-z0-9]{29}$/);
    passwordsSeen.push(secret?.password ?? '');

    const obj = await getJson<DBInstanceView>(RESOURCE, name);
    assert.deepEqual(obj?.status?.atProvider, {
      arn: instance?.DBInstanceArn,
      status: 'available',
      address: instance?.Endpoint?.Address,
      port: 5432,
      engineVersion: instance?.EngineVersion,
    });
    assert.equal(obj?.metadata.annotations?.['pledge.dev/external-name'], name);
    const [header, row] = (await mustKubectl(['get', RESOURCE, name])).trim().split('\n');
    assert.match(header ?? '', /^NAME\s+READY\s+SYNCED\s+EXTERNAL-NAME\s+AGE$/);
    assert.match(row ?? '', new RegExp(`^${name}\\s+True\\s+True\\s+${name}\\s+`));
  });

  test('a class change made with kubectl is applied to the instance, without touching the password', async () => {
    await mustKubectl(['patch', RESOURCE, name, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { dbInstanceClass: 'db.t3.small' } } })]);
    await eventually(async () => (await dbInstance(rds, name))?.DBInstanceClass === 'db.t3.small', 'db.t3.small in moto');
    await eventually(async () => (await condition(RESOURCE, name, 'Synced'))?.status === 'True', 'Synced=True');
    assert.equal((await secretData(`${name}-conn`))?.password, passwordsSeen[0], 'the password stays');
  });

  test('a password missing from the connection secret (lost in a crash) is reset and written, never lost', async () => {
    await mustKubectl(['patch', 'secret', '-n', NAMESPACE, `${name}-conn`, '--type=json', '-p', '[{"op":"remove","path":"/data/password"}]']);
    await eventually(async () => (await secretData(`${name}-conn`))?.password !== undefined, 'a new password in the connection secret');
    const secret = await secretData(`${name}-conn`);
    assert.match(secret?.password ?? '', /^[A-Za-z][A-Za-z0-9]{29}$/);
    assert.notEqual(secret?.password, passwordsSeen[0]);
    assert.equal(secret?.username, 'app', 'other keys are kept');
    passwordsSeen.push(secret?.password ?? '');
    const updates = (await controller.log()).split('\n').filter((l) => l.includes(`"name":"${name}"`) && l.includes('updated external resource'));
    assert.ok(updates.some((l) => l.includes('master password missing from the connection secret')), 'the reset is logged, by reason');
  });

  test('the password from masterUserPasswordSecretRef is used, and a change of it is applied', async () => {
    const withRef = `pledge-db-ref-${suffix}`;
    const given = `Given-${randomBytes(8).toString('hex')}`;
    await mustKubectl(['create', 'secret', 'generic', '-n', NAMESPACE, `${withRef}-pw`, `--from-literal=password=${given}`]);
    passwordsSeen.push(given);
    const spec = { ...connectionSecretOf(withRef) };
    const forProvider = { masterUserPasswordSecretRef: { name: `${withRef}-pw`, namespace: NAMESPACE, key: 'password' }, skipFinalSnapshot: true };
    assert.equal((await kubectlApply(dbYaml(withRef, forProvider, spec))).code, 0);
    await waitReady(withRef);
    assert.equal((await secretData(`${withRef}-conn`))?.password, given);

    const rotated = `Rotated-${randomBytes(8).toString('hex')}`;
    passwordsSeen.push(rotated);
    await mustKubectl(['create', 'secret', 'generic', '-n', NAMESPACE, `${withRef}-pw`, `--from-literal=password=${rotated}`, '--dry-run=client', '-o', 'yaml'])
      .then((yaml) => mustKubectl(['apply', '-f', '-'], yaml));
    await eventually(async () => (await secretData(`${withRef}-conn`))?.password === rotated, 'the rotated password applied and recorded');

    const spec2 = (await getJson<DBInstanceView>(RESOURCE, withRef))?.spec.forProvider ?? {};
    assert.equal(JSON.stringify(spec2).includes(rotated), false, 'never in the spec');
    await deleteAndWait(withRef);
    assert.equal(await dbInstance(rds, withRef), undefined);
  });

  test('kubectl delete with skipFinalSnapshot removes the instance and its connection secret, and leaves no snapshot', async () => {
    await deleteAndWait(name);
    assert.equal(await getJson(RESOURCE, name), undefined);
    assert.equal(await dbInstance(rds, name), undefined, 'gone from moto');
    assert.deepEqual(await dbSnapshots(rds, name), []);
    assert.equal(await secretData(`${name}-conn`), undefined, 'the connection secret goes with it');
  });

  test('kubectl delete without skipFinalSnapshot takes a final snapshot named <identifier>-final first', async () => {
    const kept = `pledge-db-snap-${suffix}`;
    assert.equal((await kubectlApply(dbYaml(kept, {}, connectionSecretOf(kept)))).code, 0);
    await waitReady(kept);
    await deleteAndWait(kept);
    assert.equal(await dbInstance(rds, kept), undefined);
    const snapshots = await dbSnapshots(rds, kept);
    assert.deepEqual(snapshots.map((s) => [s.DBSnapshotIdentifier, s.SnapshotType]), [[`${kept}-final`, 'manual']]);
    await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `${kept}-final` }));
  });

  test('admission refuses a generated password without a connection secret, bad identifiers and changes to immutable fields, naming the field', async () => {
    const noSecret = await kubectlApply(dbYaml(`pledge-db-nosecret-${suffix}`, {}));
    assert.notEqual(noSecret.code, 0);
    assert.match(noSecret.stderr, /spec\.writeConnectionSecretToRef is required when spec\.forProvider\.masterUserPasswordSecretRef is unset/);

    const dashes = await kubectlApply(dbYaml(`pledge--db-${suffix}`, {}, connectionSecretOf('x')));
    assert.notEqual(dashes.code, 0);
    assert.match(dashes.stderr, /metadata\.name must not contain two consecutive hyphens/);
    const dotted = await kubectlApply(dbYaml(`pledge.db-${suffix}`, {}, connectionSecretOf('x')));
    assert.notEqual(dotted.code, 0);
    assert.match(dotted.stderr, /metadata\.name may contain only lowercase letters, digits and hyphens/);

    const both = await kubectlApply(dbYaml(`pledge-db-both-${suffix}`, { skipFinalSnapshot: true, finalDBSnapshotIdentifier: 'keep' }, connectionSecretOf('x')));
    assert.notEqual(both.code, 0);
    assert.match(both.stderr, /finalDBSnapshotIdentifier must be unset when skipFinalSnapshot is true/);

    // An immutable field: paused, so nothing reaches the cloud while the spec is edited.
    const frozen = `pledge-db-frozen-${suffix}`;
    const paused = JSON.parse(dbYaml(frozen, {}, connectionSecretOf(frozen))) as { metadata: Record<string, unknown> };
    paused.metadata.annotations = { 'pledge.dev/paused': 'true' };
    assert.equal((await kubectlApply(JSON.stringify(paused))).code, 0);
    for (const [field, value] of [['engine', 'mysql'], ['masterUsername', 'root'], ['region', 'eu-west-1']] as const) {
      const res = await kubectl(['patch', RESOURCE, frozen, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { [field]: value } } })]);
      assert.notEqual(res.code, 0, `${field} changed`);
      assert.match(res.stderr, new RegExp(`spec\\.forProvider\\.${field} is immutable`));
    }
    const addName = await kubectl(['patch', RESOURCE, frozen, '--type=merge', '-p', JSON.stringify({ spec: { forProvider: { dbName: 'orders' } } })]);
    assert.notEqual(addName.code, 0);
    assert.match(addName.stderr, /spec\.forProvider\.dbName is immutable/);
    assert.equal((await kubectl(['delete', RESOURCE, frozen, '--timeout=60s'], { timeoutMs: 70_000 })).code, 0);
  });

  test('no password ever reached the controller\'s log or an event', async () => {
    const log = await controller.log();
    const events = await mustKubectl(['get', 'events', '-n', NAMESPACE, '-o', 'json']);
    for (const password of passwordsSeen) {
      assert.ok(password.length > 8);
      assert.equal(log.includes(password), false, 'a password in the log');
      assert.equal(events.includes(password), false, 'a password in an event');
    }
  });
});

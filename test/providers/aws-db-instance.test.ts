// The DBInstance kind against a real moto server: the AWS SDK talks to moto, nothing is mocked.
// moto makes an instance `available` at once and deletes it at once; RDS takes minutes for both.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DeleteDBSnapshotCommand,
  DescribeDBInstancesCommand,
  DescribeDBSnapshotsCommand,
  ModifyDBInstanceCommand,
} from '@aws-sdk/client-rds';
import { ConfigError, describeError, TerminalError } from '../../core/errors/index.ts';
import type { ConnectContext } from '../../core/managed/types.ts';
import { dbInstance, type DBInstanceParameters, type DBInstanceResource } from '../../providers/aws/db-instance.ts';
import { connectContext, countingGate, rawRds, skipWithoutMoto, uniqueName, type CountingGate } from './aws-moto.ts';

const signal = AbortSignal.timeout(60_000);
const rds = rawRds();
const CONNECTION_SECRET = { name: 'db-conn', namespace: 'default' };

function managed(name: string, forProvider: Partial<DBInstanceParameters>, withSecret = true): DBInstanceResource {
  return {
    apiVersion: 'rds.aws.pledge.dev/v1',
    kind: 'DBInstance',
    metadata: { name, generation: 1 },
    spec: {
      forProvider: { region: 'us-east-1', engine: 'postgres', dbInstanceClass: 'db.t3.micro', masterUsername: 'pledge', allocatedStorage: 20, ...forProvider },
      ...(withSecret ? { writeConnectionSecretToRef: CONNECTION_SECRET } : {}),
    },
  };
}

/** Connects as the reconciler does each reconcile: with what the connection secret holds now. */
async function connect(mr: DBInstanceResource, options: { gate?: CountingGate; connectionDetails?: Record<string, string>; secrets?: Record<string, string> } = {}) {
  const ctx: ConnectContext = connectContext({ calls: options.gate, connectionDetails: options.connectionDetails, secrets: options.secrets });
  return dbInstance.connect(mr, ctx);
}

async function cloud(id: string) {
  return (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
}

async function snapshotsOf(id: string) {
  return ((await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: id }))).DBSnapshots ?? []).map((s) => s.DBSnapshotIdentifier);
}

describe('aws DBInstance against moto', { skip: skipWithoutMoto }, () => {
  it('creates with a generated password, reports it once, corrects drift and deletes without a snapshot', async () => {
    const id = uniqueName('pledge-db');
    const mr = managed(id, { tags: { team: 'data' }, backupRetentionPeriod: 3, skipFinalSnapshot: true });
    const gate = countingGate();
    let external = await connect(mr, { gate });
    assert.deepEqual(await external.observe(mr, signal), { exists: false });

    const created = await external.create(mr, signal);
    const details = created.connectionDetails ?? {};
    assert.deepEqual(Object.keys(details).sort(), ['endpoint', 'password', 'port', 'username']);
    assert.equal(details.username, 'pledge');
    assert.equal(details.port, '5432');
    assert.match(details.password ?? '', /^[A-Za-z][A-Za-z0-9]{29}$/);
    assert.match(details.password ?? '', /[A-Z]/);
    assert.match(details.password ?? '', /[0-9]/);
    const instance = await cloud(id);
    assert.equal(instance?.DBInstanceClass, 'db.t3.micro');
    assert.equal(instance?.BackupRetentionPeriod, 3);
    assert.deepEqual(instance?.TagList, [{ Key: 'team', Value: 'data' }]);

    // The next reconcile connects with what the core wrote to the connection secret.
    external = await connect(mr, { gate, connectionDetails: details });
    const observed = await external.observe(mr, signal);
    assert.deepEqual(observed, {
      exists: true,
      upToDate: true,
      ready: true,
      atProvider: { arn: `arn:aws:rds:us-east-1:123456789012:db:${id}`, status: 'available', address: details.endpoint, port: 5432, engineVersion: '9.3.3' },
      connectionDetails: { username: 'pledge', endpoint: details.endpoint, port: '5432' },
      lateInit: { storageType: 'gp2' },
    });

    // Someone changes the class and the tags in the console.
    await rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t3.large', BackupRetentionPeriod: 7, ApplyImmediately: true }));
    await rds.send(new AddTagsToResourceCommand({ ResourceName: instance?.DBInstanceArn, Tags: [{ Key: 'extra', Value: 'x' }, { Key: 'team', Value: 'other' }] }));
    const drifted = await external.observe(mr, signal);
    assert.equal(drifted.upToDate, false);
    assert.equal(drifted.diff, 'dbInstanceClass db.t3.large→db.t3.micro; backupRetentionPeriod 7→3; tags differ (~team -extra)');
    const from = gate.recorded.length;
    assert.deepEqual(await external.update(mr, signal), {}, 'the password is not touched');
    assert.deepEqual(gate.operationsSince(from), ['ModifyDBInstance', 'RemoveTagsFromResource', 'AddTagsToResource']);
    assert.equal((await external.observe(mr, signal)).upToDate, true);

    // A class change in the spec.
    mr.spec.forProvider.dbInstanceClass = 'db.t3.small';
    assert.equal((await external.observe(mr, signal)).diff, 'dbInstanceClass db.t3.micro→db.t3.small');
    await external.update(mr, signal);
    assert.equal((await cloud(id))?.DBInstanceClass, 'db.t3.small');

    await external.delete(mr, signal);
    assert.deepEqual(await external.observe(mr, signal), { exists: false });
    await external.delete(mr, signal); // gone already is success
    assert.deepEqual(await snapshotsOf(id), [], 'skipFinalSnapshot: no snapshot');
    assert.equal(gate.recorded.length, gate.acquired, 'every request passed the gate once');
  });

  it('resets a generated password that never reached the connection secret, and never shows it', async () => {
    const id = uniqueName('pledge-lost');
    const mr = managed(id, { skipFinalSnapshot: true });
    const first = await (await connect(mr)).create(mr, signal);
    const lost = first.connectionDetails?.password ?? '';
    assert.ok(lost.length > 0);

    // The process died before the core wrote the secret: it holds no password.
    const gate = countingGate();
    const external = await connect(mr, { gate, connectionDetails: {} });
    const observed = await external.observe(mr, signal);
    assert.equal(observed.upToDate, false);
    assert.equal(observed.diff, 'master password missing from the connection secret: it will be reset');
    assert.equal(observed.connectionDetails?.password, undefined, 'observe never reports a password');
    const updated = await external.update(mr, signal);
    const reset = updated.connectionDetails?.password ?? '';
    assert.match(reset, /^[A-Za-z][A-Za-z0-9]{29}$/);
    assert.notEqual(reset, lost);
    assert.equal(updated.connectionDetails?.username, 'pledge');
    assert.deepEqual(gate.operationsSince(0), ['DescribeDBInstances', 'ModifyDBInstance']);

    // With the new password in the secret, all is well.
    assert.equal((await (await connect(mr, { connectionDetails: { password: reset } })).observe(mr, signal)).upToDate, true);
    await (await connect(mr)).delete(mr, signal);
  });

  it('takes the password from masterUserPasswordSecretRef and applies a change of it', async () => {
    const id = uniqueName('pledge-ref');
    const ref = { name: 'db-password', namespace: 'apps', key: 'password' };
    const secretKey = 'apps/db-password/password';
    const mr = managed(id, { masterUserPasswordSecretRef: ref, skipFinalSnapshot: true });
    const created = await (await connect(mr, { secrets: { [secretKey]: 'first-Passw0rd' } })).create(mr, signal);
    assert.equal(created.connectionDetails?.password, 'first-Passw0rd');

    let external = await connect(mr, { secrets: { [secretKey]: 'first-Passw0rd' }, connectionDetails: { password: 'first-Passw0rd' } });
    assert.equal((await external.observe(mr, signal)).upToDate, true);

    // The user rotates the password in their Secret.
    external = await connect(mr, { secrets: { [secretKey]: 'second-Passw0rd' }, connectionDetails: { password: 'first-Passw0rd' } });
    const rotated = await external.observe(mr, signal);
    assert.equal(rotated.diff, 'master password differs from masterUserPasswordSecretRef');
    assert.doesNotMatch(JSON.stringify(rotated), /Passw0rd/);
    assert.equal((await external.update(mr, signal)).connectionDetails?.password, 'second-Passw0rd');

    // A Secret that cannot be read: observe still works (a deletion must not stall), update says why, without values.
    external = await connect(mr, { secrets: {}, connectionDetails: { password: 'second-Passw0rd' } });
    const unreadable = await external.observe(mr, signal);
    assert.equal(unreadable.diff, 'master password from masterUserPasswordSecretRef cannot be read');
    await assert.rejects(external.update(mr, signal), (err: unknown) => {
      assert.doesNotMatch(describeError(err), /Passw0rd/);
      return true;
    });
    await external.delete(mr, signal);
  });

  it('takes a final snapshot on delete unless told not to: <identifier>-final, or the name given', async () => {
    const id = uniqueName('pledge-snap');
    const mr = managed(id, {});
    const external = await connect(mr);
    await external.create(mr, signal);
    await external.delete(mr, signal);
    assert.deepEqual(await snapshotsOf(id), [`${id}-final`]);

    // Made again under the same name, the default snapshot name is taken: the error says what to do.
    await external.create(mr, signal);
    await assert.rejects(external.delete(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError, `a TerminalError, got ${String(err)}`);
      assert.equal(
        describeError(err),
        `delete failed: a snapshot named ${id}-final already exists: set spec.forProvider.finalDBSnapshotIdentifier to another name: ` +
          `DBSnapshotAlreadyExists: Cannot create the snapshot because a snapshot with the identifier ${id}-final already exists.`,
      );
      return true;
    });
    mr.spec.forProvider.finalDBSnapshotIdentifier = `${id}-again`;
    await external.delete(mr, signal);
    assert.deepEqual((await snapshotsOf(id)).sort(), [`${id}-again`, `${id}-final`]);
    for (const snapshot of [`${id}-again`, `${id}-final`]) await rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: snapshot }));
  });

  it('refuses a generated password without a connection secret, before any call', async () => {
    const gate = countingGate();
    const mr = managed(uniqueName('pledge-nosecret'), {}, false);
    await assert.rejects((await connect(mr, { gate })).create(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.match(err.message, /^spec\.writeConnectionSecretToRef is required when spec\.forProvider\.masterUserPasswordSecretRef is unset/);
      return true;
    });
    assert.equal(gate.acquired, 0);
  });

  it('is idempotent on create: a second create finds the instance and reports no password, so observe resets it', async () => {
    const id = uniqueName('pledge-twice');
    const mr = managed(id, { skipFinalSnapshot: true });
    const external = await connect(mr);
    await external.create(mr, signal);
    assert.deepEqual(await external.create(mr, signal), {});
    assert.equal((await external.observe(mr, signal)).upToDate, false, 'no password in the connection secret');
    await external.delete(mr, signal);
  });

  it('reports immutable differences and refuses to update them; an engine version prefix matches', async () => {
    const id = uniqueName('pledge-adopt');
    await rds.send(
      new CreateDBInstanceCommand({ DBInstanceIdentifier: id, Engine: 'mysql', DBInstanceClass: 'db.t3.micro', MasterUsername: 'admin', MasterUserPassword: 'Adm1nPassword', AllocatedStorage: 20 }),
    );
    const mr = managed(id, { engine: 'postgres', engineVersion: '5.6', skipFinalSnapshot: true });
    const external = await connect(mr, { connectionDetails: { password: 'known' } });
    const observed = await external.observe(mr, signal);
    assert.equal(observed.diff, 'engine mysql→postgres (immutable); masterUsername admin→pledge (immutable)', 'engineVersion 5.6 matches 5.6.21');
    await assert.rejects(external.update(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.match(err.message, /differs in spec\.forProvider\.engine, spec\.forProvider\.masterUsername, which cannot change/);
      return true;
    });
    await rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
  });

  it('refuses an invalid identifier in the external-name annotation, naming it', async () => {
    const mr = managed('fine-name', {});
    mr.metadata.annotations = { 'pledge.dev/external-name': 'Bad--Name' };
    await assert.rejects((await connect(mr)).observe(mr, signal), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.match(err.message, /^annotation pledge\.dev\/external-name may contain only lowercase letters/);
      return true;
    });
  });

  it('says which Secret is empty, never its value', async () => {
    const mr = managed(uniqueName('pledge-empty'), { masterUserPasswordSecretRef: { name: 'p', namespace: 'apps', key: 'k' } });
    await assert.rejects((await connect(mr, { secrets: { 'apps/p/k': '' } })).create(mr, signal), (err: unknown) => {
      assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
      assert.equal(err.message, 'Secret apps/p key "k" (spec.forProvider.masterUserPasswordSecretRef) is empty');
      return true;
    });
  });
});

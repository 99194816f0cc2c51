// The DBInstance suite's cases for the whole life of an instance and the states RDS passes it through
// (see aws-db-instance.case.ts).
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { AddTagsToResourceCommand, DeleteDBSnapshotCommand, ModifyDBInstanceCommand } from '@aws-sdk/client-rds';
import { describeError, TransientError } from '../../core/errors/index.ts';
import type { AwsDBInstanceEndpoint, DBInstanceCaseName } from './aws-db-instance.case.ts';
import { managed, rdsCloud, signal } from './aws-db-instance-resource.ts';
import { countingGate, TEST_ACCOUNT, uniqueName, type RdsTimings } from './aws-endpoint.ts';

export const LIFECYCLE_CASES = ['life', 'passes-through-states', 'delete-while-creating'] as const;

export function dbInstanceLifecycleCases(endpoint: AwsDBInstanceEndpoint, runs: (name: DBInstanceCaseName) => boolean): void {
  const cloud = rdsCloud(endpoint);
  const { connect } = cloud;
  const arnOf = (id: string) => `arn:aws:rds:us-east-1:${TEST_ACCOUNT}:db:${id}`;
  /** What observe late-initializes on a postgres instance whose spec leaves storage type and public access unset. */
  const lateInit = {
    storageType: endpoint.defaultStorageType,
    ...(endpoint.defaultPubliclyAccessible === undefined ? {} : { publiclyAccessible: endpoint.defaultPubliclyAccessible }),
  };

  if (runs('life')) {
    it('creates with a generated password, reports it once, corrects drift and deletes without a snapshot', async () => {
      const id = uniqueName('pledge-db');
      const mr = managed(id, { tags: { team: 'data' }, backupRetentionPeriod: 3, skipFinalSnapshot: true });
      const gate = countingGate();
      let external = await connect(mr, { gate });
      assert.deepEqual(await external.observe(mr, signal), { exists: false });

      const created = await external.create(mr, signal);
      const details = created.connectionDetails ?? {};
      // AWS answers CreateDBInstance before the instance has an address: the endpoint comes with a later observe.
      assert.deepEqual(Object.keys(details).sort(), endpoint.availableAtOnce ? ['endpoint', 'password', 'port', 'username'] : ['password', 'username']);
      assert.equal(details.username, 'pledge');
      assert.equal(details.port, endpoint.availableAtOnce ? '5432' : undefined);
      assert.match(details.password ?? '', /^[A-Za-z][A-Za-z0-9]{29}$/);
      assert.match(details.password ?? '', /[A-Z]/);
      assert.match(details.password ?? '', /[0-9]/);
      const instance = await cloud.available(id);
      assert.equal(instance.DBInstanceClass, 'db.t3.micro');
      assert.equal(instance.BackupRetentionPeriod, 3);
      assert.deepEqual(instance.TagList, [{ Key: 'team', Value: 'data' }]);

      // The next reconcile connects with what the core wrote to the connection secret.
      external = await connect(mr, { gate, connectionDetails: details });
      const observed = await external.observe(mr, signal);
      const address = observed.atProvider?.address ?? '';
      assert.match(address, new RegExp(`^${id}\\.[a-z0-9]+\\.us-east-1\\.rds\\.amazonaws\\.com$`));
      if (endpoint.availableAtOnce) assert.equal(address, details.endpoint);
      assert.deepEqual(observed, {
        exists: true,
        upToDate: true,
        ready: true,
        atProvider: { arn: arnOf(id), status: 'available', address, port: 5432, engineVersion: endpoint.postgresDefaultVersion },
        connectionDetails: { username: 'pledge', endpoint: address, port: '5432' },
        lateInit,
      });

      // Someone changes the class and the tags in the console.
      await cloud.rds.send(new ModifyDBInstanceCommand({ DBInstanceIdentifier: id, DBInstanceClass: 'db.t3.large', BackupRetentionPeriod: 7, ApplyImmediately: true }));
      await cloud.rds.send(new AddTagsToResourceCommand({ ResourceName: instance.DBInstanceArn, Tags: [{ Key: 'extra', Value: 'x' }, { Key: 'team', Value: 'other' }] }));
      await cloud.available(id);
      const drifted = await external.observe(mr, signal);
      assert.equal(drifted.upToDate, false);
      assert.equal(drifted.diff, 'dbInstanceClass db.t3.large→db.t3.micro; backupRetentionPeriod 7→3; tags differ (~team -extra)');
      const from = gate.recorded.length;
      assert.deepEqual(await external.update(mr, signal), {}, 'the password is not touched');
      assert.deepEqual(gate.operationsSince(from), ['ModifyDBInstance', 'RemoveTagsFromResource', 'AddTagsToResource']);
      await cloud.available(id);
      assert.equal((await external.observe(mr, signal)).upToDate, true);

      // A class change in the spec.
      mr.spec.forProvider.dbInstanceClass = 'db.t3.small';
      assert.equal((await external.observe(mr, signal)).diff, 'dbInstanceClass db.t3.micro→db.t3.small');
      await external.update(mr, signal);
      assert.equal((await cloud.available(id)).DBInstanceClass, 'db.t3.small');

      await external.delete(mr, signal);
      await cloud.gone(id);
      assert.deepEqual(await external.observe(mr, signal), { exists: false });
      await external.delete(mr, signal); // gone already is success
      assert.deepEqual(await cloud.snapshotIds(id), [], 'skipFinalSnapshot: no snapshot');
      assert.equal(gate.recorded.length, gate.acquired, 'every request passed the gate once');
    });
  }

  /** Runs body with RDS timings long enough for each state to be seen on a slow machine, short enough not to matter. */
  async function withSlowRds(body: () => Promise<void>) {
    const setRdsTimings = endpoint.setRdsTimings;
    assert.ok(setRdsTimings, 'the endpoint must let the test set how long RDS takes');
    const restore: RdsTimings = await setRdsTimings({ rdsCreateMs: 1_000, rdsModifyMs: 600, rdsDeleteMs: 600, rdsSnapshotMs: 300 });
    try {
      await body();
    } finally {
      await setRdsTimings(restore);
    }
  }

  if (runs('passes-through-states')) {
    it('creating, modifying and deleting: not ready, changes wait until available, a deleting instance is not deleted again', () => withSlowRds(watchStates));
  }

  if (runs('delete-while-creating')) {
    it('deleted while creating, with a final snapshot: RDS refuses for now (Transient, retried), then it goes with its snapshot', () =>
      withSlowRds(async () => {
        const id = uniqueName('pledge-early');
        const mr = managed(id, {});
        const external = await connect(mr);
        await external.create(mr, signal);
        await assert.rejects(external.delete(mr, signal), (err: unknown) => {
          assert.ok(err instanceof TransientError, `a TransientError, got ${String(err)}`);
          assert.match(describeError(err), /^delete failed: InvalidDBInstanceState: .*creating/);
          return true;
        });
        await cloud.available(id);
        await external.delete(mr, signal);
        assert.deepEqual(await cloud.snapshotIds(id), [`${id}-final`]);
        await cloud.gone(id);
        await cloud.snapshotsAvailable(id);
        await cloud.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: `${id}-final` }));
      }));
  }

  /** Creating, modifying, deleting: each observed while the endpoint is in it. */
  async function watchStates() {
    const id = uniqueName('pledge-states');
    const mr = managed(id, { skipFinalSnapshot: true });
    const created = await (await connect(mr)).create(mr, signal);
    const connectionDetails = { password: created.connectionDetails?.password ?? '' };

    // Creating: not ready, no endpoint yet; a spec change made meanwhile waits (RDS would refuse the modify).
    mr.spec.forProvider.dbInstanceClass = 'db.t3.small';
    const gate = countingGate();
    let external = await connect(mr, { gate, connectionDetails });
    const creating = await external.observe(mr, signal);
    assert.deepEqual(
      { ready: creating.ready, upToDate: creating.upToDate, status: creating.atProvider?.status, address: creating.atProvider?.address, details: creating.connectionDetails },
      { ready: false, upToDate: true, status: 'creating', address: undefined, details: { username: 'pledge' } },
    );

    // Available: the change is due now; applied, the instance is modifying (not ready, nothing more to do).
    await cloud.available(id);
    external = await connect(mr, { gate, connectionDetails });
    const due = await external.observe(mr, signal);
    assert.deepEqual({ ready: due.ready, upToDate: due.upToDate, diff: due.diff }, { ready: true, upToDate: false, diff: 'dbInstanceClass db.t3.micro→db.t3.small' });
    await external.update(mr, signal);
    const modifying = await external.observe(mr, signal);
    assert.deepEqual({ ready: modifying.ready, upToDate: modifying.upToDate, status: modifying.atProvider?.status }, { ready: false, upToDate: true, status: 'modifying' });
    assert.equal((await cloud.available(id)).DBInstanceClass, 'db.t3.small');

    // Deleting: still there, not ready; the next reconcile's delete sees it on its way out and sends nothing.
    await external.delete(mr, signal);
    external = await connect(mr, { gate, connectionDetails });
    const deleting = await external.observe(mr, signal);
    assert.deepEqual({ exists: deleting.exists, ready: deleting.ready, status: deleting.atProvider?.status }, { exists: true, ready: false, status: 'deleting' });
    const before = gate.acquired;
    await external.delete(mr, signal);
    assert.equal(gate.acquired, before, 'no second DeleteDBInstance');
    await cloud.gone(id);
    assert.deepEqual(await external.observe(mr, signal), { exists: false });
  }
}

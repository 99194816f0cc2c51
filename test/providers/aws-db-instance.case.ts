// The RDS DBInstance behaviour suite, run against every endpoint that speaks RDS (moto, cloudsim), as
// aws-bucket.case.ts. RDS takes minutes to create, modify and delete; the suite waits for each like a
// reconciler polling would, which takes no time where things happen at once (moto). Each endpoint file says what
// RDS picks by default there; a case it does not run is listed in its `notRun` with the reason.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CreateDBInstanceCommand, DeleteDBInstanceCommand, DeleteDBSnapshotCommand } from '@aws-sdk/client-rds';
import { ConfigError, describeError, TerminalError, ThrottledError } from '../../core/errors/index.ts';
import { dbInstanceLifecycleCases, LIFECYCLE_CASES } from './aws-db-instance-lifecycle.case.ts';
import { managed, rdsCloud, signal } from './aws-db-instance-resource.ts';
import { countingGate, uniqueName, type AwsEndpoint } from './aws-endpoint.ts';

export const CASES = [
  ...LIFECYCLE_CASES,
  'lost-password-reset',
  'password-secret-ref',
  'final-snapshot',
  'no-connection-secret',
  'idempotent-create',
  'immutable-differences',
  'bad-external-name',
  'empty-secret',
  'throttled',
] as const;
export type DBInstanceCaseName = (typeof CASES)[number];

export interface AwsDBInstanceEndpoint extends AwsEndpoint {
  /** What RDS picks for postgres when no EngineVersion is named: AWS, the default minor of the newest major. */
  postgresDefaultVersion: string;
  /** The storage type of an instance created without one: AWS's CreateDBInstance default is gp3. */
  defaultStorageType: 'gp2' | 'gp3';
  /**
   * PubliclyAccessible of an instance created without it and without a subnet group, which observe late-initializes:
   * AWS documents true for non-Aurora engines. Undefined where DescribeDBInstances does not report it.
   */
  defaultPubliclyAccessible: boolean | undefined;
  /** The instance is available the moment CreateDBInstance answers; on AWS it is `creating` first, without an endpoint. */
  availableAtOnce: boolean;
  /** Cases this endpoint does not run, each with the reason. */
  notRun: Partial<Record<DBInstanceCaseName, string>>;
}

export function awsDBInstanceSuite(endpoint: AwsDBInstanceEndpoint): void {
  const runs = (name: DBInstanceCaseName) => endpoint.notRun[name] === undefined;
  const cloud = rdsCloud(endpoint);
  const { connect } = cloud;

  describe(`aws DBInstance against ${endpoint.name}`, () => {
    it('every case it does not run is a real case and says why', () => {
      for (const [name, reason] of Object.entries(endpoint.notRun)) {
        assert.ok((CASES as readonly string[]).includes(name), `unknown case ${name}`);
        assert.ok(typeof reason === 'string' && reason.length > 10, `${name} needs a reason`);
      }
    });

    dbInstanceLifecycleCases(endpoint, runs);

    if (runs('lost-password-reset')) {
      it('resets a generated password that never reached the connection secret, and never shows it', async () => {
        const id = uniqueName('pledge-lost');
        const mr = managed(id, { skipFinalSnapshot: true });
        const first = await (await connect(mr)).create(mr, signal);
        const lost = first.connectionDetails?.password ?? '';
        assert.ok(lost.length > 0);
        await cloud.available(id);

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
        await cloud.available(id);
        assert.equal((await (await connect(mr, { connectionDetails: { password: reset } })).observe(mr, signal)).upToDate, true);
        await (await connect(mr)).delete(mr, signal);
      });
    }

    if (runs('password-secret-ref')) {
      it('takes the password from masterUserPasswordSecretRef and applies a change of it', async () => {
        const id = uniqueName('pledge-ref');
        const ref = { name: 'db-password', namespace: 'apps', key: 'password' };
        const secretKey = 'apps/db-password/password';
        const mr = managed(id, { masterUserPasswordSecretRef: ref, skipFinalSnapshot: true });
        const created = await (await connect(mr, { secrets: { [secretKey]: 'first-Passw0rd' } })).create(mr, signal);
        assert.equal(created.connectionDetails?.password, 'first-Passw0rd');
        await cloud.available(id);

        let external = await connect(mr, { secrets: { [secretKey]: 'first-Passw0rd' }, connectionDetails: { password: 'first-Passw0rd' } });
        assert.equal((await external.observe(mr, signal)).upToDate, true);

        // The user rotates the password in their Secret.
        external = await connect(mr, { secrets: { [secretKey]: 'second-Passw0rd' }, connectionDetails: { password: 'first-Passw0rd' } });
        const rotated = await external.observe(mr, signal);
        assert.equal(rotated.diff, 'master password differs from masterUserPasswordSecretRef');
        assert.doesNotMatch(JSON.stringify(rotated), /Passw0rd/);
        assert.equal((await external.update(mr, signal)).connectionDetails?.password, 'second-Passw0rd');
        await cloud.available(id);

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
    }

    if (runs('final-snapshot')) {
      it('takes a final snapshot on delete unless told not to: <identifier>-final, or the name given', async () => {
        const id = uniqueName('pledge-snap');
        const mr = managed(id, {});
        const external = await connect(mr);
        await external.create(mr, signal);
        await cloud.available(id); // RDS snapshots only an available instance
        await external.delete(mr, signal);
        assert.deepEqual(await cloud.snapshotIds(id), [`${id}-final`]);
        await cloud.gone(id);

        // Made again under the same name, the default snapshot name is taken: the error says what to do.
        await external.create(mr, signal);
        await cloud.available(id);
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
        assert.deepEqual((await cloud.snapshotIds(id)).sort(), [`${id}-again`, `${id}-final`]);
        await cloud.snapshotsAvailable(id);
        for (const snapshot of [`${id}-again`, `${id}-final`]) await cloud.rds.send(new DeleteDBSnapshotCommand({ DBSnapshotIdentifier: snapshot }));
      });
    }

    if (runs('no-connection-secret')) {
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
    }

    if (runs('idempotent-create')) {
      it('is idempotent on create: a second create finds the instance and reports no password, so observe resets it', async () => {
        const id = uniqueName('pledge-twice');
        const mr = managed(id, { skipFinalSnapshot: true });
        const external = await connect(mr);
        await external.create(mr, signal);
        assert.deepEqual(await external.create(mr, signal), {});
        await cloud.available(id);
        assert.equal((await external.observe(mr, signal)).upToDate, false, 'no password in the connection secret');
        await external.delete(mr, signal);
      });
    }

    if (runs('immutable-differences')) {
      it('reports immutable differences and refuses to update them; an engine version prefix matches', async () => {
        const id = uniqueName('pledge-adopt');
        await cloud.rds.send(
          new CreateDBInstanceCommand({
            DBInstanceIdentifier: id,
            Engine: 'mysql',
            EngineVersion: '8.0.41',
            DBInstanceClass: 'db.t3.micro',
            MasterUsername: 'admin',
            MasterUserPassword: 'Adm1nPassword',
            AllocatedStorage: 20,
          }),
        );
        await cloud.available(id);
        const mr = managed(id, { engine: 'postgres', engineVersion: '8.0', skipFinalSnapshot: true });
        const external = await connect(mr, { connectionDetails: { password: 'known' } });
        const observed = await external.observe(mr, signal);
        assert.equal(observed.diff, 'engine mysql→postgres (immutable); masterUsername admin→pledge (immutable)', 'engineVersion 8.0 matches 8.0.41');
        await assert.rejects(external.update(mr, signal), (err: unknown) => {
          assert.ok(err instanceof TerminalError);
          assert.match(err.message, /differs in spec\.forProvider\.engine, spec\.forProvider\.masterUsername, which cannot change/);
          return true;
        });
        await cloud.rds.send(new DeleteDBInstanceCommand({ DBInstanceIdentifier: id, SkipFinalSnapshot: true }));
      });
    }

    if (runs('bad-external-name')) {
      it('refuses an invalid identifier in the external-name annotation, naming it', async () => {
        const mr = managed('fine-name', {});
        mr.metadata.annotations = { 'pledge.dev/external-name': 'Bad--Name' };
        await assert.rejects((await connect(mr)).observe(mr, signal), (err: unknown) => {
          assert.ok(err instanceof TerminalError);
          assert.match(err.message, /^annotation pledge\.dev\/external-name may contain only lowercase letters/);
          return true;
        });
      });
    }

    if (runs('empty-secret')) {
      it('says which Secret is empty, never its value', async () => {
        const mr = managed(uniqueName('pledge-empty'), { masterUserPasswordSecretRef: { name: 'p', namespace: 'apps', key: 'k' } });
        await assert.rejects((await connect(mr, { secrets: { 'apps/p/k': '' } })).create(mr, signal), (err: unknown) => {
          assert.ok(err instanceof ConfigError, `a ConfigError, got ${String(err)}`);
          assert.equal(err.message, 'Secret apps/p key "k" (spec.forProvider.masterUserPasswordSecretRef) is empty');
          return true;
        });
      });
    }

    if (runs('throttled')) {
      it('a throttled call is ThrottledError with RDS\'s Retry-After, and the gate hears of it', async () => {
        const setThrottle = endpoint.setThrottle;
        assert.ok(setThrottle, 'the endpoint must offer fault injection');
        const id = uniqueName('pledge-slow');
        const mr = managed(id, {});
        const gate = countingGate();
        const external = await connect(mr, { gate });
        await setThrottle('rds', 1);
        try {
          const err = await external.observe(mr, signal).then(() => undefined, (e: unknown) => e);
          assert.ok(err instanceof ThrottledError, describeError(err));
          assert.equal(describeError(err), 'observe failed: Throttling: Rate exceeded');
          assert.equal(err.retryAfterMs, 1_000);
          assert.equal(err.context.dbInstance, id);
          assert.deepEqual(gate.operationsSince(0), ['DescribeDBInstances']);
          assert.ok(gate.recorded[0]?.err instanceof ThrottledError, 'the gate slows down');
        } finally {
          await setThrottle('rds', 0);
        }
        assert.deepEqual(await external.observe(mr, signal), { exists: false });
      });
    }
  });
}

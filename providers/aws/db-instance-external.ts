// The part of the RDS DBInstance kind that talks to the cloud. db-instance.ts loads it on the first connect, so
// @aws-sdk/client-rds is loaded only once a DB instance is reconciled, never by a controller without one.
import {
  AddTagsToResourceCommand,
  CreateDBInstanceCommand,
  DeleteDBInstanceCommand,
  DescribeDBInstancesCommand,
  ModifyDBInstanceCommand,
  RemoveTagsFromResourceCommand,
  type RDSClient,
} from '@aws-sdk/client-rds';
import { TerminalError, wrapError } from '../../core/errors/index.ts';
import type { CloudCallGate, ConnectContext, ExternalClient, Observation } from '../../core/managed/types.ts';
import { gated, rdsClientFor } from './client.ts';
import { resolveAwsConfig } from './config.ts';
import { listDBInstances } from './db-instance-list.ts';
import { checkPassword, passwordToApply } from './db-instance-password.ts';
import {
  dbIdentifierOf,
  DB_INSTANCE_DEFAULTS,
  desiredOf,
  finalSnapshotOf,
  parametersOf,
  type DBInstanceObservation,
  type DBInstanceParameters,
  type DBInstanceResource,
} from './db-instance-spec.ts';
import {
  atProviderOf,
  compareDBInstance,
  connectionDetailsOf,
  dbInstanceLateInit,
  MODIFIABLE_STATUSES,
  observedFromRds,
  READY_STATUS,
  type ObservedDBInstance,
} from './db-instance-state.ts';
import { awsErrorInfo, toPledgeError } from './errors.ts';

const NOT_FOUND = new Set(['DBInstanceNotFound', 'DBInstanceNotFoundFault']);
const ALREADY_EXISTS = new Set(['DBInstanceAlreadyExists', 'DBInstanceAlreadyExistsFault']);
const INVALID_STATE = new Set(['InvalidDBInstanceState', 'InvalidDBInstanceStateFault']);
const SNAPSHOT_EXISTS = new Set(['DBSnapshotAlreadyExists', 'DBSnapshotAlreadyExistsFault']);

type Send<O> = (options: { abortSignal: AbortSignal }) => Promise<O>;

/** One DB instance's RDS calls: each passes the call gate, carries the reconcile's abort signal and maps its errors once. */
function dbInstanceClient(rds: RDSClient, region: string, ctx: ConnectContext, hasConnectionSecret: boolean): ExternalClient<DBInstanceParameters, DBInstanceObservation> {
  const calls: CloudCallGate = ctx.calls;
  const context = (operation: string, dbInstance: string) => ({ kind: 'DBInstance', dbInstance, operation });
  /** What this reconcile's observe saw: update and delete act on it rather than asking again. */
  let lastObserved: ObservedDBInstance | undefined;

  async function call<O>(operation: string, id: string, message: string, signal: AbortSignal, send: Send<O>): Promise<O> {
    try {
      return await gated(calls, operation, signal, () => send({ abortSignal: signal }));
    } catch (err: unknown) {
      throw toPledgeError(err, message, context(operation, id));
    }
  }

  /** The instance, or undefined when RDS has none by that identifier. */
  async function describe(id: string, message: string, signal: AbortSignal): Promise<ObservedDBInstance | undefined> {
    try {
      const out = await gated(calls, 'DescribeDBInstances', signal, () =>
        rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }), { abortSignal: signal }),
      );
      const instance = out.DBInstances?.[0];
      return instance === undefined ? undefined : observedFromRds(instance);
    } catch (err: unknown) {
      if (NOT_FOUND.has(awsErrorInfo(err).code)) return undefined;
      throw toPledgeError(err, message, context('DescribeDBInstances', id));
    }
  }

  return {
    async observe(mr, signal): Promise<Observation<DBInstanceParameters, DBInstanceObservation>> {
      const id = dbIdentifierOf(mr);
      const p = parametersOf(mr);
      const observed = await describe(id, 'observe failed', signal);
      lastObserved = observed;
      if (observed === undefined) return { exists: false };

      const changes = compareDBInstance(p, observed);
      const password = await checkPassword(p, ctx, hasConnectionSecret, signal);
      const diff = [...changes.diff, ...(password.reason ? [password.reason] : [])].join('; ');
      // RDS refuses modifications while the instance is creating, modifying, rebooting...: changes wait until it
      // is available again (observe polls sooner while it is not ready).
      const modifiable = MODIFIABLE_STATUSES.has(observed.status ?? '');
      const upToDate = diff === '' || !modifiable;
      const lateInit = dbInstanceLateInit(p, observed);
      return {
        exists: true,
        upToDate,
        ready: observed.status === READY_STATUS,
        atProvider: atProviderOf(observed),
        connectionDetails: connectionDetailsOf(observed),
        ...(lateInit ? { lateInit } : {}),
        ...(upToDate ? {} : { diff, fieldDiffs: [...changes.fields, ...(password.upToDate ? [] : [{ path: 'masterUserPassword', sensitive: true }])] }),
      };
    },

    async create(mr, signal) {
      const id = dbIdentifierOf(mr);
      const p = desiredOf(mr);
      const failed = 'create failed';
      const password = await passwordToApply(p, ctx, signal);
      const tags = Object.entries(p.tags ?? {}).map(([Key, Value]) => ({ Key, Value }));
      try {
        const out = await gated(calls, 'CreateDBInstance', signal, () =>
          rds.send(
            new CreateDBInstanceCommand({
              DBInstanceIdentifier: id,
              Engine: p.engine,
              EngineVersion: p.engineVersion,
              DBInstanceClass: p.dbInstanceClass,
              AllocatedStorage: p.allocatedStorage,
              StorageType: p.storageType,
              DBName: p.dbName,
              MasterUsername: p.masterUsername,
              MasterUserPassword: password,
              PubliclyAccessible: p.publiclyAccessible,
              BackupRetentionPeriod: p.backupRetentionPeriod,
              ...(tags.length > 0 ? { Tags: tags } : {}),
            }),
            { abortSignal: signal },
          ),
        );
        const made = out.DBInstance === undefined ? undefined : observedFromRds(out.DBInstance);
        // The password exists nowhere else yet: the core writes it to the connection secret right away.
        return { connectionDetails: { ...(made ? connectionDetailsOf(made) : {}), username: p.masterUsername, password } };
      } catch (err: unknown) {
        // A retried create whose first attempt made it: its password is unknown, so none is reported and the
        // next observe, finding none in the connection secret, resets it.
        if (ALREADY_EXISTS.has(awsErrorInfo(err).code)) return {};
        throw toPledgeError(err, failed, context('CreateDBInstance', id));
      }
    },

    async update(mr, signal) {
      const id = dbIdentifierOf(mr);
      const p = desiredOf(mr);
      const failed = 'update failed';
      const observed = lastObserved ?? (await describe(id, failed, signal));
      if (observed === undefined) throw wrapError(new TerminalError(`DB instance ${id} does not exist`), failed, context('ModifyDBInstance', id));
      const changes = compareDBInstance(p, observed);
      if (changes.immutable.length > 0) {
        const fields = changes.immutable.map((f) => `spec.forProvider.${f}`).join(', ');
        throw new TerminalError(`DB instance ${id} differs in ${fields}, which cannot change: restore the spec, or delete and recreate the instance`, {
          context: context('ModifyDBInstance', id),
        });
      }
      const password = await checkPassword(p, ctx, hasConnectionSecret, signal);
      const newPassword = password.upToDate ? undefined : await passwordToApply(p, ctx, signal);
      if (Object.keys(changes.modify).length > 0 || newPassword !== undefined) {
        await call('ModifyDBInstance', id, failed, signal, (o) =>
          rds.send(
            new ModifyDBInstanceCommand({
              DBInstanceIdentifier: id,
              ...changes.modify,
              ...(newPassword === undefined ? {} : { MasterUserPassword: newPassword }),
              ApplyImmediately: p.applyImmediately ?? DB_INSTANCE_DEFAULTS.applyImmediately,
            }),
            o,
          ),
        );
      }
      if ((changes.addTags.length > 0 || changes.removeTagKeys.length > 0) && observed.arn === undefined) {
        throw new TerminalError(`DB instance ${id} has no ARN to tag`, { context: context('AddTagsToResource', id) });
      }
      const ResourceName = observed.arn;
      if (changes.removeTagKeys.length > 0) {
        await call('RemoveTagsFromResource', id, failed, signal, (o) => rds.send(new RemoveTagsFromResourceCommand({ ResourceName, TagKeys: changes.removeTagKeys }), o));
      }
      if (changes.addTags.length > 0) {
        await call('AddTagsToResource', id, failed, signal, (o) => rds.send(new AddTagsToResourceCommand({ ResourceName, Tags: changes.addTags }), o));
      }
      return newPassword === undefined ? {} : { connectionDetails: { username: p.masterUsername, password: newPassword } };
    },

    list: (query, signal) => listDBInstances({ rds, calls, region }, query, signal),

    async delete(mr, signal) {
      const id = dbIdentifierOf(mr);
      const p = parametersOf(mr);
      // Deleting takes minutes on AWS: an instance already on its way out needs nothing more.
      if (lastObserved?.status === 'deleting') return;
      const snapshot = finalSnapshotOf(p, id);
      try {
        await gated(calls, 'DeleteDBInstance', signal, () =>
          rds.send(
            new DeleteDBInstanceCommand({
              DBInstanceIdentifier: id,
              SkipFinalSnapshot: snapshot === undefined,
              ...(snapshot === undefined ? {} : { FinalDBSnapshotIdentifier: snapshot }),
            }),
            { abortSignal: signal },
          ),
        );
      } catch (err: unknown) {
        const code = awsErrorInfo(err).code;
        if (NOT_FOUND.has(code)) return;
        if (INVALID_STATE.has(code) && (await describe(id, 'delete failed', signal))?.status === 'deleting') return;
        if (SNAPSHOT_EXISTS.has(code)) {
          const why = toPledgeError(err, `a snapshot named ${snapshot} already exists: set spec.forProvider.finalDBSnapshotIdentifier to another name`);
          throw wrapError(why, 'delete failed', context('DeleteDBInstance', id));
        }
        throw toPledgeError(err, 'delete failed', context('DeleteDBInstance', id));
      }
    },
  };
}

/** What the kind's connect does: resolves the ProviderConfig and signs the instance's client for the spec's region. */
export async function connectDBInstance(
  mr: DBInstanceResource,
  ctx: ConnectContext,
): Promise<ExternalClient<DBInstanceParameters, DBInstanceObservation>> {
  const config = await resolveAwsConfig(ctx.providerConfig, ctx.readSecret, ctx.signal);
  const region = parametersOf(mr).region;
  return dbInstanceClient(rdsClientFor(config, region), region, ctx, mr.spec.writeConnectionSecretToRef !== undefined);
}

/**
 * The RDS DB instances of an account and region as `pledge import` would declare them (DescribeDBInstances,
 * read-only). RDS never reports the master password: the declared spec takes it from a Secret the user
 * creates, named in a note, so that adopting resets nothing.
 */
import { DescribeDBInstancesCommand, type DBInstance, type DescribeDBInstancesCommandOutput, type RDSClient } from '@aws-sdk/client-rds';
import type { CloudCallGate, ListedExternal, ListQuery } from '../../core/managed/types.ts';
import { gated } from './client.ts';
import type { DBInstanceParameters } from './db-instance-spec.ts';
import { dbInstanceLateInit, observedFromRds } from './db-instance-state.ts';
import { toPledgeError } from './errors.ts';

export const IMPORTED_PASSWORD_KEY = 'password';

/** The Secret an imported instance's master password is expected in. */
export function importedPasswordSecret(identifier: string, namespace: string) {
  return { name: `${identifier}-master-password`, namespace, key: IMPORTED_PASSWORD_KEY };
}

export async function listDBInstances(
  options: { rds: RDSClient; calls: CloudCallGate; region: string },
  query: ListQuery,
  signal: AbortSignal,
): Promise<Array<ListedExternal<DBInstanceParameters>>> {
  const { rds, calls, region } = options;
  const instances: DBInstance[] = [];
  let marker: string | undefined;
  do {
    let page: DescribeDBInstancesCommandOutput;
    try {
      page = await gated(calls, 'DescribeDBInstances', signal, () => rds.send(new DescribeDBInstancesCommand({ Marker: marker }), { abortSignal: signal }));
    } catch (err: unknown) {
      throw toPledgeError(err, 'listing DB instances failed', { kind: 'DBInstance', operation: 'DescribeDBInstances', region });
    }
    instances.push(...(page.DBInstances ?? []));
    marker = page.Marker;
  } while (marker);

  const out: Array<ListedExternal<DBInstanceParameters>> = [];
  for (const instance of instances) {
    const observed = observedFromRds(instance);
    if (observed.identifier === '' || !query.wanted(observed.identifier)) continue;
    if (!query.details) {
      out.push({ externalName: observed.identifier, region });
      continue;
    }
    const secret = importedPasswordSecret(observed.identifier, query.secretNamespace);
    // Engine version and storage size are left out, as late-initialization leaves them: RDS raises both itself.
    const forProvider: DBInstanceParameters = {
      region,
      engine: observed.engine ?? '',
      dbInstanceClass: observed.dbInstanceClass ?? '',
      masterUsername: observed.masterUsername ?? '',
      masterUserPasswordSecretRef: secret,
      ...(observed.dbName ? { dbName: observed.dbName } : {}),
      ...dbInstanceLateInit({ region, engine: '', dbInstanceClass: '', masterUsername: '' }, observed),
      tags: observed.tags,
    };
    out.push({
      externalName: observed.identifier,
      region,
      forProvider,
      notes: [
        `RDS never reports the master password: before applying, create Secret ${secret.namespace}/${secret.name} ` +
          `(key ${secret.key}) holding the current one, e.g. kubectl create secret generic ${secret.name} -n ${secret.namespace} --from-literal=${secret.key}=...`,
      ],
    });
  }
  return out;
}

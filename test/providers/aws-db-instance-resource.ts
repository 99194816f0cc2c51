// The RDS DBInstance managed resource as the DBInstance suite builds and connects it, and the cloud as the test's
// own client sees it: waiting until an instance is available or gone takes no time on moto and a moment on cloudsim.
import { DescribeDBInstancesCommand, DescribeDBSnapshotsCommand, type DBInstance } from '@aws-sdk/client-rds';
import { dbInstance, type DBInstanceParameters, type DBInstanceResource } from '../../providers/aws/db-instance.ts';
import { connectContext, waitFor, type AwsEndpoint, type CountingGate } from './aws-endpoint.ts';

export const signal = AbortSignal.timeout(300_000);
export const CONNECTION_SECRET = { name: 'db-conn', namespace: 'default' };

export function managed(name: string, forProvider: Partial<DBInstanceParameters>, withSecret = true): DBInstanceResource {
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

export type ConnectOptions = { gate?: CountingGate; connectionDetails?: Record<string, string>; secrets?: Record<string, string> };

/** What the suite needs of the cloud, through the test's own RDS client. */
export function rdsCloud(endpoint: AwsEndpoint) {
  const rds = endpoint.rds();
  const instance = async (id: string): Promise<DBInstance | undefined> => {
    try {
      return (await rds.send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: id }))).DBInstances?.[0];
    } catch (err: unknown) {
      if ((err as { name?: string }).name === 'DBInstanceNotFoundFault' || (err as { name?: string }).name === 'DBInstanceNotFound') return undefined;
      throw err;
    }
  };
  const snapshots = async (id: string) => (await rds.send(new DescribeDBSnapshotsCommand({ DBInstanceIdentifier: id }))).DBSnapshots ?? [];
  return {
    rds,
    instance,
    /** Connects as the reconciler does each reconcile: with what the connection secret holds now. */
    connect: (mr: DBInstanceResource, options: ConnectOptions = {}) =>
      dbInstance.connect(mr, connectContext(endpoint, { calls: options.gate, connectionDetails: options.connectionDetails, secrets: options.secrets })),
    /** Waits until the instance is `available` (created, modified, its password reset) and returns it. */
    available: (id: string) => waitFor(`${id} to be available`, () => instance(id), (i) => i?.DBInstanceStatus === 'available') as Promise<DBInstance>,
    /** Waits until the instance is gone. */
    gone: (id: string) => waitFor(`${id} to be gone`, () => instance(id), (i) => i === undefined),
    snapshotIds: async (id: string) => (await snapshots(id)).map((s) => s.DBSnapshotIdentifier),
    /** Waits until every snapshot of the instance is `available` (only then can it be deleted). */
    snapshotsAvailable: (id: string) => waitFor(`snapshots of ${id}`, () => snapshots(id), (all) => all.every((s) => s.Status === 'available')),
  };
}

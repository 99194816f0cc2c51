// What moto's RDS holds, read straight from moto (not through Pledge).
import { DescribeDBInstancesCommand, RDSClient } from '@aws-sdk/client-rds';
import { testEnv } from '../../env/index.ts';
import { TEST_CREDENTIALS } from '../harness.ts';

export function motoRds(region = 'us-east-1'): RDSClient {
  return new RDSClient({ region, endpoint: testEnv().motoUrl, credentials: TEST_CREDENTIALS });
}

/** Every DB instance identifier in moto's default account, one entry per instance (duplicates would show). */
export async function motoDbInstanceIds(): Promise<string[]> {
  const rds = motoRds();
  const ids: string[] = [];
  let Marker: string | undefined;
  do {
    const page = await rds.send(new DescribeDBInstancesCommand({ Marker, MaxRecords: 100 }));
    for (const instance of page.DBInstances ?? []) ids.push(instance.DBInstanceIdentifier ?? '');
    Marker = page.Marker;
  } while (Marker);
  return ids;
}

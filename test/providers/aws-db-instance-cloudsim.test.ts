// The RDS DBInstance suite against cloudsim's RDS (started by test/env/run.ts, PLEDGE_TEST_CLOUDSIM_*), where an
// instance passes through creating, modifying and deleting as on AWS; short timings keep that quick.
import { after, before } from 'node:test';
import { awsDBInstanceSuite } from './aws-db-instance.case.ts';
import { cloudsimAws, FAST_RDS_TIMINGS, setRdsTimings } from './aws-cloudsim.ts';

let restore: Awaited<ReturnType<typeof setRdsTimings>> | undefined;
before(async () => {
  restore = await setRdsTimings(FAST_RDS_TIMINGS);
});
after(async () => {
  if (restore) await setRdsTimings(restore);
});

awsDBInstanceSuite({
  ...cloudsimAws(),
  postgresDefaultVersion: '17.4',
  defaultStorageType: 'gp3',
  defaultPubliclyAccessible: true,
  availableAtOnce: false,
  notRun: {},
});

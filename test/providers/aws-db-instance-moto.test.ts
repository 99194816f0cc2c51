// The RDS DBInstance suite against moto (started by test/env/run.ts, PLEDGE_TEST_MOTO_URL).
import { awsDBInstanceSuite } from './aws-db-instance.case.ts';
import { motoAws } from './aws-moto.ts';

awsDBInstanceSuite({
  ...motoAws(),
  // moto's defaults are its own, long out of date: postgres 9.3.3, gp2, and no PubliclyAccessible in its answers.
  postgresDefaultVersion: '9.3.3',
  defaultStorageType: 'gp2',
  defaultPubliclyAccessible: undefined,
  // moto makes an instance available at once and deletes it at once.
  availableAtOnce: true,
  notRun: {
    'passes-through-states': 'moto has no creating, modifying or deleting state: every change is done when the call answers',
    'delete-while-creating': 'moto has no creating state: an instance can be deleted (and snapshotted) the moment it is made',
    throttled: 'moto has no fault injection',
  },
});

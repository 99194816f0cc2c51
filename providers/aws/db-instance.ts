import type { ManagedKind } from '../../core/managed/types.ts';
import {
  dbInstanceAtProvider,
  dbInstanceForProvider,
  dbInstanceValidations,
  type DBInstanceObservation,
  type DBInstanceParameters,
} from './db-instance-spec.ts';

export type { DBInstanceObservation, DBInstanceParameters, DBInstanceResource } from './db-instance-spec.ts';

export const dbInstance: ManagedKind<DBInstanceParameters, DBInstanceObservation> = {
  gvk: { group: 'rds.aws.pledge.dev', version: 'v1', kind: 'DBInstance' },
  plural: 'dbinstances',
  deterministicExternalName: true,
  schema: {
    forProvider: dbInstanceForProvider,
    atProvider: dbInstanceAtProvider,
    validations: dbInstanceValidations(),
  },
  async connect(mr, ctx) {
    // The SDK loads with the first DB instance connected, not at start: a controller with no AWS resource pays nothing for it.
    const { connectDBInstance } = await import('./db-instance-external.ts');
    return connectDBInstance(mr, ctx);
  },
};

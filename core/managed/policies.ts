import type { ManagedResource, ManagementAction } from './types.ts';

/** What the management policies allow. ["*"] (the default) allows everything. */
export interface PolicyDecision {
  observe: boolean;
  create: boolean;
  update: boolean;
  delete: boolean;
  lateInitialize: boolean;
}

export function managementPolicies(mr: ManagedResource): PolicyDecision {
  const list = mr.spec.managementPolicies ?? ['*'];
  const all = list.includes('*');
  const has = (a: ManagementAction) => all || list.includes(a);
  return {
    observe: has('Observe'),
    create: has('Create'),
    update: has('Update'),
    // deletionPolicy Orphan keeps the cloud object whatever the policies say.
    delete: has('Delete') && (mr.spec.deletionPolicy ?? 'Delete') === 'Delete',
    lateInitialize: has('LateInitialize'),
  };
}

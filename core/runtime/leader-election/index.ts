export { acquireLeadership, LEADER_ELECTION_DEFAULTS } from './lease.ts';
export type { Leadership, LeaderElectionOptions } from './lease.ts';

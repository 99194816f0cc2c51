/** What RDS holds. */
export type RdsState = { instances: Record<string, unknown>; snapshots: Record<string, unknown> };

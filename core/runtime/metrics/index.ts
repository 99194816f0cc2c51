export { createMetrics } from './metrics.ts';
export type { PledgeMetrics } from './metrics.ts';
export { startHealthServer } from './server.ts';
export type { HealthServerOptions } from './server.ts';

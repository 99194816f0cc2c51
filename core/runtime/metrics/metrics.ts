import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Every metric Pledge exports. Labels carry kinds, operations and results, never names or values from specs. */
export interface PledgeMetrics {
  registry: Registry;
  reconciles: Counter<'kind' | 'result'>;
  reconcileSeconds: Histogram<'kind'>;
  queueDepth: Gauge<'kind'>;
  cloudCalls: Counter<'provider' | 'operation' | 'result'>;
  timeToReadySeconds: Histogram<'kind'>;
}

export function createMetrics(options: { defaultMetrics?: boolean } = {}): PledgeMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'pledge_' });
  return {
    registry,
    reconciles: new Counter({
      name: 'pledge_reconcile_total',
      help: 'Reconciles by kind and result (success, requeue_after, error, throttled, deferred, terminal).',
      labelNames: ['kind', 'result'],
      registers: [registry],
    }),
    reconcileSeconds: new Histogram({
      name: 'pledge_reconcile_duration_seconds',
      help: 'Time one reconcile took, cloud calls included.',
      labelNames: ['kind'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60],
      registers: [registry],
    }),
    queueDepth: new Gauge({
      name: 'pledge_workqueue_depth',
      help: 'Keys waiting to be reconciled now.',
      labelNames: ['kind'],
      registers: [registry],
    }),
    cloudCalls: new Counter({
      name: 'pledge_cloud_api_calls_total',
      help: 'Calls to cloud APIs by provider, operation and result (ok, not_found, throttled, error).',
      labelNames: ['provider', 'operation', 'result'],
      registers: [registry],
    }),
    timeToReadySeconds: new Histogram({
      name: 'pledge_time_to_ready_seconds',
      help: 'From a managed resource\'s creation in Kubernetes to its first Ready=True.',
      labelNames: ['kind'],
      buckets: [1, 2, 5, 10, 30, 60, 120, 300, 600, 1200, 1800],
      registers: [registry],
    }),
  };
}

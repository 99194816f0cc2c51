import { NotFoundError, TerminalError, ThrottledError } from '../errors/index.ts';
import type { CloudCallGate } from '../managed/types.ts';
import type { PledgeMetrics } from '../runtime/metrics/index.ts';
import { createTokenBucket, type TokenBucket } from '../runtime/queue/index.ts';

export type CallResult = 'ok' | 'not_found' | 'throttled' | 'terminal' | 'error';

export function callResult(err: unknown): CallResult {
  if (err === undefined) return 'ok';
  if (err instanceof NotFoundError) return 'not_found';
  if (err instanceof ThrottledError) return 'throttled';
  if (err instanceof TerminalError) return 'terminal';
  return 'error';
}

/**
 * One token bucket per ProviderConfig (a cloud account and region), shared by every kind of that
 * provider, so a burst of resources never trips the cloud's own throttling.
 */
export function createCloudGates(options: { provider: string; ratePerSecond: number; burst: number; metrics: PledgeMetrics }) {
  const buckets = new Map<string, TokenBucket>();
  return (providerConfigName: string): CloudCallGate => {
    let bucket = buckets.get(providerConfigName);
    if (!bucket) {
      bucket = createTokenBucket({ ratePerSecond: options.ratePerSecond, burst: options.burst });
      buckets.set(providerConfigName, bucket);
    }
    const b = bucket;
    return {
      acquire: (signal) => b.take(signal),
      record(operation, err) {
        options.metrics.cloudCalls.inc({ provider: options.provider, operation, result: callResult(err) });
        if (err instanceof ThrottledError) b.pause(err.retryAfterMs);
      },
    };
  };
}

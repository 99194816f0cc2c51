import type { CloudCallGate } from './types.ts';

/**
 * Runs one cloud API call through its ProviderConfig's gate: waits for the shared token bucket, then
 * records the outcome (the mapped error on failure, so throttling slows the bucket). The original error
 * is rethrown for the provider to inspect and map. With the SDK's own retries off, one call is one request.
 */
export async function gatedCall<O>(
  calls: CloudCallGate,
  operation: string,
  signal: AbortSignal,
  send: () => Promise<O>,
  mapError: (err: unknown) => unknown,
): Promise<O> {
  await calls.acquire(signal);
  try {
    const out = await send();
    calls.record(operation);
    return out;
  } catch (err: unknown) {
    calls.record(operation, mapError(err));
    throw err;
  }
}

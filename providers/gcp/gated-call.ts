import { gatedCall } from '../../core/managed/cloud-call.ts';
import type { CloudCallGate } from '../../core/managed/types.ts';
import { toPledgeError } from './errors.ts';

/**
 * Waits for `promise` until `signal` aborts. The GCS library takes no AbortSignal, so an aborted call stops
 * being waited for here and finishes (or times out, GCP_CLIENT_DEFAULTS.requestTimeoutMs) on its own.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.reject(signal.reason);
  }
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => {
      // Nobody waits for it any more: its outcome must not become an unhandled rejection.
      promise.catch(() => undefined);
      reject(signal.reason);
    };
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/**
 * Runs one call through the ProviderConfig's call gate: waits for the shared token bucket, then records the
 * outcome (the mapped error on failure, so throttling slows the bucket). The error is rethrown as is, for the
 * caller to inspect and map. The library's retries are off, so one call is one HTTP request.
 */
export function gated<O>(calls: CloudCallGate, operation: string, signal: AbortSignal, send: () => Promise<O>): Promise<O> {
  return gatedCall(calls, operation, signal, () => untilAborted(send(), signal), (err) => toPledgeError(err, `${operation} failed`));
}

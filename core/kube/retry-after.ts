import { setTimeout as sleep } from 'node:timers/promises';
import { ApiException } from '@kubernetes/client-node';

export const RETRY_AFTER_DEFAULTS = { maxRetries: 10, maxWaitMs: 10_000 } as const;

/**
 * How long the API server asks to wait before the same request is sent again, as client-go honours it: a 429
 * (priority and fairness, or "storage is (re)initializing" while a CRD is updated) always — the request was not
 * processed — and a 5xx only when it carries Retry-After. Undefined for anything else.
 */
export function retryAfterMs(err: unknown): number | undefined {
  if (!(err instanceof ApiException)) return undefined;
  const header = Object.entries((err.headers ?? {}) as Record<string, string>).find(([k]) => k.toLowerCase() === 'retry-after')?.[1];
  const seconds = header !== undefined && /^\d+$/.test(header.trim()) ? Number(header) : undefined;
  if (err.code === 429) return (seconds ?? 1) * 1000;
  if (err.code >= 500 && seconds !== undefined) return seconds * 1000;
  return undefined;
}

/** The same API object whose calls are sent again while the server answers "retry after" (at most maxRetries times). */
export function retryingAfter<T extends object>(api: T, options: { maxRetries?: number; maxWaitMs?: number; sleep?: (ms: number) => Promise<unknown> } = {}): T {
  const { maxRetries, maxWaitMs } = { ...RETRY_AFTER_DEFAULTS, ...options };
  const wait = options.sleep ?? ((ms: number) => sleep(ms));
  return new Proxy(api, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        for (let attempt = 0; ; attempt++) {
          try {
            return await (value as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          } catch (err: unknown) {
            const ms = retryAfterMs(err);
            if (ms === undefined || attempt >= maxRetries) throw err;
            await wait(Math.min(ms, maxWaitMs));
          }
        }
      };
    },
  });
}

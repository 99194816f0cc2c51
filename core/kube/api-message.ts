import { describeError, fieldOf } from '../errors/index.ts';

/**
 * The API server's own message for a refused request (e.g. a schema violation naming the field), not
 * client-node's "HTTP-Code: 422 … Headers: {audit-id …}": that text changes with every request, so a
 * condition holding it would change on every try and wake its own controller past the backoff.
 */
export function apiErrorMessage(err: unknown): string {
  const body = fieldOf(err, 'body');
  if (typeof body === 'string') {
    try {
      const parsed = JSON.parse(body) as { message?: unknown };
      if (typeof parsed.message === 'string' && parsed.message) return parsed.message;
    } catch {
      // Not a Status object: fall through to the error itself.
    }
  }
  return describeError(err);
}

import { sign } from 'node:crypto';
import type { CloudCallGate } from '../../core/managed/types.ts';
import { errorFromInfo, parseRetryAfter } from './errors.ts';
import { gated, untilAborted } from './gated-call.ts';
import type { ServiceAccountKey } from './service-account-key.ts';

export const TOKEN_DEFAULTS = {
  /** Enough to manage buckets, including their IAM configuration. */
  scope: 'https://www.googleapis.com/auth/devstorage.full_control',
  /** Lifetime asked for in the assertion; Google allows at most one hour. */
  assertionLifetimeSeconds: 3_600,
  /** A token is replaced this long before it expires, so no request carries one that lapses in flight. */
  refreshMarginMs: 5 * 60_000,
  /** Time allowed for one token request, including the wait for the call gate. */
  requestTimeoutMs: 30_000,
} as const;

const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** Access tokens for one service-account key, fetched with the OAuth 2.0 JWT bearer grant (RFC 7523) from the key's token_uri. */
export interface TokenSource {
  /** A valid access token; a new one is fetched through the call gate when the cached one is close to expiry. */
  token(calls: CloudCallGate, signal: AbortSignal): Promise<string>;
  /** The token last fetched, for the SDK's request interceptor (which cannot wait). */
  current(): string | undefined;
  /** Drops the cached token: the endpoint refused it (401). */
  invalidate(): void;
}

function base64url(value: string | Buffer): string {
  return Buffer.from(value).toString('base64url');
}

/** The signed assertion a service account trades for an access token: RS256 over header.claims. */
export function signAssertion(key: ServiceAccountKey, options: { scope: string; nowMs: number; lifetimeSeconds: number }): string {
  const iat = Math.floor(options.nowMs / 1_000);
  const header = { alg: 'RS256', typ: 'JWT', ...(key.privateKeyId ? { kid: key.privateKeyId } : {}) };
  const claims = { iss: key.clientEmail, scope: options.scope, aud: key.tokenUri, iat, exp: iat + options.lifetimeSeconds };
  const signingInput = `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(claims))}`;
  return `${signingInput}.${base64url(sign('sha256', Buffer.from(signingInput), key.privateKey))}`;
}

interface Cached {
  accessToken: string;
  /** When to fetch a new one (expiry minus the margin). */
  refreshAtMs: number;
}

async function readJson(response: Response): Promise<Record<string, unknown>> {
  const body = await response.text();
  try {
    const parsed: unknown = JSON.parse(body);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

const str = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

export function createTokenSource(
  key: ServiceAccountKey,
  options: { now?: () => number; scope?: string } = {},
): TokenSource {
  const now = options.now ?? Date.now;
  const scope = options.scope ?? TOKEN_DEFAULTS.scope;
  let cached: Cached | undefined;
  let pending: Promise<Cached> | undefined;

  async function exchange(signal: AbortSignal): Promise<Cached> {
    const assertion = signAssertion(key, { scope, nowMs: now(), lifetimeSeconds: TOKEN_DEFAULTS.assertionLifetimeSeconds });
    const response = await fetch(key.tokenUri, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
      body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
      signal,
    });
    const body = await readJson(response);
    if (!response.ok) {
      // OAuth errors: {"error":"invalid_grant","error_description":"Invalid JWT Signature."}
      throw errorFromInfo({
        reason: str(body.error) ?? `HTTP ${response.status}`,
        message: str(body.error_description) ?? (response.statusText || 'no error body'),
        httpStatus: response.status,
        retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined),
      });
    }
    const accessToken = str(body.access_token);
    if (accessToken === undefined) {
      throw errorFromInfo({ reason: 'invalid_response', message: 'the token endpoint answered without an access_token', httpStatus: 502 });
    }
    const expiresInMs = (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3_600) * 1_000;
    // A short-lived token is renewed half-way through rather than never being considered fresh.
    const margin = Math.min(TOKEN_DEFAULTS.refreshMarginMs, expiresInMs / 2);
    return { accessToken, refreshAtMs: now() + expiresInMs - margin };
  }

  return {
    async token(calls, signal) {
      signal.throwIfAborted();
      if (cached && now() < cached.refreshAtMs) return cached.accessToken;
      // One request for everyone waiting; it runs on its own deadline so one caller giving up does not fail the rest.
      pending ??= (async () => {
        const own = AbortSignal.timeout(TOKEN_DEFAULTS.requestTimeoutMs);
        try {
          cached = await gated(calls, 'OAuthToken', own, () => exchange(own));
          return cached;
        } finally {
          pending = undefined;
        }
      })();
      return (await untilAborted(pending, signal)).accessToken;
    },
    current: () => cached?.accessToken,
    invalidate() {
      cached = undefined;
    },
  };
}

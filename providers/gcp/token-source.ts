import { sign } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { TransientError } from '../../core/errors/index.ts';
import type { CloudCallGate } from '../../core/managed/types.ts';
import type { ExternalAccountSettings } from './config.ts';
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

/** Access tokens for one ProviderConfig's credentials, fetched through a TokenGrant and cached until close to expiry. */
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

/** One way to obtain an access token; `call` runs each HTTP request through the call gate. */
export interface TokenGrant {
  fetch(call: <O>(operation: string, send: () => Promise<O>) => Promise<O>, signal: AbortSignal, nowMs: number): Promise<{ accessToken: string; expiresInMs: number }>;
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

/** An OAuth error answer (`{"error","error_description"}`) or a Google API one (`{"error":{"code","message","status"}}`) as a Pledge error. */
function refusal(response: Response, body: Record<string, unknown>) {
  const apiError = typeof body.error === 'object' && body.error !== null ? (body.error as Record<string, unknown>) : undefined;
  return errorFromInfo({
    reason: str(body.error) ?? str(apiError?.status) ?? `HTTP ${response.status}`,
    message: str(body.error_description) ?? str(apiError?.message) ?? (response.statusText || 'no error body'),
    httpStatus: response.status,
    retryAfterMs: parseRetryAfter(response.headers.get('retry-after') ?? undefined),
  });
}

async function postJsonAnswer(url: string, init: RequestInit): Promise<Record<string, unknown>> {
  const response = await fetch(url, { method: 'POST', ...init });
  const body = await readJson(response);
  if (!response.ok) throw refusal(response, body);
  return body;
}

const noAccessToken = () => errorFromInfo({ reason: 'invalid_response', message: 'the token endpoint answered without an access token', httpStatus: 502 });

/** A service-account key's grant: a signed assertion traded at the key's token_uri (OAuth 2.0 JWT bearer, RFC 7523). */
export function serviceAccountGrant(key: ServiceAccountKey, scope: string = TOKEN_DEFAULTS.scope): TokenGrant {
  return {
    async fetch(call, signal, nowMs) {
      const assertion = signAssertion(key, { scope, nowMs, lifetimeSeconds: TOKEN_DEFAULTS.assertionLifetimeSeconds });
      // OAuth errors: {"error":"invalid_grant","error_description":"Invalid JWT Signature."}
      const body = await call('OAuthToken', () =>
        postJsonAnswer(key.tokenUri, {
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
          signal,
        }),
      );
      const accessToken = str(body.access_token) ?? (() => { throw noAccessToken(); })();
      return { accessToken, expiresInMs: (typeof body.expires_in === 'number' && body.expires_in > 0 ? body.expires_in : 3_600) * 1_000 };
    },
  };
}

const TOKEN_EXCHANGE_GRANT = 'urn:ietf:params:oauth:grant-type:token-exchange';
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
const CLOUD_PLATFORM_SCOPE = 'https://www.googleapis.com/auth/cloud-platform';

/**
 * Workload identity federation (an external_account credential): the subject token in the file, read for every
 * exchange so a rotated token is used, is traded at the STS (RFC 8693 token exchange) for a federated access token;
 * with an impersonation URL, that token then buys the service account's own (generateAccessToken). The subject token
 * goes only in the request body; errors carry the endpoint's message, never the token.
 */
export function externalAccountGrant(settings: ExternalAccountSettings, scope: string = TOKEN_DEFAULTS.scope): TokenGrant {
  return {
    async fetch(call, signal, nowMs) {
      let subjectToken: string;
      try {
        subjectToken = (await readFile(settings.tokenFile, { encoding: 'utf8', signal })).trim();
      } catch (err: unknown) {
        const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'unreadable';
        throw new TransientError(`cannot read the subject token file ${settings.tokenFile} (spec.credentials.externalAccount.credentialSource.file): ${code}`);
      }
      if (subjectToken === '') throw new TransientError(`the subject token file ${settings.tokenFile} is empty`);
      const impersonate = settings.serviceAccountImpersonationUrl;
      const exchanged = await call('STSToken', () =>
        postJsonAnswer(settings.tokenUrl, {
          headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
          body: new URLSearchParams({
            grant_type: TOKEN_EXCHANGE_GRANT,
            audience: settings.audience,
            // Impersonation needs cloud-platform on the federated token; used directly, it carries the bucket scope.
            scope: impersonate === undefined ? scope : CLOUD_PLATFORM_SCOPE,
            requested_token_type: ACCESS_TOKEN_TYPE,
            subject_token: subjectToken,
            subject_token_type: settings.subjectTokenType,
          }).toString(),
          signal,
        }),
      );
      const federated = str(exchanged.access_token) ?? (() => { throw noAccessToken(); })();
      const federatedExpiresInMs = (typeof exchanged.expires_in === 'number' && exchanged.expires_in > 0 ? exchanged.expires_in : 3_600) * 1_000;
      if (impersonate === undefined) return { accessToken: federated, expiresInMs: federatedExpiresInMs };
      const impersonated = await call('GenerateAccessToken', () =>
        postJsonAnswer(impersonate, {
          headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${federated}` },
          body: JSON.stringify({ scope: [scope], lifetime: '3600s' }),
          signal,
        }),
      );
      const accessToken = str(impersonated.accessToken) ?? (() => { throw noAccessToken(); })();
      const expireTime = Date.parse(str(impersonated.expireTime) ?? '');
      return { accessToken, expiresInMs: Number.isFinite(expireTime) ? Math.max(expireTime - nowMs, 0) : 3_600_000 };
    },
  };
}

export function createTokenSource(grant: TokenGrant, options: { now?: () => number } = {}): TokenSource {
  const now = options.now ?? Date.now;
  let cached: Cached | undefined;
  let pending: Promise<Cached> | undefined;

  async function exchange(calls: CloudCallGate, signal: AbortSignal): Promise<Cached> {
    const { accessToken, expiresInMs } = await grant.fetch((operation, send) => gated(calls, operation, signal, send), signal, now());
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
          cached = await exchange(calls, own);
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

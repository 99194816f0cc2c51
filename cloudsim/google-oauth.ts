/**
 * Google's OAuth token endpoint for service accounts (`POST /token`, JWT-bearer grant), so a key file
 * whose token_uri points at cloudsim works; and the bearer-token check GCS uses.
 */
import type { GcpServiceAccount } from './identities.ts';
import type { ServiceContext } from './service-context.ts';
import { header, json, type SimRequest, type SimResponse, type SimService } from './sim-http.ts';
import { decodeToken, signToken, verifyRs256, verifyToken } from './tokens.ts';

export const ACCESS_TOKEN_PREFIX = 'ya29.';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

const oauthError = (status: number, error: string, description: string, headers: Record<string, string | number> = {}) =>
  json(status, { error, error_description: description }, headers);

function accountFor(ctx: ServiceContext, header: Record<string, unknown>, claims: Record<string, unknown>): GcpServiceAccount | undefined {
  return ctx.identities.gcp.find((a) => a.privateKeyId === header.kid) ?? ctx.identities.gcp.find((a) => a.clientEmail === claims.iss);
}

/**
 * Who a GCS request comes from: undefined when it carries no Authorization (emulator-style anonymous access);
 * the service account's email for a token cloudsim issued or a JWT the account signed itself; null otherwise.
 */
export function googleCaller(ctx: ServiceContext, req: SimRequest): string | null | undefined {
  const auth = header(req, 'authorization');
  if (auth === undefined) return undefined;
  const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
  if (token === undefined) return null;
  const now = ctx.runtime.now();
  if (token.startsWith(ACCESS_TOKEN_PREFIX)) {
    const check = verifyToken(ctx.store.tokenKey, token.slice(ACCESS_TOKEN_PREFIX.length), now);
    return check.ok && typeof check.claims.sub === 'string' ? check.claims.sub : null;
  }
  // A self-signed JWT (google-auth-library skips the token endpoint in some setups).
  const decoded = decodeToken(token);
  const account = decoded === undefined ? undefined : accountFor(ctx, decoded.header, decoded.claims);
  if (account === undefined) return null;
  return verifyRs256(account.privateKey, token, now).ok ? account.clientEmail : null;
}

export function createGoogleOAuthService(ctx: ServiceContext): SimService {
  function token(req: SimRequest): SimResponse {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const grant = form.get('grant_type');
    if (grant !== JWT_BEARER) return oauthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grant ?? ''}`);
    const assertion = form.get('assertion') ?? '';
    const decoded = decodeToken(assertion);
    if (decoded === undefined) return oauthError(400, 'invalid_grant', 'Invalid JWT: malformed assertion.');
    const account = accountFor(ctx, decoded.header, decoded.claims);
    if (account === undefined) return oauthError(400, 'invalid_grant', 'Invalid grant: account not found');
    const now = ctx.runtime.now();
    const check = verifyRs256(account.privateKey, assertion, now);
    if (!check.ok) {
      return check.reason === 'signature' || check.reason === 'malformed'
        ? oauthError(400, 'invalid_grant', 'Invalid JWT Signature.')
        : oauthError(400, 'invalid_grant', 'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.');
    }
    const lifetime = ctx.runtime.knobs.timings.tokenLifetimeSeconds;
    const issued = Math.floor(now / 1000);
    const accessToken = signToken(ctx.store.tokenKey, {
      iss: req.origin,
      sub: account.clientEmail,
      aud: 'https://storage.googleapis.com',
      scope: typeof check.claims.scope === 'string' ? check.claims.scope : '',
      iat: issued,
      exp: issued + lifetime,
    });
    return json(200, { access_token: `${ACCESS_TOKEN_PREFIX}${accessToken}`, expires_in: lifetime, token_type: 'Bearer' }, { 'cache-control': 'no-store' });
  }

  return {
    name: 'google-oauth',
    route(req) {
      if (req.path === '/token' && req.method === 'POST') return { operation: 'token', handle: () => token(req) };
      return undefined;
    },
    throttled: (_req, retryAfterSeconds) => oauthError(429, 'rate_limit_exceeded', 'Rate limit exceeded.', { 'retry-after': retryAfterSeconds }),
    internalError: () => oauthError(500, 'internal_failure', 'Internal error.'),
    unavailable: (_req, retryAfterSeconds) => oauthError(503, 'temporarily_unavailable', 'The service is temporarily unavailable.', { 'retry-after': retryAfterSeconds }),
  };
}

/**
 * Google's OAuth token endpoint for service accounts (`POST /token`, JWT-bearer grant), so a key file
 * whose token_uri points at cloudsim works; the Security Token Service's token exchange (`POST /v1/token`,
 * workload identity federation) and IAM Credentials' generateAccessToken (service account impersonation);
 * and the bearer-token check GCS uses.
 */
import type { GcpServiceAccount } from './identities.ts';
import type { ServiceContext } from './service-context.ts';
import { header, json, type SimRequest, type SimResponse, type SimService } from './sim-http.ts';
import { decodeToken, signToken, verifyRs256, verifyToken } from './tokens.ts';
import { verifyFederatedToken } from './federation.ts';

export const ACCESS_TOKEN_PREFIX = 'ya29.';
const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
const TOKEN_EXCHANGE = 'urn:ietf:params:oauth:grant-type:token-exchange';
const SUBJECT_TOKEN_TYPES = new Set(['urn:ietf:params:oauth:token-type:jwt', 'urn:ietf:params:oauth:token-type:id_token']);
const ACCESS_TOKEN_TYPE = 'urn:ietf:params:oauth:token-type:access_token';
/** iamcredentials: POST /v1/projects/-/serviceAccounts/{email}:generateAccessToken */
const GENERATE_ACCESS_TOKEN = /^\/v1\/projects\/[^/]+\/serviceAccounts\/([^/:]+):generateAccessToken$/;

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

  const accessToken = (claims: Record<string, unknown>) => {
    const lifetime = ctx.runtime.knobs.timings.tokenLifetimeSeconds;
    const issued = Math.floor(ctx.runtime.now() / 1000);
    return { token: `${ACCESS_TOKEN_PREFIX}${signToken(ctx.store.tokenKey, { ...claims, iat: issued, exp: issued + lifetime })}`, lifetime, expires: issued + lifetime };
  };

  /**
   * RFC 8693 token exchange as Google's STS does it for a workload identity pool provider: the audience names the
   * provider; the subject token must come from its issuer, be signed by its keys, be meant for one of its allowed
   * audiences (by default `https://iam.googleapis.com/<provider>`) and be unexpired. The federated token is the
   * pool's principal for the token's subject. Form or JSON bodies, as Google accepts both.
   */
  function exchange(req: SimRequest): SimResponse {
    const type = header(req, 'content-type') ?? '';
    let params: Record<string, string | undefined>;
    if (type.includes('json')) {
      let body: unknown;
      try {
        body = JSON.parse(req.body.toString('utf8'));
      } catch {
        return oauthError(400, 'invalid_request', 'Invalid JSON body.');
      }
      params = typeof body === 'object' && body !== null ? Object.fromEntries(Object.entries(body).map(([k, v]) => [k, typeof v === 'string' ? v : undefined])) : {};
      params = Object.fromEntries(Object.entries(params).map(([k, v]) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), v]));
    } else {
      params = Object.fromEntries(new URLSearchParams(req.body.toString('utf8')));
    }
    if (params.grant_type !== TOKEN_EXCHANGE) return oauthError(400, 'unsupported_grant_type', `Invalid value for "grant_type": ${params.grant_type ?? ''}`);
    if (!params.subject_token_type || !SUBJECT_TOKEN_TYPES.has(params.subject_token_type)) {
      return oauthError(400, 'invalid_request', `Invalid value for "subject_token_type": ${params.subject_token_type ?? ''}`);
    }
    if (params.requested_token_type !== undefined && params.requested_token_type !== ACCESS_TOKEN_TYPE) {
      return oauthError(400, 'invalid_request', `Invalid value for "requested_token_type": ${params.requested_token_type}`);
    }
    if (!params.subject_token) return oauthError(400, 'invalid_request', 'Missing required field "subject_token".');
    const audience = params.audience ?? '';
    const providerName = audience.replace(/^(https:)?\/\/iam\.googleapis\.com\//, '');
    const provider = ctx.federation.gcp.find((p) => p.name === providerName);
    if (provider === undefined) {
      return oauthError(
        400,
        'invalid_target',
        'The target service indicated by the "audience" parameters is invalid. This might either be because the pool or provider is disabled or deleted or because it doesn\'t exist.',
      );
    }
    const peek = decodeToken(params.subject_token);
    if (peek === undefined) return oauthError(400, 'invalid_grant', 'Unable to parse the ID Token.');
    const iss = String(peek.claims.iss ?? '');
    if (iss !== provider.issuer) return oauthError(400, 'invalid_grant', `The issuer in ID Token ${iss} does not match the expected ones: ${provider.issuer}.`);
    const check = verifyFederatedToken(params.subject_token, provider.jwks, ctx.runtime.now());
    if (!check.ok) {
      if (check.reason === 'expired' || check.reason === 'not-yet-valid') return oauthError(400, 'invalid_grant', 'ID Token expired or not yet valid.');
      return oauthError(400, 'invalid_grant', check.reason === 'signature' ? 'Invalid ID Token signature: no key of the provider verifies it.' : 'Unable to parse the ID Token.');
    }
    const allowed = provider.allowedAudiences.length > 0 ? provider.allowedAudiences : [`https://iam.googleapis.com/${provider.name}`];
    if (!check.audiences.some((a) => allowed.includes(a))) {
      return oauthError(400, 'invalid_grant', `The audience in ID Token [${check.audiences.join(', ')}] does not match the expected audience.`);
    }
    const pool = provider.name.replace(/\/providers\/[^/]+$/, '');
    const issued = accessToken({ iss: req.origin, sub: `principal://iam.googleapis.com/${pool}/subject/${check.claims.sub}`, aud: 'https://storage.googleapis.com', scope: params.scope ?? '', pvd: provider.name });
    return json(200, { access_token: issued.token, issued_token_type: ACCESS_TOKEN_TYPE, token_type: 'Bearer', expires_in: issued.lifetime }, { 'cache-control': 'no-store' });
  }

  /** Service account impersonation: a federated principal allowed to use the account gets the account's token. */
  function generateAccessToken(req: SimRequest, email: string): SimResponse {
    const denied = () =>
      json(403, {
        error: {
          code: 403,
          message: "Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).",
          status: 'PERMISSION_DENIED',
          details: [{ '@type': 'type.googleapis.com/google.rpc.ErrorInfo', reason: 'IAM_PERMISSION_DENIED', domain: 'iam.googleapis.com', metadata: { permission: 'iam.serviceAccounts.getAccessToken' } }],
        },
      });
    const bearer = /^Bearer\s+(\S+)$/i.exec(header(req, 'authorization') ?? '')?.[1];
    const check = bearer?.startsWith(ACCESS_TOKEN_PREFIX) ? verifyToken(ctx.store.tokenKey, bearer.slice(ACCESS_TOKEN_PREFIX.length), ctx.runtime.now()) : undefined;
    if (check === undefined || !check.ok) {
      return json(401, { error: { code: 401, message: 'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential.', status: 'UNAUTHENTICATED' } });
    }
    const provider = ctx.federation.gcp.find((p) => p.name === check.claims.pvd);
    const subject = String(check.claims.sub ?? '').replace(/^principal:\/\/iam\.googleapis\.com\/.*\/subject\//, '');
    const account = ctx.identities.gcp.find((a) => a.clientEmail === email);
    if (provider === undefined || account === undefined || !(provider.serviceAccountUsers[email] ?? []).includes(subject)) return denied();
    let scope: string[] = [];
    try {
      const body = JSON.parse(req.body.toString('utf8')) as { scope?: unknown };
      scope = Array.isArray(body.scope) ? body.scope.filter((s): s is string => typeof s === 'string') : [];
    } catch {
      return json(400, { error: { code: 400, message: 'Invalid JSON payload received.', status: 'INVALID_ARGUMENT' } });
    }
    if (scope.length === 0) return json(400, { error: { code: 400, message: 'Scope required.', status: 'INVALID_ARGUMENT' } });
    const issued = accessToken({ iss: req.origin, sub: account.clientEmail, aud: 'https://storage.googleapis.com', scope: scope.join(' ') });
    return json(200, { accessToken: issued.token, expireTime: new Date(issued.expires * 1000).toISOString() });
  }

  return {
    name: 'google-oauth',
    route(req) {
      if (req.path === '/token' && req.method === 'POST') return { operation: 'token', handle: () => token(req) };
      if (req.path === '/v1/token' && req.method === 'POST') return { operation: 'sts.token', handle: () => exchange(req) };
      const impersonate = req.method === 'POST' ? GENERATE_ACCESS_TOKEN.exec(req.path) : null;
      if (impersonate?.[1]) {
        const email = decodeURIComponent(impersonate[1]);
        return { operation: 'generateAccessToken', handle: () => generateAccessToken(req, email) };
      }
      return undefined;
    },
    throttled: (_req, retryAfterSeconds) => oauthError(429, 'rate_limit_exceeded', 'Rate limit exceeded.', { 'retry-after': retryAfterSeconds }),
    internalError: () => oauthError(500, 'internal_failure', 'Internal error.'),
    unavailable: (_req, retryAfterSeconds) => oauthError(503, 'temporarily_unavailable', 'The service is temporarily unavailable.', { 'retry-after': retryAfterSeconds }),
  };
}

/**
 * Microsoft Entra ID: OpenID discovery and the v2.0 (and v1) token endpoints, client-credentials flow only.
 * Tokens are JWTs cloudsim signs; ARM checks them.
 */
import { createHash, randomUUID } from 'node:crypto';
import { audiencesOf, verifyFederatedToken } from './federation.ts';
import type { AzureIdentity } from './identities.ts';
import type { ServiceContext } from './service-context.ts';
import { header, json, type SimRequest, type SimResponse, type SimRoute, type SimService } from './sim-http.ts';
import { decodeToken, signToken } from './tokens.ts';

/** Entra's error body: `error`, an AADSTS-prefixed description, codes, and trace ids. */
export function entraError(status: number, error: string, code: number, description: string, headers: Record<string, string | number> = {}): SimResponse {
  const traceId = randomUUID();
  const correlationId = randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
  return json(
    status,
    {
      error,
      error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [code],
      timestamp,
      trace_id: traceId,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${code}`,
    },
    headers,
  );
}

const TENANT_ALIASES = new Set(['common', 'organizations', 'consumers']);
const JWT_BEARER_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export function createEntraService(ctx: ServiceContext): SimService {
  const tenants = () => new Set(ctx.identities.azure.map((i) => i.tenantId.toLowerCase()));
  const knownTenant = (tenant: string) => TENANT_ALIASES.has(tenant) || tenants().has(tenant);
  const unknownTenant = (tenant: string) =>
    entraError(400, 'invalid_tenant', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);

  function openIdConfiguration(req: SimRequest, tenant: string): SimResponse {
    if (!knownTenant(tenant)) return unknownTenant(tenant);
    const base = `${req.origin}/${tenant}`;
    return json(200, {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      tenant_region_scope: 'NA',
      cloud_instance_name: 'cloudsim',
      cloud_graph_host_name: 'graph.windows.net',
      msgraph_host: 'graph.microsoft.com',
    });
  }

  function instanceDiscovery(req: SimRequest): SimResponse {
    const host = new URL(req.origin).host;
    return json(200, {
      tenant_discovery_endpoint: `${req.origin}/common/v2.0/.well-known/openid-configuration`,
      'api-version': '1.1',
      metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
    });
  }

  /** client_id and client_secret from the form, or from HTTP Basic (client_secret_basic). */
  function clientCredentials(req: SimRequest, form: URLSearchParams): { clientId?: string; secret?: string } {
    const basic = /^Basic\s+(.+)$/i.exec(header(req, 'authorization') ?? '');
    if (basic?.[1]) {
      const [id, ...rest] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      return { clientId: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) };
    }
    return { clientId: form.get('client_id') ?? undefined, secret: form.get('client_secret') ?? undefined };
  }

  function token(req: SimRequest, tenant: string, version: 'v1' | 'v2'): SimResponse {
    const form = new URLSearchParams(req.body.toString('utf8'));
    const missing = (name: string) => entraError(400, 'invalid_request', 900144, `The request body must contain the following parameter: '${name}'.`);
    const grant = form.get('grant_type');
    if (!grant) return missing('grant_type');
    if (grant !== 'client_credentials') return entraError(400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
    if (TENANT_ALIASES.has(tenant)) {
      return entraError(400, 'invalid_request', 50059, 'No tenant-identifying information found in either the request or implied by any provided credentials.');
    }
    if (!knownTenant(tenant)) return unknownTenant(tenant);
    const { clientId, secret } = clientCredentials(req, form);
    if (!clientId) return missing('client_id');
    const identity: AzureIdentity | undefined = ctx.identities.azure.find(
      (i) => i.tenantId.toLowerCase() === tenant && i.clientId.toLowerCase() === clientId.toLowerCase(),
    );
    if (identity === undefined) {
      return entraError(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant. You may have sent your authentication request to the wrong tenant.`,
      );
    }
    let resource: string;
    if (version === 'v2') {
      const scope = form.get('scope');
      if (!scope) return missing('scope');
      const scopes = scope.split(' ').filter((s) => s !== '');
      const first = scopes[0] ?? '';
      if (scopes.length !== 1 || !first.endsWith('/.default')) {
        return entraError(
          400,
          'invalid_scope',
          1002012,
          `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`,
        );
      }
      resource = first.slice(0, -'/.default'.length);
    } else {
      const value = form.get('resource');
      if (!value) return missing('resource');
      resource = value;
    }
    const assertionType = form.get('client_assertion_type');
    const assertion = form.get('client_assertion');
    if (assertionType !== null || assertion !== null) {
      if (assertionType !== JWT_BEARER_ASSERTION) {
        return entraError(400, 'invalid_request', 50027, `Invalid client_assertion_type '${assertionType ?? ''}': expected '${JWT_BEARER_ASSERTION}'.`);
      }
      if (!assertion) return missing('client_assertion');
      const refused = checkFederatedAssertion(identity, assertion);
      if (refused !== undefined) return refused;
      return issue(identity, resource, version, '2');
    }
    if (!secret) {
      return entraError(401, 'invalid_client', 7000216, "'client_assertion', 'client_secret' or 'request' is required for the 'client_credentials' grant type.");
    }
    if (secret !== identity.clientSecret) {
      return entraError(
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${identity.clientId}'.`,
      );
    }
    return issue(identity, resource, version, '1');
  }

  /**
   * What Entra checks of a workload identity's assertion: a federated identity credential of the application
   * with the token's issuer, subject and audience, the signature by the issuer's keys, the token's lifetime.
   * Messages name the claims (as Entra's do), never the token.
   */
  function checkFederatedAssertion(identity: AzureIdentity, assertion: string): SimResponse | undefined {
    const credentials = ctx.federation.azure.filter((c) => c.tenantId === identity.tenantId.toLowerCase() && c.clientId === identity.clientId.toLowerCase());
    const peek = decodeToken(assertion);
    if (peek === undefined) return entraError(400, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
    const iss = String(peek.claims.iss ?? '');
    const sub = String(peek.claims.sub ?? '');
    const aud = audiencesOf(peek.claims);
    const hint = 'Check your federated identity credential Subject, Audience and Issuer against the presented assertion. https://learn.microsoft.com/entra/workload-id/workload-identity-federation';
    if (credentials.length === 0) {
      return entraError(
        400,
        'invalid_request',
        70021,
        `No matching federated identity record found for presented assertion. Assertion Issuer: '${iss}'. Assertion Subject: '${sub}'. Assertion Audience: '${aud.join(',')}'. https://learn.microsoft.com/entra/workload-id/workload-identity-federation`,
      );
    }
    const byIssuer = credentials.filter((c) => c.issuer === iss);
    if (byIssuer.length === 0) return entraError(400, 'invalid_client', 700211, `No matching federated identity record found for presented assertion issuer '${iss}'. ${hint}`);
    // Case-sensitive, as Entra matches since 2025.
    const bySubject = byIssuer.filter((c) => c.subject === sub);
    if (bySubject.length === 0) return entraError(400, 'invalid_client', 700213, `No matching federated identity record found for presented assertion subject '${sub}'. ${hint}`);
    const match = bySubject.find((c) => c.audiences.some((a) => aud.includes(a)));
    if (match === undefined) return entraError(400, 'invalid_client', 700212, `No matching federated identity record found for presented assertion audience '${aud.join(',')}'. ${hint}`);
    const check = verifyFederatedToken(assertion, match.jwks, ctx.runtime.now());
    if (check.ok) return undefined;
    if (check.reason === 'expired' || check.reason === 'not-yet-valid') {
      const at = (s: unknown) => (typeof s === 'number' ? new Date(s * 1000).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : 'unknown');
      return entraError(
        400,
        'invalid_client',
        700024,
        `Client assertion is not within its valid time range. Current time: ${at(Math.floor(ctx.runtime.now() / 1000))}, assertion valid from ${at(peek.claims.iat)}, expiry time of assertion ${at(peek.claims.exp)}. Review the documentation at https://learn.microsoft.com/entra/identity-platform/certificate-credentials .`,
      );
    }
    if (check.reason === 'signature') return entraError(400, 'invalid_client', 5002727, `Client assertion failed signature validation: no key of issuer '${iss}' verifies it.`);
    return entraError(400, 'invalid_client', 50027, 'JWT token is invalid or malformed.');
  }

  function issue(identity: AzureIdentity, resource: string, version: 'v1' | 'v2', appidacr: '1' | '2'): SimResponse {
    const now = Math.floor(ctx.runtime.now() / 1000);
    const lifetime = ctx.runtime.knobs.timings.tokenLifetimeSeconds;
    const objectId = servicePrincipalObjectId(identity);
    const accessToken = signToken(
      ctx.store.tokenKey,
      {
        aud: resource,
        iss: `https://sts.windows.net/${identity.tenantId}/`,
        iat: now,
        nbf: now,
        exp: now + lifetime,
        appid: identity.clientId,
        appidacr,
        idp: `https://sts.windows.net/${identity.tenantId}/`,
        idtyp: 'app',
        oid: objectId,
        sub: objectId,
        tid: identity.tenantId,
        ver: '1.0',
        uti: randomUUID(),
      },
      { kid: 'cloudsim' },
    );
    const body: Record<string, unknown> = { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken };
    if (version === 'v1') Object.assign(body, { expires_on: String(now + lifetime), not_before: String(now), resource });
    return json(200, body, { 'cache-control': 'no-store, no-cache', pragma: 'no-cache' });
  }

  return {
    name: 'entra',
    route(req: SimRequest): SimRoute | undefined {
      const parts = req.path.toLowerCase().split('/').filter((p) => p !== '');
      const [tenant = '', a, b, c, d] = parts;
      if (req.method === 'GET' && tenant === 'common' && a === 'discovery' && b === 'instance' && parts.length === 3) {
        return { operation: 'DiscoverInstance', handle: () => instanceDiscovery(req) };
      }
      if (req.method === 'GET' && a === 'v2.0' && b === '.well-known' && c === 'openid-configuration' && parts.length === 4) {
        return { operation: 'GetOpenIdConfiguration', handle: () => openIdConfiguration(req, tenant) };
      }
      if (req.method === 'GET' && a === 'discovery' && b === 'v2.0' && c === 'keys' && parts.length === 4) {
        return { operation: 'GetKeys', handle: () => json(200, { keys: [] }) };
      }
      if (req.method === 'POST' && a === 'oauth2' && b === 'v2.0' && c === 'token' && d === undefined) {
        return { operation: 'Token', handle: () => token(req, tenant, 'v2') };
      }
      if (req.method === 'POST' && a === 'oauth2' && b === 'token' && parts.length === 3) {
        return { operation: 'Token', handle: () => token(req, tenant, 'v1') };
      }
      return undefined;
    },
    throttled: (_req, retryAfterSeconds) =>
      entraError(429, 'temporarily_unavailable', 90055, 'TenantThrottlingError: There are too many incoming requests. This exception is thrown for blocked tenants.', {
        'retry-after': retryAfterSeconds,
      }),
    internalError: () => entraError(500, 'server_error', 50000, 'There was an error issuing a token or an issue with our sign-in service.'),
    unavailable: (_req, retryAfterSeconds) =>
      entraError(503, 'temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.', { 'retry-after': retryAfterSeconds }),
  };
}

/** A stable object id for the application's service principal. */
export function servicePrincipalObjectId(identity: AzureIdentity): string {
  const h = createHash('sha256').update(`${identity.tenantId}/${identity.clientId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Azure Resource Manager: routing (case-insensitive, like ARM), bearer-token checks, api-version checks,
 * subscription access, and ARM's headers and error bodies. The resources live in arm-resource-groups.ts,
 * arm-storage-accounts.ts and arm-operations.ts.
 */
import { randomUUID } from 'node:crypto';
import { armError, settleArm } from './arm-records.ts';
import { resourceGroupEndpoints } from './arm-resource-groups.ts';
import { storageAccountEndpoints } from './arm-storage-accounts.ts';
import type { AzureIdentity } from './identities.ts';
import { servicePrincipalObjectId } from './entra.ts';
import type { ServiceContext } from './service-context.ts';
import { header, json, type SimRequest, type SimResponse, type SimRoute, type SimService } from './sim-http.ts';
import { verifyToken } from './tokens.ts';

/** api-versions ARM accepts per resource provider: what the installed SDKs send, plus a few older ones. */
export const ARM_API_VERSIONS = {
  resources: ['2025-04-01', '2024-11-01', '2024-07-01', '2024-03-01', '2023-07-01', '2022-09-01', '2021-04-01'],
  storage: ['2026-09-01', '2025-06-01', '2025-01-01', '2024-01-01', '2023-05-01', '2023-01-01', '2022-09-01'],
} as const;
export type ArmProvider = keyof typeof ARM_API_VERSIONS;

/** Audiences ARM accepts in a token, besides cloudsim's own Azure URL. */
const ARM_AUDIENCES = ['https://management.azure.com', 'https://management.core.windows.net'];

/** A request that passed authentication, api-version and subscription checks. */
export type ArmCall = {
  req: SimRequest;
  /** Path segments as sent (original casing), e.g. ['subscriptions', '…', 'resourcegroups', 'rg1']. */
  segments: string[];
  subscriptionId: string;
  apiVersion: string;
  now: number;
};

/** One ARM operation: matched on the lower-case path segments and method. */
export type ArmEndpoint = {
  operation: string;
  provider: ArmProvider;
  /** The RBAC action, for AuthorizationFailed messages. */
  action: string;
  /** The scope the action applies to. */
  scope: (segments: string[]) => string;
  handle: (call: ArmCall) => SimResponse;
};

export type ArmMatcher = (method: string, lower: string[]) => ArmEndpoint | undefined;

export function createArmService(ctx: ServiceContext): SimService {
  const matchers: ArmMatcher[] = [resourceGroupEndpoints(ctx), storageAccountEndpoints(ctx)];

  function subscriptionTenant(subscriptionId: string): string | undefined {
    return ctx.identities.azure.find((i) => i.subscriptionId.toLowerCase() === subscriptionId.toLowerCase())?.tenantId;
  }

  /** Checks the bearer token; returns the caller's identity or ARM's 401. */
  function authenticate(req: SimRequest): { identity: AzureIdentity } | { error: SimResponse } {
    const challenge = (description: string) => ({
      'www-authenticate': `Bearer authorization_uri="${req.origin}/", error="invalid_token", error_description="${description}"`,
    });
    const auth = header(req, 'authorization');
    if (auth === undefined) {
      return {
        error: armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is missing.", challenge("The authentication failed because of missing 'Authorization' header.")),
      };
    }
    const bearer = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!bearer?.[1]) {
      return { error: armError(401, 'AuthenticationFailed', "Authentication failed. The 'Authorization' header is provided in an invalid format.", challenge('The authentication failed because of an invalid format of the Authorization header.')) };
    }
    const now = ctx.runtime.now();
    const check = verifyToken(ctx.store.tokenKey, bearer[1], now);
    if (!check.ok) {
      if (check.reason === 'expired' && typeof check.claims?.exp === 'number') {
        const expiry = new Date(check.claims.exp * 1000).toISOString();
        return {
          error: armError(401, 'ExpiredAuthenticationToken', `The access token expiry UTC time '${expiry}' is earlier than current UTC time '${new Date(now).toISOString()}'.`, challenge('The access token has expired.')),
        };
      }
      return { error: armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', challenge('The access token is invalid.')) };
    }
    const { claims } = check;
    const audience = typeof claims.aud === 'string' ? claims.aud.replace(/\/+$/, '') : '';
    const allowed = [...ARM_AUDIENCES, req.origin];
    if (!allowed.includes(audience)) {
      return {
        error: armError(
          401,
          'InvalidAuthenticationTokenAudience',
          `The access token has been obtained for wrong audience or resource '${String(claims.aud)}'. It should exactly match with one of the allowed audiences ${allowed.map((a) => `'${a}/','${a}'`).join(',')}.`,
          challenge('The access token has been obtained for wrong audience or resource.'),
        ),
      };
    }
    const identity = ctx.identities.azure.find((i) => i.clientId === claims.appid && i.tenantId === claims.tid);
    if (identity === undefined) return { error: armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.', challenge('The access token is invalid.')) };
    return { identity };
  }

  function handle(req: SimRequest, endpoint: ArmEndpoint, segments: string[]): SimResponse {
    const auth = authenticate(req);
    if ('error' in auth) return auth.error;
    const apiVersion = req.query.get('api-version');
    if (!apiVersion) return armError(400, 'MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.');
    const accepted: readonly string[] = ARM_API_VERSIONS[endpoint.provider];
    if (!accepted.includes(apiVersion)) {
      const namespace = endpoint.provider === 'storage' ? 'Microsoft.Storage' : 'Microsoft.Resources';
      return armError(
        400,
        'InvalidApiVersionParameter',
        `The api-version '${apiVersion}' is invalid. The supported versions for namespace '${namespace}' are '${accepted.join(',')}'.`,
      );
    }
    const subscriptionId = segments[1] ?? '';
    const tenant = subscriptionTenant(subscriptionId);
    if (tenant === undefined) return armError(404, 'SubscriptionNotFound', `The subscription '${subscriptionId}' could not be found.`);
    const { identity } = auth;
    if (tenant !== identity.tenantId) {
      return armError(
        401,
        'InvalidAuthenticationTokenTenant',
        `The access token is from the wrong issuer 'https://sts.windows.net/${identity.tenantId}/'. It must match the tenant 'https://sts.windows.net/${tenant}/' associated with this subscription. Please use the authority (URL) 'https://login.windows.net/${tenant}' to get the token.`,
      );
    }
    if (identity.subscriptionId.toLowerCase() !== subscriptionId.toLowerCase()) {
      return armError(
        403,
        'AuthorizationFailed',
        `The client '${identity.clientId}' with object id '${servicePrincipalObjectId(identity)}' does not have authorization to perform action '${endpoint.action}' over scope '${endpoint.scope(segments)}' or the scope is invalid. If access was recently granted, please refresh your credentials.`,
      );
    }
    const now = ctx.runtime.now();
    if (settleArm(ctx.store.state.arm, now)) ctx.store.changed();
    return endpoint.handle({ req, segments, subscriptionId: identity.subscriptionId, apiVersion, now });
  }

  const withArmHeaders = (req: SimRequest, response: SimResponse): SimResponse => ({
    ...response,
    headers: {
      'x-ms-request-id': req.requestId,
      'x-ms-correlation-request-id': header(req, 'x-ms-correlation-request-id') ?? randomUUID(),
      'x-ms-routing-request-id': `CLOUDSIM:${new Date().toISOString().replace(/[-:.]/g, '')}:${req.requestId}`,
      ...(req.method === 'GET' || req.method === 'HEAD'
        ? { 'x-ms-ratelimit-remaining-subscription-reads': 11999 }
        : { 'x-ms-ratelimit-remaining-subscription-writes': 1199 }),
      ...response.headers,
    },
  });

  return {
    name: 'arm',
    route(req: SimRequest): SimRoute | undefined {
      const segments = req.path.split('/').filter((s) => s !== '');
      const lower = segments.map((s) => s.toLowerCase());
      if (lower[0] !== 'subscriptions' || lower.length < 2) return undefined;
      for (const match of matchers) {
        const endpoint = match(req.method, lower);
        if (endpoint) return { operation: endpoint.operation, handle: () => withArmHeaders(req, handle(req, endpoint, segments)) };
      }
      return {
        operation: 'Unsupported',
        handle: () =>
          withArmHeaders(
            req,
            armError(400, 'InvalidResourceType', `cloudsim does not simulate ${req.method} ${req.path}: only resource groups and storage accounts are served.`),
          ),
      };
    },
    throttled: (req, retryAfterSeconds) =>
      withArmHeaders(
        req,
        armError(
          429,
          'SubscriptionRequestsThrottled',
          `Number of '${req.method === 'GET' ? 'read' : 'write'}' requests for subscription actor exceeded. Please try again after '${retryAfterSeconds}' seconds after additional tokens are available. Refer to https://aka.ms/arm-throttling for additional information.`,
          { 'retry-after': retryAfterSeconds },
        ),
      ),
    internalError: (req) =>
      withArmHeaders(req, armError(500, 'InternalServerError', 'Encountered internal server error. Diagnostic information: timestamp, correlation ids.')),
    unavailable: (req, retryAfterSeconds) =>
      withArmHeaders(req, json(503, { error: { code: 'ServiceUnavailable', message: 'The service is currently unavailable. Please try again later.' } }, { 'retry-after': retryAfterSeconds })),
  };
}

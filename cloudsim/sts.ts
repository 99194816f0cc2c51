/**
 * AWS STS AssumeRoleWithWebIdentity (query protocol, unsigned), as IRSA uses it: a token of an outside OIDC issuer
 * buys temporary keys of a role whose trust names that issuer (an IAM OIDC provider), the token's audience and
 * subject. The keys' account is the role's, so S3 and RDS calls signed with them land there (as in moto).
 */
import { randomBytes } from 'node:crypto';
import { awsRequestId } from './aws.ts';
import { verifyFederatedToken } from './federation.ts';
import type { ServiceContext } from './service-context.ts';
import { header, xml, type SimRequest, type SimResponse, type SimService } from './sim-http.ts';
import { decodeToken } from './tokens.ts';
import { el } from './xml.ts';

const STS_NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[-a-z]*:iam::(\d{12}):role\/(?:[\w+=,.@-]+\/)*([\w+=,.@-]+)$/;
const DEFAULT_DURATION_SECONDS = 3600;

export function stsError(status: number, code: string, message: string, headers: Record<string, string | number> = {}): SimResponse {
  const requestId = awsRequestId();
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return xml(status, `<ErrorResponse xmlns="${STS_NS}"><Error>${el('Type', type)}${el('Code', code)}${el('Message', message)}</Error>${el('RequestId', requestId)}</ErrorResponse>`, {
    'content-type': 'text/xml',
    'x-amzn-requestid': requestId,
    ...headers,
  });
}

function paramsOf(req: SimRequest): URLSearchParams {
  const form = (header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded') ? req.body.toString('utf8') : '';
  const params = new URLSearchParams(req.url.search);
  for (const [k, v] of new URLSearchParams(form)) params.set(k, v);
  return params;
}

const keyId = (prefix: string) => `${prefix}${randomBytes(12).toString('base64url').toUpperCase().replace(/[^A-Z0-9]/g, '7').slice(0, 16)}`;

export function createStsService(ctx: ServiceContext): SimService {
  function assumeRoleWithWebIdentity(p: URLSearchParams): SimResponse {
    const roleArn = p.get('RoleArn') ?? '';
    const session = p.get('RoleSessionName') ?? '';
    const token = p.get('WebIdentityToken') ?? '';
    for (const [name, value] of [['RoleArn', roleArn], ['RoleSessionName', session], ['WebIdentityToken', token]] as const) {
      if (value === '') return stsError(400, 'MissingParameter', `The request must contain the parameter ${name}`);
    }
    const arn = ROLE_ARN.exec(roleArn);
    if (arn === null) return stsError(400, 'ValidationError', `${roleArn} is invalid`);
    if (!/^[\w+=,.@-]{2,64}$/.test(session)) return stsError(400, 'ValidationError', "1 validation error detected: Value at 'roleSessionName' failed to satisfy constraint");
    const duration = Number(p.get('DurationSeconds') ?? DEFAULT_DURATION_SECONDS);
    if (!Number.isInteger(duration) || duration < 900 || duration > 43200) return stsError(400, 'ValidationError', "Value at 'durationSeconds' failed to satisfy constraint");
    const peek = decodeToken(token);
    if (peek === undefined) return stsError(400, 'InvalidIdentityToken', 'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)');
    const iss = String(peek.claims.iss ?? '');
    const [account = '', roleName = ''] = [arn[1], arn[2]];
    // The IAM OIDC provider is the account's; the issuer is matched without its scheme, as IAM names providers.
    const bare = (url: string) => url.replace(/^https:\/\//, '').replace(/\/+$/, '');
    const providers = ctx.federation.aws.filter((r) => r.account === account && bare(r.issuer) === bare(iss));
    if (providers.length === 0) return stsError(400, 'InvalidIdentityToken', `No OpenIDConnect provider found in your account for ${iss}`);
    const trust = providers.find((r) => r.roleArn === roleArn);
    const check = verifyFederatedToken(token, (trust ?? providers[0])?.jwks ?? { keys: [] }, ctx.runtime.now());
    if (!check.ok) {
      if (check.reason === 'expired' || check.reason === 'not-yet-valid') {
        const exp = typeof peek.claims.exp === 'number' ? new Date(peek.claims.exp * 1000).toISOString() : 'unknown';
        return stsError(400, 'ExpiredTokenException', `Token expired: current date/time ${new Date(ctx.runtime.now()).toISOString()} must be before the expiration date/time ${exp}`);
      }
      return stsError(400, 'InvalidIdentityToken', 'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.');
    }
    if (!providers.some((r) => r.audiences.some((a) => check.audiences.includes(a)))) return stsError(400, 'InvalidIdentityToken', 'Incorrect token audience');
    if (trust === undefined || !trust.subjects.includes(check.claims.sub) || !trust.audiences.some((a) => check.audiences.includes(a))) {
      return stsError(403, 'AccessDenied', 'Not authorized to perform sts:AssumeRoleWithWebIdentity');
    }
    const now = ctx.runtime.now();
    const accessKeyId = keyId('ASIA');
    ctx.federation.awsSessions.set(accessKeyId, account);
    const requestId = awsRequestId();
    const result =
      el('SubjectFromWebIdentityToken', check.claims.sub) +
      el('Audience', check.audiences[0]) +
      `<AssumedRoleUser>${el('Arn', `arn:aws:sts::${account}:assumed-role/${roleName}/${session}`)}${el('AssumedRoleId', `${keyId('AROA')}:${session}`)}</AssumedRoleUser>` +
      `<Credentials>${el('SessionToken', randomBytes(48).toString('base64'))}${el('SecretAccessKey', randomBytes(30).toString('base64').slice(0, 40))}${el('Expiration', new Date(now + duration * 1000).toISOString())}${el('AccessKeyId', accessKeyId)}</Credentials>` +
      el('Provider', bare(iss));
    return xml(
      200,
      `<AssumeRoleWithWebIdentityResponse xmlns="${STS_NS}"><AssumeRoleWithWebIdentityResult>${result}</AssumeRoleWithWebIdentityResult><ResponseMetadata>${el('RequestId', requestId)}</ResponseMetadata></AssumeRoleWithWebIdentityResponse>`,
      { 'content-type': 'text/xml', 'x-amzn-requestid': requestId },
    );
  }

  return {
    name: 'sts',
    route(req) {
      if (req.method !== 'POST' || req.path !== '/') return undefined;
      const auth = header(req, 'authorization') ?? '';
      const params = paramsOf(req);
      const action = params.get('Action');
      // Unsigned (AssumeRoleWithWebIdentity needs no keys) or signed for sts.
      const signedFor = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(auth)?.[1];
      if (signedFor !== undefined ? signedFor !== 'sts' : action !== 'AssumeRoleWithWebIdentity') return undefined;
      if (action !== 'AssumeRoleWithWebIdentity') {
        return { operation: 'Unsupported', handle: () => stsError(400, 'InvalidAction', `Could not find operation ${action ?? '(none)'} for version 2011-06-15`) };
      }
      return { operation: 'AssumeRoleWithWebIdentity', handle: () => assumeRoleWithWebIdentity(params) };
    },
    throttled: (_req, retryAfterSeconds) => stsError(400, 'Throttling', 'Rate exceeded', { 'retry-after': retryAfterSeconds }),
    internalError: () => stsError(500, 'InternalFailure', 'An internal error occurred.'),
    unavailable: (_req, retryAfterSeconds) => stsError(503, 'ServiceUnavailable', 'Service is unavailable.', { 'retry-after': retryAfterSeconds }),
  };
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { AuthenticationError, AuthenticationRequiredError, CredentialUnavailableError } from '@azure/identity';
import { describeError, NotFoundError, type PledgeError, TerminalError, ThrottledError, TransientError } from '../../core/errors/index.ts';
import { azureErrorInfo, isNotFound, parseRetryAfter, splitEntraDescription, toPledgeError } from './errors.ts';

const SECRET = 'abc8Q~not-a-real-secret-but-looks-like-one';

/** An ARM error as the SDK throws it: RestError with the body's code and message, and the response headers. */
function armError(status: number, code: string | undefined, message: string, headers: Record<string, string> = {}): RestError {
  const request = createPipelineRequest({ url: 'https://management.azure.com/subscriptions/s/resourceGroups/rg?api-version=2025-04-01' });
  request.headers.set('authorization', 'Bearer eyJ.secret-token');
  return new RestError(message, {
    statusCode: status,
    code,
    request,
    response: { status, request, headers: createHttpHeaders({ 'x-ms-request-id': 'req-1', 'x-ms-correlation-request-id': 'corr-1', ...headers }) },
  });
}

/** Entra's description: the AADSTS sentence, then trace ids (cloudsim and Entra put them on the same line or the next). */
const entra = (code: number, text: string) =>
  `AADSTS${code}: ${text} Trace ID: 0f1e2d3c-0000-4000-8000-000000000001 Correlation ID: 0f1e2d3c-0000-4000-8000-000000000002 Timestamp: 2025-01-01 00:00:00Z`;

/** How MSAL words the token endpoint's answer in ServerError.errorMessage. */
const msalDescription = (code: number, text: string) =>
  `Error(s): ${code} - Timestamp: 2025-01-01 00:00:00Z - Description: ${entra(code, text)} - Correlation ID: 0f1e2d3c-0000-4000-8000-000000000002 - Trace ID: 0f1e2d3c-0000-4000-8000-000000000001`;

function authError(status: number, error: string, description: string): AuthenticationError {
  return new AuthenticationError(status, { error, error_description: description });
}

/** MSAL's ServerError, as @azure/identity hands it on inside AuthenticationRequiredError. */
function msalServerError(errorCode: string, errorMessage: string, status?: number): Error {
  return Object.assign(new Error(`${errorCode}: ${errorMessage}`), { name: 'ServerError', errorCode, errorMessage, subError: '', status });
}

function networkError(code: string): RestError {
  return new RestError(`connect ${code} 127.0.0.1:8443`, { code: 'REQUEST_SEND_ERROR' });
}

const invalidSecret = 'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID.';

const cases: Array<{ reason: string; err: unknown; want: typeof PledgeError; message: string }> = [
  { reason: 'a missing resource is NotFound', err: armError(404, 'ResourceNotFound', "The Resource 'Microsoft.Storage/storageAccounts/acct1' under resource group 'rg1' was not found."), want: NotFoundError, message: "ResourceNotFound: The Resource 'Microsoft.Storage/storageAccounts/acct1' under resource group 'rg1' was not found." },
  { reason: 'a missing resource group is NotFound (nothing can exist in it)', err: armError(404, 'ResourceGroupNotFound', "Resource group 'rg1' could not be found."), want: NotFoundError, message: "ResourceGroupNotFound: Resource group 'rg1' could not be found." },
  { reason: 'a bare 404 is NotFound', err: armError(404, undefined, 'Unexpected status code: 404'), want: NotFoundError, message: 'HTTP 404: Unexpected status code: 404' },
  { reason: 'a missing subscription is the ProviderConfig\'s to fix, not a missing resource', err: armError(404, 'SubscriptionNotFound', "The subscription '0000' could not be found."), want: TerminalError, message: "SubscriptionNotFound: The subscription '0000' could not be found." },
  { reason: '429 is throttling', err: armError(429, 'TooManyRequests', 'Too many requests.', { 'retry-after': '17' }), want: ThrottledError, message: 'TooManyRequests: Too many requests.' },
  { reason: 'subscription throttling by code is throttling', err: armError(429, 'SubscriptionRequestsThrottled', 'Number of requests exceeded the limit.'), want: ThrottledError, message: 'SubscriptionRequestsThrottled: Number of requests exceeded the limit.' },
  { reason: 'an invalid token needs a credentials change', err: armError(401, 'InvalidAuthenticationToken', 'The access token is invalid.'), want: TerminalError, message: 'InvalidAuthenticationToken: The access token is invalid.' },
  { reason: 'missing permissions need a role assignment', err: armError(403, 'AuthorizationFailed', "The client 'x' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write'."), want: TerminalError, message: "AuthorizationFailed: The client 'x' does not have authorization to perform action 'Microsoft.Storage/storageAccounts/write'." },
  { reason: 'an unsupported api-version is a code change, never a retry', err: armError(400, 'InvalidApiVersionParameter', "The api-version '1999-01-01' is invalid."), want: TerminalError, message: "InvalidApiVersionParameter: The api-version '1999-01-01' is invalid." },
  { reason: 'a validation error (400) needs a spec change', err: armError(400, 'InvalidRequestContent', 'The request content was invalid.'), want: TerminalError, message: 'InvalidRequestContent: The request content was invalid.' },
  { reason: 'an unlisted 400 is the user\'s to fix', err: armError(400, 'SomethingNew', 'nope'), want: TerminalError, message: 'SomethingNew: nope' },
  { reason: 'a storage account name taken elsewhere needs another name', err: armError(409, 'StorageAccountAlreadyTaken', 'The storage account named acct1 is already taken.'), want: TerminalError, message: 'StorageAccountAlreadyTaken: The storage account named acct1 is already taken.' },
  { reason: 'a group that exists in another location needs a spec change', err: armError(409, 'InvalidResourceGroupLocation', "Invalid resource group location 'eastus'."), want: TerminalError, message: "InvalidResourceGroupLocation: Invalid resource group location 'eastus'." },
  { reason: 'a group being deleted passes once it is gone', err: armError(409, 'ResourceGroupBeingDeleted', "The resource group 'rg1' is in deprovisioning state."), want: TransientError, message: "ResourceGroupBeingDeleted: The resource group 'rg1' is in deprovisioning state." },
  { reason: 'an unlisted 409 conflict passes when the other operation ends', err: armError(409, 'SomeOperationConflict', 'busy'), want: TransientError, message: 'SomeOperationConflict: busy' },
  { reason: 'a 500 is transient', err: armError(500, 'InternalServerError', 'Encountered internal server error.'), want: TransientError, message: 'InternalServerError: Encountered internal server error.' },
  { reason: 'a 503 without a body is transient', err: armError(503, undefined, ''), want: TransientError, message: 'HTTP 503: HTTP 503 with no error body' },
  { reason: 'a 503 that says when to come back (Retry-After) is throttling', err: armError(503, 'ServiceUnavailable', 'The service is currently unavailable.', { 'retry-after': '12' }), want: ThrottledError, message: 'ServiceUnavailable: The service is currently unavailable.' },
  { reason: 'a 503 with Retry-After: 0 names no wait: transient, with backoff (never a hot loop)', err: armError(503, 'ServiceUnavailable', 'busy', { 'retry-after': '0' }), want: TransientError, message: 'ServiceUnavailable: busy' },
  { reason: 'a refused connection is transient', err: networkError('ECONNREFUSED'), want: TransientError, message: 'REQUEST_SEND_ERROR: connect ECONNREFUSED 127.0.0.1:8443' },
  { reason: 'an aborted call is transient', err: Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' }), want: TransientError, message: 'AbortError: The operation was aborted.' },
  { reason: 'a wrong client secret (AADSTS7000215) needs a credentials change', err: authError(401, 'invalid_client', entra(7000215, invalidSecret)), want: TerminalError, message: `invalid_client: AADSTS7000215: ${invalidSecret}` },
  { reason: 'an unknown application (AADSTS700016) needs a credentials change', err: authError(400, 'unauthorized_client', entra(700016, "Application with identifier 'x' was not found in the directory 't'.")), want: TerminalError, message: "unauthorized_client: AADSTS700016: Application with identifier 'x' was not found in the directory 't'." },
  { reason: 'MSAL\'s ServerError inside AuthenticationRequiredError is read through the cause', err: new AuthenticationRequiredError({ scopes: ['https://management.azure.com/.default'], message: `invalid_client: ${msalDescription(7000215, invalidSecret)}`, cause: msalServerError('invalid_client', msalDescription(7000215, invalidSecret), 401) }), want: TerminalError, message: `invalid_client: AADSTS7000215: ${invalidSecret}` },
  { reason: 'an unknown tenant (MSAL cannot resolve the authority) is retried, and the message says what to check', err: new CredentialUnavailableError('endpoints_resolution_error: See https://aka.ms/msal.js.errors#endpoints_resolution_error for details'), want: TransientError, message: "endpoints_resolution_error: the authority's OpenID configuration (<authorityHost>/<tenantId>/v2.0/.well-known/openid-configuration) could not be read: check spec.tenantId and spec.authorityHost of the ProviderConfig, or whether the authority can be reached" },
  { reason: 'an unknown tenant behind CredentialUnavailableError is terminal (it has an AADSTS code)', err: new CredentialUnavailableError(`ClientSecretCredential: Endpoints cannot be resolved: ${entra(90002, "Tenant 'x' not found.")}`), want: TerminalError, message: "CredentialUnavailableError: ClientSecretCredential: Endpoints cannot be resolved: AADSTS90002: Tenant 'x' not found." },
  { reason: 'an unreachable authority (no AADSTS code) is transient', err: new CredentialUnavailableError('ClientSecretCredential: Endpoints cannot be resolved: network error'), want: TransientError, message: 'CredentialUnavailableError: ClientSecretCredential: Endpoints cannot be resolved: network error' },
  { reason: 'Entra throttling (429) is throttling', err: authError(429, 'temporarily_unavailable', entra(90055, 'TenantThrottlingError: There are too many incoming requests.')), want: ThrottledError, message: 'temporarily_unavailable: AADSTS90055: TenantThrottlingError: There are too many incoming requests.' },
  { reason: 'an Entra hiccup (AADSTS90033, 503) is transient', err: authError(503, 'temporarily_unavailable', entra(90033, 'A transient error has occurred. Please try again.')), want: TransientError, message: 'temporarily_unavailable: AADSTS90033: A transient error has occurred. Please try again.' },
  { reason: 'an Entra 500 is transient', err: authError(500, 'server_error', entra(50000, 'There was an error issuing a token.')), want: TransientError, message: 'server_error: AADSTS50000: There was an error issuing a token.' },
  { reason: 'something unknown is transient', err: 'a string', want: TransientError, message: 'UnknownError: no message' },
];

describe('toPledgeError', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const got = toPledgeError(c.err, 'observe failed', { kind: 'Account' });
      assert.ok(got instanceof c.want, `want ${c.want.name}, got ${got.constructor.name}`);
      assert.equal(got.message, 'observe failed');
      assert.ok(got.cause instanceof c.want, 'the mapped error is the cause and has the same class');
      assert.equal((got.cause as Error).message, c.message);
      assert.equal(describeError(got), `observe failed: ${c.message}`);
    });
  }

  it('takes retryAfterMs from Retry-After seconds', () => {
    const got = toPledgeError(armError(429, 'TooManyRequests', 'slow down', { 'retry-after': '17' }), 'update failed');
    assert.ok(got instanceof ThrottledError);
    assert.equal(got.retryAfterMs, 17_000);
  });

  it('takes retryAfterMs from the Retry-After of a 503 (ARM unavailable), so the core waits that long', () => {
    const got = toPledgeError(armError(503, 'ServiceUnavailable', 'The service is currently unavailable.', { 'retry-after': '12' }), 'observe failed');
    assert.ok(got instanceof ThrottledError, `want ThrottledError, got ${got.constructor.name}`);
    assert.equal(got.retryAfterMs, 12_000);
    assert.equal(got.context.httpStatus, 503);
  });

  it('keeps the core default when there is no Retry-After', () => {
    const got = toPledgeError(armError(429, 'TooManyRequests', 'slow down'), 'update failed');
    assert.ok(got instanceof ThrottledError);
    assert.equal(got.retryAfterMs, new ThrottledError('x').retryAfterMs);
  });

  it('carries ARM request ids and status in the context, with the caller\'s context', () => {
    const got = toPledgeError(armError(403, 'AuthorizationFailed', 'no'), 'observe failed', { kind: 'Account', name: 'a1' });
    assert.deepEqual(got.context, { requestId: 'req-1', correlationId: 'corr-1', httpStatus: 403, kind: 'Account', name: 'a1' });
  });

  it('moves Entra trace ids from the message to the context', () => {
    const got = toPledgeError(authError(401, 'invalid_client', entra(7000215, invalidSecret)), 'connect failed');
    assert.equal(got.context.requestId, '0f1e2d3c-0000-4000-8000-000000000001');
    assert.equal(got.context.correlationId, '0f1e2d3c-0000-4000-8000-000000000002');
    assert.doesNotMatch(describeError(got), /Trace ID|Timestamp/);
  });

  it('never lets the request (bearer token) or the client secret into the error chain', () => {
    const echoed = armError(400, 'InvalidRequestContent', `bad value ${SECRET} in body`);
    const got = toPledgeError(echoed, 'create failed', {}, [SECRET]);
    const seen = JSON.stringify([got, got.cause, got.context, describeError(got)]);
    assert.doesNotMatch(seen, /eyJ\.secret-token|abc8Q~/);
    assert.match(describeError(got), /bad value \[redacted\] in body/);
    assert.equal((got.cause as PledgeError).cause, undefined, 'the SDK error is not kept');
  });

  it('wraps a Pledge error without remapping it', () => {
    const inner = new TerminalError('storage account a1 exists in location eastus');
    const got = toPledgeError(inner, 'observe failed', { name: 'a1' });
    assert.ok(got instanceof TerminalError);
    assert.equal(got.cause, inner);
  });
});

describe('isNotFound', () => {
  it('is true for ARM 404s and wrapped NotFoundErrors, false for a missing subscription', () => {
    assert.equal(isNotFound(armError(404, 'ResourceGroupNotFound', 'x')), true);
    assert.equal(isNotFound(toPledgeError(armError(404, 'ResourceNotFound', 'x'), 'observe failed')), true);
    assert.equal(isNotFound(armError(404, 'SubscriptionNotFound', 'x')), false);
    assert.equal(isNotFound(armError(409, 'Conflict', 'x')), false);
  });
});

describe('azureErrorInfo', () => {
  it('reads the AADSTS code of an identity error', () => {
    const info = azureErrorInfo(authError(401, 'invalid_client', entra(7000215, invalidSecret)));
    assert.equal(info.aadsts, 'AADSTS7000215');
    assert.equal(info.source, 'identity');
    assert.equal(info.httpStatus, 401);
  });
});

describe('splitEntraDescription', () => {
  it('keeps the sentence and takes the ids, whether they follow on the same line or the next', () => {
    const sameLine = splitEntraDescription(entra(90002, "Tenant 'x' not found."));
    assert.equal(sameLine.message, "AADSTS90002: Tenant 'x' not found.");
    const nextLine = splitEntraDescription("AADSTS90002: Tenant 'x' not found.\r\nTrace ID: abc-1\r\nCorrelation ID: def-2\r\nTimestamp: 2025-01-01 00:00:00Z");
    assert.deepEqual(nextLine, { message: "AADSTS90002: Tenant 'x' not found.", traceId: 'abc-1', correlationId: 'def-2' });
  });
});

describe('parseRetryAfter', () => {
  it('reads delta-seconds', () => assert.equal(parseRetryAfter('3'), 3_000));
  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    assert.equal(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now), 10_000);
  });
  it('ignores garbage', () => assert.equal(parseRetryAfter('soon'), undefined));
});

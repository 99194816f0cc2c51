/** The codes ARM, Entra, MSAL and Node use, grouped by what they mean for the reconciler (see errors.ts classify). */

export const THROTTLING_CODES = new Set([
  'TooManyRequests',
  'SubscriptionRequestsThrottled',
  'ResourceGroupRequestsThrottled',
  'TenantRequestsThrottled',
  'RequestsThrottled',
  'temporarily_unavailable_throttled',
]);

export const NOT_FOUND_CODES = new Set(['ResourceNotFound', 'ResourceGroupNotFound', 'StorageAccountNotFound', 'NotFound', 'ParentResourceNotFound']);

/** 4xx answers that retrying fixes: something in flight must finish first. */
export const TRANSIENT_CLIENT_CODES = new Set([
  'AnotherOperationInProgress',
  'ResourceGroupBeingDeleted',
  'StorageAccountIsNotProvisioned',
  'StorageAccountOperationInProgress',
  'OperationInProgress',
  'Conflict',
  'RetryableError',
  'RequestTimeout',
  'GatewayTimeout',
  'temporarily_unavailable',
]);

/** Errors a user fixes by changing the spec, the credentials or their permissions, whatever the HTTP status. */
export const TERMINAL_CODES = new Set([
  'AuthenticationFailed',
  'AuthorizationFailed',
  'LinkedAuthorizationFailed',
  'InvalidAuthenticationToken',
  'InvalidAuthenticationTokenTenant',
  'ExpiredAuthenticationToken',
  'InvalidApiVersionParameter',
  'NoRegisteredProviderFound',
  'MissingSubscriptionRegistration',
  'SubscriptionNotFound',
  'InvalidSubscriptionId',
  'ReadOnlyDisabledSubscription',
  'LocationNotAvailableForResourceType',
  'InvalidResourceGroupLocation',
  'InvalidResourceLocation',
  'InvalidResourceGroup',
  'AccountNameInvalid',
  'StorageAccountAlreadyTaken',
  'StorageAccountAlreadyExists',
  'StorageAccountInAnotherResourceGroup',
  'ScopeLocked',
  'InvalidRequestContent',
  'InvalidRequestFormat',
  'InvalidParameter',
  'InvalidValuesForRequestParameters',
  'InvalidTag',
  'InvalidTagNameCharacters',
  'BadRequest',
  'QuotaExceeded',
  'RequestDisallowedByPolicy',
  // OAuth errors from the token endpoint.
  'invalid_client',
  'unauthorized_client',
  'invalid_request',
  'invalid_grant',
  'invalid_scope',
  'invalid_resource',
]);

/** AADSTS codes that mean Entra had a hiccup, not that the credentials are wrong. */
export const TRANSIENT_AADSTS = new Set(['AADSTS90033', 'AADSTS50196', 'AADSTS90006', 'AADSTS7000112']);

/** Node and SDK conditions that mean the request never got a clear answer. */
export const NETWORK_CODES = new Set([
  'REQUEST_SEND_ERROR',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
  'AbortError',
]);

/** Names of the identity library's and MSAL's error classes. */
export const IDENTITY_NAMES = new Set([
  'AuthenticationError',
  'AuthenticationRequiredError',
  'CredentialUnavailableError',
  'AggregateAuthenticationError',
  'AuthError',
  'ServerError',
  'ClientAuthError',
  'ClientConfigurationError',
  'InteractionRequiredAuthError',
]);

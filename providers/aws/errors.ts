import {
  NotFoundError,
  PledgeError,
  TerminalError,
  ThrottledError,
  TransientError,
  type ErrorContext,
  wrapError,
  parseRetryAfter,
  fieldOf,
  headerOf,
  textOf,
} from '../../core/errors/index.ts';

/** What Pledge reads from an AWS SDK v3 error (S3, RDS, …) or a Node network error. */
export interface AwsErrorInfo {
  /** The cloud's error code (`BucketAlreadyExists`), or `HTTP 500` / a Node code when the cloud sent none. */
  code: string;
  /** The cloud's message; a short stand-in when the cloud sent none (HEAD responses have no body). */
  message: string;
  httpStatus?: number;
  requestId?: string;
  /** The SDK marked the error as throttling. */
  throttling: boolean;
  /** Milliseconds from the Retry-After header, when present. */
  retryAfterMs?: number;
  /** The x-amz-bucket-region header (S3 301/403 answers carry it). */
  bucketRegion?: string;
}

const THROTTLING_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'ThrottledException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'TooManyRequestsException',
  'ProvisionedThroughputExceededException',
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
]);

const NOT_FOUND_CODES = new Set([
  'NotFound',
  'NoSuchBucket',
  'NoSuchKey',
  'DBInstanceNotFound',
  'DBInstanceNotFoundFault',
  'DBSubnetGroupNotFoundFault',
  'DBParameterGroupNotFound',
]);

/** 4xx answers that retrying fixes: the request raced something, or the clock or connection hiccuped. */
const TRANSIENT_CLIENT_CODES = new Set([
  'OperationAborted',
  'RequestTimeout',
  'RequestTimeoutException',
  'RequestTimeTooSkewed',
  'PriorRequestNotComplete',
  'InvalidDBInstanceState',
  'InvalidDBInstanceStateFault',
  'InvalidDBSnapshotState',
  'InvalidDBSnapshotStateFault',
  'InsufficientDBInstanceCapacity',
  'InsufficientDBInstanceCapacityFault',
  'IDPCommunicationError',
]);

/** Errors a user fixes by changing the spec or the credentials, whatever their HTTP status. */
const TERMINAL_CODES = new Set([
  'AccessDenied',
  'AccessDeniedException',
  'AllAccessDisabled',
  'BucketAlreadyExists',
  'BucketNotEmpty',
  'CredentialsProviderError',
  'ExpiredToken',
  'IllegalLocationConstraintException',
  'InvalidAccessKeyId',
  'InvalidArgument',
  'InvalidBucketName',
  'InvalidClientTokenId',
  'InvalidLocationConstraint',
  'InvalidParameterCombination',
  'InvalidParameterValue',
  'InvalidRequest',
  'InvalidTag',
  'MalformedPolicy',
  'MalformedXML',
  'SignatureDoesNotMatch',
  'TooManyBuckets',
  'UnauthorizedOperation',
  'UnrecognizedClientException',
  'DBInstanceAlreadyExists',
  'DBInstanceAlreadyExistsFault',
  'DBSnapshotAlreadyExists',
  'DBSnapshotAlreadyExistsFault',
  'StorageQuotaExceeded',
  'StorageQuotaExceededFault',
  'InstanceQuotaExceeded',
  'InstanceQuotaExceededFault',
  'SnapshotQuotaExceeded',
  'SnapshotQuotaExceededFault',
  'StorageTypeNotSupported',
  'StorageTypeNotSupportedFault',
  'KMSKeyNotAccessibleFault',
  'InvalidVPCNetworkStateFault',
  'InvalidSubnet',
  'DBSubnetGroupDoesNotCoverEnoughAZs',
  'InvalidDBInstanceIdentifier',
]);

/** Node and SDK conditions that mean the request never got a clear answer. */
const NETWORK_CODES = new Set([
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

/** Names the SDK gives an error whose response carried no code (HEAD answers have no body). */
const PLACEHOLDER_NAMES = new Set(['Error', 'Unknown', 'UnknownError']);




const field = fieldOf;
const text = textOf;
const header = (err: unknown, name: string) => headerOf(field(field(err, '$response'), 'headers'), name);

export { parseRetryAfter };

/** Reads code, message, status and request id from anything thrown by an AWS SDK call. */
export function awsErrorInfo(err: unknown): AwsErrorInfo {
  const metadata = field(err, '$metadata');
  const status = field(metadata, 'httpStatusCode');
  const httpStatus = typeof status === 'number' ? status : undefined;
  const name = text(field(err, 'name'));
  const code =
    text(field(err, 'Code')) ??
    (name !== undefined && !PLACEHOLDER_NAMES.has(name) && !/^\d+$/.test(name) ? name : undefined) ??
    text(field(err, 'code')) ??
    (httpStatus !== undefined ? `HTTP ${httpStatus}` : (name ?? 'UnknownError'));
  const raw = text(field(err, 'message'));
  // HEAD answers have no body, so the SDK's message is "UnknownError" or the status: say what is known instead.
  const message =
    raw !== undefined && raw !== 'UnknownError' && raw !== code
      ? raw
      : httpStatus === undefined
        ? 'no message'
        : code === `HTTP ${httpStatus}`
          ? 'no error body'
          : `HTTP ${httpStatus} with no error body`;
  const retryable = field(err, '$retryable');
  return {
    code,
    message,
    httpStatus,
    requestId: text(field(metadata, 'requestId')) ?? text(field(err, 'RequestId')),
    throttling: field(retryable, 'throttling') === true,
    retryAfterMs: parseRetryAfter(header(err, 'retry-after')),
    bucketRegion: header(err, 'x-amz-bucket-region'),
  };
}

type ErrorClass = typeof NotFoundError | typeof ThrottledError | typeof TerminalError | typeof TransientError;

/** The one place that decides what an AWS failure means for the reconciler. */
export function classify(info: AwsErrorInfo): ErrorClass {
  const { code, httpStatus } = info;
  if (info.throttling || THROTTLING_CODES.has(code) || httpStatus === 429) return ThrottledError;
  // S3 answers HEAD without a body; both of its documented 503s mean "reduce your request rate".
  if (httpStatus === 503 && code === 'HTTP 503') return ThrottledError;
  // A 503 that names its wait is the service saying when to come back: wait that long and pause the bucket.
  if (httpStatus === 503 && (info.retryAfterMs ?? 0) > 0) return ThrottledError;
  if (NOT_FOUND_CODES.has(code)) return NotFoundError;
  if (TRANSIENT_CLIENT_CODES.has(code) || NETWORK_CODES.has(code)) return TransientError;
  if (TERMINAL_CODES.has(code)) return TerminalError;
  if (httpStatus === 404) return NotFoundError;
  if (httpStatus !== undefined && httpStatus >= 400 && httpStatus < 500) return TerminalError;
  return TransientError;
}

/**
 * Maps anything an AWS SDK call threw to Pledge's typed errors, wrapped with `message` (what was being
 * attempted). The mapped error's message is `"<AWS code>: <AWS message>"`; its context carries
 * requestId and httpStatus.
 *
 * The SDK error is deliberately not kept as `cause`: its message would repeat in describeError, and its
 * unmodelled fields (AWSAccessKeyId, StringToSign, SignatureProvided on SignatureDoesNotMatch) would reach
 * logs through the error serializer. Code, message, status and request id are copied instead.
 */
export function toPledgeError(err: unknown, message: string, context: ErrorContext = {}): PledgeError {
  if (err instanceof PledgeError) return wrapError(err, message, context);
  const info = awsErrorInfo(err);
  const Class = classify(info);
  const options = { context: definedOnly({ requestId: info.requestId, httpStatus: info.httpStatus }) };
  const mapped =
    Class === ThrottledError
      ? new ThrottledError(`${info.code}: ${info.message}`, { ...options, retryAfterMs: info.retryAfterMs })
      : new Class(`${info.code}: ${info.message}`, options);
  return wrapError(mapped, message, context);
}

function definedOnly(record: Record<string, string | number | undefined>): ErrorContext {
  return Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { S3ServiceException } from '@aws-sdk/client-s3';
import { RDSServiceException } from '@aws-sdk/client-rds';
import {
  describeError,
  NotFoundError,
  type PledgeError,
  TerminalError,
  ThrottledError,
  TransientError,
} from '../../core/errors/index.ts';
import { parseRetryAfter, toPledgeError } from './errors.ts';

type Class = typeof NotFoundError | typeof ThrottledError | typeof TerminalError | typeof TransientError;

function s3Error(name: string, status: number | undefined, message: string, extra: Record<string, unknown> = {}): S3ServiceException {
  const err = new S3ServiceException({
    name,
    $fault: status !== undefined && status >= 500 ? 'server' : 'client',
    $metadata: { httpStatusCode: status, requestId: 'REQ123' },
    message,
  });
  return Object.assign(err, extra);
}

function withHeaders(err: S3ServiceException, headers: Record<string, string>): S3ServiceException {
  err.$response = { statusCode: err.$metadata.httpStatusCode ?? 0, headers, body: undefined };
  return err;
}

/** As the SDK builds them from an RDS (query protocol) answer: the class name ends in Fault, Code is the wire code. */
function rdsError(name: string, code: string, status: number, message: string): RDSServiceException {
  const err = new RDSServiceException({ name, $fault: status >= 500 ? 'server' : 'client', $metadata: { httpStatusCode: status, requestId: 'REQ456' }, message });
  return Object.assign(err, { Code: code });
}

function networkError(code: string): Error {
  return Object.assign(new Error(`connect ${code} 127.0.0.1:5055`), { code });
}

const cases: Array<{ reason: string; err: unknown; want: Class; message: string }> = [
  { reason: 'a missing bucket is NotFound', err: s3Error('NoSuchBucket', 404, 'The specified bucket does not exist'), want: NotFoundError, message: 'NoSuchBucket: The specified bucket does not exist' },
  { reason: 'HEAD 404 has no body; the SDK names it NotFound', err: s3Error('NotFound', 404, 'UnknownError'), want: NotFoundError, message: 'NotFound: HTTP 404 with no error body' },
  { reason: 'HEAD 403 has no body; the SDK names it Unknown', err: s3Error('Unknown', 403, 'UnknownError'), want: TerminalError, message: 'HTTP 403: no error body' },
  { reason: 'an unmodelled 404 is NotFound', err: s3Error('NoSuchThing', 404, 'gone'), want: NotFoundError, message: 'NoSuchThing: gone' },
  { reason: 'RDS names its own not-found code', err: new RDSServiceException({ name: 'DBInstanceNotFound', $fault: 'client', $metadata: { httpStatusCode: 404 }, message: 'DBInstance db1 not found.' }), want: NotFoundError, message: 'DBInstanceNotFound: DBInstance db1 not found.' },
  { reason: 'S3 SlowDown (503) is throttling, not an outage', err: s3Error('SlowDown', 503, 'Please reduce your request rate.'), want: ThrottledError, message: 'SlowDown: Please reduce your request rate.' },
  { reason: 'Throttling is throttling', err: s3Error('Throttling', 400, 'Rate exceeded'), want: ThrottledError, message: 'Throttling: Rate exceeded' },
  { reason: 'ThrottlingException is throttling', err: s3Error('ThrottlingException', 400, 'Rate exceeded'), want: ThrottledError, message: 'ThrottlingException: Rate exceeded' },
  { reason: 'RequestLimitExceeded is throttling', err: s3Error('RequestLimitExceeded', 503, 'Request limit exceeded.'), want: ThrottledError, message: 'RequestLimitExceeded: Request limit exceeded.' },
  { reason: 'TooManyRequestsException is throttling', err: s3Error('TooManyRequestsException', 429, 'Too many'), want: ThrottledError, message: 'TooManyRequestsException: Too many' },
  { reason: 'any 429 is throttling', err: s3Error('Whatever', 429, 'slow down'), want: ThrottledError, message: 'Whatever: slow down' },
  { reason: 'the SDK retryable throttling trait is throttling', err: Object.assign(s3Error('Odd', 400, 'odd'), { $retryable: { throttling: true } }), want: ThrottledError, message: 'Odd: odd' },
  { reason: 'the name is taken by another account', err: s3Error('BucketAlreadyExists', 409, 'The requested bucket name is not available.'), want: TerminalError, message: 'BucketAlreadyExists: The requested bucket name is not available.' },
  { reason: 'an invalid name needs a spec change', err: s3Error('InvalidBucketName', 400, 'The specified bucket is not valid.'), want: TerminalError, message: 'InvalidBucketName: The specified bucket is not valid.' },
  { reason: 'AccessDenied needs a policy change', err: s3Error('AccessDenied', 403, 'Access Denied'), want: TerminalError, message: 'AccessDenied: Access Denied' },
  { reason: 'a wrong access key needs a credentials change', err: s3Error('InvalidAccessKeyId', 403, 'The AWS Access Key Id you provided does not exist in our records.'), want: TerminalError, message: 'InvalidAccessKeyId: The AWS Access Key Id you provided does not exist in our records.' },
  { reason: 'a wrong secret key needs a credentials change', err: s3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match the signature you provided.'), want: TerminalError, message: 'SignatureDoesNotMatch: The request signature we calculated does not match the signature you provided.' },
  { reason: 'a region that does not fit the endpoint', err: s3Error('IllegalLocationConstraintException', 400, 'The eu-west-1 location constraint is incompatible'), want: TerminalError, message: 'IllegalLocationConstraintException: The eu-west-1 location constraint is incompatible' },
  { reason: 'InvalidArgument needs a spec change', err: s3Error('InvalidArgument', 400, 'bad'), want: TerminalError, message: 'InvalidArgument: bad' },
  { reason: 'MalformedPolicy needs a spec change', err: s3Error('MalformedPolicy', 400, 'Policy has invalid resource'), want: TerminalError, message: 'MalformedPolicy: Policy has invalid resource' },
  { reason: 'an unlisted 4xx is the user\'s to fix', err: s3Error('InvalidStorageClass', 400, 'nope'), want: TerminalError, message: 'InvalidStorageClass: nope' },
  { reason: 'a conflicting operation in flight (409) passes on retry', err: s3Error('OperationAborted', 409, 'A conflicting conditional operation is currently in progress'), want: TransientError, message: 'OperationAborted: A conflicting conditional operation is currently in progress' },
  { reason: 'a request timeout (400) passes on retry', err: s3Error('RequestTimeout', 400, 'Your socket connection to the server was not read from or written to'), want: TransientError, message: 'RequestTimeout: Your socket connection to the server was not read from or written to' },
  { reason: 'a 500 is transient', err: s3Error('InternalError', 500, 'We encountered an internal error.'), want: TransientError, message: 'InternalError: We encountered an internal error.' },
  { reason: 'HEAD 503 has no body: S3 means slow down (the only 503s it documents)', err: s3Error('Unknown', 503, 'UnknownError'), want: ThrottledError, message: 'HTTP 503: no error body' },
  { reason: 'a 503 that is not SlowDown is transient', err: s3Error('ServiceUnavailable', 503, 'Service is unable to handle request.'), want: TransientError, message: 'ServiceUnavailable: Service is unable to handle request.' },
  { reason: 'an unparseable 500 (HTML body) is transient', err: Object.assign(new Error('XML parse error'), { $metadata: { httpStatusCode: 500 } }), want: TransientError, message: 'HTTP 500: XML parse error' },
  { reason: 'a refused connection is transient', err: networkError('ECONNREFUSED'), want: TransientError, message: 'ECONNREFUSED: connect ECONNREFUSED 127.0.0.1:5055' },
  { reason: 'a reset connection is transient', err: networkError('ECONNRESET'), want: TransientError, message: 'ECONNRESET: connect ECONNRESET 127.0.0.1:5055' },
  { reason: 'an SDK timeout is transient', err: Object.assign(new Error('Connection timed out after 5000 ms'), { name: 'TimeoutError' }), want: TransientError, message: 'TimeoutError: Connection timed out after 5000 ms' },
  { reason: 'something unknown is transient', err: 'a string', want: TransientError, message: 'UnknownError: no message' },
  { reason: 'RDS: the wire code wins over the Fault class name', err: rdsError('DBInstanceNotFoundFault', 'DBInstanceNotFound', 404, 'DBInstance db1 not found.'), want: NotFoundError, message: 'DBInstanceNotFound: DBInstance db1 not found.' },
  { reason: 'RDS: an identifier taken (outside a create retry) is the user\'s to fix', err: rdsError('DBInstanceAlreadyExistsFault', 'DBInstanceAlreadyExists', 400, 'DB instance already exists'), want: TerminalError, message: 'DBInstanceAlreadyExists: DB instance already exists' },
  { reason: 'RDS: an instance busy modifying passes on retry', err: rdsError('InvalidDBInstanceStateFault', 'InvalidDBInstanceState', 400, 'Instance is not available'), want: TransientError, message: 'InvalidDBInstanceState: Instance is not available' },
  { reason: 'RDS: a bad parameter value needs a spec change', err: rdsError('InvalidParameterValueException', 'InvalidParameterValue', 400, 'Invalid storage size'), want: TerminalError, message: 'InvalidParameterValue: Invalid storage size' },
  { reason: 'RDS: a parameter combination needs a spec change', err: rdsError('InvalidParameterCombinationException', 'InvalidParameterCombination', 400, 'Cannot shrink storage'), want: TerminalError, message: 'InvalidParameterCombination: Cannot shrink storage' },
  { reason: 'RDS: a storage quota needs a quota raise', err: rdsError('StorageQuotaExceededFault', 'StorageQuotaExceeded', 400, 'Quota exceeded'), want: TerminalError, message: 'StorageQuotaExceeded: Quota exceeded' },
  { reason: 'RDS: a final snapshot name taken needs another name', err: rdsError('DBSnapshotAlreadyExistsFault', 'DBSnapshotAlreadyExists', 400, 'exists'), want: TerminalError, message: 'DBSnapshotAlreadyExists: exists' },
  { reason: 'RDS: no capacity for the class right now passes on retry', err: rdsError('InsufficientDBInstanceCapacityFault', 'InsufficientDBInstanceCapacity', 400, 'no capacity'), want: TransientError, message: 'InsufficientDBInstanceCapacity: no capacity' },
  { reason: 'RDS: Throttling (400) is throttling', err: rdsError('ThrottlingException', 'Throttling', 400, 'Rate exceeded'), want: ThrottledError, message: 'Throttling: Rate exceeded' },
];

describe('toPledgeError', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const got = toPledgeError(c.err, 'observe failed', { kind: 'Bucket' });
      assert.ok(got instanceof c.want, `want ${c.want.name}, got ${got.constructor.name}`);
      assert.equal(got.message, 'observe failed');
      assert.ok(got.cause instanceof c.want, 'the mapped error is the cause and has the same class');
      assert.equal((got.cause as Error).message, c.message);
      assert.equal(describeError(got), `observe failed: ${c.message}`);
    });
  }

  it('reads "create failed: <code>: <message>" for the condition, once', () => {
    const got = toPledgeError(s3Error('BucketAlreadyExists', 409, 'The requested bucket name is not available.'), 'create failed');
    assert.equal(describeError(got), 'create failed: BucketAlreadyExists: The requested bucket name is not available.');
  });

  it('carries requestId and httpStatus in the context, with the caller\'s context', () => {
    const got = toPledgeError(s3Error('AccessDenied', 403, 'Access Denied'), 'observe failed', { kind: 'Bucket', name: 'b1' });
    assert.deepEqual(got.context, { requestId: 'REQ123', httpStatus: 403, kind: 'Bucket', name: 'b1' });
  });

  it('takes retryAfterMs from Retry-After seconds', () => {
    const got = toPledgeError(withHeaders(s3Error('SlowDown', 503, 'slow'), { 'Retry-After': '7' }), 'update failed');
    assert.ok(got instanceof ThrottledError);
    assert.equal(got.retryAfterMs, 7_000);
  });

  it('a 503 that names its wait (Retry-After) is throttling with that wait, as for Azure and GCS; without one it stays transient', () => {
    const got = toPledgeError(withHeaders(s3Error('ServiceUnavailable', 503, 'Service is unable to handle request.'), { 'Retry-After': '9' }), 'observe failed');
    assert.ok(got instanceof ThrottledError, `want ThrottledError, got ${got.constructor.name}`);
    assert.equal(got.retryAfterMs, 9_000);
    const zero = toPledgeError(withHeaders(s3Error('ServiceUnavailable', 503, 'busy'), { 'Retry-After': '0' }), 'observe failed');
    assert.ok(zero instanceof TransientError, 'Retry-After: 0 names no wait: backoff, never a hot loop');
  });

  it('keeps the core default when there is no Retry-After', () => {
    const got = toPledgeError(s3Error('SlowDown', 503, 'slow'), 'update failed');
    assert.ok(got instanceof ThrottledError);
    assert.equal(got.retryAfterMs, new ThrottledError('x').retryAfterMs);
  });

  it('never lets unmodelled SDK fields (signing material) into the error chain', () => {
    const err = s3Error('SignatureDoesNotMatch', 403, 'The request signature we calculated does not match', {
      AWSAccessKeyId: 'AKIASECRETISH',
      StringToSign: 'AWS4-HMAC-SHA256 ...',
      SignatureProvided: 'deadbeef',
    });
    const got = toPledgeError(err, 'observe failed');
    const seen = JSON.stringify([got, got.cause, got.context, describeError(got)]);
    assert.doesNotMatch(seen, /AKIASECRETISH|deadbeef|AWS4-HMAC/);
    assert.equal((got.cause as PledgeError).cause, undefined);
  });

  it('wraps a Pledge error without remapping it', () => {
    const inner = new TerminalError('bucket exists in region eu-west-1');
    const got = toPledgeError(inner, 'observe failed', { name: 'b1' });
    assert.ok(got instanceof TerminalError);
    assert.equal(got.cause, inner);
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

/**
 * S3, path-style: buckets (create, head, list, location, delete), the bucket settings in
 * s3-bucket-config.ts, and plain objects (put, get, head, delete, list) so that BucketNotEmpty is real.
 */
import { createHash } from 'node:crypto';
import { AWS_REGIONS, awsCaller, type AwsCaller } from './aws.ts';
import { bucketConfigOperation } from './s3-bucket-config.ts';
import { NEW_BUCKET_DEFAULTS, noSuchBucket, S3_NS, s3Error, s3RequestIds, type S3Bucket } from './s3-records.ts';
import { isoTime, type ServiceContext } from './service-context.ts';
import { empty, header, xml, type SimRequest, type SimResponse, type SimRoute, type SimService } from './sim-http.ts';
import { el, parseXml, raw, textOf } from './xml.ts';

/** A request for one bucket, from a caller. */
export type S3Call = { req: SimRequest; caller: AwsCaller; bucket: string; now: number };

/** Sub-resources cloudsim does not simulate: answered 501 NotImplemented rather than misread. */
const UNSUPPORTED_SUBRESOURCES = [
  'acl', 'cors', 'lifecycle', 'website', 'logging', 'notification', 'replication', 'accelerate', 'requestPayment', 'object-lock',
  'intelligent-tiering', 'analytics', 'metrics', 'inventory', 'uploads', 'versions', 'delete', 'policyStatus', 'uploadId', 'restore', 'select', 'attributes', 'retention', 'legal-hold', 'torrent',
];

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function validBucketName(name: string): boolean {
  return BUCKET_NAME.test(name) && !name.includes('..') && !/^\d+\.\d+\.\d+\.\d+$/.test(name) && !name.startsWith('xn--') && !name.startsWith('sthree-') && !name.endsWith('-s3alias') && !name.endsWith('--ol-s3');
}

const OBJECT_OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

export function createS3Service(ctx: ServiceContext): SimService {
  const buckets = () => ctx.store.state.s3.buckets;
  const ids = s3RequestIds;

  function listBuckets(req: SimRequest, caller: AwsCaller): SimResponse {
    const prefix = req.query.get('prefix') ?? '';
    const region = req.query.get('bucket-region');
    const maxText = req.query.get('max-buckets');
    const max = maxText === null ? 10_000 : Number(maxText);
    if (!Number.isInteger(max) || max < 1 || max > 10_000) return s3Error(req.method, 400, 'InvalidArgument', 'max-buckets must be an integer from 1 to 10000', { ArgumentName: 'max-buckets' });
    const token = req.query.get('continuation-token');
    const after = token ? Buffer.from(token, 'base64url').toString('utf8') : '';
    const mine = Object.values(buckets())
      .filter((b) => b.account === caller.account && b.name.startsWith(prefix) && (region === null || b.region === region) && b.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const page = mine.slice(0, max);
    const last = page[page.length - 1];
    const next = mine.length > max && last ? Buffer.from(last.name).toString('base64url') : undefined;
    const items = page.map((b) => raw('Bucket', `${el('Name', b.name)}${el('CreationDate', isoTime(b.createdAt))}${el('BucketRegion', b.region)}${el('BucketArn', `arn:aws:s3:::${b.name}`)}`)).join('');
    const owner = raw('Owner', `${el('DisplayName', `account-${caller.account}`)}${el('ID', createHash('sha256').update(caller.account).digest('hex'))}`);
    return xml(
      200,
      `<ListAllMyBucketsResult xmlns="${S3_NS}">${owner}${raw('Buckets', items)}${el('ContinuationToken', next)}${prefix ? el('Prefix', prefix) : ''}</ListAllMyBucketsResult>`,
      ids(),
    );
  }

  function createBucket(call: S3Call): SimResponse {
    const { req, caller, bucket } = call;
    if (!validBucketName(bucket)) return s3Error(req.method, 400, 'InvalidBucketName', 'The specified bucket is not valid.', { BucketName: bucket });
    let constraint = '';
    if (req.body.length > 0) {
      try {
        constraint = textOf(parseXml(req.body.toString('utf8')), 'LocationConstraint') ?? '';
      } catch {
        return s3Error(req.method, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');
      }
    }
    if (constraint !== '' && (!(AWS_REGIONS as readonly string[]).includes(constraint) || constraint === 'us-east-1')) {
      return s3Error(req.method, 400, 'InvalidLocationConstraint', 'The specified location-constraint is not valid', { LocationConstraint: constraint });
    }
    if (caller.region !== 'us-east-1' && constraint !== caller.region) {
      const what = constraint === '' ? 'unspecified' : constraint;
      return s3Error(req.method, 400, 'IllegalLocationConstraintException', `The ${what} location constraint is incompatible for the region specific endpoint this request was sent to.`);
    }
    const region = constraint || 'us-east-1';
    const ownership = header(req, 'x-amz-object-ownership');
    if (ownership !== undefined && !OBJECT_OWNERSHIP.includes(ownership)) return s3Error(req.method, 400, 'InvalidArgument', 'Invalid x-amz-object-ownership header', { ArgumentName: 'x-amz-object-ownership' });
    const existing = buckets()[bucket];
    if (existing) {
      if (existing.account !== caller.account) {
        return s3Error(req.method, 409, 'BucketAlreadyExists', 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.', { BucketName: bucket });
      }
      // Legacy us-east-1 behaviour: re-creating your own bucket there succeeds.
      if (existing.region === 'us-east-1' && region === 'us-east-1') return empty(200, { ...ids(), location: `/${bucket}` });
      return s3Error(req.method, 409, 'BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', { BucketName: bucket });
    }
    buckets()[bucket] = {
      name: bucket,
      account: caller.account,
      region,
      createdAt: call.now,
      encryption: { ...NEW_BUCKET_DEFAULTS.encryption },
      publicAccessBlock: { ...NEW_BUCKET_DEFAULTS.publicAccessBlock },
      ownership: ownership ?? NEW_BUCKET_DEFAULTS.ownership,
      objects: {},
    };
    ctx.store.changed();
    return empty(200, { ...ids(), location: `/${bucket}` });
  }

  /** The caller's bucket, or S3's 404 / 403 / 301 (wrong region; GetBucketLocation answers from anywhere). */
  function access(call: S3Call, operation: string): S3Bucket | SimResponse {
    const { req, caller, bucket } = call;
    const found = buckets()[bucket];
    if (found === undefined) return req.method === 'HEAD' ? s3Error('HEAD', 404, 'NotFound', 'Not Found') : noSuchBucket(req.method, bucket);
    if (found.account !== caller.account) return s3Error(req.method, 403, 'AccessDenied', 'Access Denied');
    if (found.region !== caller.region && operation !== 'GetBucketLocation') {
      return s3Error(
        req.method,
        301,
        'PermanentRedirect',
        'The bucket you are attempting to access must be addressed using the specified endpoint. Please send all future requests to this endpoint.',
        { Endpoint: `s3.${found.region}.amazonaws.com`, Bucket: bucket },
        { 'x-amz-bucket-region': found.region },
      );
    }
    return found;
  }

  function bucketOperation(call: S3Call, operation: string, handle: (bucket: S3Bucket) => SimResponse): SimResponse {
    const found = access(call, operation);
    return 'objects' in found ? handle(found) : found;
  }

  function objectOperation(call: S3Call, key: string, operation: string): SimResponse {
    return bucketOperation(call, operation, (bucket) => {
      const { req } = call;
      const object = bucket.objects[key];
      switch (operation) {
        case 'PutObject': {
          const etag = `"${createHash('md5').update(req.body).digest('hex')}"`;
          bucket.objects[key] = { body: req.body.toString('base64'), etag, contentType: header(req, 'content-type') ?? 'binary/octet-stream', lastModified: call.now };
          ctx.store.changed();
          return empty(200, { ...ids(), etag });
        }
        case 'DeleteObject':
          delete bucket.objects[key];
          ctx.store.changed();
          return empty(204, ids());
        default: {
          if (object === undefined) return s3Error(req.method, 404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
          const body = Buffer.from(object.body, 'base64');
          const headers = { ...ids(), etag: object.etag, 'content-type': object.contentType, 'last-modified': new Date(object.lastModified).toUTCString(), 'content-length': body.length };
          return { status: 200, headers, body };
        }
      }
    });
  }

  function listObjects(call: S3Call, bucket: S3Bucket): SimResponse {
    const prefix = call.req.query.get('prefix') ?? '';
    const keys = Object.keys(bucket.objects).filter((k) => k.startsWith(prefix)).sort().slice(0, 1000);
    const contents = keys
      .map((k) => {
        const o = bucket.objects[k];
        return o ? raw('Contents', `${el('Key', k)}${el('LastModified', isoTime(o.lastModified))}${el('ETag', o.etag)}${el('Size', Buffer.from(o.body, 'base64').length)}${el('StorageClass', 'STANDARD')}`) : '';
      })
      .join('');
    return xml(200, `<ListBucketResult xmlns="${S3_NS}">${el('Name', bucket.name)}${el('Prefix', prefix)}${el('KeyCount', keys.length)}${el('MaxKeys', 1000)}${el('IsTruncated', false)}${contents}</ListBucketResult>`, ids());
  }

  function deleteBucket(call: S3Call, bucket: S3Bucket): SimResponse {
    if (Object.keys(bucket.objects).length > 0) return s3Error(call.req.method, 409, 'BucketNotEmpty', 'The bucket you tried to delete is not empty', { BucketName: bucket.name });
    delete buckets()[bucket.name];
    ctx.store.changed();
    return empty(204, ids());
  }

  return {
    name: 's3',
    route(req: SimRequest): SimRoute | undefined {
      const caller = awsCaller(req, ctx.federation.awsSessions);
      if (caller.service !== undefined && caller.service !== 's3') return undefined;
      const [bucket = '', ...rest] = req.path.split('/').slice(1);
      const key = rest.join('/');
      const now = ctx.runtime.now();
      const call: S3Call = { req, caller, bucket, now };
      const { method } = req;
      if (bucket === '') return method === 'GET' ? { operation: 'ListBuckets', handle: () => listBuckets(req, caller) } : undefined;
      const unsupported = UNSUPPORTED_SUBRESOURCES.find((s) => req.query.has(s));
      if (unsupported !== undefined) {
        return { operation: 'Unsupported', handle: () => s3Error(method, 501, 'NotImplemented', `cloudsim does not simulate the ?${unsupported} sub-resource`) };
      }
      if (key !== '') {
        const operation = { PUT: 'PutObject', GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' }[method];
        return operation === undefined ? undefined : { operation, handle: () => objectOperation(call, key, operation) };
      }
      const config = bucketConfigOperation(method, req.query);
      if (config !== undefined) return { operation: config.operation, handle: () => bucketOperation(call, config.operation, (b) => config.handle(ctx, call, b)) };
      switch (method) {
        case 'PUT':
          return { operation: 'CreateBucket', handle: () => createBucket(call) };
        case 'HEAD':
          return {
            operation: 'HeadBucket',
            handle: () => bucketOperation(call, 'HeadBucket', (b) => empty(200, { ...ids(), 'x-amz-bucket-region': b.region, 'x-amz-access-point-alias': 'false' })),
          };
        case 'DELETE':
          return { operation: 'DeleteBucket', handle: () => bucketOperation(call, 'DeleteBucket', (b) => deleteBucket(call, b)) };
        case 'GET':
          if (req.query.has('location')) {
            return {
              operation: 'GetBucketLocation',
              handle: () =>
                bucketOperation(call, 'GetBucketLocation', (b) =>
                  xml(200, b.region === 'us-east-1' ? `<LocationConstraint xmlns="${S3_NS}"/>` : `<LocationConstraint xmlns="${S3_NS}">${b.region}</LocationConstraint>`, ids()),
                ),
            };
          }
          return { operation: 'ListObjectsV2', handle: () => bucketOperation(call, 'ListObjectsV2', (b) => listObjects(call, b)) };
        default:
          return undefined;
      }
    },
    throttled: (req, retryAfterSeconds) => s3Error(req.method, 503, 'SlowDown', 'Please reduce your request rate.', {}, { 'retry-after': retryAfterSeconds }),
    internalError: (req) => s3Error(req.method, 500, 'InternalError', 'We encountered an internal error. Please try again.'),
    unavailable: (req, retryAfterSeconds) => s3Error(req.method, 503, 'ServiceUnavailable', 'Service is unable to handle request.', {}, { 'retry-after': retryAfterSeconds }),
  };
}

/**
 * GCS JSON API bucket operations as @google-cloud/storage calls them (insert, get, patch, update, delete,
 * list), metageneration preconditions, and the few object calls in gcs-objects.ts. Requests without an
 * Authorization header are served (as the emulators do); a token that is present must be valid.
 */
import { readBucketFields, type BucketFields } from './gcs-bucket-fields.ts';
import { insertObject, listObjects, objectOperation } from './gcs-objects.ts';
import { bucketJson, bucketNotFound, gcsError, type GcsBucket } from './gcs-records.ts';
import { googleCaller } from './google-oauth.ts';
import type { ServiceContext } from './service-context.ts';
import { empty, isRecord, isResponse, json, jsonBody, type SimRequest, type SimResponse, type SimRoute, type SimService } from './sim-http.ts';

const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

export function validGcsBucketName(name: string): boolean {
  const parts = name.split('.');
  return BUCKET_NAME.test(name) && parts.every((p) => p.length > 0 && p.length <= 63) && (name.length <= 63 || name.includes('.')) && !name.startsWith('goog') && !name.includes('google') && !/^\d+\.\d+\.\d+\.\d+$/.test(name);
}

export const GCS_LIST_DEFAULTS = { maxResults: 1000 } as const;

export function createGcsService(ctx: ServiceContext): SimService {
  const buckets = () => ctx.store.state.gcs.buckets;

  /** 412 (or 304 for a GET) when ifMetagenerationMatch / ifMetagenerationNotMatch say so. */
  function precondition(req: SimRequest, bucket: GcsBucket): SimResponse | undefined {
    const match = req.query.get('ifMetagenerationMatch');
    const notMatch = req.query.get('ifMetagenerationNotMatch');
    if (match !== null && Number(match) !== bucket.metageneration) return gcsError(412, 'conditionNotMet', 'Precondition Failed', {}, { locationType: 'header', location: 'If-Match' });
    if (notMatch !== null && Number(notMatch) === bucket.metageneration) {
      return req.method === 'GET' ? empty(304) : gcsError(412, 'conditionNotMet', 'Precondition Failed', {}, { locationType: 'header', location: 'If-None-Match' });
    }
    return undefined;
  }

  function apply(bucket: GcsBucket, fields: BucketFields): void {
    if (fields.uniformBucketLevelAccess !== undefined && fields.uniformBucketLevelAccess !== bucket.uniformBucketLevelAccess) {
      if (fields.uniformBucketLevelAccess) bucket.uniformSince = bucket.updated;
      else delete bucket.uniformSince;
    }
    Object.assign(bucket, fields);
  }

  function insert(req: SimRequest, now: number): SimResponse {
    const project = req.query.get('project');
    if (!project) return gcsError(400, 'required', 'Required parameter: project');
    const body = jsonBody(req);
    if (!isRecord(body)) return gcsError(400, 'parseError', 'Parse Error');
    if (typeof body.name !== 'string' || body.name === '') return gcsError(400, 'required', 'Required');
    const name = body.name;
    if (!validGcsBucketName(name)) return gcsError(400, 'invalid', `Invalid bucket name: '${name}'`);
    const existing = buckets()[name];
    if (existing) {
      return gcsError(
        409,
        'conflict',
        existing.projectId === project
          ? 'Your previous request to create the named bucket succeeded and you already own it.'
          : 'The requested bucket name is not available. The bucket namespace is shared by all users of the system. Please select a different name and try again.',
      );
    }
    const fields = readBucketFields({ location: 'US', ...body }, undefined, 'insert');
    if (isResponse(fields)) return fields;
    const bucket: GcsBucket = {
      name,
      projectId: project,
      location: fields.location ?? 'US',
      storageClass: 'STANDARD',
      versioning: false,
      labels: {},
      uniformBucketLevelAccess: false,
      publicAccessPrevention: 'inherited',
      lifecycleRules: [],
      metageneration: 1,
      generation: now * 1000,
      created: now,
      updated: now,
      objects: {},
    };
    apply(bucket, fields);
    buckets()[name] = bucket;
    ctx.store.changed();
    return json(200, bucketJson(bucket, req.origin));
  }

  function change(req: SimRequest, bucket: GcsBucket, mode: 'patch' | 'replace', now: number): SimResponse {
    const body = jsonBody(req);
    if (!isRecord(body)) return gcsError(400, 'parseError', 'Parse Error');
    if (body.name !== undefined && body.name !== bucket.name) return gcsError(400, 'invalid', 'The name of a bucket cannot be changed.');
    const fields = readBucketFields(body, bucket, mode);
    if (isResponse(fields)) return fields;
    bucket.updated = now;
    apply(bucket, fields);
    bucket.metageneration += 1;
    ctx.store.changed();
    return json(200, bucketJson(bucket, req.origin));
  }

  function list(req: SimRequest): SimResponse {
    const project = req.query.get('project');
    if (!project) return gcsError(400, 'required', 'Required parameter: project');
    const prefix = req.query.get('prefix') ?? '';
    const max = Number(req.query.get('maxResults') ?? GCS_LIST_DEFAULTS.maxResults);
    if (!Number.isInteger(max) || max < 1) return gcsError(400, 'invalid', `Invalid value for maxResults: ${req.query.get('maxResults') ?? ''}`);
    const after = req.query.get('pageToken') ? Buffer.from(req.query.get('pageToken') ?? '', 'base64url').toString('utf8') : '';
    const all = Object.values(buckets())
      .filter((b) => b.projectId === project && b.name.startsWith(prefix) && b.name > after)
      .sort((a, b) => (a.name < b.name ? -1 : 1));
    const items = all.slice(0, max);
    const last = items[items.length - 1];
    return json(200, {
      kind: 'storage#buckets',
      ...(all.length > max && last ? { nextPageToken: Buffer.from(last.name).toString('base64url') } : {}),
      ...(items.length > 0 ? { items: items.map((b) => bucketJson(b, req.origin)) } : {}),
    });
  }

  /** Runs handle on the named bucket after the 404 and precondition checks. */
  function withBucket(req: SimRequest, name: string, handle: (bucket: GcsBucket) => SimResponse): SimResponse {
    const bucket = buckets()[name];
    if (bucket === undefined) return bucketNotFound();
    return precondition(req, bucket) ?? handle(bucket);
  }

  function routeOf(req: SimRequest): { operation: string; run: (now: number) => SimResponse } | undefined {
    const segments = req.url.pathname.split('/').slice(1).map((s) => decodeURIComponent(s));
    const upload = segments[0] === 'upload';
    const [api, version, b, bucketName, o, ...objectParts] = upload ? segments.slice(1) : segments;
    if (api !== 'storage' || version !== 'v1' || b !== 'b') return undefined;
    const objectName = objectParts.join('/');
    const m = req.method;
    if (bucketName === undefined || bucketName === '') {
      if (m === 'POST' && !upload) return { operation: 'buckets.insert', run: (now) => insert(req, now) };
      if (m === 'GET' && !upload) return { operation: 'buckets.list', run: () => list(req) };
      return undefined;
    }
    if (o === undefined) {
      const op = { GET: 'buckets.get', PATCH: 'buckets.patch', PUT: 'buckets.update', DELETE: 'buckets.delete' }[m];
      if (op === undefined || upload) return undefined;
      return {
        operation: op,
        run: (now) =>
          withBucket(req, bucketName, (bucket) => {
            if (m === 'GET') return json(200, bucketJson(bucket, req.origin));
            if (m === 'DELETE') {
              if (Object.keys(bucket.objects).length > 0) return gcsError(409, 'conflict', 'The bucket you tried to delete is not empty.');
              delete buckets()[bucket.name];
              ctx.store.changed();
              return empty(204);
            }
            return change(req, bucket, m === 'PATCH' ? 'patch' : 'replace', now);
          }),
      };
    }
    if (o !== 'o') return undefined;
    if (objectName === '') {
      if (m === 'POST' && upload) return { operation: 'objects.insert', run: (now) => withBucket(req, bucketName, (bucket) => insertObject(ctx, req, bucket, now)) };
      if (m === 'GET' && !upload) return { operation: 'objects.list', run: () => withBucket(req, bucketName, (bucket) => listObjects(req, bucket)) };
      return undefined;
    }
    const op = { GET: 'objects.get', DELETE: 'objects.delete' }[m];
    return op === undefined || upload ? undefined : { operation: op, run: () => withBucket(req, bucketName, (bucket) => objectOperation(ctx, req, bucket, objectName)) };
  }

  return {
    name: 'gcs',
    route(req: SimRequest): SimRoute | undefined {
      const path = req.url.pathname;
      if (!path.startsWith('/storage/v1/') && !path.startsWith('/upload/storage/v1/')) return undefined;
      const found = routeOf(req);
      if (found === undefined) return { operation: 'Unsupported', handle: () => gcsError(501, 'notImplemented', `cloudsim does not simulate ${req.method} ${path}`) };
      return {
        operation: found.operation,
        handle: () => {
          const caller = googleCaller(ctx, req);
          if (caller === null) {
            return gcsError(401, 'authError', 'Invalid Credentials', { 'www-authenticate': 'Bearer realm="https://accounts.google.com/"' }, { locationType: 'header', location: 'Authorization' });
          }
          return found.run(ctx.runtime.now());
        },
      };
    },
    throttled: (_req, retryAfterSeconds) => gcsError(429, 'rateLimitExceeded', 'The project exceeded the rate limit for CloudStorage and this operation.', { 'retry-after': retryAfterSeconds }),
    internalError: () => gcsError(500, 'internalError', 'We encountered an internal error. Please try again.'),
    unavailable: (_req, retryAfterSeconds) => gcsError(503, 'backendError', 'Service Unavailable. Please try again.', { 'retry-after': retryAfterSeconds }),
  };
}

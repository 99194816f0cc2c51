/** S3 bucket settings: tagging, versioning, default encryption, public access block, policy, ownership controls. */
import { NEW_BUCKET_DEFAULTS, S3_NS, s3Error, s3RequestIds, type S3Bucket, type S3PublicAccessBlock } from './s3-records.ts';
import type { S3Call } from './s3.ts';
import type { ServiceContext } from './service-context.ts';
import { empty, xml, type SimResponse } from './sim-http.ts';
import { child, children, el, parseXml, raw, textOf, type XmlNode } from './xml.ts';

type Handler = (ctx: ServiceContext, call: S3Call, bucket: S3Bucket) => SimResponse;

const malformed = (method: string) => s3Error(method, 400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema');

/** The request body's root element named `root`, or S3's MalformedXML. */
function body(call: S3Call, root: string): XmlNode | SimResponse {
  try {
    const node = parseXml(call.req.body.toString('utf8'));
    return node.name === root ? node : malformed(call.req.method);
  } catch {
    return malformed(call.req.method);
  }
}
const isNode = (v: XmlNode | SimResponse): v is XmlNode => 'children' in v;

const changed = (ctx: ServiceContext, status: number) => {
  ctx.store.changed();
  return empty(status, s3RequestIds());
};

const TAG_LIMITS = { count: 50, key: 128, value: 256 } as const;

const getTagging: Handler = (_ctx, call, bucket) => {
  if (bucket.tags === undefined) return s3Error(call.req.method, 404, 'NoSuchTagSet', 'The TagSet does not exist', { BucketName: bucket.name });
  const tags = bucket.tags.map((t) => raw('Tag', `${el('Key', t.Key)}${el('Value', t.Value)}`)).join('');
  return xml(200, `<Tagging xmlns="${S3_NS}">${raw('TagSet', tags)}</Tagging>`, s3RequestIds());
};

const putTagging: Handler = (ctx, call, bucket) => {
  const root = body(call, 'Tagging');
  if (!isNode(root)) return root;
  const invalid = (message: string) => s3Error(call.req.method, 400, 'InvalidTag', message);
  const tags = children(child(root, 'TagSet'), 'Tag').map((t) => ({ Key: textOf(t, 'Key') ?? '', Value: textOf(t, 'Value') ?? '' }));
  if (tags.length > TAG_LIMITS.count) return invalid(`Bucket tag count cannot be greater than ${TAG_LIMITS.count}`);
  const seen = new Set<string>();
  for (const { Key, Value } of tags) {
    if (Key === '') return invalid('The TagKey you have provided is invalid');
    if (Key.length > TAG_LIMITS.key) return invalid(`The TagKey you have provided is too long, max ${TAG_LIMITS.key}`);
    if (Value.length > TAG_LIMITS.value) return invalid(`The TagValue you have provided is too long, max ${TAG_LIMITS.value}`);
    if (Key.startsWith('aws:')) return invalid('System tags cannot be added/updated by requester');
    if (seen.has(Key)) return invalid('Cannot provide multiple Tags with the same key');
    seen.add(Key);
  }
  bucket.tags = tags.length === 0 ? undefined : tags;
  return changed(ctx, 204);
};

const deleteTagging: Handler = (ctx, _call, bucket) => {
  delete bucket.tags;
  return changed(ctx, 204);
};

const getVersioning: Handler = (_ctx, _call, bucket) =>
  xml(200, bucket.versioning ? `<VersioningConfiguration xmlns="${S3_NS}">${el('Status', bucket.versioning)}</VersioningConfiguration>` : `<VersioningConfiguration xmlns="${S3_NS}"/>`, s3RequestIds());

const putVersioning: Handler = (ctx, call, bucket) => {
  const root = body(call, 'VersioningConfiguration');
  if (!isNode(root)) return root;
  const status = textOf(root, 'Status');
  if (status !== 'Enabled' && status !== 'Suspended') return malformed(call.req.method);
  bucket.versioning = status;
  return changed(ctx, 200);
};

const SSE_ALGORITHMS = ['AES256', 'aws:kms', 'aws:kms:dsse'];

const getEncryption: Handler = (_ctx, _call, bucket) => {
  const { algorithm, kmsKeyId, bucketKeyEnabled } = bucket.encryption;
  const byDefault = raw('ApplyServerSideEncryptionByDefault', `${el('SSEAlgorithm', algorithm)}${el('KMSMasterKeyID', kmsKeyId)}`);
  return xml(200, `<ServerSideEncryptionConfiguration xmlns="${S3_NS}">${raw('Rule', `${byDefault}${el('BucketKeyEnabled', bucketKeyEnabled)}`)}</ServerSideEncryptionConfiguration>`, s3RequestIds());
};

const putEncryption: Handler = (ctx, call, bucket) => {
  const root = body(call, 'ServerSideEncryptionConfiguration');
  if (!isNode(root)) return root;
  const rules = children(root, 'Rule');
  const rule = rules[0];
  const byDefault = child(rule, 'ApplyServerSideEncryptionByDefault');
  const algorithm = textOf(byDefault, 'SSEAlgorithm');
  if (rules.length !== 1 || algorithm === undefined || !SSE_ALGORITHMS.includes(algorithm)) return malformed(call.req.method);
  const kmsKeyId = textOf(byDefault, 'KMSMasterKeyID') || undefined;
  if (kmsKeyId !== undefined && algorithm === 'AES256') {
    return s3Error(call.req.method, 400, 'InvalidArgument', 'a KMSMasterKeyID is not applicable if the default sse algorithm is not aws:kms or aws:kms:dsse', {
      ArgumentName: 'ApplyServerSideEncryptionByDefault',
    });
  }
  bucket.encryption = { algorithm, bucketKeyEnabled: textOf(rule, 'BucketKeyEnabled') === 'true', ...(kmsKeyId ? { kmsKeyId } : {}) };
  return changed(ctx, 200);
};

/** Encryption cannot be removed any more: deleting the configuration brings back SSE-S3. */
const deleteEncryption: Handler = (ctx, _call, bucket) => {
  bucket.encryption = { ...NEW_BUCKET_DEFAULTS.encryption };
  return changed(ctx, 204);
};

const PAB_FIELDS = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

const getPublicAccessBlock: Handler = (_ctx, call, bucket) => {
  const pab = bucket.publicAccessBlock;
  if (pab === undefined) {
    return s3Error(call.req.method, 404, 'NoSuchPublicAccessBlockConfiguration', 'The public access block configuration was not found', { BucketName: bucket.name });
  }
  return xml(200, `<PublicAccessBlockConfiguration xmlns="${S3_NS}">${PAB_FIELDS.map((f) => el(f, pab[f])).join('')}</PublicAccessBlockConfiguration>`, s3RequestIds());
};

const putPublicAccessBlock: Handler = (ctx, call, bucket) => {
  const root = body(call, 'PublicAccessBlockConfiguration');
  if (!isNode(root)) return root;
  const pab = {} as S3PublicAccessBlock;
  for (const field of PAB_FIELDS) {
    const value = textOf(root, field);
    if (value !== undefined && value !== 'true' && value !== 'false') return malformed(call.req.method);
    pab[field] = value === 'true';
  }
  bucket.publicAccessBlock = pab;
  return changed(ctx, 200);
};

const deletePublicAccessBlock: Handler = (ctx, _call, bucket) => {
  delete bucket.publicAccessBlock;
  return changed(ctx, 204);
};

/** A policy is public when some Allow statement names every principal without a condition. */
export function isPublicPolicy(policy: { Statement?: unknown }): boolean {
  const statements = Array.isArray(policy.Statement) ? policy.Statement : [policy.Statement];
  return statements.some((s: unknown) => {
    if (typeof s !== 'object' || s === null) return false;
    const { Effect, Principal, Condition } = s as Record<string, unknown>;
    if (Effect !== 'Allow' || Condition !== undefined) return false;
    const aws = typeof Principal === 'object' && Principal !== null ? (Principal as Record<string, unknown>).AWS : undefined;
    const all = [Principal, ...(Array.isArray(aws) ? aws : [aws])];
    return all.includes('*');
  });
}

const getPolicy: Handler = (_ctx, call, bucket) => {
  if (bucket.policy === undefined) return s3Error(call.req.method, 404, 'NoSuchBucketPolicy', 'The bucket policy does not exist', { BucketName: bucket.name });
  return { status: 200, headers: { ...s3RequestIds(), 'content-type': 'application/json' }, body: bucket.policy };
};

const putPolicy: Handler = (ctx, call, bucket) => {
  const text = call.req.body.toString('utf8');
  const bad = (message: string) => s3Error(call.req.method, 400, 'MalformedPolicy', message);
  let policy: unknown;
  try {
    policy = JSON.parse(text);
  } catch {
    return bad("Policies must be valid JSON and the first byte must be '{'");
  }
  if (!text.trimStart().startsWith('{') || typeof policy !== 'object' || policy === null) return bad("Policies must be valid JSON and the first byte must be '{'");
  if (!('Statement' in policy)) return bad('Missing required field Statement');
  if (bucket.publicAccessBlock?.BlockPublicPolicy && isPublicPolicy(policy)) {
    return s3Error(
      call.req.method,
      403,
      'AccessDenied',
      `User: arn:aws:iam::${call.caller.account}:user/cloudsim is not authorized to perform: s3:PutBucketPolicy on resource: "arn:aws:s3:::${bucket.name}" because public policies are blocked by the BlockPublicPolicy block public access setting.`,
    );
  }
  bucket.policy = text;
  return changed(ctx, 204);
};

const deletePolicy: Handler = (ctx, _call, bucket) => {
  delete bucket.policy;
  return changed(ctx, 204);
};

const OWNERSHIP = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'];

const getOwnership: Handler = (_ctx, call, bucket) => {
  if (bucket.ownership === undefined) {
    return s3Error(call.req.method, 404, 'OwnershipControlsNotFoundError', 'The bucket ownership controls were not found', { BucketName: bucket.name });
  }
  return xml(200, `<OwnershipControls xmlns="${S3_NS}">${raw('Rule', el('ObjectOwnership', bucket.ownership))}</OwnershipControls>`, s3RequestIds());
};

const putOwnership: Handler = (ctx, call, bucket) => {
  const root = body(call, 'OwnershipControls');
  if (!isNode(root)) return root;
  const rules = children(root, 'Rule');
  const value = textOf(rules[0], 'ObjectOwnership');
  if (rules.length !== 1 || value === undefined || !OWNERSHIP.includes(value)) return malformed(call.req.method);
  bucket.ownership = value;
  return changed(ctx, 200);
};

const deleteOwnership: Handler = (ctx, _call, bucket) => {
  delete bucket.ownership;
  return changed(ctx, 204);
};

/** Operation name and handler per sub-resource and method. */
const OPERATIONS: Record<string, Partial<Record<string, [string, Handler]>>> = {
  tagging: { GET: ['GetBucketTagging', getTagging], PUT: ['PutBucketTagging', putTagging], DELETE: ['DeleteBucketTagging', deleteTagging] },
  versioning: { GET: ['GetBucketVersioning', getVersioning], PUT: ['PutBucketVersioning', putVersioning] },
  encryption: { GET: ['GetBucketEncryption', getEncryption], PUT: ['PutBucketEncryption', putEncryption], DELETE: ['DeleteBucketEncryption', deleteEncryption] },
  publicAccessBlock: {
    GET: ['GetPublicAccessBlock', getPublicAccessBlock],
    PUT: ['PutPublicAccessBlock', putPublicAccessBlock],
    DELETE: ['DeletePublicAccessBlock', deletePublicAccessBlock],
  },
  policy: { GET: ['GetBucketPolicy', getPolicy], PUT: ['PutBucketPolicy', putPolicy], DELETE: ['DeleteBucketPolicy', deletePolicy] },
  ownershipControls: { GET: ['GetBucketOwnershipControls', getOwnership], PUT: ['PutBucketOwnershipControls', putOwnership], DELETE: ['DeleteBucketOwnershipControls', deleteOwnership] },
};

export function bucketConfigOperation(method: string, query: URLSearchParams): { operation: string; handle: Handler } | undefined {
  for (const [sub, byMethod] of Object.entries(OPERATIONS)) {
    if (!query.has(sub)) continue;
    const found = byMethod[method];
    return found ? { operation: found[0], handle: found[1] } : undefined;
  }
  return undefined;
}

/** GCS objects, minimally: media and multipart uploads, metadata and `alt=media` reads, list, delete. */
import { createHash } from 'node:crypto';
import { gcsError, type GcsBucket, type GcsObject } from './gcs-records.ts';
import { isoTime, type ServiceContext } from './service-context.ts';
import { empty, header, isRecord, json, type SimRequest, type SimResponse } from './sim-http.ts';

const CRC32C_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

/** CRC-32C (Castagnoli), base64 of the big-endian value, as GCS reports it. */
export function crc32c(data: Buffer): string {
  let crc = 0xffffffff;
  for (const byte of data) crc = (CRC32C_TABLE[(crc ^ byte) & 0xff] ?? 0) ^ (crc >>> 8);
  const out = Buffer.alloc(4);
  out.writeUInt32BE((crc ^ 0xffffffff) >>> 0);
  return out.toString('base64');
}

function objectJson(bucket: GcsBucket, name: string, o: GcsObject, origin: string): Record<string, unknown> {
  const path = `b/${encodeURIComponent(bucket.name)}/o/${encodeURIComponent(name)}`;
  return {
    kind: 'storage#object',
    id: `${bucket.name}/${name}/${o.generation}`,
    selfLink: `${origin}/storage/v1/${path}`,
    mediaLink: `${origin}/download/storage/v1/${path}?generation=${o.generation}&alt=media`,
    name,
    bucket: bucket.name,
    generation: String(o.generation),
    metageneration: String(o.metageneration),
    contentType: o.contentType,
    storageClass: bucket.storageClass,
    size: String(Buffer.from(o.body, 'base64').length),
    md5Hash: o.md5,
    crc32c: crc32c(Buffer.from(o.body, 'base64')),
    etag: Buffer.from(String(o.generation)).toString('base64'),
    timeCreated: isoTime(o.created),
    updated: isoTime(o.updated),
  };
}

/** Metadata and content of a multipart/related upload: a JSON part, then the media part. */
function multipart(req: SimRequest): { metadata: Record<string, unknown>; content: Buffer; contentType?: string } | undefined {
  const boundary = /boundary="?([^";]+)"?/.exec(header(req, 'content-type') ?? '')?.[1];
  if (boundary === undefined) return undefined;
  const parts = req.body
    .toString('latin1')
    .split(`--${boundary}`)
    .slice(1, -1)
    .map((part) => {
      const split = part.indexOf('\r\n\r\n');
      const head = part.slice(0, split);
      return { type: /content-type:\s*([^\r\n]+)/i.exec(head)?.[1], body: part.slice(split + 4).replace(/\r\n$/, '') };
    });
  const [meta, media] = parts;
  if (meta === undefined || media === undefined) return undefined;
  try {
    const metadata = JSON.parse(Buffer.from(meta.body, 'latin1').toString('utf8')) as unknown;
    return isRecord(metadata) ? { metadata, content: Buffer.from(media.body, 'latin1'), ...(media.type ? { contentType: media.type } : {}) } : undefined;
  } catch {
    return undefined;
  }
}

export function insertObject(ctx: ServiceContext, req: SimRequest, bucket: GcsBucket, now: number): SimResponse {
  const uploadType = req.query.get('uploadType');
  let name = req.query.get('name') ?? undefined;
  let content = req.body;
  let contentType = header(req, 'content-type') ?? 'application/octet-stream';
  if (uploadType === 'multipart') {
    const parsed = multipart(req);
    if (parsed === undefined) return gcsError(400, 'invalid', 'Invalid multipart request.');
    name = typeof parsed.metadata.name === 'string' ? parsed.metadata.name : name;
    content = parsed.content;
    contentType = typeof parsed.metadata.contentType === 'string' ? parsed.metadata.contentType : (parsed.contentType ?? 'application/octet-stream');
  } else if (uploadType !== 'media') {
    return gcsError(501, 'notImplemented', `cloudsim supports uploadType=media and multipart, not ${uploadType ?? '(none)'}: use { resumable: false }`);
  }
  if (!name) return gcsError(400, 'required', 'Required parameter: name');
  const previous = bucket.objects[name];
  const object: GcsObject = {
    body: content.toString('base64'),
    contentType,
    generation: Math.max(now * 1000, (previous?.generation ?? 0) + 1),
    metageneration: 1,
    created: now,
    updated: now,
    md5: createHash('md5').update(content).digest('base64'),
  };
  bucket.objects[name] = object;
  ctx.store.changed();
  return json(200, objectJson(bucket, name, object, req.origin));
}

export function objectOperation(ctx: ServiceContext, req: SimRequest, bucket: GcsBucket, name: string): SimResponse {
  const object = bucket.objects[name];
  if (object === undefined) return gcsError(404, 'notFound', `No such object: ${bucket.name}/${name}`);
  if (req.method === 'DELETE') {
    delete bucket.objects[name];
    ctx.store.changed();
    return empty(204);
  }
  if (req.query.get('alt') === 'media') return { status: 200, headers: { 'content-type': object.contentType }, body: Buffer.from(object.body, 'base64') };
  return json(200, objectJson(bucket, name, object, req.origin));
}

export function listObjects(req: SimRequest, bucket: GcsBucket): SimResponse {
  const prefix = req.query.get('prefix') ?? '';
  const items = Object.keys(bucket.objects)
    .filter((n) => n.startsWith(prefix))
    .sort()
    .flatMap((n) => {
      const o = bucket.objects[n];
      return o ? [objectJson(bucket, n, o, req.origin)] : [];
    });
  return json(200, { kind: 'storage#objects', ...(items.length > 0 ? { items } : {}) });
}

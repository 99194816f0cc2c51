/** What GCS holds, the bucket resource as the JSON API writes it, and GCS's error body. */
import { createHash } from 'node:crypto';
import { isoTime } from './service-context.ts';
import { json, type SimResponse } from './sim-http.ts';

export type GcsObject = { body: string /* base64 */; contentType: string; generation: number; metageneration: number; created: number; updated: number; md5: string };

export type GcsBucket = {
  name: string;
  projectId: string;
  location: string;
  storageClass: string;
  versioning: boolean;
  labels: Record<string, string>;
  uniformBucketLevelAccess: boolean;
  /** When uniform access was turned on: it locks 90 days later. */
  uniformSince?: number;
  publicAccessPrevention: string;
  lifecycleRules: unknown[];
  metageneration: number;
  generation: number;
  created: number;
  updated: number;
  objects: Record<string, GcsObject>;
};

export type GcsState = { buckets: Record<string, GcsBucket> };

/** A project's number, derived from its id so it stays the same across restarts. */
export function projectNumber(projectId: string): string {
  const digits = BigInt(`0x${createHash('sha256').update(projectId).digest('hex').slice(0, 12)}`).toString();
  return `1${digits.padStart(11, '0').slice(0, 11)}`;
}

export const MULTI_REGIONS = ['US', 'EU', 'ASIA'];
export const DUAL_REGIONS = ['NAM4', 'EUR4', 'EUR5', 'EUR7', 'EUR8', 'ASIA1'];
export const REGIONS = [
  'US-CENTRAL1', 'US-EAST1', 'US-EAST4', 'US-EAST5', 'US-WEST1', 'US-WEST2', 'US-WEST3', 'US-WEST4', 'US-SOUTH1', 'NORTHAMERICA-NORTHEAST1',
  'NORTHAMERICA-NORTHEAST2', 'SOUTHAMERICA-EAST1', 'EUROPE-WEST1', 'EUROPE-WEST2', 'EUROPE-WEST3', 'EUROPE-WEST4', 'EUROPE-WEST6', 'EUROPE-WEST8',
  'EUROPE-WEST9', 'EUROPE-NORTH1', 'EUROPE-CENTRAL2', 'EUROPE-SOUTHWEST1', 'ASIA-EAST1', 'ASIA-EAST2', 'ASIA-NORTHEAST1', 'ASIA-NORTHEAST2',
  'ASIA-NORTHEAST3', 'ASIA-SOUTH1', 'ASIA-SOUTHEAST1', 'ASIA-SOUTHEAST2', 'AUSTRALIA-SOUTHEAST1', 'ME-WEST1', 'AFRICA-SOUTH1',
];
export const STORAGE_CLASSES = ['STANDARD', 'NEARLINE', 'COLDLINE', 'ARCHIVE', 'MULTI_REGIONAL', 'REGIONAL', 'DURABLE_REDUCED_AVAILABILITY'];

export function locationType(location: string): string {
  if (MULTI_REGIONS.includes(location)) return 'multi-region';
  return DUAL_REGIONS.includes(location) ? 'dual-region' : 'region';
}

/** GCS etags are the base64 of a protobuf varint field 1: metageneration 1 → "CAE=". */
export function metagenerationEtag(metageneration: number): string {
  const bytes = [0x08];
  let n = metageneration;
  do {
    let byte = n & 0x7f;
    n = Math.floor(n / 128);
    if (n > 0) byte |= 0x80;
    bytes.push(byte);
  } while (n > 0);
  return Buffer.from(bytes).toString('base64');
}

export const UNIFORM_LOCK_MS = 90 * 24 * 60 * 60 * 1000;

export function bucketJson(b: GcsBucket, origin: string): Record<string, unknown> {
  const uniform = { enabled: b.uniformBucketLevelAccess, ...(b.uniformSince !== undefined ? { lockedTime: isoTime(b.uniformSince + UNIFORM_LOCK_MS) } : {}) };
  return {
    kind: 'storage#bucket',
    selfLink: `${origin}/storage/v1/b/${encodeURIComponent(b.name)}`,
    id: b.name,
    name: b.name,
    projectNumber: projectNumber(b.projectId),
    generation: String(b.generation),
    metageneration: String(b.metageneration),
    location: b.location,
    storageClass: b.storageClass,
    etag: metagenerationEtag(b.metageneration),
    timeCreated: isoTime(b.created),
    updated: isoTime(b.updated),
    ...(b.versioning ? { versioning: { enabled: true } } : {}),
    ...(Object.keys(b.labels).length > 0 ? { labels: b.labels } : {}),
    ...(b.lifecycleRules.length > 0 ? { lifecycle: { rule: b.lifecycleRules } } : {}),
    iamConfiguration: { bucketPolicyOnly: uniform, uniformBucketLevelAccess: uniform, publicAccessPrevention: b.publicAccessPrevention },
    locationType: locationType(b.location),
    softDeletePolicy: { retentionDurationSeconds: '604800', effectiveTime: isoTime(b.created) },
    rpo: 'DEFAULT',
  };
}

/** `{"error":{"code","message","errors":[{"message","domain","reason"}]}}` */
export function gcsError(status: number, reason: string, message: string, headers: Record<string, string | number> = {}, extra: Record<string, string> = {}): SimResponse {
  return json(status, { error: { code: status, message, errors: [{ message, domain: reason === 'rateLimitExceeded' ? 'usageLimits' : 'global', reason, ...extra }] } }, headers);
}

export const bucketNotFound = () => gcsError(404, 'notFound', 'The specified bucket does not exist.');

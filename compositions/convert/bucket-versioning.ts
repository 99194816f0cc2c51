// Upbound's AWS provider splits an S3 bucket's versioning into its own kind, BucketVersioning, which
// names its Bucket (forProvider.bucket, bucketRef, or bucketSelector.matchControllerRef in a
// composition). Pledge's Bucket holds it as forProvider.versioning: the two objects become one.
import { groupOf } from './kind-map.ts';
import type { Unconverted } from './managed.ts';
import { isObject, type JsonObject } from './objects.ts';


export const isBucketVersioning = (o: JsonObject | undefined): boolean =>
  o !== undefined && typeof o.apiVersion === 'string' && groupOf(o.apiVersion) === 's3.aws.upbound.io' && o.kind === 'BucketVersioning';
export const isUpboundBucket = (o: JsonObject | undefined): boolean =>
  o !== undefined && typeof o.apiVersion === 'string' && groupOf(o.apiVersion) === 's3.aws.upbound.io' && o.kind === 'Bucket';

const forProviderOf = (o: JsonObject): JsonObject => (isObject(o.spec) && isObject(o.spec.forProvider) ? o.spec.forProvider : {});

/** versioningConfiguration is a one-item list in v1beta1 and an object in v1beta2. */
function configuration(forProvider: JsonObject): JsonObject | undefined {
  const c = forProvider.versioningConfiguration;
  if (Array.isArray(c)) return isObject(c[0]) ? c[0] : undefined;
  return isObject(c) ? c : undefined;
}

/** The path of versioningConfiguration's status in this object's version. */
export function statusPath(o: JsonObject): string {
  return Array.isArray(forProviderOf(o).versioningConfiguration) ? 'spec.forProvider.versioningConfiguration[0].status' : 'spec.forProvider.versioningConfiguration.status';
}

/** Pledge's versioning value from a BucketVersioning, with what it cannot carry reported (paths relative to the object, `at` prefixed). */
export function versioningOf(o: JsonObject, at: string): { versioning?: string; unconverted: Unconverted[] } {
  const p = (path: string) => (at ? `${at}.${path}` : path);
  const unconverted: Unconverted[] = [];
  const forProvider = forProviderOf(o);
  for (const key of Object.keys(forProvider)) {
    if (!['bucket', 'bucketRef', 'bucketSelector', 'region', 'versioningConfiguration'].includes(key)) {
      unconverted.push({ path: p(`spec.forProvider.${key}`), reason: "Pledge's Bucket versioning has no counterpart of this field" });
    }
  }
  const config = configuration(forProvider) ?? {};
  const configPath = Array.isArray(forProvider.versioningConfiguration) ? 'versioningConfiguration[0]' : 'versioningConfiguration';
  for (const key of Object.keys(config)) {
    if (key !== 'status') unconverted.push({ path: p(`spec.forProvider.${configPath}.${key}`), reason: "Pledge's Bucket versioning has no counterpart of this field (MFA delete)" });
  }
  const status = config.status;
  if (status === 'Enabled' || status === 'Suspended') return { versioning: status, unconverted };
  if (status !== undefined) unconverted.push({ path: p(statusPath(o)), reason: `versioning ${String(status)}: Pledge's Bucket takes Enabled or Suspended` });
  return { unconverted };
}

/** The name of the Bucket a standalone BucketVersioning names (forProvider.bucket or bucketRef). */
export function bucketNameOf(o: JsonObject): string | undefined {
  const forProvider = forProviderOf(o);
  if (typeof forProvider.bucket === 'string') return forProvider.bucket;
  return isObject(forProvider.bucketRef) && typeof forProvider.bucketRef.name === 'string' ? forProvider.bucketRef.name : undefined;
}

/** Whether a composed BucketVersioning template points at a Bucket of the same composite. */
export function selectsControllerBucket(o: JsonObject): boolean {
  const selector = forProviderOf(o).bucketSelector;
  return isObject(selector) && selector.matchControllerRef === true;
}

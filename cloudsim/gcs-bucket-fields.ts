/** Reads and checks the writable bucket fields of an insert, patch (merge) or update (replace). */
import { gcsError, MULTI_REGIONS, DUAL_REGIONS, REGIONS, STORAGE_CLASSES, type GcsBucket } from './gcs-records.ts';
import { isRecord, type SimResponse } from './sim-http.ts';

const LABEL_KEY = /^[\p{Ll}\p{Lo}][\p{Ll}\p{Lo}\p{N}_-]{0,62}$/u;
const LABEL_VALUE = /^[\p{Ll}\p{Lo}\p{N}_-]{0,63}$/u;
const LIFECYCLE_ACTIONS = ['Delete', 'SetStorageClass', 'AbortIncompleteMultipartUpload'];
const LIFECYCLE_CONDITIONS = [
  'age', 'createdBefore', 'customTimeBefore', 'daysSinceCustomTime', 'daysSinceNoncurrentTime', 'isLive', 'matchesPrefix',
  'matchesStorageClass', 'matchesSuffix', 'noncurrentTimeBefore', 'numNewerVersions',
];

const invalid = (message: string) => gcsError(400, 'invalid', message);

export type BucketFields = Partial<Pick<GcsBucket, 'location' | 'storageClass' | 'versioning' | 'labels' | 'uniformBucketLevelAccess' | 'publicAccessPrevention' | 'lifecycleRules'>>;

/**
 * The fields a request sets. mode patch: absent fields are untouched, labels merge key by key (null removes);
 * mode replace: absent fields go back to their defaults.
 */
export function readBucketFields(body: Record<string, unknown>, current: GcsBucket | undefined, mode: 'insert' | 'patch' | 'replace'): BucketFields | SimResponse {
  const out: BucketFields = {};
  const reset = mode !== 'patch';
  if (body.location !== undefined) {
    const location = String(body.location).toUpperCase();
    if (![...MULTI_REGIONS, ...DUAL_REGIONS, ...REGIONS].includes(location)) return invalid('The specified location constraint is not valid.');
    if (current !== undefined && current.location !== location) return invalid('The location of a bucket cannot be changed.');
    out.location = location;
  }
  if (body.storageClass !== undefined && body.storageClass !== null) {
    const storageClass = String(body.storageClass).toUpperCase();
    if (!STORAGE_CLASSES.includes(storageClass)) return invalid(`Invalid argument: storage class ${storageClass} is not valid.`);
    out.storageClass = storageClass;
  } else if (reset) out.storageClass = current?.storageClass ?? 'STANDARD';

  if (isRecord(body.versioning)) out.versioning = body.versioning.enabled === true;
  else if (body.versioning === null || reset) out.versioning = false;

  if (isRecord(body.labels)) {
    const labels: Record<string, string> = mode === 'patch' ? { ...current?.labels } : {};
    for (const [key, value] of Object.entries(body.labels)) {
      if (value === null) {
        delete labels[key];
        continue;
      }
      if (!LABEL_KEY.test(key)) {
        return invalid(`Label key '${key}' violates format constraints. The key must start with a lowercase character, can only contain lowercase letters, numeric characters, underscores and dashes. The key can be at most 63 characters long. International characters are allowed.`);
      }
      if (typeof value !== 'string' || !LABEL_VALUE.test(value)) {
        return invalid(`Label value '${String(value)}' violates format constraints. The value can only contain lowercase letters, numeric characters, underscores and dashes. The value can be at most 63 characters long. International characters are allowed.`);
      }
      labels[key] = value;
    }
    if (Object.keys(labels).length > 64) return invalid('A bucket can have at most 64 labels.');
    out.labels = labels;
  } else if (body.labels === null || reset) out.labels = {};

  const iam = isRecord(body.iamConfiguration) ? body.iamConfiguration : undefined;
  const uniform = isRecord(iam?.uniformBucketLevelAccess) ? iam.uniformBucketLevelAccess : isRecord(iam?.bucketPolicyOnly) ? iam.bucketPolicyOnly : undefined;
  if (uniform !== undefined && typeof uniform.enabled === 'boolean') out.uniformBucketLevelAccess = uniform.enabled;
  else if (reset) out.uniformBucketLevelAccess = false;
  const prevention = iam?.publicAccessPrevention;
  if (typeof prevention === 'string') {
    if (!['inherited', 'enforced', 'unspecified'].includes(prevention)) return invalid(`Invalid value for publicAccessPrevention: ${prevention}`);
    out.publicAccessPrevention = prevention === 'unspecified' ? 'inherited' : prevention;
  } else if (reset) out.publicAccessPrevention = 'inherited';

  if (body.lifecycle !== undefined) {
    const rules = isRecord(body.lifecycle) && Array.isArray(body.lifecycle.rule) ? body.lifecycle.rule : [];
    for (const rule of rules) {
      const action = isRecord(rule) && isRecord(rule.action) ? rule.action : undefined;
      const condition = isRecord(rule) && isRecord(rule.condition) ? rule.condition : undefined;
      if (action === undefined || typeof action.type !== 'string' || !LIFECYCLE_ACTIONS.includes(action.type)) return invalid('Invalid argument: lifecycle rule action type is not valid.');
      if (action.type === 'SetStorageClass' && (typeof action.storageClass !== 'string' || !STORAGE_CLASSES.includes(action.storageClass))) {
        return invalid('Invalid argument: lifecycle SetStorageClass needs a valid storageClass.');
      }
      if (condition === undefined || Object.keys(condition).length === 0) return invalid('Invalid argument: lifecycle rule needs a condition.');
      const unknown = Object.keys(condition).find((c) => !LIFECYCLE_CONDITIONS.includes(c));
      if (unknown) return invalid(`Invalid argument: unknown lifecycle condition ${unknown}.`);
      if (condition.age !== undefined && !(Number.isInteger(condition.age) && Number(condition.age) >= 0)) return invalid('Invalid argument: lifecycle condition age must be a non-negative integer.');
    }
    out.lifecycleRules = rules;
  } else if (reset) out.lifecycleRules = [];
  return out;
}

import type { JSONSchema } from '../../core/crd/schema.ts';
import { PUBLIC_ACCESS_PREVENTIONS, STORAGE_CLASSES } from './bucket-settings.ts';

/** GCS label rules: https://cloud.google.com/storage/docs/tags-and-labels#bucket-labels (ASCII subset). */
const LABEL_KEY = '^[a-z][a-z0-9_-]{0,62}$';
const LABEL_VALUE = '^[a-z0-9_-]{0,63}$';

const forProvider: JSONSchema = {
  type: 'object',
  required: ['location'],
  properties: {
    location: {
      type: 'string',
      pattern: '^[A-Za-z0-9-]{2,64}$',
      description: 'Where the bucket lives: a region (us-central1), dual-region (nam4) or multi-region (EU). A bucket cannot move: changing it is refused.',
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.forProvider.location is immutable' }],
    },
    storageClass: {
      type: 'string',
      enum: [...STORAGE_CLASSES],
      description: 'Default storage class of new objects. Unset leaves it as the bucket has it.',
    },
    versioning: {
      type: 'boolean',
      description: 'Keep noncurrent object versions. Unset leaves it alone.',
    },
    labels: {
      type: 'object',
      description: 'Labels on the bucket. When set, Pledge makes them exactly these ({} removes all); when unset, labels are left alone.',
      additionalProperties: { type: 'string', maxLength: 63, pattern: LABEL_VALUE },
      maxProperties: 64,
      'x-kubernetes-validations': [
        {
          rule: `self.all(k, k.matches('${LABEL_KEY}'))`,
          message: 'spec.forProvider.labels keys must be 1 to 63 characters of lowercase letters, digits, _ and -, starting with a letter',
        },
      ],
    },
    uniformBucketLevelAccess: {
      type: 'boolean',
      description: 'Access by IAM only, no object ACLs. Unset leaves it alone.',
    },
    publicAccessPrevention: {
      type: 'string',
      enum: [...PUBLIC_ACCESS_PREVENTIONS],
      description: 'enforced: data can never be made public; inherited: follow the organization policy. Unset leaves it alone.',
    },
    lifecycleRules: {
      type: 'array',
      description: 'Object lifecycle rules. When set, Pledge makes the bucket\'s rules exactly these ([] removes all); when unset, rules are left alone.',
      maxItems: 100,
      'x-kubernetes-list-type': 'atomic',
      items: {
        type: 'object',
        required: ['deleteAfterDays'],
        properties: {
          deleteAfterDays: { type: 'integer', minimum: 0, maximum: 36_500, description: 'Delete objects this many days after they were created.' },
        },
      },
    },
  },
};

const atProvider: JSONSchema = {
  type: 'object',
  properties: {
    id: { type: 'string', description: 'ID of the bucket (its name).' },
    selfLink: { type: 'string', description: 'URL of the bucket resource in the JSON API.' },
    location: { type: 'string', description: 'Location GCS reports for the bucket.' },
    storageClass: { type: 'string', description: 'Default storage class GCS reports.' },
    timeCreated: { type: 'string', description: 'When the bucket was created (RFC 3339).' },
  },
};

export const bucketSchema = { forProvider, atProvider };

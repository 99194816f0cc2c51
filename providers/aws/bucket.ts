import type { ManagedKind } from '../../core/managed/types.ts';
import { objectOwnershipSchema, publicAccessBlockSchema } from './bucket-access.ts';
import { serverSideEncryptionSchema } from './bucket-encryption.ts';
import { bucketNameValidations } from './bucket-name.ts';
import { POLICY_MAX_LENGTH } from './bucket-policy.ts';
import { VERSIONING_STATES, type BucketObservation, type BucketParameters } from './bucket-settings.ts';

export type { BucketObservation, BucketParameters, BucketResource } from './bucket-settings.ts';

export const bucket: ManagedKind<BucketParameters, BucketObservation> = {
  gvk: { group: 's3.aws.pledge.dev', version: 'v1', kind: 'Bucket' },
  plural: 'buckets',
  deterministicExternalName: true,
  schema: {
    forProvider: {
      type: 'object',
      required: ['region'],
      properties: {
        region: {
          type: 'string',
          pattern: '^[a-z]{2}(-[a-z]+)+-[0-9]+$',
          description: 'Region the bucket lives in (e.g. eu-west-1). A bucket cannot move: changing it is refused.',
          'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.forProvider.region is immutable' }],
        },
        tags: {
          type: 'object',
          description: 'Tags on the bucket. When set, Pledge makes them exactly these ({} removes all); when unset, tags are left alone.',
          additionalProperties: { type: 'string', maxLength: 256 },
          maxProperties: 50,
          'x-kubernetes-validations': [
            { rule: "self.all(k, size(k) >= 1 && size(k) <= 128 && !k.startsWith('aws:'))", message: 'spec.forProvider.tags keys must be 1 to 128 characters and must not start with aws:' },
          ],
        },
        versioning: {
          type: 'string',
          enum: [...VERSIONING_STATES],
          description: 'Object versioning. A bucket that was never versioned counts as Suspended. Unset leaves it alone.',
        },
        serverSideEncryption: serverSideEncryptionSchema,
        publicAccessBlock: publicAccessBlockSchema,
        policy: {
          type: 'string',
          minLength: 2,
          maxLength: POLICY_MAX_LENGTH,
          description:
            'Bucket policy as a JSON document. Compared by meaning, not text (S3 reformats policies). Unset leaves the ' +
            'bucket\'s policy alone.',
          // CEL cannot parse JSON: this catches what is plainly not a JSON object; the rest is refused before any call.
          'x-kubernetes-validations': [{ rule: "self.matches('(?s)^[[:space:]]*[{].*[}][[:space:]]*$')", message: 'spec.forProvider.policy must be a JSON object ({...})' }],
        },
        objectOwnership: objectOwnershipSchema,
      },
    },
    atProvider: {
      type: 'object',
      properties: {
        arn: { type: 'string', description: 'ARN of the bucket.' },
        region: { type: 'string', description: 'Region S3 reports for the bucket.' },
      },
    },
    validations: bucketNameValidations(),
  },
  async connect(mr, ctx) {
    // The SDK loads with the first S3 bucket connected, not at start: a controller with no AWS resource pays nothing for it.
    const { connectBucket } = await import('./bucket-external.ts');
    return connectBucket(mr, ctx);
  },
};

import type { PublicAccessBlockConfiguration } from '@aws-sdk/client-s3';
import type { JSONSchema } from '../../core/crd/schema.ts';

/** The four switches of a bucket's public access block, with Pledge's (lower camel case) names. */
export const PUBLIC_ACCESS_BLOCK_FIELDS = {
  blockPublicAcls: 'BlockPublicAcls',
  ignorePublicAcls: 'IgnorePublicAcls',
  blockPublicPolicy: 'BlockPublicPolicy',
  restrictPublicBuckets: 'RestrictPublicBuckets',
} as const;
type PabField = keyof typeof PUBLIC_ACCESS_BLOCK_FIELDS;
const PAB_FIELDS = Object.keys(PUBLIC_ACCESS_BLOCK_FIELDS) as PabField[];

export type PublicAccessBlock = Partial<Record<PabField, boolean>>;

export const OBJECT_OWNERSHIPS = ['BucketOwnerEnforced', 'BucketOwnerPreferred', 'ObjectWriter'] as const;
export type ObjectOwnership = (typeof OBJECT_OWNERSHIPS)[number];

export const publicAccessBlockSchema: JSONSchema = {
  type: 'object',
  description:
    'The bucket\'s public access block. Each switch that is set is managed; an unset one keeps what the bucket has ' +
    '(false when the bucket has no block). Unset as a whole leaves the block alone.',
  properties: {
    blockPublicAcls: { type: 'boolean', description: 'Refuse requests that add public ACLs.' },
    ignorePublicAcls: { type: 'boolean', description: 'Ignore public ACLs on the bucket and its objects.' },
    blockPublicPolicy: { type: 'boolean', description: 'Refuse bucket policies that grant public access.' },
    restrictPublicBuckets: { type: 'boolean', description: 'Restrict access to a bucket with a public policy to AWS principals of this account.' },
  },
};

export const objectOwnershipSchema: JSONSchema = {
  type: 'string',
  enum: [...OBJECT_OWNERSHIPS],
  description: 'Object Ownership: BucketOwnerEnforced disables ACLs. Unset leaves the bucket\'s setting alone.',
};

/** What GetPublicAccessBlock reports, in Pledge's names; S3 answers NoSuchPublicAccessBlockConfiguration when there is none. */
export function publicAccessBlockFromS3(config: PublicAccessBlockConfiguration | undefined): PublicAccessBlock | undefined {
  if (config === undefined) return undefined;
  return Object.fromEntries(PAB_FIELDS.map((f) => [f, config[PUBLIC_ACCESS_BLOCK_FIELDS[f]] ?? false]));
}

/** A switch the bucket does not set is off. */
function effective(observed: PublicAccessBlock | undefined, field: PabField): boolean {
  return observed?.[field] ?? false;
}

function differing(desired: PublicAccessBlock, observed: PublicAccessBlock | undefined): PabField[] {
  return PAB_FIELDS.filter((f) => desired[f] !== undefined && desired[f] !== effective(observed, f));
}

/** Only the switches the spec sets are compared; a bucket without a block has every switch off. */
export function publicAccessBlockUpToDate(desired: PublicAccessBlock | undefined, observed: PublicAccessBlock | undefined): boolean {
  return desired === undefined || differing(desired, observed).length === 0;
}

export function describePublicAccessBlockDrift(desired: PublicAccessBlock, observed: PublicAccessBlock | undefined): string {
  return `publicAccessBlock ${differing(desired, observed)
    .map((f) => `${f} ${effective(observed, f)}→${desired[f]}`)
    .join(', ')}`;
}

/** The whole block to put (a put replaces it): the spec's switches over what the bucket has. */
export function publicAccessBlockToS3(desired: PublicAccessBlock, observed: PublicAccessBlock | undefined): PublicAccessBlockConfiguration {
  return Object.fromEntries(PAB_FIELDS.map((f) => [PUBLIC_ACCESS_BLOCK_FIELDS[f], desired[f] ?? effective(observed, f)]));
}

export function objectOwnershipFromS3(value: string | undefined): string | undefined {
  return value === '' ? undefined : value;
}

/** Late-initialization writes only a value the schema accepts. */
export function objectOwnershipLateInit(observed: string | undefined): ObjectOwnership | undefined {
  return OBJECT_OWNERSHIPS.includes(observed as ObjectOwnership) ? (observed as ObjectOwnership) : undefined;
}

/**
 * S3 bucket naming rules, kept once and used twice: as CEL rules on metadata.name (rejected at admission)
 * and as a check of the pledge.dev/external-name annotation, which CEL cannot see.
 * https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html
 */

import { checkedExternalName, namePattern as pattern, nameProblem, nameValidations, type NameRule } from '../../core/crd/index.ts';
import type { BucketResource } from './bucket-settings.ts';

const RESERVED_PREFIXES = ['xn--', 'sthree-', 'amzn-s3-demo-'] as const;
const RESERVED_SUFFIXES = ['-s3alias', '--ol-s3', '.mrap', '--x-s3', '--table-s3'] as const;

export const BUCKET_NAME_RULES: readonly NameRule[] = [
  {
    cel: (name) => `size(${name}) >= 3 && size(${name}) <= 63`,
    test: (name) => name.length >= 3 && name.length <= 63,
    message: (field) => `${field} must be 3 to 63 characters long to be an S3 bucket name`,
  },
  pattern('^[a-z0-9.-]*$', (field) => `${field} may contain only lowercase letters, digits, dots (.) and hyphens (-) to be an S3 bucket name`),
  pattern('^[a-z0-9](.*[a-z0-9])?$', (field) => `${field} must start and end with a lowercase letter or digit to be an S3 bucket name`),
  pattern('[.][.]', (field) => `${field} must not contain two adjacent dots (..) to be an S3 bucket name`, true),
  pattern(
    '^[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}$',
    (field) => `${field} must not be formatted as an IP address (such as 192.168.5.4) to be an S3 bucket name`,
    true,
  ),
  {
    cel: (name) =>
      [...RESERVED_PREFIXES.map((p) => `!${name}.startsWith('${p}')`), ...RESERVED_SUFFIXES.map((s) => `!${name}.endsWith('${s}')`)].join(' && '),
    test: (name) => !RESERVED_PREFIXES.some((p) => name.startsWith(p)) && !RESERVED_SUFFIXES.some((s) => name.endsWith(s)),
    message: (field) =>
      `${field} must not start with ${RESERVED_PREFIXES.join(', ')} nor end with ${RESERVED_SUFFIXES.join(', ')}: S3 reserves them`,
  },
];

/** CEL rules for the kind's schema: the bucket is named after metadata.name unless the annotation says otherwise. */
export function bucketNameValidations(): Array<{ rule: string; message: string }> {
  return nameValidations(BUCKET_NAME_RULES);
}

/** The first rule `name` breaks, as a message naming `field`, or undefined when it is a valid bucket name. */
export function bucketNameProblem(name: string, field: string): string | undefined {
  return nameProblem(BUCKET_NAME_RULES, name, field);
}

/** The bucket's name: the external-name annotation when set, else metadata.name. */
export function bucketNameOf(mr: BucketResource): string {
  return checkedExternalName(BUCKET_NAME_RULES, mr);
}

/**
 * Cloud Storage bucket naming rules, kept once and used twice: as CEL rules on metadata.name (rejected at
 * admission) and as a check of the pledge.dev/external-name annotation, which CEL cannot see.
 * https://cloud.google.com/storage/docs/buckets#naming
 */

import { checkedExternalName, namePattern as pattern, nameProblem, nameValidations, type NameRule } from '../../core/crd/index.ts';
import type { BucketResource } from './bucket-settings.ts';

export const BUCKET_NAME_RULES: readonly NameRule[] = [
  {
    cel: (name) => `size(${name}) >= 3 && size(${name}) <= 222`,
    test: (name) => name.length >= 3 && name.length <= 222,
    message: (field) => `${field} must be 3 to 222 characters long to be a Cloud Storage bucket name`,
  },
  // Kubernetes names have no underscores, but the external-name annotation may.
  pattern('^[a-z0-9._-]*$', (field) => `${field} may contain only lowercase letters, digits, dots (.), hyphens (-) and underscores (_) to be a Cloud Storage bucket name`),
  pattern('^[a-z0-9](.*[a-z0-9])?$', (field) => `${field} must start and end with a lowercase letter or digit to be a Cloud Storage bucket name`),
  pattern(
    '[^.]{64,}',
    (field) => `${field} must be at most 63 characters long, or 63 between dots, to be a Cloud Storage bucket name`,
    true,
  ),
  pattern(
    '^[0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}[.][0-9]{1,3}$',
    (field) => `${field} must not be formatted as an IP address (such as 192.168.5.4) to be a Cloud Storage bucket name`,
    true,
  ),
  pattern('^goog', (field) => `${field} must not start with "goog": Cloud Storage reserves it`, true),
  pattern('g[o0][o0]g[l1]e', (field) => `${field} must not contain "google" or a close misspelling of it: Cloud Storage reserves them`, true),
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

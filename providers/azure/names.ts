/**
 * Azure naming rules, kept once and used twice: as CEL rules on metadata.name (rejected at admission) and
 * as a check of the pledge.dev/external-name annotation, which CEL cannot see.
 * https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules
 */
import { TerminalError } from '../../core/errors/index.ts';
import { nameProblem, type NameRule } from '../../core/crd/index.ts';
import type { ManagedResource } from '../../core/managed/types.ts';

export { nameValidations } from '../../core/crd/index.ts';

export const EXTERNAL_NAME = 'pledge.dev/external-name';


/**
 * Resource groups: 1 to 90 characters, letters, digits, underscores, hyphens, periods and parentheses, not
 * ending in a period. metadata.name (a DNS subdomain) already satisfies all but the length.
 */
export const RESOURCE_GROUP_NAME_RULES: readonly NameRule[] = [
  {
    cel: (name) => `size(${name}) <= 90`,
    test: (name) => name.length >= 1 && name.length <= 90,
    message: (field) => `${field} must be 1 to 90 characters long to be an Azure resource group name`,
  },
  {
    test: (name) => /^[-\w.()\p{L}\p{N}]+$/u.test(name),
    message: (field) => `${field} may contain only letters, digits, underscores, hyphens, periods and parentheses to be an Azure resource group name`,
  },
  {
    test: (name) => !name.endsWith('.'),
    message: (field) => `${field} must not end with a period to be an Azure resource group name`,
  },
];

/** Storage accounts: 3 to 24 lowercase letters and digits, unique across Azure (the name is a DNS label). */
export const STORAGE_ACCOUNT_NAME_RULES: readonly NameRule[] = [
  {
    cel: (name) => `size(${name}) >= 3 && size(${name}) <= 24`,
    test: (name) => name.length >= 3 && name.length <= 24,
    message: (field) => `${field} must be 3 to 24 characters long to be an Azure storage account name`,
  },
  {
    cel: (name) => `${name}.matches('^[a-z0-9]*$')`,
    test: (name) => /^[a-z0-9]*$/.test(name),
    message: (field) => `${field} may contain only lowercase letters and digits (no hyphens or dots) to be an Azure storage account name`,
  },
];

/** The cloud name: the external-name annotation when set, else metadata.name; checked against `rules`. */
export function externalNameOf(mr: ManagedResource<unknown, unknown>, rules: readonly NameRule[]): string {
  const annotated = mr.metadata.annotations?.[EXTERNAL_NAME];
  const name = annotated || mr.metadata.name;
  const problem = nameProblem(rules, name, annotated ? `annotation ${EXTERNAL_NAME}` : 'metadata.name');
  if (problem) throw new TerminalError(`${problem} (got "${name}")`);
  return name;
}

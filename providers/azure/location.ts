import type { JSONSchema } from '../../core/crd/schema.ts';

/** ARM's canonical location names: lower case letters and digits (westeurope, eastus2). */
export const LOCATION_PATTERN = '^[a-z][a-z0-9]*$';

/** forProvider.location: required and immutable (nothing in Azure moves between regions by a setting). */
export function locationSchema(what: string): JSONSchema {
  return {
    type: 'string',
    minLength: 1,
    maxLength: 64,
    pattern: LOCATION_PATTERN,
    description: `Azure region of the ${what}, as ARM names it (e.g. westeurope, eastus2). Cannot be changed.`,
    'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.forProvider.location is immutable' }],
  };
}

/** ARM reports locations in lower case without spaces (westeurope); older answers say "West Europe". */
export function normalizeLocation(location: string): string {
  return location.replace(/\s+/g, '').toLowerCase();
}

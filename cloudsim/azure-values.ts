/** Values ARM checks the same way for every resource: locations and tags. */
import { armError } from './arm-records.ts';
import { isRecord, type SimResponse } from './sim-http.ts';

export const AZURE_LOCATIONS = [
  'eastus', 'eastus2', 'westus', 'westus2', 'westus3', 'centralus', 'northcentralus', 'southcentralus', 'westcentralus',
  'canadacentral', 'canadaeast', 'brazilsouth', 'mexicocentral', 'northeurope', 'westeurope', 'uksouth', 'ukwest',
  'francecentral', 'germanywestcentral', 'switzerlandnorth', 'norwayeast', 'swedencentral', 'polandcentral', 'italynorth',
  'spaincentral', 'eastasia', 'southeastasia', 'japaneast', 'japanwest', 'koreacentral', 'australiaeast',
  'australiasoutheast', 'centralindia', 'southindia', 'uaenorth', 'southafricanorth', 'qatarcentral', 'israelcentral',
] as const;

/** ARM answers with the canonical form: "West Europe" → "westeurope". */
export function normalizeLocation(location: string): string {
  return location.toLowerCase().replace(/\s+/g, '');
}

export function azureLocationError(location: string, code: string, what: string): SimResponse | undefined {
  if ((AZURE_LOCATIONS as readonly string[]).includes(location)) return undefined;
  return armError(400, code, `The provided location '${location}' is not available for ${what}. List of available regions is '${AZURE_LOCATIONS.join(',')}'.`);
}

export const TAG_LIMITS = { count: 50, keyLength: 512, valueLength: 256 } as const;

/** ARM's answer to tags it refuses, or undefined when they are fine (absent tags are fine). */
export function tagsError(tags: unknown): SimResponse | undefined {
  if (tags === undefined || tags === null) return undefined;
  if (!isRecord(tags)) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized: tags must be an object.');
  const entries = Object.entries(tags);
  if (entries.length > TAG_LIMITS.count) {
    return armError(400, 'InvalidTagCount', `The number of tags provided in the request exceeds the limit of ${TAG_LIMITS.count}.`);
  }
  for (const [key, value] of entries) {
    if (typeof value !== 'string') return armError(400, 'InvalidRequestContent', `The request content was invalid and could not be deserialized: tag '${key}' must be a string.`);
    if (/[<>%&\\?/]/.test(key)) {
      return armError(400, 'InvalidTagNameCharacters', `The tag names '${key}' have reserved characters '<,>,%,&,\\,?,/' or control characters.`);
    }
    if (key.length > TAG_LIMITS.keyLength || value.length > TAG_LIMITS.valueLength) {
      return armError(400, 'InvalidTagNameLength', `The tag name or value of '${key.slice(0, 40)}' exceeds the maximum length (name ${TAG_LIMITS.keyLength}, value ${TAG_LIMITS.valueLength}).`);
    }
  }
  return undefined;
}

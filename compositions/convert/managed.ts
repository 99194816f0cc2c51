// A Crossplane managed resource (or a composed template's base) of a provider kind Pledge has, as
// Pledge's kind, field by field. Everything without a counterpart is left out and reported.
import { COMMON_SPEC_FIELDS, type KindMapping } from './kind-map.ts';
import { isObject, type JsonObject } from './objects.ts';


/** Something left out, with its field path in the source object and why. */
export interface Unconverted {
  path: string;
  reason: string;
}

/** Azure storage Account: accountTier + accountReplicationType make Pledge's sku (Standard + LRS -> Standard_LRS). */
function azureSku(forProvider: JsonObject, out: JsonObject, problems: Unconverted[], at: string): void {
  const { accountTier: tier, accountReplicationType: replication } = forProvider;
  if (tier === undefined && replication === undefined) return;
  if (typeof tier === 'string' && typeof replication === 'string') out.sku = `${tier}_${replication}`;
  else problems.push({ path: `${at}.accountTier`, reason: 'Pledge has one sku field (e.g. Standard_LRS): accountTier and accountReplicationType must both be set as strings' });
}

/** The object as Pledge's kind; `at` is where it sits in its source (e.g. `spec.pipeline[0].input.resources[1].base`). */
export function convertManaged(source: JsonObject, mapping: KindMapping, at = ''): { object: JsonObject; problems: Unconverted[] } {
  const problems: Unconverted[] = [];
  const p = (path: string) => (at ? `${at}.${path}` : path);
  const object: JsonObject = { apiVersion: mapping.apiVersion, kind: mapping.kind };
  for (const [key, value] of Object.entries(source)) {
    if (key === 'apiVersion' || key === 'kind') continue;
    if (key === 'metadata') object.metadata = value;
    else if (key === 'status') problems.push({ path: p('status'), reason: 'observed state is not converted (Pledge writes its own status)' });
    else if (key !== 'spec') problems.push({ path: p(key), reason: 'not a field of a managed resource' });
  }
  const spec = isObject(source.spec) ? source.spec : {};
  const outSpec: JsonObject = {};
  for (const [key, value] of Object.entries(spec)) {
    if (key === 'forProvider') {
      outSpec.forProvider = {};
      continue;
    }
    if ((COMMON_SPEC_FIELDS as readonly string[]).includes(key)) outSpec[key] = value;
    else problems.push({ path: p(`spec.${key}`), reason: `Pledge's ${mapping.kind} has no spec.${key}` });
  }
  const forProvider = isObject(spec.forProvider) ? spec.forProvider : undefined;
  if (forProvider) {
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(forProvider)) {
      const target = mapping.fields[key];
      if (target) out[target] = value;
      else if (!(mapping.kind === 'Account' && (key === 'accountTier' || key === 'accountReplicationType'))) {
        problems.push({ path: p(`spec.forProvider.${key}`), reason: `Pledge's ${mapping.apiVersion} ${mapping.kind} has no counterpart of this field` });
      }
    }
    if (mapping.kind === 'Account') azureSku(forProvider, out, problems, p('spec.forProvider'));
    outSpec.forProvider = out;
  }
  if (isObject(source.spec)) object.spec = outSpec;
  return { object, problems };
}

/**
 * A field path of a composed resource rewritten for Pledge's kind: forProvider fields renamed, common
 * spec fields and metadata kept. Undefined when the path has no counterpart (e.g. status.atProvider).
 */
export function convertFieldPath(path: string, mapping: KindMapping): string | undefined {
  if (path.startsWith('metadata.') || path === 'metadata') return path;
  const m = /^spec\.forProvider\.([A-Za-z0-9_]+)(.*)$/.exec(path);
  if (m) {
    const target = mapping.fields[m[1] ?? ''];
    return target ? `spec.forProvider.${target}${m[2] ?? ''}` : undefined;
  }
  const common = /^spec\.([A-Za-z0-9_]+)/.exec(path)?.[1];
  return common && (COMMON_SPEC_FIELDS as readonly string[]).includes(common) ? path : undefined;
}

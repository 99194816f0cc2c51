// Reads the files of one differential case: compositions/testdata/cases/<case>/.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';

export type JsonObject = { [key: string]: unknown };

export const RESOURCE_NAME_ANNOTATION = 'crossplane.io/composition-resource-name';

export interface CaseFiles {
  /** The case's folder name. */
  name: string;
  /** xr.yaml: the composite resource as it is now. */
  composite: JsonObject;
  /** composition.yaml: a pledge.dev/v1 Composition. */
  composition: JsonObject;
  /** observed.yaml (optional): composed resources as they exist, each annotated with its template name. */
  observed: JsonObject[];
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function objectAt(value: JsonObject, key: string): JsonObject | undefined {
  const v = value[key];
  return isObject(v) ? v : undefined;
}

function readYamlObject(path: string): JsonObject {
  const doc: unknown = parse(readFileSync(path, 'utf8'));
  if (!isObject(doc)) throw new Error(`${path}: expected one YAML mapping`);
  return doc;
}

/** Every non-empty document of a YAML stream; each must be a mapping. */
export function readYamlStream(text: string, where: string): JsonObject[] {
  const out: JsonObject[] = [];
  for (const doc of parseAllDocuments(text)) {
    if (doc.errors.length > 0) throw new Error(`${where}: ${doc.errors[0]?.message ?? 'YAML error'}`);
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    if (!isObject(value)) throw new Error(`${where}: every document must be a mapping`);
    out.push(value);
  }
  return out;
}

/** The template name an observed composed resource belongs to (its composition-resource-name annotation). */
export function templateNameOf(resource: JsonObject): string | undefined {
  const annotations = objectAt(objectAt(resource, 'metadata') ?? {}, 'annotations');
  const name = annotations?.[RESOURCE_NAME_ANNOTATION];
  return typeof name === 'string' ? name : undefined;
}

export function readCase(caseDir: string, name: string): CaseFiles {
  const composite = readYamlObject(join(caseDir, 'xr.yaml'));
  const composition = readYamlObject(join(caseDir, 'composition.yaml'));
  if (composition.apiVersion !== 'pledge.dev/v1' || composition.kind !== 'Composition') {
    throw new Error(`${name}/composition.yaml: expected apiVersion pledge.dev/v1, kind Composition`);
  }
  const observedPath = join(caseDir, 'observed.yaml');
  const observed = existsSync(observedPath) ? readYamlStream(readFileSync(observedPath, 'utf8'), `${name}/observed.yaml`) : [];
  for (const o of observed) {
    if (templateNameOf(o) === undefined) {
      throw new Error(`${name}/observed.yaml: every resource needs the ${RESOURCE_NAME_ANNOTATION} annotation`);
    }
  }
  return { name, composite, composition, observed };
}

/**
 * The observed map Pledge's render() takes, keyed by template name. Connection details are always
 * empty: crossplane render cannot pass observed connection details, so the goldens assume none.
 */
export function observedByTemplate(observed: JsonObject[]): Record<string, { resource: JsonObject; connectionDetails: Record<string, string> }> {
  const out: Record<string, { resource: JsonObject; connectionDetails: Record<string, string> }> = {};
  for (const resource of observed) {
    const name = templateNameOf(resource);
    if (name !== undefined) out[name] = { resource, connectionDetails: {} };
  }
  return out;
}

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
  /**
   * observed-connection-details.yaml (optional): template name -> the observed resource's
   * connection details (key -> value). Empty for every case that has no such file.
   */
  observedConnectionDetails: Record<string, Record<string, string>>;
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
  const details = readConnectionDetails(join(caseDir, 'observed-connection-details.yaml'), name);
  for (const template of Object.keys(details)) {
    if (!observed.some((o) => templateNameOf(o) === template)) {
      throw new Error(`${name}/observed-connection-details.yaml: ${template} has no observed resource`);
    }
  }
  return { name, composite, composition, observed, observedConnectionDetails: details };
}

function readConnectionDetails(path: string, name: string): Record<string, Record<string, string>> {
  if (!existsSync(path)) return {};
  const doc = readYamlObject(path);
  const out: Record<string, Record<string, string>> = {};
  for (const [template, details] of Object.entries(doc)) {
    if (!isObject(details)) throw new Error(`${name}/observed-connection-details.yaml: ${template} must map keys to strings`);
    const entry: Record<string, string> = {};
    for (const [k, v] of Object.entries(details)) {
      if (typeof v !== 'string') throw new Error(`${name}/observed-connection-details.yaml: ${template}.${k} must be a string`);
      entry[k] = v;
    }
    out[template] = entry;
  }
  return out;
}

/**
 * The observed map Pledge's render() takes, keyed by template name, with each observed resource's
 * connection details from observed-connection-details.yaml ({} where the case gives none).
 */
export function observedByTemplate(
  observed: JsonObject[],
  connectionDetails: Record<string, Record<string, string>> = {},
): Record<string, { resource: JsonObject; connectionDetails: Record<string, string> }> {
  const out: Record<string, { resource: JsonObject; connectionDetails: Record<string, string> }> = {};
  for (const resource of observed) {
    const name = templateNameOf(resource);
    if (name !== undefined) out[name] = { resource, connectionDetails: { ...(connectionDetails[name] ?? {}) } };
  }
  return out;
}

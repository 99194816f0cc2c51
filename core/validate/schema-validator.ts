// Objects checked against the OpenAPI v3 schemas of CRDs, with ajv, the way the API server would
// refuse them: wrong types, values out of range, fields the schema does not have (kubectl's strict
// field validation), missing required fields. Each kind's schema is compiled on first use and cached:
// compiling every schema up front costs memory a controller does not need. ajv itself is loaded on
// first use too, so `pledge run` pays nothing until a composite is rendered.
import type { ErrorObject, ValidateFunction } from 'ajv';
import type { CustomResourceDefinition, JSONSchema } from '../crd/index.ts';

type AjvInstance = import('ajv').default;
type Schema = { [key: string]: unknown };

export interface FieldProblem {
  /** The field path, as segments (for YAML line lookup) and as text (`spec.forProvider.region`). */
  path: Array<string | number>;
  field: string;
  message: string;
}

/** apiVersion|kind -> the version's schema. */
export type SchemaIndex = Map<string, JSONSchema>;

export const kindKey = (apiVersion: string, kind: string): string => `${apiVersion}|${kind}`;

/** Every served version of every CRD, keyed by apiVersion and kind. */
export function indexCrds(crds: Iterable<CustomResourceDefinition>, into: SchemaIndex = new Map()): SchemaIndex {
  for (const crd of crds) {
    const spec = crd.spec as { group: string; names: { kind: string }; versions: Array<{ name: string; schema?: { openAPIV3Schema?: JSONSchema } }> };
    for (const v of spec.versions ?? []) {
      const schema = v.schema?.openAPIV3Schema;
      if (schema) into.set(kindKey(`${spec.group}/${v.name}`, spec.names.kind), schema);
    }
  }
  return into;
}

/** What every object's metadata may hold (CRD schemas leave metadata to the API server). */
export const OBJECT_META: JSONSchema = {
  type: 'object',
  properties: {
    name: { type: 'string' },
    generateName: { type: 'string' },
    namespace: { type: 'string' },
    uid: { type: 'string' },
    resourceVersion: { type: 'string' },
    generation: { type: 'integer' },
    creationTimestamp: { type: 'string' },
    deletionTimestamp: { type: 'string' },
    deletionGracePeriodSeconds: { type: 'integer' },
    labels: { type: 'object', additionalProperties: { type: 'string' } },
    annotations: { type: 'object', additionalProperties: { type: 'string' } },
    finalizers: { type: 'array', items: { type: 'string' } },
    ownerReferences: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
    managedFields: { type: 'array', items: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  },
};

/**
 * A structural schema as ajv should read it: objects with properties refuse other fields unless they
 * preserve unknown fields; int-or-string is either; metadata is ObjectMeta. `partial` drops every
 * `required` (a Composition's base template is completed by patches).
 */
export function toAjvSchema(schema: JSONSchema, partial = false, root = true): Schema {
  const out: Schema = {};
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'properties' || key === 'items' || key === 'additionalProperties' || key === 'description') continue;
    if (key === 'required' && partial) continue;
    if (key === 'x-kubernetes-int-or-string' && value === true) continue;
    out[key] = value;
  }
  if ((schema as Schema)['x-kubernetes-int-or-string'] === true) {
    delete out.type;
    out.anyOf = [{ type: 'integer' }, { type: 'string' }];
  }
  if (schema.properties) {
    const props: Record<string, Schema> = {};
    for (const [k, v] of Object.entries(schema.properties)) props[k] = root && k === 'metadata' ? toAjvSchema(OBJECT_META, partial, false) : toAjvSchema(v, partial, false);
    if (root) {
      props.apiVersion ??= { type: 'string' };
      props.kind ??= { type: 'string' };
      props.metadata ??= toAjvSchema(OBJECT_META, partial, false);
    }
    out.properties = props;
  }
  if (schema.items) out.items = toAjvSchema(schema.items, partial, false);
  if (typeof schema.additionalProperties === 'object') out.additionalProperties = toAjvSchema(schema.additionalProperties, partial, false);
  else if (schema.additionalProperties !== undefined) out.additionalProperties = schema.additionalProperties;
  else if (schema.properties && schema['x-kubernetes-preserve-unknown-fields'] !== true) out.additionalProperties = false;
  return out;
}

let ajvInstance: AjvInstance | undefined;

async function ajv(): Promise<AjvInstance> {
  if (ajvInstance) return ajvInstance;
  // ajv is CommonJS: its class is both module.exports and module.exports.default.
  const Ajv = (await import('ajv')).default.default;
  // Formats (int32, byte, date-time…) are the API server's to check; ajv only knows JSON Schema's.
  // strict is off for user CRDs' annotations (example, externalDocs…) that structural schemas allow; Kubernetes'
  // own keywords are declared so that they are known (list types, CEL rules: the API server's to check).
  const instance = new Ajv({ allErrors: true, strict: false, logger: false, validateFormats: false, allowUnionTypes: true });
  for (const keyword of ['x-kubernetes-preserve-unknown-fields', 'x-kubernetes-list-type', 'x-kubernetes-list-map-keys', 'x-kubernetes-map-type', 'x-kubernetes-validations', 'x-kubernetes-embedded-resource']) {
    instance.addKeyword({ keyword });
  }
  ajvInstance = instance;
  return instance;
}

function problemOf(err: ErrorObject): FieldProblem {
  const path: Array<string | number> = err.instancePath
    .split('/')
    .slice(1)
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  let message = err.message ?? 'is invalid';
  if (err.keyword === 'additionalProperties') {
    path.push(String((err.params as { additionalProperty: string }).additionalProperty));
    message = 'field not declared in the schema';
  } else if (err.keyword === 'required') {
    path.push(String((err.params as { missingProperty: string }).missingProperty));
    message = 'required field is missing';
  } else if (err.keyword === 'enum') {
    message = `must be one of ${((err.params as { allowedValues: unknown[] }).allowedValues ?? []).map((v) => JSON.stringify(v)).join(', ')}`;
  }
  return { path, field: fieldPathText(path), message };
}

export function fieldPathText(path: ReadonlyArray<string | number>): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : /^[A-Za-z0-9_-]+$/.test(s) ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`)).join('');
}

/** Compiles each kind's schema once, on first use; validates objects of the kinds it has schemas for. */
export class SchemaValidator {
  readonly #schemas: SchemaIndex;
  readonly #compiled = new Map<string, ValidateFunction>();

  constructor(schemas: SchemaIndex) {
    this.#schemas = schemas;
  }

  has(apiVersion: string, kind: string): boolean {
    return this.#schemas.has(kindKey(apiVersion, kind));
  }

  schemaOf(apiVersion: string, kind: string): JSONSchema | undefined {
    return this.#schemas.get(kindKey(apiVersion, kind));
  }

  /** How many kinds have been compiled so far (lazily). */
  get compiledCount(): number {
    return this.#compiled.size;
  }

  /** The object's problems; undefined when no schema is known for its kind. `partial` ignores required fields. */
  async validate(object: { apiVersion?: unknown; kind?: unknown }, partial = false): Promise<FieldProblem[] | undefined> {
    const key = kindKey(String(object.apiVersion), String(object.kind));
    const schema = this.#schemas.get(key);
    if (!schema) return undefined;
    const cacheKey = `${key}|${partial}`;
    let check = this.#compiled.get(cacheKey);
    if (!check) {
      check = (await ajv()).compile(toAjvSchema(schema, partial));
      this.#compiled.set(cacheKey, check);
    }
    if (check(object)) return [];
    return dedupe((check.errors ?? []).filter((e) => e.keyword !== 'anyOf').map(problemOf));
  }
}

function dedupe(problems: FieldProblem[]): FieldProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.field}|${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

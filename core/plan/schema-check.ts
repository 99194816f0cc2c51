import type { JSONSchema } from '../crd/index.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Paths in value that schema does not have (what the API server's pruning would silently drop), dot-separated from prefix. */
export function unknownFields(value: unknown, schema: JSONSchema | undefined, prefix: string): string[] {
  if (!schema || schema['x-kubernetes-preserve-unknown-fields']) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unknownFields(item, schema.items, `${prefix}[${i}]`));
  if (!isObject(value)) return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value)) {
    const known = schema.properties?.[key];
    if (known) out.push(...unknownFields(child, known, `${prefix}.${key}`));
    else if (isObject(schema.additionalProperties)) out.push(...unknownFields(child, schema.additionalProperties, `${prefix}.${key}`));
    else if (schema.additionalProperties !== true && (schema.properties || schema.type === 'object')) out.push(`${prefix}.${key}`);
  }
  return out;
}

/** Top-level forProvider fields the schema marks immutable (CEL `self == oldSelf`). */
export function immutableFields(forProvider: JSONSchema): string[] {
  return Object.entries(forProvider.properties ?? {})
    .filter(([, s]) => (s['x-kubernetes-validations'] ?? []).some((v) => v.rule.replace(/\s+/g, '') === 'self==oldSelf'))
    .map(([k]) => k);
}

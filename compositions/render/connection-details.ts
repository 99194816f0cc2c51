// Connection details of the XR taken from one observed composed resource (P&T's connection.go).
// A detail whose source is not there yet is left out, not an error: it may appear later.

import { getValue } from './field-path.ts';
import { goJsonMarshal, type JsonObject, type JsonValue } from './json-value.ts';
import type { ConnectionDetail } from './types.ts';

export const CONNECTION_DETAIL_TYPES = ['FromConnectionSecretKey', 'FromFieldPath', 'FromValue'] as const;

/**
 * The detail's type. P&T requires `type`; classic Crossplane inferred it from the field that is
 * set (value, then fromConnectionSecretKey, then fromFieldPath), and so do we.
 */
export function connectionDetailType(d: ConnectionDetail): string | undefined {
  if (d.type !== undefined) return d.type;
  if (d.value !== undefined) return 'FromValue';
  if (d.fromConnectionSecretKey !== undefined) return 'FromConnectionSecretKey';
  if (d.fromFieldPath !== undefined) return 'FromFieldPath';
  return undefined;
}

/** The detail's name; classic Crossplane used the secret key when the name was left out. */
export function connectionDetailName(d: ConnectionDetail): string {
  if (d.name) return d.name;
  return connectionDetailType(d) === 'FromConnectionSecretKey' ? (d.fromConnectionSecretKey ?? '') : '';
}

/** A string as is; anything else as Go's JSON. Undefined when the path is absent or unreadable. */
function fromFieldPath(resource: JsonObject, path: string): string | undefined {
  let value: JsonValue;
  try {
    value = getValue(resource, path);
  } catch (err: unknown) {
    // P&T drops the detail on any read error (missing field, bad path): it may resolve later.
    void err;
    return undefined;
  }
  return typeof value === 'string' ? value : goJsonMarshal(value);
}

/** Extracts details from an observed composed resource; the details must have passed validation. */
export function extractConnectionDetails(resource: JsonObject, secret: Readonly<Record<string, string>>, details: readonly ConnectionDetail[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const d of details ?? []) {
    const name = connectionDetailName(d);
    switch (connectionDetailType(d)) {
      case 'FromValue':
        out[name] = d.value ?? '';
        break;
      case 'FromConnectionSecretKey': {
        const key = d.fromConnectionSecretKey ?? '';
        if (Object.hasOwn(secret, key)) out[name] = secret[key] as string;
        break;
      }
      case 'FromFieldPath': {
        const v = fromFieldPath(resource, d.fromFieldPath ?? '');
        if (v !== undefined) out[name] = v;
        break;
      }
      default:
        break;
    }
  }
  return out;
}

// The shapes every converter shares: a parsed YAML object, and what converting one gives.
import type { Unconverted } from './managed.ts';

export type JsonObject = { [key: string]: unknown };
export const isObject = (v: unknown): v is JsonObject => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface Converted {
  /** The Pledge object, or undefined when the source is left out as a whole. */
  object?: JsonObject;
  /** Left out, each with its field path in the source object. */
  unconverted: Unconverted[];
  /** Dropped on purpose and why (a Function: Pledge runs none). Not a failure. */
  note?: string;
}

/** metadata as written by a person: what the API server sets is left out. */
export function userMetadata(metadata: unknown): JsonObject {
  if (!isObject(metadata)) return {};
  const { uid: _u, resourceVersion: _r, generation: _g, creationTimestamp: _c, managedFields: _m, selfLink: _s, ...rest } = metadata;
  return rest;
}

import type { JSONSchema } from '../../core/crd/schema.ts';

/** Azure allows 50 tags per resource; names up to 512 characters (128 on storage accounts), values up to 256. */
export function tagsSchema(what: string, maxKeyLength: number): JSONSchema {
  return {
    type: 'object',
    description: `Tags on the ${what}. When set, Pledge makes them exactly these ({} removes all); when unset, tags are left alone.`,
    additionalProperties: { type: 'string', maxLength: 256 },
    maxProperties: 50,
    'x-kubernetes-validations': [
      {
        rule: `self.all(k, size(k) >= 1 && size(k) <= ${maxKeyLength} && !k.matches('[<>%&\\\\\\\\?/]'))`,
        message: `spec.forProvider.tags names must be 1 to ${maxKeyLength} characters without < > % & \\ ? /`,
      },
    ],
  };
}

/** Tags are managed only when the spec sets them, and then exactly. */
export function tagsUpToDate(desired: Record<string, string> | undefined, observed: Record<string, string> | undefined): boolean {
  if (desired === undefined) return true;
  const have = observed ?? {};
  const keys = Object.keys(desired);
  return keys.length === Object.keys(have).length && keys.every((k) => have[k] === desired[k]);
}

/** Names the tag keys that differ (+added -removed ~changed), never their values. */
export function describeTagDrift(desired: Record<string, string>, observed: Record<string, string> | undefined): string {
  const have = observed ?? {};
  const added = Object.keys(desired).filter((k) => !(k in have));
  const removed = Object.keys(have).filter((k) => !(k in desired));
  const changed = Object.keys(desired).filter((k) => k in have && have[k] !== desired[k]);
  return `tags differ (${[...added.map((k) => `+${k}`), ...removed.map((k) => `-${k}`), ...changed.map((k) => `~${k}`)].join(' ')})`;
}

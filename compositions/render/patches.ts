// Applying one patch (P&T's patches.go). Patches always read observed state and write desired
// state: From* patches read the observed XR and write the desired composed resource; To* patches
// read the observed composed resource and write the desired XR.

import { expandWildcards, formatPath, getValue, wrap } from './field-path.ts';
import { goSprintf } from './go-sprintf.ts';
import { toValidJson, type GoValue, type JsonObject, type JsonValue } from './json-value.ts';
import { mergeOptionsFor, mergeValue } from './merge.ts';
import { resolveTransforms } from './transforms.ts';
import type { Patch } from './types.ts';
import { patchType, toFieldPathOf } from './validate.ts';

/** The objects a patch reads from and writes to. observedComposed is absent until it exists. */
export interface PatchTargets {
  observedComposite: JsonObject;
  desiredComposite: JsonObject;
  observedComposed: JsonObject | undefined;
  desiredComposed: JsonObject;
  environment: JsonObject;
}

/** A patch that writes to the composed resource (and so can hold back its creation). */
export function toComposedResource(p: Patch): boolean {
  return ['FromCompositeFieldPath', 'CombineFromComposite', 'FromEnvironmentFieldPath', 'CombineFromEnvironment'].includes(patchType(p));
}

function applyFromFieldPath(p: Patch, from: JsonObject, to: JsonObject): void {
  const input = getValue(from, p.fromFieldPath ?? '');
  const value = toValidJson(resolveTransforms(p.transforms, input));
  const mo = mergeOptionsFor(p.policy?.toFieldPath);
  const toPath = toFieldPathOf(p);
  if (toPath.includes('[*]')) {
    const paths = expandWildcards(to, toPath);
    if (paths.length === 0) throw new Error(`cannot expand ToFieldPath ${toPath}`);
    for (const segments of paths) mergeValue(to, formatPath(segments), structuredClone(value), mo);
    return;
  }
  try {
    mergeValue(to, toPath, value, mo);
  } catch (err: unknown) {
    throw wrap(err, 'cannot patch to object');
  }
}

function combine(c: Record<string, unknown>, vars: GoValue[]): GoValue {
  const strategy = String(c.strategy ?? '');
  if (strategy !== 'string') throw new Error(`combine strategy ${strategy} is not supported`);
  const s = c.string as { fmt?: unknown } | undefined;
  if (!s || typeof s !== 'object') throw new Error(`given combine strategy ${strategy} requires configuration`);
  return goSprintf(String(s.fmt ?? ''), vars);
}

function applyCombine(p: Patch, from: JsonObject, to: JsonObject): void {
  const c = (p.combine ?? {}) as Record<string, unknown>;
  const variables = Array.isArray(c.variables) ? (c.variables as Array<{ fromFieldPath?: string }>) : [];
  // Every variable must be there: a format expecting three values must not get two.
  const vars: JsonValue[] = variables.map((v) => getValue(from, v.fromFieldPath ?? ''));
  const out = resolveTransforms(p.transforms, combine(c, vars));
  const mo = mergeOptionsFor(p.policy?.toFieldPath);
  try {
    mergeValue(to, toFieldPathOf(p), toValidJson(out), mo);
  } catch (err: unknown) {
    throw wrap(err, 'cannot patch to object');
  }
}

/**
 * P&T's ApplyComposedPatch. Throws what P&T returns: a FieldNotFoundError (see isNotFound) when a
 * source is missing, which the caller treats per the patch's fromFieldPath policy.
 */
export function applyComposedPatch(p: Patch, t: PatchTargets): void {
  const ocd = t.observedComposed;
  // Nothing to read from a composed resource that does not exist yet.
  if (ocd === undefined && !toComposedResource(p)) return;
  switch (patchType(p)) {
    case 'ToCompositeFieldPath':
      applyFromFieldPath(p, ocd as JsonObject, t.desiredComposite);
      return;
    case 'CombineToComposite':
      applyCombine(p, ocd as JsonObject, t.desiredComposite);
      return;
    case 'ToEnvironmentFieldPath':
      applyFromFieldPath(p, ocd as JsonObject, t.environment);
      return;
    case 'CombineToEnvironment':
      applyCombine(p, ocd as JsonObject, t.environment);
      return;
    case 'FromCompositeFieldPath':
      applyFromFieldPath(p, t.observedComposite, t.desiredComposed);
      return;
    case 'CombineFromComposite':
      applyCombine(p, t.observedComposite, t.desiredComposed);
      return;
    case 'FromEnvironmentFieldPath':
      applyFromFieldPath(p, t.environment, t.desiredComposed);
      return;
    case 'CombineFromEnvironment':
      applyCombine(p, t.environment, t.desiredComposed);
      return;
  }
}

/** Patches with PatchSet references replaced by the set's patches (P&T's ComposedTemplates). */
export function resolvePatchSets(patches: readonly Patch[] | undefined, sets: ReadonlyMap<string, readonly Patch[]>): Patch[] {
  const out: Patch[] = [];
  for (const p of patches ?? []) {
    if (patchType(p) !== 'PatchSet') {
      out.push(p);
      continue;
    }
    const set = sets.get(p.patchSetName ?? '');
    if (!set) throw new Error(`cannot resolve PatchSets: cannot find PatchSet by name ${p.patchSetName ?? ''}`);
    out.push(...set.map((sp): Patch => ({ ...sp, type: patchType(sp) as Patch['type'] })));
  }
  return out;
}

/** How a patch is named in messages: its type, as P&T quotes it. */
export function describePatch(p: Patch, index: number): string {
  return `${JSON.stringify(patchType(p))} patch at index ${index}`;
}

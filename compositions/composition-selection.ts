import { compositionFields, type Composite, type CompositeResourceDefinition, type Composition } from './types.ts';

/**
 * Which Composition a composite uses: its compositionRef, else the first (by name) Composition of its type matching
 * its compositionSelector, else the XRD's default. The fields sit where the XRD's scope keeps them (compositionFields).
 * The composite reconciler and `pledge plan` both choose with this.
 */
export function selectComposition(xrd: CompositeResourceDefinition, xr: Composite, candidates: readonly Composition[]): string | undefined {
  const fields = compositionFields(xrd, xr);
  if (fields.compositionRef?.name) return fields.compositionRef.name;
  const labels = fields.compositionSelector?.matchLabels;
  if (labels) {
    return candidates
      .filter((c) => Object.entries(labels).every(([k, v]) => c.metadata.labels?.[k] === v))
      .filter((c) => c.spec.compositeTypeRef.kind === xr.kind && c.spec.compositeTypeRef.apiVersion === xr.apiVersion)
      .map((c) => c.metadata.name)
      .sort()[0];
  }
  return xrd.spec.defaultCompositionRef?.name;
}

// The schemas `pledge validate` and `pledge render` check objects against: every CRD Pledge serves,
// the CRDs an XRD defines (XRDs found in the files or in --crds), and any CRD files given.
import { managedCrd, providerConfigCrd, type CustomResourceDefinition } from '../../core/crd/index.ts';
import type { Provider } from '../../core/managed/types.ts';
import { indexCrds, SchemaValidator } from '../../core/validate/index.ts';
import { CROSSPLANE_GROUP } from '../crossplane-input.ts';
import { compositionCrds } from '../pledge-crds.ts';
import type { CompositeResourceDefinition } from '../types.ts';
import { claimCrd, compositeCrd } from '../xrd-to-crd.ts';
import { readYamlObjects, type JsonObject, type SourceObject } from './yaml-files.ts';

export function servedCrds(providers: readonly Provider[]): CustomResourceDefinition[] {
  const out = compositionCrds();
  for (const p of providers) {
    out.push(providerConfigCrd(p.providerConfig, p.name));
    for (const k of p.kinds) out.push(managedCrd(k, p.name));
  }
  return out;
}

export const isCrd = (o: JsonObject): boolean => o.kind === 'CustomResourceDefinition' && typeof o.apiVersion === 'string' && o.apiVersion.startsWith('apiextensions.k8s.io/');
export const isXrd = (o: JsonObject): boolean =>
  o.kind === 'CompositeResourceDefinition' && (o.apiVersion === 'pledge.dev/v1' || o.apiVersion === 'pledge.dev/v2' || (typeof o.apiVersion === 'string' && o.apiVersion.startsWith(`${CROSSPLANE_GROUP}/`)));

/** An XRD file as the API server would store it: a v2 XRD (Pledge's or Crossplane's) without scope is Namespaced. */
function withDefaultScope(xrd: CompositeResourceDefinition): CompositeResourceDefinition {
  if (xrd.spec?.scope !== undefined || typeof xrd.apiVersion !== 'string' || !xrd.apiVersion.endsWith('/v2')) return xrd;
  return { ...xrd, spec: { ...xrd.spec, scope: 'Namespaced' } };
}

/** The CRDs among these objects, those XRDs define included. */
export function definedCrds(objects: readonly JsonObject[]): CustomResourceDefinition[] {
  const out: CustomResourceDefinition[] = [];
  for (const o of objects) {
    if (isCrd(o)) out.push(o as unknown as CustomResourceDefinition);
    if (isXrd(o)) {
      try {
        const xrd = withDefaultScope(o as unknown as CompositeResourceDefinition);
        out.push(compositeCrd(xrd));
        const claim = claimCrd(xrd);
        if (claim) out.push(claim);
      } catch {
        // An XRD too broken to define a CRD is reported by its own schema check.
      }
    }
  }
  return out;
}

export function schemaValidator(providers: readonly Provider[], crdsDir: string | undefined, files: readonly SourceObject[]): SchemaValidator {
  const extra = crdsDir === undefined ? [] : readYamlObjects([crdsDir]).map((s) => s.object);
  const index = indexCrds(servedCrds(providers));
  indexCrds(definedCrds([...extra, ...files.map((s) => s.object)]), index);
  return new SchemaValidator(index);
}

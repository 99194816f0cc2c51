import type { Condition, KubeObject, ObjectMeta } from '../core/managed/types.ts';
import type { JSONSchema } from '../core/crd/index.ts';
import type { CompositionSpec } from './render/types.ts';

export const GROUP = 'pledge.dev';
export const VERSION = 'v1';

export interface XrdVersion {
  name: string;
  served: boolean;
  referenceable: boolean;
  schema?: { openAPIV3Schema?: JSONSchema };
}

export interface CompositeResourceDefinition extends KubeObject {
  metadata: ObjectMeta & { name: string };
  spec: {
    group: string;
    names: { kind: string; plural: string; singular?: string; listKind?: string; categories?: string[] };
    claimNames?: { kind: string; plural: string; singular?: string; listKind?: string; categories?: string[] };
    versions: XrdVersion[];
    connectionSecretKeys?: string[];
    defaultCompositionRef?: { name: string };
    defaultCompositionUpdatePolicy?: UpdatePolicy;
    /** Absent: LegacyCluster, what every pledge.dev/v1 XRD was before scopes (Crossplane's v1 XRDs alike). */
    scope?: XrdScope;
  };
  status?: { conditions?: Condition[] };
}

export type UpdatePolicy = 'Automatic' | 'Manual';

/**
 * Crossplane v2's XRD scopes. Namespaced and Cluster are "v2-style": the composite keeps Crossplane's machinery
 * fields under spec.crossplane and has no claims. LegacyCluster is Crossplane v1's shape: a cluster-scoped
 * composite with those fields at the top of spec, offered to namespaces through a claim.
 */
export type XrdScope = 'Namespaced' | 'Cluster' | 'LegacyCluster';

export function xrdScope(xrd: Pick<CompositeResourceDefinition, 'spec'>): XrdScope {
  return xrd.spec.scope ?? 'LegacyCluster';
}

/** Whether the XRD's composites read their composition fields under spec.crossplane (Crossplane v2's layout). */
export function isV2Style(xrd: Pick<CompositeResourceDefinition, 'spec'>): boolean {
  return xrdScope(xrd) !== 'LegacyCluster';
}

export interface Composition extends KubeObject {
  metadata: ObjectMeta & { name: string };
  spec: CompositionSpec;
}

export interface CompositionRevision extends KubeObject {
  metadata: ObjectMeta & { name: string };
  spec: CompositionSpec & { revision: number };
}

export interface ResourceRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** Only a Cluster composite's namespaced resources: a namespaced composite's are in its own namespace. */
  namespace?: string;
}

export interface CompositeSpec {
  compositionRef?: { name: string };
  compositionSelector?: { matchLabels?: Record<string, string> };
  compositionRevisionRef?: { name: string };
  compositionUpdatePolicy?: UpdatePolicy;
  resourceRefs?: ResourceRef[];
  /** A namespaced composite's secret goes in its own namespace: namespace is then absent. */
  writeConnectionSecretToRef?: { name: string; namespace?: string };
  claimRef?: { apiVersion: string; kind: string; name: string; namespace: string };
  [field: string]: unknown;
}

export interface Composite extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string };
  spec: CompositeSpec;
  status?: { conditions?: Condition[]; [field: string]: unknown };
}

/** The fields Crossplane v2 moved under spec.crossplane of a Namespaced or Cluster composite. */
export type CompositionFields = Pick<CompositeSpec, 'compositionRef' | 'compositionSelector' | 'compositionRevisionRef' | 'compositionUpdatePolicy' | 'resourceRefs'>;

/** Where a composite of this XRD keeps its composition fields: spec, or spec.crossplane for v2-style XRDs. */
export function compositionFields(xrd: Pick<CompositeResourceDefinition, 'spec'>, xr: Pick<Composite, 'spec'>): CompositionFields {
  if (!isV2Style(xrd)) return xr.spec;
  const nested = xr.spec.crossplane;
  return typeof nested === 'object' && nested !== null ? (nested as CompositionFields) : {};
}

/** A patch of composition fields, where this XRD's composites keep them. */
export function compositionFieldsPatch(xrd: Pick<CompositeResourceDefinition, 'spec'>, fields: CompositionFields): { spec: Record<string, unknown> } {
  return isV2Style(xrd) ? { spec: { crossplane: fields } } : { spec: fields };
}

export interface ClaimSpec extends Omit<CompositeSpec, 'writeConnectionSecretToRef' | 'claimRef' | 'resourceRefs'> {
  resourceRef?: ResourceRef;
  writeConnectionSecretToRef?: { name: string };
}

export interface Claim extends KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta & { name: string; namespace: string };
  spec: ClaimSpec;
  status?: { conditions?: Condition[]; [field: string]: unknown };
}

/** Labels that tie composed resources and composites back to what made them. */
export const LABELS = {
  composite: 'pledge.dev/composite',
  claimName: 'pledge.dev/claim-name',
  claimNamespace: 'pledge.dev/claim-namespace',
  compositionName: 'pledge.dev/composition-name',
  compositionHash: 'pledge.dev/composition-hash',
} as const;

/** Crossplane's labels on composed resources (and on a claim's composite), for selectors written for Crossplane. */
export const CROSSPLANE_LABELS = {
  composite: 'crossplane.io/composite',
  claimName: 'crossplane.io/claim-name',
  claimNamespace: 'crossplane.io/claim-namespace',
} as const;

export const ANNOTATION_RESOURCE_NAME = 'pledge.dev/composition-resource-name';

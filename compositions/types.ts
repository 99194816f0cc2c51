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
  };
  status?: { conditions?: Condition[] };
}

export type UpdatePolicy = 'Automatic' | 'Manual';

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
}

export interface CompositeSpec {
  compositionRef?: { name: string };
  compositionSelector?: { matchLabels?: Record<string, string> };
  compositionRevisionRef?: { name: string };
  compositionUpdatePolicy?: UpdatePolicy;
  resourceRefs?: ResourceRef[];
  writeConnectionSecretToRef?: { name: string; namespace: string };
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

export const ANNOTATION_RESOURCE_NAME = 'pledge.dev/composition-resource-name';

import type { ReadOnlyKube } from '../offline/connect.ts';
import type { KubeObject } from '../managed/types.ts';

/** Where a module finds what a claim or XR composes with, for `pledge plan`. */
export interface ExpansionSource {
  /** The cluster, read only (GET/LIST); undefined when there is none to ask. */
  kube?: ReadOnlyKube;
  /** Objects from the files and `--compositions`: their Compositions and XRDs win over the cluster's. */
  local: readonly KubeObject[];
  /** True when `--compositions` was given: Compositions come from local only, never the cluster. */
  localCompositionsOnly: boolean;
}

/** A composed resource in the cluster that the claim or XR composes today. */
export interface ComposedRef {
  apiVersion: string;
  kind: string;
  name: string;
  /** A Cluster composite's namespaced resource: where it is. */
  namespace?: string;
}

/** What a claim or XR from the files would compose, rendered as the controller would. */
export interface Expansion {
  /** How to name the object in the plan, e.g. `ObjectStorage team-a/data`. */
  describe: string;
  /** The Composition (and revision) rendered. */
  composition: string;
  /** Every managed resource it composes, as the controller would apply it (named, labelled). */
  composed: KubeObject[];
  /** What the live XR composes today (spec.resourceRefs): those no longer composed are deleted or orphaned. */
  existing: ComposedRef[];
  /** A namespaced composite's namespace: where its namespaced resources are. */
  namespace?: string;
}

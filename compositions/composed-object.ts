// What a composed resource looks like when it is applied: the template's render plus the metadata the composite
// controller adds (name, namespace, labels, owner, connection secret ref), shared with `pledge render` and `pledge plan`.
import { composedName } from './composed-names.ts';
import type { KubeResource } from './render/types.ts';
import { ANNOTATION_RESOURCE_NAME, CROSSPLANE_LABELS, LABELS, type Composite, type CompositionRevision } from './types.ts';

/** Where a cluster-scoped composite's composed resources write their connection secrets unless the Composition says. */
export const DEFAULT_CONNECTION_SECRET_NAMESPACE = 'pledge-system';

/**
 * The metadata Crossplane derives from the composite for every composed resource (`crossplane render` alike): a
 * namespaced composite's resources are in its namespace; crossplane.io/composite names the root composite (the XR's
 * own such label, for a nested one); the claim labels are the XR's, which the claim binding sets (as Crossplane's).
 */
export function crossplaneMetadata(xr: Pick<Composite, 'metadata'>): { namespace?: string; labels: Record<string, string> } {
  const labels = xr.metadata.labels ?? {};
  const claimName = labels[CROSSPLANE_LABELS.claimName];
  const claimNamespace = labels[CROSSPLANE_LABELS.claimNamespace];
  const claim = claimName && claimNamespace ? { name: claimName, namespace: claimNamespace } : undefined;
  return {
    ...(xr.metadata.namespace ? { namespace: xr.metadata.namespace } : {}),
    labels: {
      [CROSSPLANE_LABELS.composite]: labels[CROSSPLANE_LABELS.composite] || xr.metadata.name,
      ...(claim ? { [CROSSPLANE_LABELS.claimName]: claim.name, [CROSSPLANE_LABELS.claimNamespace]: claim.namespace } : {}),
    },
  };
}

/** The rendered resource as it is applied: named, labelled, owned by the composite, with a secret ref when one is needed. */
export function desiredObject(xr: Composite, revision: Pick<CompositionRevision, 'spec'>, composed: { name: string; resource: KubeResource }): KubeResource & { spec?: Record<string, unknown> } {
  const desired = structuredClone(composed.resource) as KubeResource & { spec?: Record<string, unknown> };
  const objectName = desired.metadata?.name || composedName(xr.metadata.name, composed.name);
  const claim = xr.spec.claimRef;
  const crossplane = crossplaneMetadata(xr);
  desired.metadata = {
    ...desired.metadata,
    name: objectName,
    ...(crossplane.namespace ? { namespace: crossplane.namespace } : {}),
    labels: {
      ...desired.metadata?.labels,
      ...crossplane.labels,
      [LABELS.composite]: xr.metadata.name,
      ...(claim ? { [LABELS.claimName]: claim.name, [LABELS.claimNamespace]: claim.namespace } : {}),
    },
    annotations: { ...desired.metadata?.annotations, [ANNOTATION_RESOURCE_NAME]: composed.name },
    ownerReferences: [{ apiVersion: xr.apiVersion, kind: xr.kind, name: xr.metadata.name, uid: xr.metadata.uid ?? '', controller: true, blockOwnerDeletion: true }],
  };
  const template = revision.spec.resources.find((r) => r.name === composed.name);
  const wantsSecret = template?.connectionDetails?.some((d) => d.type === 'FromConnectionSecretKey' || d.fromConnectionSecretKey);
  if (wantsSecret && desired.spec && !desired.spec.writeConnectionSecretToRef) {
    // A namespaced composite's resources are namespaced: their secret goes in their own namespace.
    desired.spec.writeConnectionSecretToRef = crossplane.namespace
      ? { name: objectName }
      : { name: objectName, namespace: revision.spec.writeConnectionSecretsToNamespace ?? DEFAULT_CONNECTION_SECRET_NAMESPACE };
  }
  return desired;
}

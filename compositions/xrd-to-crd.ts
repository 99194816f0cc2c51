import { conditionsSchema as conditions, type CustomResourceDefinition, type JSONSchema } from '../core/crd/index.ts';
import { isV2Style, xrdScope, type CompositeResourceDefinition, type XrdVersion } from './types.ts';

const str: JSONSchema = { type: 'string' };
const nameRef: JSONSchema = { type: 'object', required: ['name'], properties: { name: str } };

const compositionFields: Record<string, JSONSchema> = {
  compositionRef: nameRef,
  compositionSelector: { type: 'object', properties: { matchLabels: { type: 'object', additionalProperties: str } } },
  compositionRevisionRef: nameRef,
  compositionUpdatePolicy: { type: 'string', enum: ['Automatic', 'Manual'] },
};

const resourceRef: JSONSchema = { type: 'object', required: ['apiVersion', 'kind', 'name'], properties: { apiVersion: str, kind: str, name: str } };
const resourceRefs: JSONSchema = { type: 'array', items: { ...resourceRef, properties: { ...resourceRef.properties, namespace: str } }, 'x-kubernetes-list-type': 'atomic' };

function userSchema(version: XrdVersion): { spec: JSONSchema; status: JSONSchema } {
  const root = version.schema?.openAPIV3Schema ?? {};
  const spec = root.properties?.spec ?? { type: 'object' };
  const status = root.properties?.status ?? { type: 'object' };
  return { spec, status };
}

function merge(user: JSONSchema, standard: Record<string, JSONSchema>): JSONSchema {
  return { ...user, type: 'object', properties: { ...(user.properties ?? {}), ...standard } };
}

function printerColumns(extra: unknown[]): unknown[] {
  return [
    { name: 'SYNCED', type: 'string', jsonPath: ".status.conditions[?(@.type=='Synced')].status" },
    { name: 'READY', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
    ...extra,
    { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
  ];
}

function versions(xrd: CompositeResourceDefinition, specFields: Record<string, JSONSchema>, columns: unknown[]) {
  const storage = xrd.spec.versions.find((v) => v.referenceable) ?? xrd.spec.versions[0];
  return xrd.spec.versions.map((v) => {
    const { spec, status } = userSchema(v);
    return {
      name: v.name,
      served: v.served,
      storage: v === storage,
      subresources: { status: {} },
      additionalPrinterColumns: columns,
      schema: {
        openAPIV3Schema: {
          type: 'object',
          required: ['spec'],
          properties: {
            apiVersion: str,
            kind: str,
            metadata: { type: 'object' },
            spec: merge(spec, specFields),
            status: merge(status, { conditions, observedGeneration: { type: 'integer', format: 'int64' } }),
          },
        },
      },
    };
  });
}

const owned = (xrd: CompositeResourceDefinition) => ({
  labels: { 'app.kubernetes.io/part-of': 'pledge', 'pledge.dev/xrd': xrd.metadata.name },
  ownerReferences: [{ apiVersion: 'pledge.dev/v1', kind: 'CompositeResourceDefinition', name: xrd.metadata.name, uid: xrd.metadata.uid ?? '', controller: true }],
});

/**
 * The composite's own spec fields. LegacyCluster (Crossplane v1's shape): composition fields at the top of spec, a
 * claimRef, a secret in any namespace. Namespaced and Cluster (v2's): composition fields under spec.crossplane, no
 * claims; a namespaced composite's secret is in its own namespace.
 */
function compositeSpecFields(xrd: CompositeResourceDefinition): Record<string, JSONSchema> {
  const scope = xrdScope(xrd);
  const secretRef: JSONSchema = scope === 'Namespaced' ? { type: 'object', required: ['name'], properties: { name: str } } : { type: 'object', required: ['name', 'namespace'], properties: { name: str, namespace: str } };
  if (isV2Style(xrd)) return { crossplane: { type: 'object', properties: { ...compositionFields, resourceRefs } }, writeConnectionSecretToRef: secretRef };
  return {
    ...compositionFields,
    resourceRefs,
    writeConnectionSecretToRef: secretRef,
    claimRef: { type: 'object', required: ['apiVersion', 'kind', 'name', 'namespace'], properties: { apiVersion: str, kind: str, name: str, namespace: str } },
  };
}

/** The composite resource (XR) CRD an XRD defines: namespaced for scope Namespaced, else cluster-scoped. */
export function compositeCrd(xrd: CompositeResourceDefinition): CustomResourceDefinition {
  const { group, names } = xrd.spec;
  const compositionPath = isV2Style(xrd) ? '.spec.crossplane.compositionRef.name' : '.spec.compositionRef.name';
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${names.plural}.${group}`, ...owned(xrd) },
    spec: {
      group,
      names: { ...names, listKind: names.listKind ?? `${names.kind}List`, singular: names.singular ?? names.kind.toLowerCase(), categories: [...(names.categories ?? []), 'composite'] },
      scope: xrdScope(xrd) === 'Namespaced' ? 'Namespaced' : 'Cluster',
      versions: versions(xrd, compositeSpecFields(xrd), printerColumns([{ name: 'COMPOSITION', type: 'string', jsonPath: compositionPath }])),
    },
  };
}

/** The namespaced claim CRD, when the XRD offers one (spec.claimNames; LegacyCluster only). */
export function claimCrd(xrd: CompositeResourceDefinition): CustomResourceDefinition | undefined {
  const { group, claimNames } = xrd.spec;
  if (!claimNames || isV2Style(xrd)) return undefined;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${claimNames.plural}.${group}`, ...owned(xrd) },
    spec: {
      group,
      names: {
        ...claimNames,
        listKind: claimNames.listKind ?? `${claimNames.kind}List`,
        singular: claimNames.singular ?? claimNames.kind.toLowerCase(),
        categories: [...(claimNames.categories ?? []), 'claim'],
      },
      scope: 'Namespaced',
      versions: versions(
        xrd,
        {
          ...compositionFields,
          resourceRef,
          writeConnectionSecretToRef: { type: 'object', required: ['name'], properties: { name: str } },
        },
        printerColumns([{ name: 'CONNECTION-SECRET', type: 'string', jsonPath: '.spec.writeConnectionSecretToRef.name' }]),
      ),
    },
  };
}

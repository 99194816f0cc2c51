import type { GroupVersionKind, KindSchema } from '../managed/types.ts';
import type { JSONSchema } from './schema.ts';

export interface CustomResourceDefinition {
  apiVersion: 'apiextensions.k8s.io/v1';
  kind: 'CustomResourceDefinition';
  metadata: { name: string; labels?: Record<string, string> };
  spec: Record<string, unknown>;
}

const obj = (properties: Record<string, JSONSchema>, extra: JSONSchema = {}): JSONSchema => ({
  type: 'object',
  properties,
  ...extra,
});

/** status.conditions as every Pledge kind serves it: a map list keyed by type. */
export const conditionsSchema: JSONSchema = {
  type: 'array',
  description: 'Conditions of the resource, one per type. Managed resources: Ready (the cloud object can be used) and Synced (the last reconcile succeeded).',
  'x-kubernetes-list-type': 'map',
  'x-kubernetes-list-map-keys': ['type'],
  items: obj(
    {
      type: { type: 'string' },
      status: { type: 'string', enum: ['True', 'False', 'Unknown'] },
      reason: { type: 'string' },
      message: { type: 'string' },
      lastTransitionTime: { type: 'string', format: 'date-time' },
      observedGeneration: { type: 'integer' },
    },
    { required: ['type', 'status', 'reason'] },
  ),
};

const managementPolicies: JSONSchema = {
  type: 'array',
  description:
    'What Pledge may do to the cloud object: ["*"] (default) or a subset of Observe, Create, Update, Delete, LateInitialize.',
  default: ['*'],
  items: { type: 'string', enum: ['*', 'Observe', 'Create', 'Update', 'Delete', 'LateInitialize'] },
  'x-kubernetes-list-type': 'set',
};

const clusterProviderConfigRef = obj(
  { name: { type: 'string', minLength: 1, description: 'Name of the ProviderConfig to use.' } },
  { required: ['name'], default: { name: 'default' }, description: 'The ProviderConfig holding credentials and region.' },
);

/** A namespaced resource's: a ProviderConfig of its own namespace, or a ClusterProviderConfig (the default, as in Crossplane v2). */
const namespacedProviderConfigRef = obj(
  {
    name: { type: 'string', minLength: 1, description: 'Name of the ProviderConfig (in this namespace) or ClusterProviderConfig to use.' },
    kind: {
      type: 'string',
      enum: ['ProviderConfig', 'ClusterProviderConfig'],
      default: 'ClusterProviderConfig',
      description: "ProviderConfig: the one of that name in this resource's namespace. ClusterProviderConfig: the cluster-wide one.",
    },
  },
  { required: ['name'], default: { kind: 'ClusterProviderConfig', name: 'default' }, description: 'The ProviderConfig holding credentials and region.' },
);

const clusterSecretRef = obj(
  { name: { type: 'string', minLength: 1 }, namespace: { type: 'string', minLength: 1 } },
  { required: ['name', 'namespace'], description: 'Secret to write connection details to.' },
);
const localSecretRef = obj({ name: { type: 'string', minLength: 1 } }, { required: ['name'], description: "Secret to write connection details to, in this resource's namespace." });

function managedSpec(forProvider: JSONSchema, namespaced: boolean): JSONSchema {
  return obj(
    {
      forProvider,
      providerConfigRef: namespaced ? namespacedProviderConfigRef : clusterProviderConfigRef,
      deletionPolicy: {
        type: 'string',
        enum: ['Delete', 'Orphan'],
        default: 'Delete',
        description: 'Delete removes the cloud object with this resource; Orphan leaves it in the cloud.',
      },
      managementPolicies,
      writeConnectionSecretToRef: namespaced ? localSecretRef : clusterSecretRef,
    },
    { required: ['forProvider'] },
  );
}

const printerColumns = [
  { name: 'READY', type: 'string', jsonPath: ".status.conditions[?(@.type=='Ready')].status" },
  { name: 'SYNCED', type: 'string', jsonPath: ".status.conditions[?(@.type=='Synced')].status" },
  { name: 'EXTERNAL-NAME', type: 'string', jsonPath: ".metadata.annotations.pledge\\.dev/external-name" },
  { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' },
];

function crdFor(options: {
  gvk: GroupVersionKind;
  plural: string;
  categories: string[];
  schema: JSONSchema;
  printerColumns?: unknown[];
  status: boolean;
  namespaced?: boolean;
}): CustomResourceDefinition {
  const { gvk, plural } = options;
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${gvk.group}`, labels: { 'app.kubernetes.io/part-of': 'pledge' } },
    spec: {
      group: gvk.group,
      names: {
        kind: gvk.kind,
        listKind: `${gvk.kind}List`,
        plural,
        singular: gvk.kind.toLowerCase(),
        categories: options.categories,
      },
      scope: options.namespaced ? 'Namespaced' : 'Cluster',
      versions: [
        {
          name: gvk.version,
          served: true,
          storage: true,
          ...(options.status ? { subresources: { status: {} } } : {}),
          ...(options.printerColumns ? { additionalPrinterColumns: options.printerColumns } : {}),
          schema: { openAPIV3Schema: options.schema },
        },
      ],
    },
  };
}

/** The CRD for a managed kind: core's spec/status envelope around the provider's forProvider/atProvider. */
export function managedCrd(kind: { gvk: GroupVersionKind; plural: string; schema: KindSchema; namespaced?: boolean }, cloud: string): CustomResourceDefinition {
  const validations = kind.schema.validations ?? [];
  return crdFor({
    gvk: kind.gvk,
    plural: kind.plural,
    categories: ['pledge', 'managed', cloud],
    printerColumns,
    status: true,
    namespaced: kind.namespaced === true,
    schema: obj(
      {
        apiVersion: { type: 'string' },
        kind: { type: 'string' },
        metadata: { type: 'object' },
        spec: managedSpec(kind.schema.forProvider, kind.namespaced === true),
        status: obj({ atProvider: kind.schema.atProvider, conditions: conditionsSchema, observedGeneration: { type: 'integer', format: 'int64' } }),
      },
      {
        required: ['spec'],
        ...(validations.length > 0 ? { 'x-kubernetes-validations': validations } : {}),
      },
    ),
  });
}

export function providerConfigCrd(config: { gvk: GroupVersionKind; plural: string; spec: JSONSchema; namespaced?: boolean }, cloud: string): CustomResourceDefinition {
  return crdFor({
    namespaced: config.namespaced === true,
    gvk: config.gvk,
    plural: config.plural,
    categories: ['pledge', 'providerconfig', cloud],
    status: false,
    printerColumns: [{ name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' }],
    schema: obj(
      { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: config.spec },
      { required: ['spec'] },
    ),
  });
}

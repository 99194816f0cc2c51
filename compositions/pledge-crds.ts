import { conditionsSchema as conditions, type CustomResourceDefinition, type JSONSchema } from '../core/crd/index.ts';
import { GROUP, VERSION } from './types.ts';

const anyObject: JSONSchema = { type: 'object', 'x-kubernetes-preserve-unknown-fields': true };

const compositionSpec = (extra: Record<string, JSONSchema> = {}, immutable = false): JSONSchema => ({
  type: 'object',
  required: ['compositeTypeRef', 'resources'],
  properties: {
    compositeTypeRef: {
      type: 'object',
      required: ['apiVersion', 'kind'],
      properties: { apiVersion: { type: 'string' }, kind: { type: 'string' } },
      'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.compositeTypeRef is immutable' }],
    },
    resources: { type: 'array', items: { ...anyObject, required: ['name', 'base'] } },
    patchSets: { type: 'array', items: anyObject },
    writeConnectionSecretsToNamespace: { type: 'string' },
    autoReady: {
      type: 'boolean',
      description: "function-auto-ready's rules for composed resources the readiness checks do not find ready: a well-known kind's own health rule (Deployment, Service, ConfigMap, …), else its Ready condition",
    },
    ...extra,
  },
  // has() first: reading an absent patchSets is an evaluation error, which refused every update of a revision
  // without patchSets, even one of metadata only (the garbage collector orphaning it).
  ...(immutable
    ? { 'x-kubernetes-validations': [{ rule: 'self.resources == oldSelf.resources && has(self.patchSets) == has(oldSelf.patchSets) && (!has(self.patchSets) || self.patchSets == oldSelf.patchSets) && has(self.autoReady) == has(oldSelf.autoReady) && (!has(self.autoReady) || self.autoReady == oldSelf.autoReady)', message: 'a CompositionRevision is immutable' }] }
    : {}),
});

/** kubectl short names, as Crossplane's: `kubectl get xrd`, `kubectl get comp`, `kubectl get comprev`. */
const SHORT_NAMES: Record<string, string[]> = { CompositeResourceDefinition: ['xrd', 'xrds'], Composition: ['comp'], CompositionRevision: ['comprev'] };

function crd(kind: string, plural: string, schema: JSONSchema, columns: unknown[], status: boolean): CustomResourceDefinition {
  return {
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.${GROUP}`, labels: { 'app.kubernetes.io/part-of': 'pledge' } },
    spec: {
      group: GROUP,
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase(), shortNames: SHORT_NAMES[kind], categories: ['pledge'] },
      scope: 'Cluster',
      versions: [
        {
          name: VERSION,
          served: true,
          storage: true,
          ...(status ? { subresources: { status: {} } } : {}),
          additionalPrinterColumns: columns,
          schema: { openAPIV3Schema: { type: 'object', properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, ...schema.properties }, required: ['spec'] } },
        },
      ],
    },
  };
}

const age = { name: 'AGE', type: 'date', jsonPath: '.metadata.creationTimestamp' };

/**
 * pledge.dev/v2 of the CompositeResourceDefinition, as Crossplane's apiextensions.crossplane.io/v2: v1's schema
 * with spec.scope defaulting to Namespaced (so claimNames without a scope is refused, claims being LegacyCluster's).
 * Served beside v1, stored as v1 with no conversion: both versions default spec.scope, so every stored XRD carries
 * its scope, and an object read back through either version (defaulted with the storage version's default first)
 * keeps the scope it was created with.
 */
function withV2(xrd: CustomResourceDefinition): CustomResourceDefinition {
  type Version = { name: string; storage: boolean; schema: { openAPIV3Schema: { properties: { spec: { properties: { scope: JSONSchema } } } } } };
  const [v1] = xrd.spec.versions as Version[];
  if (v1 === undefined) throw new Error('the XRD CRD has no version');
  const v2 = structuredClone(v1);
  v2.name = 'v2';
  v2.storage = false;
  const scope = v2.schema.openAPIV3Schema.properties.spec.properties.scope;
  scope.default = 'Namespaced';
  scope.description = String(scope.description).replace('LegacyCluster (the default of v1, as Crossplane v1 XRDs)', 'LegacyCluster').replace('Namespaced:', 'Namespaced (the default of v2, as Crossplane v2 XRDs):');
  return { ...xrd, spec: { ...xrd.spec, versions: [v1, v2] } };
}

/** The three kinds of pledge.dev/v1 the compositions module serves (the XRD also as pledge.dev/v2). */
export function compositionCrds(): CustomResourceDefinition[] {
  return [
    withV2(crd(
      'CompositeResourceDefinition',
      'compositeresourcedefinitions',
      {
        properties: {
          spec: {
            type: 'object',
            required: ['group', 'names', 'versions'],
            'x-kubernetes-validations': [
              { rule: "!has(self.claimNames) || !has(self.scope) || self.scope == 'LegacyCluster'", message: 'spec.claimNames needs spec.scope LegacyCluster: only a cluster-scoped composite is offered to namespaces through a claim' },
              { rule: 'has(self.scope) == has(oldSelf.scope)', message: 'spec.scope is immutable' },
            ],
            properties: {
              group: { type: 'string', 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.group is immutable' }] },
              names: { ...anyObject, required: ['kind', 'plural'], 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.names is immutable' }] },
              claimNames: { ...anyObject, required: ['kind', 'plural'], 'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.claimNames is immutable' }] },
              versions: { type: 'array', minItems: 1, items: { ...anyObject, required: ['name', 'served', 'referenceable'] } },
              connectionSecretKeys: { type: 'array', items: { type: 'string' } },
              defaultCompositionRef: { type: 'object', properties: { name: { type: 'string' } } },
              defaultCompositionUpdatePolicy: { type: 'string', enum: ['Automatic', 'Manual'], default: 'Automatic' },
              scope: {
                type: 'string',
                enum: ['Namespaced', 'Cluster', 'LegacyCluster'],
                description: 'Namespaced: composites live in a namespace and compose into it; Cluster: cluster-scoped composites; LegacyCluster (the default of v1, as Crossplane v1 XRDs): cluster-scoped composites offered through claims. Namespaced and Cluster composites keep their composition fields under spec.crossplane.',
                default: 'LegacyCluster',
                'x-kubernetes-validations': [{ rule: 'self == oldSelf', message: 'spec.scope is immutable' }],
              },
            },
          },
          status: { type: 'object', properties: { conditions, observedGeneration: { type: 'integer', format: 'int64' } } },
        },
      },
      [
        { name: 'ESTABLISHED', type: 'string', jsonPath: ".status.conditions[?(@.type=='Established')].status" },
        { name: 'OFFERED', type: 'string', jsonPath: ".status.conditions[?(@.type=='Offered')].status" },
        age,
      ],
      true,
    )),
    crd('Composition', 'compositions', { properties: { spec: compositionSpec() } }, [
      { name: 'XR-KIND', type: 'string', jsonPath: '.spec.compositeTypeRef.kind' },
      { name: 'XR-APIVERSION', type: 'string', jsonPath: '.spec.compositeTypeRef.apiVersion' },
      age,
    ], false),
    crd('CompositionRevision', 'compositionrevisions', { properties: { spec: compositionSpec({ revision: { type: 'integer', minimum: 1 } }, true) } }, [
      { name: 'REVISION', type: 'integer', jsonPath: '.spec.revision' },
      { name: 'XR-KIND', type: 'string', jsonPath: '.spec.compositeTypeRef.kind' },
      age,
    ], false),
  ];
}

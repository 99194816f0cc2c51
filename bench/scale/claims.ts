// --claims M (Pledge only): M namespaced claims of an XRD whose Composition makes 3 NopResources each, all
// Ready at once; a claim is Ready when its composite and the three are. Crossplane's side of this would
// need Crossplane itself, not only provider-nop, so it is not compared here.
import { kubectl } from '../../test/env/index.ts';
import { apply, PROVIDER_CONFIG, pledgeNop, type BenchKind } from './kinds.ts';

const GROUP = 'scale.bench.pledge.dev';
const COMPOSED = 3;

const composed = (name: string) => `
  - name: ${name}
    base:
      apiVersion: nop.pledge.dev/v1
      kind: NopResource
      spec:
        providerConfigRef: {name: ${PROVIDER_CONFIG}}
        forProvider:
          conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "True"}]`;

export const nopTrioClaims: BenchKind = {
  label: 'NopTrio claim',
  group: GROUP,
  version: 'v1alpha1',
  kind: 'NopTrio',
  plural: 'noptrios',
  namespace: 'default',
  composedPerObject: COMPOSED,
  manifest: (name) => ({ apiVersion: `${GROUP}/v1alpha1`, kind: 'NopTrio', metadata: { name, namespace: 'default' }, spec: {} }),
  prepare: () => pledgeNop.prepare(),
  async afterStart() {
    await apply(`
apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: xnoptrios.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: XNopTrio, plural: xnoptrios}
  claimNames: {kind: NopTrio, plural: noptrios}
  defaultCompositionRef: {name: noptrio}
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object}
---
apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: noptrio}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1alpha1, kind: XNopTrio}
  resources:${['first', 'second', 'third'].map(composed).join('')}
`);
    const res = await kubectl(['wait', '--for=condition=Offered', '--timeout=60s', `compositeresourcedefinitions.pledge.dev/xnoptrios.${GROUP}`], { timeoutMs: 70_000 });
    if (res.code !== 0) throw new Error(`the XRD was not offered: ${res.stderr}`);
  },
};

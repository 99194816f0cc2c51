// The objects the health fixtures are captured from (capture-fixtures.ts): Buckets and ObjectStorage claims in each
// state a verdict needs, and the Compositions that hold a claim in a waiting or failing state.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { REPO } from '../integration/harness.ts';

export const GROUP = 'platform.example.org';
export const EXAMPLES = join(REPO, 'compositions/examples/object-storage');

export const bucket = (name: string, extra: { providerConfig?: string; annotations?: Record<string, string>; finalizers?: string[] } = {}) => `
apiVersion: s3.aws.pledge.dev/v1
kind: Bucket
metadata:
  name: ${name}
  annotations: ${JSON.stringify(extra.annotations ?? {})}
  finalizers: ${JSON.stringify(extra.finalizers ?? [])}
spec:
  forProvider: {region: us-east-1, tags: {team: platform}}
  providerConfigRef: {name: ${extra.providerConfig ?? 'default'}}
`;

export const claim = (name: string, provider: string, extra: { annotations?: Record<string, string>; finalizers?: string[]; versioning?: boolean } = {}) => `
apiVersion: ${GROUP}/v1alpha1
kind: ObjectStorage
metadata:
  name: ${name}
  namespace: default
  annotations: ${JSON.stringify(extra.annotations ?? {})}
  finalizers: ${JSON.stringify(extra.finalizers ?? [])}
spec:
  region: us-east-1
  versioning: ${extra.versioning ?? false}
  compositionSelector: {matchLabels: {provider: ${provider}}}
`;

/** The AWS composition, renamed and relabelled, its Bucket on another ProviderConfig. */
export async function awsCompositionOn(providerConfig: string, label: string): Promise<string> {
  const c = parse(await readFile(join(EXAMPLES, 'composition-aws.yaml'), 'utf8'));
  c.metadata = { name: `objectstorage-${label}`, labels: { provider: label } };
  c.spec.resources[0].base.spec.providerConfigRef = { name: providerConfig };
  return stringify(c);
}

export const extraCompositions = `
apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: objectstorage-nop-slow, labels: {provider: nop-slow}}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1alpha1, kind: XObjectStorage}
  resources:
  - name: store
    base:
      apiVersion: nop.pledge.dev/v1
      kind: NopResource
      spec:
        forProvider:
          conditionAfter:
          - {time: 1h, conditionType: Ready, conditionStatus: "True"}
---
apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: objectstorage-azure-waiting, labels: {provider: azure-waiting}}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1alpha1, kind: XObjectStorage}
  resources:
  - name: account
    base:
      apiVersion: storage.azure.pledge.dev/v1
      kind: Account
      metadata: {name: healthwaitingacct}
      spec:
        forProvider:
          location: westeurope
          resourceGroupNameRef: {name: health-missing-rg}
`;

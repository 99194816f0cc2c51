// What the bench creates: one kind per (controller, --kind), each with the manifest of one object and
// what has to exist before the controller starts (CRDs, a ProviderConfig). The creator, the watch and
// the report see only this interface, so a new kind is one entry here.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubectlApply, testEnv } from '../../test/env/index.ts';

export type ControllerName = 'pledge' | 'provider-nop';
export type KindName = 'nop' | 'gcs' | 's3';

export interface BenchKind {
  /** For tables and file names: "NopResource", "GCS Bucket". */
  label: string;
  group: string;
  version: string;
  kind: string;
  plural: string;
  /** Set for namespaced kinds: every object is created there. */
  namespace?: string;
  /** cloudsim's service name when the kind makes cloud calls (counted per resource per poll). */
  cloudService?: 'gcs' | 's3';
  /** The whole object, for server-side apply. */
  manifest(name: string): Record<string, unknown>;
  /** Before the controller starts: ProviderConfigs and the like (the CRDs are the controller's). */
  prepare(): Promise<void>;
  /** Once the controller runs (an XRD is offered only then). */
  afterStart?(): Promise<void>;
  /** Claims: managed resources each object composes. */
  composedPerObject?: number;
}

/** provider-nop's and Pledge's conditionAfter: Ready at once, so neither side's poll is what is measured. */
const READY_AT_ONCE = { conditionAfter: [{ time: '0s', conditionType: 'Ready', conditionStatus: 'True' }] };

/** The ProviderConfig name the bench uses, so it never touches a `default` someone else made. */
export const PROVIDER_CONFIG = 'bench-scale';

export async function apply(yaml: string): Promise<void> {
  const res = await kubectlApply(yaml);
  // kubectl's stderr names objects, never secret values.
  if (res.code !== 0) throw new Error(`kubectl apply failed: ${res.stderr}`);
}

export const pledgeNop: BenchKind = {
  label: 'NopResource',
  group: 'nop.pledge.dev',
  version: 'v1',
  kind: 'NopResource',
  plural: 'nopresources',
  manifest: (name) => ({
    apiVersion: 'nop.pledge.dev/v1',
    kind: 'NopResource',
    metadata: { name },
    spec: { providerConfigRef: { name: PROVIDER_CONFIG }, forProvider: READY_AT_ONCE },
  }),
  prepare: () => apply(`apiVersion: nop.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: ${PROVIDER_CONFIG}}\n`),
};

/** provider-nop v0.5.0: its NopResource is namespaced (Crossplane v2); ClusterNopResource is the cluster-scoped one, as Pledge's. */
const crossplaneNop: BenchKind = {
  label: 'ClusterNopResource',
  group: 'nop.crossplane.io',
  version: 'v1alpha1',
  kind: 'ClusterNopResource',
  plural: 'clusternopresources',
  manifest: (name) => ({
    apiVersion: 'nop.crossplane.io/v1alpha1',
    kind: 'ClusterNopResource',
    metadata: { name },
    // providerConfigRef defaults to `default`, which provider-nop never reads: it has no ProviderConfig kind.
    spec: { forProvider: READY_AT_ONCE },
  }),
  prepare: async () => undefined,
};

function cloudsimUrls(): { gcsUrl: string; awsUrl: string; gcpKeyPath: string } {
  const sim = testEnv().cloudsim;
  if (!sim?.gcpKeyPath) throw new Error('cloudsim is not running: run under test/env/run.ts');
  return { gcsUrl: sim.gcsUrl, awsUrl: sim.awsUrl, gcpKeyPath: sim.gcpKeyPath };
}

const gcsBucket: BenchKind = {
  label: 'GCS Bucket',
  group: 'storage.gcp.pledge.dev',
  version: 'v1',
  kind: 'Bucket',
  plural: 'buckets',
  cloudService: 'gcs',
  manifest: (name) => ({
    apiVersion: 'storage.gcp.pledge.dev/v1',
    kind: 'Bucket',
    metadata: { name },
    spec: { providerConfigRef: { name: PROVIDER_CONFIG }, forProvider: { location: 'US' } },
  }),
  // Only the cloud this kind needs gets a ProviderConfig: another cloud's could load its SDK and change the RSS.
  async prepare() {
    const { gcsUrl, gcpKeyPath } = cloudsimUrls();
    const key = await readFile(gcpKeyPath, 'utf8');
    const projectId = (JSON.parse(key) as { project_id: string }).project_id;
    await apply(`
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: ${PROVIDER_CONFIG}-gcp, namespace: pledge-system}
data: {credentials.json: ${Buffer.from(key).toString('base64')}}
---
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${PROVIDER_CONFIG}}
spec:
  projectId: ${projectId}
  endpoint: ${gcsUrl}
  credentialsSecretRef: {name: ${PROVIDER_CONFIG}-gcp, namespace: pledge-system, key: credentials.json}
`);
  },
};

/** Credentials cloudsim accepts for AWS (it checks no signature). */
const SIM_AWS = { accessKeyId: 'AKIAPLEDGEBENCH00001', secretAccessKey: 'pledge-bench-secret-key-do-not-log-0000' } as const;

const s3Bucket: BenchKind = {
  label: 'S3 Bucket',
  group: 's3.aws.pledge.dev',
  version: 'v1',
  kind: 'Bucket',
  plural: 'buckets',
  cloudService: 's3',
  manifest: (name) => ({
    apiVersion: 's3.aws.pledge.dev/v1',
    kind: 'Bucket',
    metadata: { name },
    spec: { providerConfigRef: { name: PROVIDER_CONFIG }, forProvider: { region: 'us-east-1' } },
  }),
  async prepare() {
    const { awsUrl } = cloudsimUrls();
    await apply(`
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: ${PROVIDER_CONFIG}-aws, namespace: pledge-system}
stringData: {accessKeyId: ${SIM_AWS.accessKeyId}, secretAccessKey: ${SIM_AWS.secretAccessKey}}
---
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${PROVIDER_CONFIG}}
spec:
  region: us-east-1
  endpoint: ${awsUrl}
  credentials:
    source: Secret
    secretRef: {name: ${PROVIDER_CONFIG}-aws, namespace: pledge-system}
`);
  },
};

/** The kind a controller serves for --kind; provider-nop serves only nop. */
export function benchKind(controller: ControllerName, kind: KindName): BenchKind {
  if (controller === 'provider-nop') {
    if (kind !== 'nop') throw new Error(`provider-nop serves only --kind nop, not ${kind}`);
    return crossplaneNop;
  }
  return { nop: pledgeNop, gcs: gcsBucket, s3: s3Bucket }[kind];
}

/** The REST path of a kind's collection, or of one object in it. */
export function resourcePath(kind: Pick<BenchKind, 'group' | 'version' | 'plural' | 'namespace'>, name?: string): string {
  const ns = kind.namespace ? `/namespaces/${kind.namespace}` : '';
  return `/apis/${kind.group}/${kind.version}${ns}/${kind.plural}${name === undefined ? '' : `/${name}`}`;
}

export const REPO = join(import.meta.dirname, '..', '..');

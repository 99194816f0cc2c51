// A namespaced composite (XRD scope Namespaced) composing namespaced managed resources of every kind (the `.m.`
// groups) on moto and cloudsim, in two teams' namespaces under the same names: each reaches Ready in its own
// namespace, with its own cloud objects and its connection secret there; deleting a composite deletes what it
// composed. The controller runs with the chart's RBAC.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { eventually, getJson, installCrds, motoS3, mustKubectl, startController, TEST_CREDENTIALS, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const GROUP = 'platform.example.org';
const KIND = `XTeamInfra${suffix}`;
const PLURAL = `xteaminfra${suffix}s`;
const TEAMS = [`team-a-${suffix}`, `team-b-${suffix}`];
const CONFIG = `xr-scope-${suffix}`;
const COMPOSED = ['buckets.s3.aws.m.pledge.dev', 'dbinstances.rds.aws.m.pledge.dev', 'resourcegroups.resources.azure.m.pledge.dev', 'accounts.storage.azure.m.pledge.dev', 'buckets.storage.gcp.m.pledge.dev', 'nopresources.nop.m.pledge.dev'];

interface Obj {
  metadata: { name: string; namespace?: string; annotations?: Record<string, string> };
  spec: Record<string, unknown> & { crossplane?: { resourceRefs?: Array<{ kind: string; apiVersion: string; name: string; namespace?: string }> }; writeConnectionSecretToRef?: { name: string; namespace?: string } };
}

async function apply(yaml: string): Promise<void> {
  const res = await kubectlApply(yaml);
  assert.equal(res.code, 0, res.stderr);
}

/** The platform team's ClusterProviderConfigs for the three clouds (moto, cloudsim), credentials in pledge-system. */
async function clusterConfigsYaml(): Promise<string> {
  const env = testEnv();
  if (!env.cloudsim?.gcpKeyPath || !env.azure) throw new Error('cloudsim is not running: run under test/env/run.ts');
  const gcpKey = await readFile(env.cloudsim.gcpKeyPath, 'utf8');
  const projectId = (JSON.parse(gcpKey) as { project_id: string }).project_id;
  return `
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: ${CONFIG}-aws, namespace: pledge-system}
stringData: {accessKeyId: ${TEST_CREDENTIALS.accessKeyId}, secretAccessKey: ${TEST_CREDENTIALS.secretAccessKey}}
---
apiVersion: aws.m.pledge.dev/v1
kind: ClusterProviderConfig
metadata: {name: ${CONFIG}}
spec:
  region: us-east-1
  endpoint: ${env.motoUrl}
  credentials: {source: Secret, secretRef: {name: ${CONFIG}-aws, namespace: pledge-system}}
---
apiVersion: v1
kind: Secret
metadata: {name: ${CONFIG}-azure, namespace: pledge-system}
stringData: {clientSecret: "${env.azure.clientSecret}"}
---
apiVersion: azure.m.pledge.dev/v1
kind: ClusterProviderConfig
metadata: {name: ${CONFIG}}
spec:
  tenantId: "${env.azure.tenantId}"
  clientId: "${env.azure.clientId}"
  subscriptionId: "${env.azure.subscriptionId}"
  clientSecretSecretRef: {name: ${CONFIG}-azure, namespace: pledge-system, key: clientSecret}
  endpoint: ${env.cloudsim.azureUrl}
  authorityHost: ${env.cloudsim.azureUrl}
---
apiVersion: v1
kind: Secret
metadata: {name: ${CONFIG}-gcp, namespace: pledge-system}
stringData:
  credentials.json: |
${gcpKey.trim().replace(/^/gm, '    ')}
---
apiVersion: gcp.m.pledge.dev/v1
kind: ClusterProviderConfig
metadata: {name: ${CONFIG}}
spec:
  projectId: ${projectId}
  endpoint: ${env.cloudsim.gcsUrl}
  credentialsSecretRef: {name: ${CONFIG}-gcp, namespace: pledge-system, key: credentials.json}
---
apiVersion: nop.m.pledge.dev/v1
kind: ClusterProviderConfig
metadata: {name: ${CONFIG}}
spec: {}
`;
}

const XRD = `apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: ${PLURAL}.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: ${KIND}, plural: ${PLURAL}}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {location: {type: string}}}
`;

// Each template names the ClusterProviderConfig; the DB's password Secret and the Account's resource group are
// the namespace's own (local references).
const COMPOSITION = `apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: team-infra-${suffix}}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1alpha1, kind: ${KIND}}
  resources:
  - name: bucket
    base: {apiVersion: s3.aws.m.pledge.dev/v1, kind: Bucket, spec: {forProvider: {region: us-east-1}, providerConfigRef: {kind: ClusterProviderConfig, name: ${CONFIG}}}}
  - name: db
    base:
      apiVersion: rds.aws.m.pledge.dev/v1
      kind: DBInstance
      spec:
        forProvider: {region: us-east-1, engine: postgres, dbInstanceClass: db.t3.micro, masterUsername: app, allocatedStorage: 20, masterUserPasswordSecretRef: {name: db-pass, key: password}}
        providerConfigRef: {kind: ClusterProviderConfig, name: ${CONFIG}}
  - name: rg
    base: {apiVersion: resources.azure.m.pledge.dev/v1, kind: ResourceGroup, spec: {forProvider: {location: westeurope}, providerConfigRef: {kind: ClusterProviderConfig, name: ${CONFIG}}}}
    patches:
    - {fromFieldPath: spec.location, toFieldPath: spec.forProvider.location}
  - name: account
    base:
      apiVersion: storage.azure.m.pledge.dev/v1
      kind: Account
      spec:
        forProvider: {location: westeurope, sku: Standard_LRS, kind: StorageV2, resourceGroupNameRef: {name: unset}}
        providerConfigRef: {kind: ClusterProviderConfig, name: ${CONFIG}}
    patches:
    - {fromFieldPath: spec.location, toFieldPath: spec.forProvider.location}
    # A storage account's name is letters and digits only: named by a patch rather than <composite>-<template>.
    - {fromFieldPath: metadata.name, toFieldPath: metadata.name, transforms: [{type: string, string: {type: Format, fmt: "%sstore"}}]}
    - {fromFieldPath: metadata.name, toFieldPath: spec.forProvider.resourceGroupNameRef.name, transforms: [{type: string, string: {type: Format, fmt: "%s-rg"}}]}
  - name: gcs
    base: {apiVersion: storage.gcp.m.pledge.dev/v1, kind: Bucket, spec: {forProvider: {location: us-central1}, providerConfigRef: {kind: ClusterProviderConfig, name: ${CONFIG}}}}
  - name: marker
    base:
      apiVersion: nop.m.pledge.dev/v1
      kind: NopResource
      spec:
        forProvider: {conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "True"}], connectionDetails: [{name: team, value: unset}]}
        providerConfigRef: {kind: ClusterProviderConfig, name: ${CONFIG}}
    patches:
    - {fromFieldPath: metadata.namespace, toFieldPath: "spec.forProvider.connectionDetails[0].value"}
    connectionDetails:
    - {type: FromConnectionSecretKey, name: team, fromConnectionSecretKey: team}
`;

async function bucketExists(name: string): Promise<boolean> {
  try {
    await motoS3().send(new HeadBucketCommand({ Bucket: name }));
    return true;
  } catch {
    return false;
  }
}

describe('a namespaced composite composing namespaced managed resources on every cloud', { timeout: 360_000 }, () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    await apply(await clusterConfigsYaml());
    for (const ns of TEAMS) await apply(`apiVersion: v1\nkind: Namespace\nmetadata: {name: ${ns}}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: db-pass, namespace: ${ns}}\nstringData: {password: Pw-${randomBytes(8).toString('hex')}}\n`);
    controller = await startController();
    await apply(`${XRD}---\n${COMPOSITION}`);
    await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', `compositeresourcedefinitions.pledge.dev/${PLURAL}.${GROUP}`]);
  });

  after(async () => {
    for (const ns of TEAMS) await kubectl(['delete', PLURAL, '--all', '-n', ns, '--timeout=120s'], { timeoutMs: 150_000 });
    await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', `${PLURAL}.${GROUP}`, '--timeout=60s']);
    await controller?.stop();
    await kubectl(['delete', 'namespace', ...TEAMS, '--wait=false']);
    await kubectl(['delete', 'clusterproviderconfigs.aws.m.pledge.dev,clusterproviderconfigs.azure.m.pledge.dev,clusterproviderconfigs.gcp.m.pledge.dev,clusterproviderconfigs.nop.m.pledge.dev', CONFIG, '--ignore-not-found']);
    await kubectl(['delete', 'secret', '-n', 'pledge-system', `${CONFIG}-aws`, `${CONFIG}-azure`, `${CONFIG}-gcp`, '--ignore-not-found']);
  });

  test("the same composite name in two namespaces: each Ready with its own resources, cloud objects and secret", async () => {
    for (const ns of TEAMS) await apply(`apiVersion: ${GROUP}/v1alpha1\nkind: ${KIND}\nmetadata: {name: infra, namespace: ${ns}}\nspec:\n  location: westeurope\n  crossplane: {compositionRef: {name: team-infra-${suffix}}}\n  writeConnectionSecretToRef: {name: infra-conn}\n`);
    const bucketNames: string[] = [];
    for (const ns of TEAMS) {
      const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=180s', `${PLURAL}/infra`, '-n', ns], { timeoutMs: 200_000 });
      if (wait.code !== 0) {
        const status = JSON.stringify((await getJson<{ status?: unknown }>(PLURAL, 'infra', ns))?.status);
        const composed = (await kubectl(['get', COMPOSED.join(','), '-n', ns])).stdout;
        assert.fail(`${ns}: ${wait.stderr}\ncomposite status: ${status}\n${composed}`);
      }
      const xr = await getJson<Obj>(PLURAL, 'infra', ns);
      const refs = xr?.spec.crossplane?.resourceRefs ?? [];
      assert.equal(refs.length, 6, 'one of each kind');
      for (const ref of refs) {
        assert.equal(ref.namespace, undefined);
        const plural = COMPOSED.find((c) => c.split('.').slice(1).join('.') === ref.apiVersion.split('/')[0] && c.startsWith(`${ref.kind.toLowerCase()}`));
        assert.ok(plural, `${ref.kind} ${ref.apiVersion} is a namespaced managed kind`);
        const composed = await getJson<Obj>(plural, ref.name, ns);
        assert.equal(composed?.metadata.namespace, ns, `${ref.kind} ${ref.name} in ${ns}`);
      }
      const bucket = refs.find((r) => r.apiVersion.startsWith('s3.aws.m.'));
      const external = (await getJson<Obj>('buckets.s3.aws.m.pledge.dev', bucket?.name ?? '', ns))?.metadata.annotations?.['pledge.dev/external-name'] ?? '';
      assert.ok(await bucketExists(external), `${ns}'s bucket ${external} is in moto`);
      bucketNames.push(external);
      // The NopResource's secret (in its namespace) becomes the composite's, in the composite's namespace.
      const secret = await getJson<{ data?: Record<string, string> }>('secret', 'infra-conn', ns);
      assert.equal(Buffer.from(secret?.data?.team ?? '', 'base64').toString(), ns);
    }
    assert.notEqual(bucketNames[0], bucketNames[1], 'the same names in two namespaces make different cloud objects');
  });

  test('deleting a namespaced composite deletes what it composed, in its namespace only', async () => {
    const [teamA, teamB] = TEAMS as [string, string];
    const refs = (await getJson<Obj>(PLURAL, 'infra', teamA))?.spec.crossplane?.resourceRefs ?? [];
    const external = (await getJson<Obj>('buckets.s3.aws.m.pledge.dev', refs.find((r) => r.kind === 'Bucket' && r.apiVersion.startsWith('s3.'))?.name ?? '', teamA))?.metadata.annotations?.['pledge.dev/external-name'] ?? '';
    const del = await kubectl(['delete', PLURAL, 'infra', '-n', teamA, '--timeout=150s'], { timeoutMs: 170_000 });
    assert.equal(del.code, 0, `${del.stderr}\n${(await controller.log()).slice(-5000)}`);
    for (const resource of COMPOSED) {
      const left = JSON.parse(await mustKubectl(['get', resource, '-n', teamA, '-o', 'json'])) as { items: Obj[] };
      assert.deepEqual(left.items.map((i) => i.metadata.name), [], `no ${resource} left in ${teamA}`);
    }
    await eventually(async () => !(await bucketExists(external)), `${external} deleted from moto`);
    assert.equal(((await getJson<Obj>(PLURAL, 'infra', teamB))?.spec.crossplane?.resourceRefs ?? []).length, 6, "the other team's composite keeps its resources");
  });
});

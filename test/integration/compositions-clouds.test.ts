// One ObjectStorage claim per cloud: AWS on moto, Azure and GCP on cloudsim, each Ready with its
// connection secret through the example compositions applied as they are.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { getJson, installAwsProviderConfig, installCrds, mustKubectl, REPO, startController, type ControllerProcess } from './harness.ts';

const examples = join(REPO, 'compositions/examples/object-storage');
const suffix = randomBytes(2).toString('hex');

async function installCloudsimProviderConfigs(): Promise<void> {
  const env = testEnv();
  if (!env.cloudsim || !env.azure || !env.cloudsim.gcpKeyPath) throw new Error('cloudsim is not running: run under test/env/run.ts');
  const gcpKey = await readFile(env.cloudsim.gcpKeyPath, 'utf8');
  const projectId = (JSON.parse(gcpKey) as { project_id: string }).project_id;
  const yaml = `
apiVersion: v1
kind: Secret
metadata: {name: cloudsim-azure, namespace: pledge-system}
stringData: {clientSecret: "${env.azure.clientSecret}"}
---
apiVersion: azure.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default}
spec:
  tenantId: "${env.azure.tenantId}"
  clientId: "${env.azure.clientId}"
  subscriptionId: "${env.azure.subscriptionId}"
  clientSecretSecretRef: {name: cloudsim-azure, namespace: pledge-system, key: clientSecret}
  endpoint: ${env.cloudsim.azureUrl}
  authorityHost: ${env.cloudsim.azureUrl}
---
apiVersion: v1
kind: Secret
metadata: {name: cloudsim-gcp, namespace: pledge-system}
stringData:
  credentials.json: |
${gcpKey.trim().replace(/^/gm, '    ')}
---
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default}
spec:
  projectId: ${projectId}
  endpoint: ${env.cloudsim.gcsUrl}
  credentialsSecretRef: {name: cloudsim-gcp, namespace: pledge-system, key: credentials.json}
`;
  const res = await kubectlApply(yaml);
  if (res.code !== 0) throw new Error(`cannot install cloudsim ProviderConfigs: ${res.stderr}`);
}

describe('object-storage claims on every cloud', () => {
  let controller: ControllerProcess;
  const clouds = ['aws', 'azure', 'gcp'] as const;
  const claimName = (cloud: string) => `store-${cloud}-${suffix}`;

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    await installCloudsimProviderConfigs();
    controller = await startController({ pollInterval: '5s', env: { NODE_EXTRA_CA_CERTS: testEnv().cloudsim?.caPath } });
    await mustKubectl(['apply', '-f', join(examples, 'definition.yaml')]);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
    await mustKubectl(['apply', ...clouds.flatMap((c) => ['-f', join(examples, `composition-${c}.yaml`)])]);
  });
  after(async () => {
    await kubectl(['delete', 'objectstorage', '-n', 'default', ...clouds.map(claimName), '--ignore-not-found', '--timeout=90s'], { timeoutMs: 100_000 });
    await controller?.stop();
  });

  test('a claim per cloud becomes Ready with its connection secret', async () => {
    for (const cloud of clouds) {
      const res = await kubectlApply(`apiVersion: platform.example.org/v1alpha1
kind: ObjectStorage
metadata: {name: ${claimName(cloud)}, namespace: default}
spec:
  region: ${cloud === 'aws' ? 'us-east-1' : cloud === 'azure' ? 'westeurope' : 'EU'}
  versioning: true
  compositionSelector: {matchLabels: {provider: ${cloud}}}
  writeConnectionSecretToRef: {name: ${claimName(cloud)}-conn}
`);
      assert.equal(res.code, 0, res.stderr);
    }
    for (const cloud of clouds) {
      const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=120s', `objectstorage/${claimName(cloud)}`, '-n', 'default'], { timeoutMs: 130_000 });
      assert.equal(wait.code, 0, `${cloud}: ${wait.stderr}\n${JSON.stringify((await getJson('objectstorage', claimName(cloud), 'default'))?.status)}\n${(await controller.log()).slice(-3000)}`);
    }
    const secretKeys = async (cloud: string) => Object.keys((await getJson<{ data: Record<string, string> }>('secret', `${claimName(cloud)}-conn`, 'default'))?.data ?? {}).sort();
    assert.deepEqual(await secretKeys('aws'), ['bucketName', 'endpoint']);
    assert.deepEqual(await secretKeys('azure'), ['accountName', 'bucketName', 'connectionString', 'primaryKey']);
    assert.deepEqual(await secretKeys('gcp'), ['bucketName', 'endpoint']);
    const azure = await getJson<{ status: { bucketName: string; endpoint: string } }>('objectstorage', claimName('azure'), 'default');
    assert.match(azure?.status.bucketName ?? '', /^[a-z0-9]{3,24}$/, 'the storage account name follows Azure rules');
  });

  test('deleting the claims removes everything they composed', async () => {
    const del = await kubectl(['delete', 'objectstorage', '-n', 'default', ...clouds.map(claimName), '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(del.code, 0, del.stderr);
    const left = await mustKubectl(['get', 'managed', '-l', 'pledge.dev/claim-namespace=default', '-o', 'name']);
    const ours = left.split('\n').filter((l) => clouds.some((c) => l.includes(suffix) || l.includes(`store${c}`)));
    assert.deepEqual(ours, [], 'no composed resource is left');
  });
});

// One ProviderConfig per cloud, all of the same name, pointing at the environment's cloudsim: AWS (S3 and
// RDS) with any credentials, Azure with the identity cloudsim accepts, GCP with the key file it issued.
import { readFile } from 'node:fs/promises';
import { kubectl, kubectlApply, testEnv } from '../../env/index.ts';

/** Credentials cloudsim accepts for AWS (it checks no signature); not a 12-digit key id, so account 123456789012. */
const AWS_CREDENTIALS = { accessKeyId: 'AKIAPLEDGEFAULTS0001', secretAccessKey: 'pledge-faults-secret-key-do-not-log-5678' } as const;
const NAMESPACE = 'pledge-system';

export const CLOUDSIM_CONFIG_KINDS = ['providerconfigs.aws.pledge.dev', 'providerconfigs.azure.pledge.dev', 'providerconfigs.gcp.pledge.dev'] as const;

export async function installCloudsimProviderConfigs(name: string): Promise<void> {
  const env = testEnv();
  if (!env.cloudsim || !env.azure || !env.cloudsim.gcpKeyPath) throw new Error('cloudsim is not running: run under test/env/run.ts');
  const gcpKey = await readFile(env.cloudsim.gcpKeyPath, 'utf8');
  const projectId = (JSON.parse(gcpKey) as { project_id: string }).project_id;
  const yaml = `
apiVersion: v1
kind: Namespace
metadata: {name: ${NAMESPACE}}
---
apiVersion: v1
kind: Secret
metadata: {name: ${name}-aws, namespace: ${NAMESPACE}}
stringData:
  accessKeyId: ${AWS_CREDENTIALS.accessKeyId}
  secretAccessKey: ${AWS_CREDENTIALS.secretAccessKey}
---
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  region: us-east-1
  endpoint: ${env.cloudsim.awsUrl}
  credentials:
    source: Secret
    secretRef: {name: ${name}-aws, namespace: ${NAMESPACE}}
---
apiVersion: v1
kind: Secret
metadata: {name: ${name}-azure, namespace: ${NAMESPACE}}
stringData: {clientSecret: "${env.azure.clientSecret}"}
---
apiVersion: azure.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  tenantId: "${env.azure.tenantId}"
  clientId: "${env.azure.clientId}"
  subscriptionId: "${env.azure.subscriptionId}"
  clientSecretSecretRef: {name: ${name}-azure, namespace: ${NAMESPACE}, key: clientSecret}
  endpoint: ${env.cloudsim.azureUrl}
  authorityHost: ${env.cloudsim.azureUrl}
---
apiVersion: v1
kind: Secret
metadata: {name: ${name}-gcp, namespace: ${NAMESPACE}}
stringData:
  credentials.json: |
${gcpKey.trim().replace(/^/gm, '    ')}
---
apiVersion: gcp.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  projectId: ${projectId}
  endpoint: ${env.cloudsim.gcsUrl}
  credentialsSecretRef: {name: ${name}-gcp, namespace: ${NAMESPACE}, key: credentials.json}
`;
  const res = await kubectlApply(yaml);
  // stderr names objects, never the secrets' values.
  if (res.code !== 0) throw new Error(`cannot install the cloudsim ProviderConfigs ${name}: ${res.stderr}`);
}

/** Removes what installCloudsimProviderConfigs made; missing objects are fine. */
export async function removeCloudsimProviderConfigs(name: string): Promise<void> {
  await kubectl(['delete', CLOUDSIM_CONFIG_KINDS.join(','), name, '--ignore-not-found']);
  await kubectl(['delete', 'secret', '-n', NAMESPACE, `${name}-aws`, `${name}-azure`, `${name}-gcp`, '--ignore-not-found']);
}

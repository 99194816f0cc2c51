// The ProviderConfigs "default" of AWS, Azure and GCP that `pledge up` applies at every start (cluster-scoped, and the
// `.m.` groups' ClusterProviderConfig for namespaced managed resources): pointing at cloudsim with --sim, or at the
// usual credential chains of the environment with --clouds-from-env.
import type { ApplyObject } from './server-side-apply.ts';
import type { SimEndpoints } from './sim.ts';

export const SYSTEM_NAMESPACE = 'pledge-system';

const namespace: ApplyObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NAMESPACE } };

const secret = (name: string, stringData: Record<string, string>): ApplyObject => ({
  apiVersion: 'v1',
  kind: 'Secret',
  metadata: { name, namespace: SYSTEM_NAMESPACE },
  type: 'Opaque',
  stringData,
});

/** A "default" ProviderConfig for cloud, and the same spec as the `.m.` group's ClusterProviderConfig. */
function defaults(cloud: 'aws' | 'azure' | 'gcp', spec: Record<string, unknown>): ApplyObject[] {
  return [
    { apiVersion: `${cloud}.pledge.dev/v1`, kind: 'ProviderConfig', metadata: { name: 'default' }, spec },
    { apiVersion: `${cloud}.m.pledge.dev/v1`, kind: 'ClusterProviderConfig', metadata: { name: 'default' }, spec },
  ];
}

export function simProviderConfigs(sim: SimEndpoints): ApplyObject[] {
  const secretRef = (name: string, key: string) => ({ name, namespace: SYSTEM_NAMESPACE, key });
  return [
    namespace,
    // cloudsim takes any access key; a 12-digit-like id stands for one account.
    secret('cloudsim-aws', { accessKeyId: 'AKIAPLEDGEUP', secretAccessKey: 'pledge-up' }),
    secret('cloudsim-azure', { clientSecret: sim.azure.clientSecret }),
    secret('cloudsim-gcp', { 'credentials.json': sim.gcp.keyFile }),
    ...defaults('aws', {
      region: 'us-east-1',
      endpoint: sim.awsUrl,
      credentials: { source: 'Secret', secretRef: { name: 'cloudsim-aws', namespace: SYSTEM_NAMESPACE, accessKeyIdKey: 'accessKeyId', secretAccessKeyKey: 'secretAccessKey' } },
    }),
    ...defaults('azure', {
      tenantId: sim.azure.tenantId,
      clientId: sim.azure.clientId,
      subscriptionId: sim.azure.subscriptionId,
      clientSecretSecretRef: secretRef('cloudsim-azure', 'clientSecret'),
      endpoint: sim.azureUrl,
      authorityHost: sim.azureUrl,
    }),
    ...defaults('gcp', { projectId: sim.gcp.projectId, endpoint: sim.gcsUrl, credentialsSecretRef: secretRef('cloudsim-gcp', 'credentials.json') }),
  ];
}

export type EnvProviderConfigs = { objects: ApplyObject[]; configured: string[]; skipped: string[] };

/**
 * ProviderConfigs from the environment: AWS through the SDK's default chain (always); Azure when AZURE_TENANT_ID,
 * AZURE_CLIENT_ID and AZURE_SUBSCRIPTION_ID are set (a client secret from AZURE_CLIENT_SECRET, else workload identity from
 * AZURE_FEDERATED_TOKEN_FILE); GCP when GOOGLE_CLOUD_PROJECT is set (a key file from GOOGLE_APPLICATION_CREDENTIALS).
 */
export function envProviderConfigs(env: NodeJS.ProcessEnv, readKeyFile: (path: string) => string): EnvProviderConfigs {
  const out: EnvProviderConfigs = { objects: [namespace], configured: ['aws'], skipped: [] };
  out.objects.push(...defaults('aws', { region: env.AWS_REGION || env.AWS_DEFAULT_REGION || 'us-east-1', credentials: { source: 'Environment' } }));
  const { AZURE_TENANT_ID: tenantId, AZURE_CLIENT_ID: clientId, AZURE_SUBSCRIPTION_ID: subscriptionId } = env;
  if (tenantId && clientId && subscriptionId && (env.AZURE_CLIENT_SECRET || env.AZURE_FEDERATED_TOKEN_FILE)) {
    const base = { tenantId, clientId, subscriptionId };
    if (env.AZURE_CLIENT_SECRET) {
      out.objects.push(secret('azure-credentials', { clientSecret: env.AZURE_CLIENT_SECRET }));
      out.objects.push(...defaults('azure', { ...base, clientSecretSecretRef: { name: 'azure-credentials', namespace: SYSTEM_NAMESPACE, key: 'clientSecret' } }));
    } else {
      out.objects.push(...defaults('azure', { ...base, credentials: { source: 'WorkloadIdentity', tokenFile: env.AZURE_FEDERATED_TOKEN_FILE } }));
    }
    out.configured.push('azure');
  } else out.skipped.push('azure (set AZURE_TENANT_ID, AZURE_CLIENT_ID, AZURE_SUBSCRIPTION_ID and AZURE_CLIENT_SECRET)');
  const project = env.GOOGLE_CLOUD_PROJECT || env.CLOUDSDK_CORE_PROJECT;
  if (project && env.GOOGLE_APPLICATION_CREDENTIALS) {
    out.objects.push(secret('gcp-credentials', { 'credentials.json': readKeyFile(env.GOOGLE_APPLICATION_CREDENTIALS) }));
    out.objects.push(...defaults('gcp', { projectId: project, credentialsSecretRef: { name: 'gcp-credentials', namespace: SYSTEM_NAMESPACE, key: 'credentials.json' } }));
    out.configured.push('gcp');
  } else out.skipped.push('gcp (set GOOGLE_CLOUD_PROJECT and GOOGLE_APPLICATION_CREDENTIALS)');
  return out;
}

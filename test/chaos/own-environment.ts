// `make chaos` starts its own test environment in this process (not under test/env/run.ts), because only the
// process that started kube-apiserver and etcd can restart them. The variables test/env/run.ts would export are
// set here, so testEnv() and the integration harness work unchanged.
import { startEnvironment, type Environment } from '../env/environment.ts';

export async function startOwnEnvironment(options: { log?: (line: string) => void; signal?: AbortSignal } = {}): Promise<Environment> {
  const env = await startEnvironment({ ...(options.log ? { log: options.log } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  const sim = env.cloudsim;
  Object.assign(process.env, {
    KUBECONFIG: env.kubeconfigPath,
    PLEDGE_TEST_KUBECONFIG: env.kubeconfigPath,
    PLEDGE_TEST_MOTO_URL: env.motoUrl,
    PLEDGE_TEST_FAKE_GCS_URL: env.fakeGcsUrl,
    PLEDGE_TEST_CLOUDSIM_AWS_URL: sim.awsUrl,
    PLEDGE_TEST_CLOUDSIM_AZURE_URL: sim.azureUrl,
    PLEDGE_TEST_CLOUDSIM_GCS_URL: sim.gcsUrl,
    PLEDGE_TEST_CLOUDSIM_ADMIN_URL: sim.adminUrl,
    PLEDGE_TEST_CLOUDSIM_CA: sim.caCertPath,
    PLEDGE_TEST_CLOUDSIM_GCP_KEY: sim.gcpKeyPath,
    NODE_EXTRA_CA_CERTS: sim.caCertPath,
    PLEDGE_TEST_AZURE_TENANT: sim.azure.tenantId,
    PLEDGE_TEST_AZURE_CLIENT_ID: sim.azure.clientId,
    PLEDGE_TEST_AZURE_CLIENT_SECRET: sim.azure.clientSecret,
    PLEDGE_TEST_AZURE_SUBSCRIPTION: sim.azure.subscriptionId,
  });
  return env;
}

// The environment variables through which a started environment reaches the tests (read back by index.ts).
import type { Environment } from './environment.ts';

/** KUBECONFIG, the emulators' endpoints, cloudsim's CA and test identities, and the environment's directory. */
export function environmentVars(env: Environment): Record<string, string> {
  const sim = env.cloudsim;
  return {
    KUBECONFIG: env.kubeconfigPath,
    PLEDGE_TEST_KUBECONFIG: env.kubeconfigPath,
    PLEDGE_TEST_MOTO_URL: env.motoUrl,
    PLEDGE_TEST_FAKE_GCS_URL: env.fakeGcsUrl,
    PLEDGE_TEST_ENV_DIR: env.dir,
    ...(env.auditLogPath ? { PLEDGE_TEST_AUDIT_LOG: env.auditLogPath } : {}),
    PLEDGE_TEST_CLOUDSIM_AWS_URL: sim.awsUrl,
    PLEDGE_TEST_CLOUDSIM_AZURE_URL: sim.azureUrl,
    PLEDGE_TEST_CLOUDSIM_GCS_URL: sim.gcsUrl,
    PLEDGE_TEST_CLOUDSIM_ADMIN_URL: sim.adminUrl,
    PLEDGE_TEST_CLOUDSIM_CA: sim.caCertPath,
    PLEDGE_TEST_CLOUDSIM_GCP_KEY: sim.gcpKeyPath,
    // Lets the Azure SDK trust cloudsim's certificate.
    NODE_EXTRA_CA_CERTS: sim.caCertPath,
    PLEDGE_TEST_AZURE_TENANT: sim.azure.tenantId,
    PLEDGE_TEST_AZURE_CLIENT_ID: sim.azure.clientId,
    PLEDGE_TEST_AZURE_CLIENT_SECRET: sim.azure.clientSecret,
    PLEDGE_TEST_AZURE_SUBSCRIPTION: sim.azure.subscriptionId,
  };
}

/** The same, for printing (`make dev`): the client secret shown as `$(cat file)`, never as its value. */
export function printableEnvironmentVars(env: Environment): Record<string, string> {
  return { ...environmentVars(env), PLEDGE_TEST_AZURE_CLIENT_SECRET: `"$(cat ${env.cloudsim.azureSecretPath})"` };
}

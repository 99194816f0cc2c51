// What tests import. They run under `make test`, which starts the environments (test/env/run-suite.ts, one
// per lane; or test/env/run.ts, one) and passes a test file its lane's through environment variables.
import { runKubectl, type KubectlResult } from './kubectl.ts';

export type { KubectlResult } from './kubectl.ts';
export { controllerLogsDir, suiteEnvironments, type SuiteEnvironment } from './suite-environments.ts';

export type TestEnv = {
  kubeconfigPath: string;
  /** Endpoint of the moto server: every AWS service, path-style S3. */
  motoUrl: string;
  /** Endpoint of fake-gcs-server (the GCS JSON API), as run.ts exports it. */
  fakeGcsUrl?: string;
  /** cloudsim's endpoints and CA (PLEDGE_TEST_CLOUDSIM_*); set under run.ts. */
  cloudsim?: { awsUrl: string; azureUrl: string; gcsUrl: string; adminUrl: string; caPath: string; gcpKeyPath?: string };
  /** The Azure identity cloudsim accepts (PLEDGE_TEST_AZURE_*). */
  azure?: { tenantId: string; clientId: string; clientSecret: string; subscriptionId: string };
};

/** The environment started by test/env/run.ts. Throws when the tests were not started that way. */
export function testEnv(): TestEnv {
  const kubeconfigPath = process.env.PLEDGE_TEST_KUBECONFIG;
  const motoUrl = process.env.PLEDGE_TEST_MOTO_URL;
  if (!kubeconfigPath || !motoUrl) {
    throw new Error(
      'PLEDGE_TEST_KUBECONFIG and PLEDGE_TEST_MOTO_URL are not set: run the tests with `make test` ' +
        '(or `node test/env/run.ts -- node --test ...`)',
    );
  }
  return { kubeconfigPath, motoUrl, fakeGcsUrl: process.env.PLEDGE_TEST_FAKE_GCS_URL || undefined, ...cloudsimFromEnv(process.env) };
}

function cloudsimFromEnv(env: NodeJS.ProcessEnv): Pick<TestEnv, 'cloudsim' | 'azure'> {
  const out: Pick<TestEnv, 'cloudsim' | 'azure'> = {};
  const [awsUrl, azureUrl, gcsUrl, adminUrl, caPath] = ['AWS_URL', 'AZURE_URL', 'GCS_URL', 'ADMIN_URL', 'CA'].map((k) => env[`PLEDGE_TEST_CLOUDSIM_${k}`]);
  if (awsUrl && azureUrl && gcsUrl && adminUrl && caPath) {
    out.cloudsim = { awsUrl, azureUrl, gcsUrl, adminUrl, caPath, gcpKeyPath: env.PLEDGE_TEST_CLOUDSIM_GCP_KEY || undefined };
  }
  const [tenantId, clientId, clientSecret, subscriptionId] = ['TENANT', 'CLIENT_ID', 'CLIENT_SECRET', 'SUBSCRIPTION'].map((k) => env[`PLEDGE_TEST_AZURE_${k}`]);
  if (tenantId && clientId && clientSecret && subscriptionId) out.azure = { tenantId, clientId, clientSecret, subscriptionId };
  return out;
}

export type KubectlCallOptions = {
  /** Default: testEnv().kubeconfigPath. */
  kubeconfigPath?: string;
  input?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
};

/** Runs the real kubectl against the test cluster; returns { code, stdout, stderr } and never throws on a non-zero exit. */
export function kubectl(args: string[], options: KubectlCallOptions = {}): Promise<KubectlResult> {
  const { kubeconfigPath = testEnv().kubeconfigPath, ...rest } = options;
  return runKubectl(args, { kubeconfigPath, ...rest });
}

/** `kubectl apply -f -` with the given YAML on stdin. */
export function kubectlApply(yamlText: string, options: Omit<KubectlCallOptions, 'input'> = {}): Promise<KubectlResult> {
  return kubectl(['apply', '-f', '-'], { ...options, input: yamlText });
}

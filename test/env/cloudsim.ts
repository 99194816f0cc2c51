// cloudsim, the project's simulated cloud (S3, RDS, Entra ID + ARM over https, GCS), started per environment
// as a child process (node cloudsim/main.ts) on loopback ports chosen by the environment.
import { randomBytes, randomUUID } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { httpGet } from './http-get.ts';
import { startChild, type SupervisedChild } from './supervised-child.ts';
import { waitUntil } from './wait-until.ts';

export type CloudsimEndpoints = {
  /** http: S3 (path-style) and RDS. */
  awsUrl: string;
  /** https: Entra ID authority host and ARM endpoint. */
  azureUrl: string;
  /** http: GCS JSON API (apiEndpoint) and the Google token endpoint. */
  gcsUrl: string;
  /** http: /_cloudsim/ knobs and counters. */
  adminUrl: string;
  /** PEM file of the CA that signed the Azure listener's certificate (NODE_EXTRA_CA_CERTS). */
  caCertPath: string;
  /** A GCP service-account key file whose token_uri points at cloudsim. */
  gcpKeyPath: string;
  /** A file holding only the Azure client secret (mode 0600), for printing `$(cat …)` instead of the value. */
  azureSecretPath: string;
  azure: { tenantId: string; clientId: string; clientSecret: string; subscriptionId: string };
};

export type CloudsimStartOptions = {
  /** The environment's directory: files go to `cloudsim/`, the log to `cloudsim.log`. */
  dir: string;
  ports: { aws: number; azure: number; gcs: number; admin: number };
  signal: AbortSignal;
  timeoutMs: number;
  /** Called as soon as the process exists, so the environment can stop it whatever happens next. */
  onStarted(child: SupervisedChild): void;
  log?: (message: string) => void;
};

/** Starts cloudsim with a fresh Azure identity; resolves once its admin endpoint answers. */
export async function startCloudsimChild(options: CloudsimStartOptions): Promise<CloudsimEndpoints> {
  const { dir, ports, signal } = options;
  const home = join(dir, 'cloudsim');
  const azure = { tenantId: randomUUID(), clientId: randomUUID(), clientSecret: `cs8Q~${randomBytes(27).toString('base64url')}`, subscriptionId: randomUUID() };
  const child = await startChild({
    name: 'cloudsim',
    command: process.execPath,
    args: [
      join(import.meta.dirname, '..', '..', 'cloudsim', 'main.ts'),
      '--host', '127.0.0.1',
      '--aws-port', String(ports.aws),
      '--azure-port', String(ports.azure),
      '--gcs-port', String(ports.gcs),
      '--admin-port', String(ports.admin),
      '--dir', home,
    ],
    logPath: join(dir, 'cloudsim.log'),
    env: {
      ...process.env,
      CLOUDSIM_AZURE_TENANT_ID: azure.tenantId,
      CLOUDSIM_AZURE_CLIENT_ID: azure.clientId,
      CLOUDSIM_AZURE_CLIENT_SECRET: azure.clientSecret,
      CLOUDSIM_AZURE_SUBSCRIPTION_ID: azure.subscriptionId,
    },
  });
  options.onStarted(child);
  const adminUrl = `http://127.0.0.1:${ports.admin}`;
  const t = Date.now();
  await waitUntil(async () => (await httpGet(`${adminUrl}/_cloudsim/healthz`, { signal })).status === 200, {
    what: `cloudsim at ${adminUrl} to answer`,
    timeoutMs: options.timeoutMs,
    signal,
    child,
  });
  options.log?.(`cloudsim ready after ${Date.now() - t} ms`);
  const azureSecretPath = join(home, 'azure-client-secret');
  await writeFile(azureSecretPath, azure.clientSecret, { mode: 0o600 });
  return {
    awsUrl: `http://127.0.0.1:${ports.aws}`,
    azureUrl: `https://127.0.0.1:${ports.azure}`,
    gcsUrl: `http://127.0.0.1:${ports.gcs}`,
    adminUrl,
    caCertPath: join(home, 'tls', 'ca.crt'),
    gcpKeyPath: join(home, 'gcp-service-account.json'),
    azureSecretPath,
    azure,
  };
}

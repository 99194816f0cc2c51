// What the Azure tests share: cloudsim's Azure endpoints and identity (exported by the test runner), SDK clients of
// their own to change things behind Pledge's back, and cloudsim's admin endpoint (knobs).
import { ResourceManagementClient } from '@azure/arm-resources';
import { StorageManagementClient } from '@azure/arm-storage';
import { ClientSecretCredential } from '@azure/identity';

export interface AzureTestEnv {
  /** cloudsim's HTTPS origin: ARM and the Entra authority. */
  url: string;
  /** PEM file of the CA that signed cloudsim's certificate (NODE_EXTRA_CA_CERTS). */
  caPath: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  subscriptionId: string;
}

const VARIABLES = {
  url: 'PLEDGE_TEST_CLOUDSIM_AZURE_URL',
  caPath: 'PLEDGE_TEST_CLOUDSIM_CA',
  tenantId: 'PLEDGE_TEST_AZURE_TENANT',
  clientId: 'PLEDGE_TEST_AZURE_CLIENT_ID',
  clientSecret: 'PLEDGE_TEST_AZURE_CLIENT_SECRET',
  subscriptionId: 'PLEDGE_TEST_AZURE_SUBSCRIPTION',
} as const;

/** The environment, or why it is missing (a skip reason when the tests run outside the runner). */
export function azureTestEnv(): AzureTestEnv | string {
  const missing = Object.values(VARIABLES).filter((name) => !process.env[name]);
  if (missing.length > 0) return `${missing.join(', ')} not set: run under make test (or test/env/run.ts), which starts cloudsim`;
  if (!process.env.NODE_EXTRA_CA_CERTS) return 'NODE_EXTRA_CA_CERTS is not set: the test process cannot trust cloudsim\'s certificate';
  const read = (key: keyof typeof VARIABLES) => process.env[VARIABLES[key]] ?? '';
  return {
    url: read('url').replace(/\/+$/, ''),
    caPath: read('caPath'),
    tenantId: read('tenantId'),
    clientId: read('clientId'),
    clientSecret: read('clientSecret'),
    subscriptionId: read('subscriptionId'),
  };
}

/** SDK clients of the test's own (not Pledge's), for cloudsim: to look at and change what Pledge manages. */
export function rawAzure(env: AzureTestEnv) {
  const credential = new ClientSecretCredential(env.tenantId, env.clientId, env.clientSecret, { authorityHost: env.url, disableInstanceDiscovery: true });
  const options = { endpoint: env.url, credentials: { scopes: [`${env.url}/.default`] } };
  return {
    resources: new ResourceManagementClient(credential, env.subscriptionId, options),
    storage: new StorageManagementClient(credential, env.subscriptionId, options),
  };
}

/** cloudsim's timings (how long ARM operations take), to put back what a test changed. */
export async function timings(env: AzureTestEnv): Promise<Record<string, number>> {
  const res = await fetch(`${env.url}/_cloudsim/knobs`, { signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`cloudsim knobs: HTTP ${res.status}`);
  return ((await res.json()) as { timings: Record<string, number> }).timings;
}

/** PATCH cloudsim's knobs (faults, timings); returns what cloudsim answered. */
export async function setKnobs(env: AzureTestEnv, patch: unknown): Promise<unknown> {
  const res = await fetch(`${env.url}/_cloudsim/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(patch), signal: AbortSignal.timeout(10_000) });
  if (!res.ok) throw new Error(`cloudsim knobs: HTTP ${res.status} ${await res.text()}`);
  return res.json();
}

/** A lower-case name Azure accepts for both a resource group and a storage account. */
export function uniqueAzureName(prefix: string): string {
  return `${prefix}${Math.random().toString(36).slice(2, 10)}`.slice(0, 24);
}

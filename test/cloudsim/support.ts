// What the cloudsim tests share: the environment's cloudsim (started by test/env/run.ts), its admin
// endpoint, and raw HTTPS requests that trust its CA.
import { readFileSync } from 'node:fs';
import { request } from 'node:https';
import { testEnv } from '../env/index.ts';

export type SimEnv = {
  awsUrl: string;
  azureUrl: string;
  gcsUrl: string;
  adminUrl: string;
  caPath: string;
  gcpKeyPath?: string;
  azure: { tenantId: string; clientId: string; clientSecret: string; subscriptionId: string };
};

/** The environment's cloudsim; throws when the tests were not started by test/env/run.ts. */
export function simEnv(): SimEnv {
  const env = testEnv();
  if (!env.cloudsim || !env.azure) throw new Error('PLEDGE_TEST_CLOUDSIM_* / PLEDGE_TEST_AZURE_* are not set: run under test/env/run.ts');
  if (process.env.NODE_EXTRA_CA_CERTS !== env.cloudsim.caPath) throw new Error('NODE_EXTRA_CA_CERTS must be PLEDGE_TEST_CLOUDSIM_CA');
  return { ...env.cloudsim, azure: env.azure };
}

/** Calls cloudsim's admin endpoint; rejects on a non-2xx answer. */
export async function admin<T = unknown>(adminUrl: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${adminUrl}/_cloudsim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`cloudsim admin ${method} ${path}: HTTP ${res.status} ${text}`);
  return (text === '' ? undefined : JSON.parse(text)) as T;
}

export type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string; json(): unknown };

/** One HTTPS request trusting the given CA (fetch cannot take a CA per request). */
export function httpsCall(url: string, options: { method?: string; headers?: Record<string, string>; body?: string; caPath: string; signal?: AbortSignal }): Promise<RawResponse> {
  const ca = readFileSync(options.caPath, 'utf8');
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: options.headers, ca, agent: false, signal: options.signal ?? AbortSignal.timeout(10_000) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body, json: () => JSON.parse(body) as unknown });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A client-credentials token from cloudsim's Entra endpoint, by hand. */
export async function entraToken(sim: SimEnv, secret = sim.azure.clientSecret): Promise<RawResponse> {
  const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: sim.azure.clientId, client_secret: secret, scope: `${sim.azureUrl}/.default` });
  return httpsCall(`${sim.azureUrl}/${sim.azure.tenantId}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: form.toString(),
    caPath: sim.caPath,
  });
}

export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
}

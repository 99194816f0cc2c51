import { createHash } from 'node:crypto';
import { ResourceManagementClient } from '@azure/arm-resources';
import { StorageManagementClient } from '@azure/arm-storage';
import { ClientSecretCredential, WorkloadIdentityCredential, type TokenCredential } from '@azure/identity';
import { gatedCall } from '../../core/managed/cloud-call.ts';
import type { CloudCallGate } from '../../core/managed/types.ts';
import type { AzureClientConfig } from './config.ts';
import { toPledgeError } from './errors.ts';

export const AZURE_CLIENT_DEFAULTS = {
  /**
   * No SDK retries: every HTTP request to ARM must pass the ProviderConfig's token bucket exactly once
   * (`gated`), and the core retries with per-key backoff (honouring Retry-After through ThrottledError).
   */
  maxRetries: 0,
  requestTimeoutMs: 30_000,
  /**
   * API versions, pinned so that an SDK upgrade never silently changes what goes over the wire. These are
   * the versions the installed SDKs were generated for.
   */
  apiVersions: { resources: '2025-04-01', storage: '2026-09-01' },
  /** Client sets kept for reuse (each holds a token cache and a connection pool). */
  cacheSize: 32,
} as const;

/** The ARM clients of one ProviderConfig, sharing one credential (one token cache). */
export interface AzureClients {
  resources: ResourceManagementClient;
  storage: StorageManagementClient;
  subscriptionId: string;
  /** The ARM endpoint the clients talk to, without a trailing slash. */
  endpoint: string;
}

const clients = new Map<string, AzureClients>();

/** A cache key that identifies tenant, principal, subscription and endpoints without containing the secret. */
function fingerprint(config: AzureClientConfig): string {
  const secret = createHash('sha256').update(`${config.tenantId}\0${config.clientId}\0${config.clientSecret ?? ''}\0${config.tokenFile ?? ''}`).digest('hex');
  return JSON.stringify([config.subscriptionId, config.endpoint, config.authorityHost, secret]);
}

/**
 * The application's sign-in: its client secret, or (workload identity) the federated token in tokenFile sent to
 * Entra as a client assertion (jwt-bearer). The SDK reads the file again when its copy is 5 minutes old, so the
 * kubelet's rotation is picked up; the token never passes through Pledge's code.
 */
function credentialFor(config: AzureClientConfig, retryOptions: { maxRetries: number }): TokenCredential {
  const common = {
    authorityHost: config.authorityHost,
    // Private clouds and cloudsim have no instance discovery endpoint; the authority is the one configured.
    disableInstanceDiscovery: true,
    retryOptions,
  };
  if (config.tokenFile !== undefined) {
    return new WorkloadIdentityCredential({ ...common, tenantId: config.tenantId, clientId: config.clientId, tokenFilePath: config.tokenFile });
  }
  return new ClientSecretCredential(config.tenantId, config.clientId, config.clientSecret ?? '', common);
}

function build(config: AzureClientConfig): AzureClients {
  const retryOptions = { maxRetries: AZURE_CLIENT_DEFAULTS.maxRetries };
  const credential = credentialFor(config, retryOptions);
  const common = {
    endpoint: config.endpoint,
    credentials: { scopes: [`${config.endpoint}/.default`] },
    retryOptions,
  };
  return {
    resources: new ResourceManagementClient(credential, config.subscriptionId, { ...common, apiVersion: AZURE_CLIENT_DEFAULTS.apiVersions.resources }),
    storage: new StorageManagementClient(credential, config.subscriptionId, { ...common, apiVersion: AZURE_CLIENT_DEFAULTS.apiVersions.storage }),
    subscriptionId: config.subscriptionId,
    endpoint: config.endpoint,
  };
}

/**
 * The ARM clients for a ProviderConfig, reused across reconciles with the same settings so tokens and
 * connections are pooled. A changed secret is a new key: the old clients age out of the cache.
 */
export function azureClientsFor(config: AzureClientConfig): AzureClients {
  const key = fingerprint(config);
  const found = clients.get(key);
  // Refresh recency: Map iteration order is insertion order.
  if (found) clients.delete(key);
  const made = found ?? build(config);
  clients.set(key, made);
  while (clients.size > AZURE_CLIENT_DEFAULTS.cacheSize) {
    const oldest = clients.keys().next().value;
    if (oldest === undefined) break;
    clients.delete(oldest);
  }
  return made;
}

/**
 * Runs one SDK call through the ProviderConfig's call gate: waits for the shared token bucket, then records
 * the outcome (the mapped error on failure, so throttling slows the bucket). The SDK error is rethrown as
 * is, for the caller to inspect and map. With no SDK retries, one call is one HTTP request to ARM (plus a
 * token request when the cached token has expired).
 */
export function gated<O>(calls: CloudCallGate, operation: string, signal: AbortSignal, send: () => Promise<O>): Promise<O> {
  return gatedCall(calls, operation, signal, send, (err) => toPledgeError(err, `${operation} failed`));
}

/** What every SDK operation takes: the reconcile's abort signal and a per-request timeout. */
export interface AzureRequestOptions {
  abortSignal: AbortSignal;
  requestOptions: { timeout: number };
}

/** Gated ARM calls for one resource within one step (observe, create, update, delete). */
export interface AzureCalls {
  /** Runs send through the gate; a failure is mapped to a Pledge error wrapped with `message`. */
  call<O>(operation: string, message: string, send: (options: AzureRequestOptions) => Promise<O>): Promise<O>;
  /** Like call, but hands back the SDK's own error (mapped only for the gate), for the caller to inspect. */
  raw<O>(operation: string, send: (options: AzureRequestOptions) => Promise<O>): Promise<O>;
  /** Maps an SDK error, scrubbing the client secret. */
  map(err: unknown, message: string, operation: string): Error;
}

export function azureCalls(options: { gate: CloudCallGate; signal: AbortSignal; secret: string | undefined; context: Record<string, string> }): AzureCalls {
  const { gate, signal, secret, context } = options;
  const request: AzureRequestOptions = { abortSignal: signal, requestOptions: { timeout: AZURE_CLIENT_DEFAULTS.requestTimeoutMs } };
  const map = (err: unknown, message: string, operation: string) => toPledgeError(err, message, { ...context, operation }, secret === undefined ? [] : [secret]);
  return {
    async call(operation, message, send) {
      try {
        return await gated(gate, operation, signal, () => send(request));
      } catch (err: unknown) {
        throw map(err, message, operation);
      }
    },
    raw: (operation, send) => gated(gate, operation, signal, () => send(request)),
    map,
  };
}

/**
 * Sends the first request of a long-running operation and returns without polling it: the reconciler's
 * next observe reads the provisioning state instead, so no worker waits on a slow cloud. The poller is
 * thenable (awaiting it would poll to the end), so only its `submitted` promise is awaited here.
 */
export async function startLongRunning(poller: { submitted(): Promise<void> }): Promise<void> {
  await poller.submitted();
}

import { createHash } from 'node:crypto';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { fromTokenFile } from '@aws-sdk/credential-provider-web-identity';
import { TerminalError } from '../../core/errors/index.ts';
import { gatedCall } from '../../core/managed/cloud-call.ts';
import type { CloudCallGate } from '../../core/managed/types.ts';
import type { AwsClientConfig, WebIdentitySettings } from './config.ts';
import { toPledgeError } from './errors.ts';

export const AWS_CLIENT_DEFAULTS = {
  /**
   * One attempt per SDK call: every HTTP request must pass the ProviderConfig's token bucket exactly once
   * (`gated`), so the rate the cloud sees never exceeds the bucket. The core retries with per-key backoff.
   */
  maxAttempts: 1,
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  /** Clients kept for reuse (each holds a connection pool). */
  cacheSize: 32,
  /** How long an evicted client may still finish in-flight calls before its sockets close. */
  evictionGraceMs: 120_000,
  /** Assumed-role credentials are renewed this long before they expire (the SDK's own margin is 5 minutes). */
  credentialsRefreshMarginMs: 5 * 60_000,
} as const;

/** What the cache needs of an SDK client. */
interface Destroyable {
  destroy(): void;
}

const clients = new Map<string, Destroyable>();

/** A cache key that identifies the service, region and credentials without containing the credentials. */
function fingerprint(service: string, config: AwsClientConfig, region: string): string {
  const creds = config.credentials;
  const secret = creds ? createHash('sha256').update(`${creds.accessKeyId}\0${creds.secretAccessKey}\0${creds.sessionToken ?? ''}`).digest('hex') : 'environment';
  const web = config.webIdentity;
  const role = web ? [web.roleArn, web.tokenFile, web.roleSessionName] : [];
  return JSON.stringify([service, region, config.endpoint ?? '', config.forcePathStyle, secret, ...role]);
}

type AwsCredentials = Awaited<ReturnType<ReturnType<typeof fromTokenFile>>>;
type CredentialProvider = () => Promise<AwsCredentials>;

const roleProviders = new Map<string, CredentialProvider>();

/**
 * Temporary credentials of a role assumed with the token in `web.tokenFile` (AssumeRoleWithWebIdentity, at the
 * ProviderConfig's endpoint when it has one, else the region's STS). The file is read again for every call, so
 * the kubelet's token rotation is picked up. One provider per role, endpoint and region, shared by the S3 and
 * RDS clients: they reuse one set of credentials until it is close to expiry, and concurrent callers share one
 * STS call.
 */
function webIdentityProvider(web: WebIdentitySettings, endpoint: string | undefined, region: string): CredentialProvider {
  const key = JSON.stringify([web.roleArn, web.tokenFile, web.roleSessionName, endpoint ?? '', region]);
  const found = roleProviders.get(key);
  if (found) return found;
  const assume = fromTokenFile({
    roleArn: web.roleArn,
    webIdentityTokenFile: web.tokenFile,
    roleSessionName: web.roleSessionName,
    clientConfig: { region, ...(endpoint === undefined ? {} : { endpoint }), maxAttempts: AWS_CLIENT_DEFAULTS.maxAttempts },
  });
  let current: AwsCredentials | undefined;
  let pending: Promise<AwsCredentials> | undefined;
  const fresh = (creds: AwsCredentials | undefined): creds is AwsCredentials =>
    creds !== undefined && (creds.expiration === undefined || creds.expiration.getTime() - Date.now() > AWS_CLIENT_DEFAULTS.credentialsRefreshMarginMs);
  const provider: CredentialProvider = async () => {
    if (fresh(current)) return current;
    pending ??= assume().then(
      (creds) => {
        current = creds;
        pending = undefined;
        return creds;
      },
      (err: unknown) => {
        pending = undefined;
        throw err;
      },
    );
    return pending;
  };
  roleProviders.set(key, provider);
  // Bounded like the clients: a provider holds no connection, only the last credentials.
  while (roleProviders.size > AWS_CLIENT_DEFAULTS.cacheSize) {
    const oldest = roleProviders.keys().next().value;
    if (oldest === undefined) break;
    roleProviders.delete(oldest);
  }
  return provider;
}

/** The cached client for key, or a new one from make; least recently used clients are closed beyond cacheSize. */
function cached<C extends Destroyable>(key: string, make: () => C): C {
  const found = clients.get(key) as C | undefined;
  // Refresh recency: Map iteration order is insertion order.
  if (found) clients.delete(key);
  const client = found ?? make();
  clients.set(key, client);
  while (clients.size > AWS_CLIENT_DEFAULTS.cacheSize) {
    const [oldestKey, oldest] = clients.entries().next().value ?? [];
    if (oldestKey === undefined || oldest === undefined) break;
    clients.delete(oldestKey);
    setTimeout(() => oldest.destroy(), AWS_CLIENT_DEFAULTS.evictionGraceMs).unref();
  }
  return client;
}

function regionOf(config: AwsClientConfig, region: string | undefined): string {
  const resolved = region ?? config.region;
  if (resolved === undefined) {
    throw new TerminalError('no region: set spec.forProvider.region or the ProviderConfig spec.region');
  }
  return resolved;
}

/** Settings every Pledge SDK client shares. */
function common(config: AwsClientConfig, region: string) {
  return {
    region,
    endpoint: config.endpoint,
    credentials: config.webIdentity ? webIdentityProvider(config.webIdentity, config.endpoint, region) : config.credentials,
    maxAttempts: AWS_CLIENT_DEFAULTS.maxAttempts,
    requestHandler: {
      connectionTimeout: AWS_CLIENT_DEFAULTS.connectionTimeoutMs,
      requestTimeout: AWS_CLIENT_DEFAULTS.requestTimeoutMs,
    },
  };
}

/**
 * An S3 client for one region, reused across reconciles that share the same settings so connections
 * are pooled. Every call must pass `{ abortSignal }` to `send`.
 */
export function s3ClientFor(config: AwsClientConfig, region: string | undefined): S3Client {
  const resolved = regionOf(config, region);
  return cached(
    fingerprint('s3', config, resolved),
    () =>
      new S3Client({
        ...common(config, resolved),
        forcePathStyle: config.forcePathStyle,
        // Pledge answers regions itself (a mismatch is the user's to fix), so 301s must surface.
        followRegionRedirects: false,
        // Checksums only where S3 requires them: same requests against AWS, moto and cloudsim.
        requestChecksumCalculation: 'WHEN_REQUIRED',
        responseChecksumValidation: 'WHEN_REQUIRED',
      }),
  );
}

/** An RDS client for one region, cached like s3ClientFor. Every call must pass `{ abortSignal }` to `send`. */
export function rdsClientFor(config: AwsClientConfig, region: string | undefined): RDSClient {
  const resolved = regionOf(config, region);
  return cached(fingerprint('rds', config, resolved), () => new RDSClient(common(config, resolved)));
}

/**
 * Runs one SDK call through the ProviderConfig's call gate: waits for the shared token bucket, then
 * records the outcome (the mapped error on failure, so throttling slows the bucket). The SDK error is
 * rethrown as is, for the caller to inspect and map. With maxAttempts 1, one call is one HTTP request.
 */
export function gated<O>(calls: CloudCallGate, operation: string, signal: AbortSignal, send: () => Promise<O>): Promise<O> {
  return gatedCall(calls, operation, signal, send, (err) => toPledgeError(err, `${operation} failed`));
}

import { createHash } from 'node:crypto';
import { S3Client } from '@aws-sdk/client-s3';
import { TerminalError } from '../../core/errors/index.ts';
import type { CloudCallGate } from '../../core/managed/types.ts';
import type { AwsClientConfig } from './config.ts';
import { toPledgeError } from './errors.ts';

export const AWS_CLIENT_DEFAULTS = {
  /** The core retries with backoff and a shared token bucket; the SDK only smooths over blips. */
  maxAttempts: 3,
  connectionTimeoutMs: 5_000,
  requestTimeoutMs: 30_000,
  /** Clients kept for reuse (each holds a connection pool). */
  cacheSize: 32,
  /** How long an evicted client may still finish in-flight calls before its sockets close. */
  evictionGraceMs: 120_000,
} as const;

const s3Clients = new Map<string, S3Client>();

/** A cache key that identifies the credentials without containing them. */
function fingerprint(config: AwsClientConfig, region: string): string {
  const creds = config.credentials;
  const secret = creds ? createHash('sha256').update(`${creds.accessKeyId}\0${creds.secretAccessKey}\0${creds.sessionToken ?? ''}`).digest('hex') : 'environment';
  return JSON.stringify([region, config.endpoint ?? '', config.forcePathStyle, secret]);
}

function remember(key: string, client: S3Client): S3Client {
  s3Clients.set(key, client);
  while (s3Clients.size > AWS_CLIENT_DEFAULTS.cacheSize) {
    const [oldestKey, oldest] = s3Clients.entries().next().value ?? [];
    if (oldestKey === undefined || oldest === undefined) break;
    s3Clients.delete(oldestKey);
    setTimeout(() => oldest.destroy(), AWS_CLIENT_DEFAULTS.evictionGraceMs).unref();
  }
  return client;
}

/**
 * An S3 client for one region, reused across reconciles that share the same settings so connections
 * are pooled. Every call must pass `{ abortSignal }` to `send`.
 */
export function s3ClientFor(config: AwsClientConfig, region: string | undefined): S3Client {
  const resolved = region ?? config.region;
  if (resolved === undefined) {
    throw new TerminalError('no region: set spec.forProvider.region or the ProviderConfig spec.region');
  }
  const key = fingerprint(config, resolved);
  const cached = s3Clients.get(key);
  if (cached) {
    // Refresh recency: Map iteration order is insertion order.
    s3Clients.delete(key);
    return remember(key, cached);
  }
  return remember(
    key,
    new S3Client({
      region: resolved,
      endpoint: config.endpoint,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      maxAttempts: AWS_CLIENT_DEFAULTS.maxAttempts,
      // Pledge answers regions itself (a mismatch is the user's to fix), so 301s must surface.
      followRegionRedirects: false,
      // Checksums only where S3 requires them: same requests against AWS, moto and cloudsim.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
      requestHandler: {
        connectionTimeout: AWS_CLIENT_DEFAULTS.connectionTimeoutMs,
        requestTimeout: AWS_CLIENT_DEFAULTS.requestTimeoutMs,
      },
    }),
  );
}

/**
 * Runs one SDK call through the ProviderConfig's call gate: waits for the shared token bucket, then
 * records the outcome (the mapped error on failure, so throttling slows the bucket). The SDK error is
 * rethrown as is, for the caller to inspect and map.
 */
export async function gated<O>(calls: CloudCallGate, operation: string, signal: AbortSignal, send: () => Promise<O>): Promise<O> {
  await calls.acquire(signal);
  try {
    const out = await send();
    calls.record(operation);
    return out;
  } catch (err: unknown) {
    calls.record(operation, toPledgeError(err, `${operation} failed`));
    throw err;
  }
}

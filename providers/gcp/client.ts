import { createHash } from 'node:crypto';
import { IdempotencyStrategy, Storage, type StorageOptions } from '@google-cloud/storage';
import { ConfigError } from '../../core/errors/index.ts';
import type { CloudCallGate } from '../../core/managed/types.ts';
import type { GcpClientConfig } from './config.ts';
import { gcsErrorInfo } from './errors.ts';
import { gated } from './gated-call.ts';
import { createTokenSource, externalAccountGrant, serviceAccountGrant, type TokenSource } from './token-source.ts';

export const GCP_CLIENT_DEFAULTS = {
  /** Google's JSON API. */
  endpoint: 'https://storage.googleapis.com',
  /** Per HTTP request; the library takes no AbortSignal, so this bounds a call nobody waits for any more. */
  requestTimeoutMs: 30_000,
  /** Clients kept for reuse (each keeps a token cache). */
  cacheSize: 32,
} as const;

type Interceptor = NonNullable<StorageOptions['interceptors_']>[number];

/** A Storage client plus what authenticates its requests. Every call goes through `call`. */
export interface GcsSession {
  storage: Storage;
  projectId: string;
  /**
   * Runs one library call: fetches an access token first when needed (itself a gated call), then passes the
   * call gate, bounded by `signal`. The library error is rethrown as is, for the caller to inspect and map.
   */
  call<O>(calls: CloudCallGate, operation: string, signal: AbortSignal, send: (storage: Storage) => Promise<O>): Promise<O>;
}

const sessions = new Map<string, GcsSession>();

/** A cache key that identifies endpoint, project and credentials without containing the credentials. */
function fingerprint(config: GcpClientConfig): string {
  const key = config.key;
  const secret = key
    ? createHash('sha256')
        .update(`${key.clientEmail}\0${key.privateKeyId ?? ''}\0${key.tokenUri}\0`)
        .update(key.privateKey.export({ type: 'pkcs8', format: 'der' }))
        .digest('hex')
    : 'anonymous';
  const external = config.externalAccount;
  const federation = external ? [external.audience, external.tokenUrl, external.tokenFile, external.subjectTokenType, external.serviceAccountImpersonationUrl ?? ''] : [];
  return JSON.stringify([config.endpoint ?? '', config.projectId, secret, ...federation]);
}

/**
 * The library's own authentication is switched off: it ignores a key's token_uri (v8 always asks
 * oauth2.googleapis.com) and, without credentials, probes for Application Default Credentials and the GCE
 * metadata server. Pledge's TokenSource fetches tokens instead, and this interceptor adds them.
 *
 * The library authenticates by itself only when the endpoint is its default, so the default is passed with
 * its explicit port: the same URL, but it counts as a custom endpoint (`customEndpoint`).
 */
function newStorage(config: GcpClientConfig, tokens: TokenSource | undefined): Storage {
  const auth: Interceptor = {
    request(reqOpts) {
      const token = tokens?.current();
      // In place: the options carry library bookkeeping (symbol keys) that a copy could lose.
      if (token !== undefined) reqOpts.headers = { ...reqOpts.headers, Authorization: `Bearer ${token}` };
      return 'uri' in reqOpts ? reqOpts : { ...reqOpts, uri: reqOpts.url };
    },
  };
  return new Storage({
    projectId: config.projectId,
    apiEndpoint: config.endpoint ?? `${GCP_CLIENT_DEFAULTS.endpoint}:443`,
    useAuthWithCustomEndpoint: false,
    interceptors_: [auth],
    timeout: GCP_CLIENT_DEFAULTS.requestTimeoutMs,
    // One attempt per call: every HTTP request passes the call gate exactly once; the core retries with backoff.
    retryOptions: { autoRetry: false, maxRetries: 0, idempotencyStrategy: IdempotencyStrategy.RetryNever },
  });
}

function newSession(config: GcpClientConfig): GcsSession {
  const tokens = config.key
    ? createTokenSource(serviceAccountGrant(config.key))
    : config.externalAccount
      ? createTokenSource(externalAccountGrant(config.externalAccount))
      : undefined;
  const storage = newStorage(config, tokens);
  return {
    storage,
    projectId: config.projectId,
    async call(calls, operation, signal, send) {
      if (tokens) await tokens.token(calls, signal);
      try {
        return await gated(calls, operation, signal, () => send(storage));
      } catch (err: unknown) {
        // A refused token (revoked, or the endpoint restarted) is fetched again next time.
        if (gcsErrorInfo(err).httpStatus === 401) tokens?.invalidate();
        throw err;
      }
    },
  };
}

/**
 * The session for a ProviderConfig's settings, reused across reconciles so tokens and connections are shared.
 * Least recently used sessions are dropped beyond cacheSize.
 */
export function gcsSessionFor(config: GcpClientConfig): GcsSession {
  if (process.env.STORAGE_EMULATOR_HOST !== undefined) {
    // The library would send every ProviderConfig's requests there, whatever its endpoint says.
    throw new ConfigError('STORAGE_EMULATOR_HOST is set in the controller\'s environment: unset it and use the ProviderConfig\'s spec.endpoint');
  }
  const key = fingerprint(config);
  const found = sessions.get(key);
  if (found) sessions.delete(key);
  const session = found ?? newSession(config);
  sessions.set(key, session);
  while (sessions.size > GCP_CLIENT_DEFAULTS.cacheSize) {
    const oldest = sessions.keys().next().value;
    if (oldest === undefined) break;
    sessions.delete(oldest);
  }
  return session;
}

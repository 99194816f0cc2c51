// Shared set-up of the AWS provider tests: a ProviderConfig pointing at moto (PLEDGE_TEST_MOTO_URL, set by
// test/env/run.ts), a counting call gate, and SDK clients of our own to look at or change the cloud behind Pledge's back.
import { randomBytes } from 'node:crypto';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import type { CloudCallGate, ConnectContext, SecretKeySelector } from '../../core/managed/types.ts';

export const motoUrl = process.env.PLEDGE_TEST_MOTO_URL;
export const skipWithoutMoto = motoUrl ? false : 'PLEDGE_TEST_MOTO_URL is not set: run under make test (or test/env/run.ts), which starts moto';

const TEST_KEYS: Record<string, string> = { accessKeyId: 'AKIAPLEDGETEST', secretAccessKey: 'pledge-test-secret-key' };

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

export interface CountingGate extends CloudCallGate {
  acquired: number;
  recorded: Array<{ operation: string; err?: unknown }>;
  /** Operations recorded since `from` (an index into recorded). */
  operationsSince(from: number): string[];
}

/** The core's call gate, counting: every request must wait on it and report back. */
export function countingGate(): CountingGate {
  const gate: CountingGate = {
    acquired: 0,
    recorded: [],
    async acquire(sig: AbortSignal) {
      sig.throwIfAborted();
      gate.acquired++;
    },
    record(operation: string, err?: unknown) {
      gate.recorded.push(err === undefined ? { operation } : { operation, err });
    },
    operationsSince: (from) => gate.recorded.slice(from).map((r) => r.operation),
  };
  return gate;
}

/**
 * What the reconciler hands connect. `secrets` are extra Secret values by `namespace/name/key`;
 * `connectionDetails` is what the resource's connection secret holds.
 */
export function connectContext(
  options: { calls?: CloudCallGate; secrets?: Record<string, string>; connectionDetails?: Record<string, string>; signal?: AbortSignal } = {},
): ConnectContext {
  return {
    providerConfig: {
      apiVersion: 'aws.pledge.dev/v1',
      kind: 'ProviderConfig',
      metadata: { name: 'default' },
      spec: {
        endpoint: motoUrl,
        credentials: { source: 'Secret', secretRef: { name: 'aws-creds', namespace: 'pledge-system' } },
      },
    },
    async readSecret(ref: SecretKeySelector) {
      const value = ref.name === 'aws-creds' ? TEST_KEYS[ref.key] : options.secrets?.[`${ref.namespace}/${ref.name}/${ref.key}`];
      if (value === undefined) throw new Error(`unexpected secret read ${ref.namespace}/${ref.name}/${ref.key}`);
      return value;
    },
    connectionDetails: options.connectionDetails ?? {},
    calls: options.calls ?? countingGate(),
    signal: options.signal ?? AbortSignal.timeout(60_000),
  };
}

/** An S3 client of our own; with `account` it acts as another AWS account (moto keeps one store per account and takes it from this header). */
export function rawS3(account?: string): S3Client {
  const client = new S3Client({ region: 'us-east-1', endpoint: motoUrl, forcePathStyle: true, credentials: { accessKeyId: 'AKIARAWTEST', secretAccessKey: 'raw' } });
  if (account) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers['x-moto-account-id'] = account;
        return next(args);
      },
      { step: 'build', name: 'motoAccount' },
    );
  }
  return client;
}

export function rawRds(region = 'us-east-1'): RDSClient {
  return new RDSClient({ region, endpoint: motoUrl, credentials: { accessKeyId: 'AKIARAWTEST', secretAccessKey: 'raw' } });
}

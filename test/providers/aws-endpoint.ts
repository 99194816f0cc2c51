// What the AWS provider suites (aws-bucket.case.ts, aws-db-instance.case.ts) need of an endpoint that speaks S3
// and RDS (moto, cloudsim), plus what they share: a counting call gate, the ProviderConfig's connect context,
// and waiting for the cloud to get somewhere.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RDSClient } from '@aws-sdk/client-rds';
import type { S3Client } from '@aws-sdk/client-s3';
import type { CloudCallGate, ConnectContext, SecretKeySelector } from '../../core/managed/types.ts';

export interface AwsEndpoint {
  /** For test names: "moto", "cloudsim". */
  name: string;
  /** The ProviderConfig's spec.endpoint. */
  url: string;
  /** An S3 client of the test's own, signed for region (default us-east-1); with account, acting for that other AWS account. */
  s3(options?: { region?: string; account?: string }): S3Client;
  /** An RDS client of the test's own (default us-east-1). */
  rds(region?: string): RDSClient;
  /** Throttles every call of the service (rate 1) or stops throttling it (0); only endpoints with fault injection. */
  setThrottle?: (service: 's3' | 'rds', rate: number) => Promise<void>;
  /** Sets how long RDS takes to create, modify, delete and snapshot; resolves to the timings replaced. Only endpoints that take time. */
  setRdsTimings?: (timings: RdsTimings) => Promise<RdsTimings>;
}

export type RdsTimings = { rdsCreateMs: number; rdsModifyMs: number; rdsDeleteMs: number; rdsSnapshotMs: number };

/** The credentials the ProviderConfig's Secret holds: not 12 digits, so both endpoints take the default account. */
const TEST_KEYS: Record<string, string> = { accessKeyId: 'AKIAPLEDGETEST', secretAccessKey: 'pledge-test-secret-key' };
/** The account those credentials act for, on moto and cloudsim alike. */
export const TEST_ACCOUNT = '123456789012';
/** Another AWS account, for buckets whose name is taken. */
export const OTHER_ACCOUNT = '111111111111';

export const WAIT_DEFAULTS = { timeoutMs: 20_000, intervalMs: 50 } as const;

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
 * What the reconciler hands connect, for a ProviderConfig pointing at the endpoint. `secrets` are extra Secret
 * values by `namespace/name/key`; `connectionDetails` is what the resource's connection secret holds.
 */
export function connectContext(
  endpoint: AwsEndpoint,
  options: { calls?: CloudCallGate; secrets?: Record<string, string>; connectionDetails?: Record<string, string>; signal?: AbortSignal } = {},
): ConnectContext {
  return {
    providerConfig: {
      apiVersion: 'aws.pledge.dev/v1',
      kind: 'ProviderConfig',
      metadata: { name: 'default' },
      spec: {
        endpoint: endpoint.url,
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

/** Reads until done says yes (at once on an endpoint that does things at once), or fails naming what it waited for. */
export async function waitFor<T>(what: string, read: () => Promise<T>, done: (value: T) => boolean, options: Partial<typeof WAIT_DEFAULTS> = {}): Promise<T> {
  const { timeoutMs, intervalMs } = { ...WAIT_DEFAULTS, ...options };
  const signal = AbortSignal.timeout(timeoutMs);
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (signal.aborted) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${JSON.stringify(value)})`);
    await sleep(intervalMs, undefined, { signal }).catch(() => undefined); // timed out: one last read, then fail
  }
}

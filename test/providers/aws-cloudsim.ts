// cloudsim's AWS listener as an endpoint for the provider suites (PLEDGE_TEST_CLOUDSIM_*, started by test/env/run.ts),
// and its knobs: throttling, and RDS timings short enough for a test yet long enough to be seen.
import assert from 'node:assert/strict';
import { RDSClient } from '@aws-sdk/client-rds';
import { S3Client } from '@aws-sdk/client-s3';
import { testEnv } from '../env/index.ts';
import type { AwsEndpoint, RdsTimings } from './aws-endpoint.ts';

/** RDS timings for the suites: every state is passed through, none costs much (cases that watch one set their own). */
export const FAST_RDS_TIMINGS: RdsTimings = { rdsCreateMs: 300, rdsModifyMs: 200, rdsDeleteMs: 200, rdsSnapshotMs: 200 };

function adminUrl(): string {
  const sim = testEnv().cloudsim;
  if (!sim) throw new Error('PLEDGE_TEST_CLOUDSIM_* are not set: run under test/env/run.ts');
  return sim.adminUrl;
}

async function admin(method: string, path: string, body?: unknown): Promise<unknown> {
  const res = await fetch(`${adminUrl()}/_cloudsim/${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await res.text();
  assert.equal(res.status, 200, `cloudsim ${method} ${path}: ${text}`);
  return JSON.parse(text) as unknown;
}

/** Sets the RDS timings; resolves to the ones they replace, for restoring. */
export async function setRdsTimings(timings: RdsTimings): Promise<RdsTimings> {
  const before = (await admin('GET', 'knobs')) as { timings: RdsTimings };
  await admin('PATCH', 'knobs', { timings });
  const { rdsCreateMs, rdsModifyMs, rdsDeleteMs, rdsSnapshotMs } = before.timings;
  return { rdsCreateMs, rdsModifyMs, rdsDeleteMs, rdsSnapshotMs };
}

export function cloudsimAws(): AwsEndpoint {
  const sim = testEnv().cloudsim;
  if (!sim) throw new Error('PLEDGE_TEST_CLOUDSIM_* are not set: run under test/env/run.ts');
  const url = sim.awsUrl;
  return {
    name: 'cloudsim',
    url,
    // A 12-digit access key id acts for that account, as separate credentials do on AWS.
    s3: ({ region = 'us-east-1', account } = {}) =>
      new S3Client({ region, endpoint: url, forcePathStyle: true, credentials: { accessKeyId: account ?? 'AKIARAWTEST', secretAccessKey: 'raw' }, followRegionRedirects: false }),
    rds: (region = 'us-east-1') => new RDSClient({ region, endpoint: url, credentials: { accessKeyId: 'AKIARAWTEST', secretAccessKey: 'raw' } }),
    async setThrottle(service, rate) {
      await admin('PATCH', 'knobs', { faults: { [service]: rate > 0 ? { throttleRate: rate, retryAfterSeconds: 1 } : null } });
    },
    setRdsTimings,
  };
}

// cloudsim itself: in-process start and stop, state persisted to a file and read back, the CLI's JSON line
// and signals, admin validation, latency, reset. Starts its own cloudsims (no test environment needed).
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, test } from 'node:test';
import * as s3 from '@aws-sdk/client-s3';
import { startCloudsim, type Cloudsim } from '../../cloudsim/index.ts';
import { isPortOpen } from '../env/free-port.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

function s3For(sim: { urls: { aws: string } }): s3.S3Client {
  return new s3.S3Client({ region: 'us-east-1', endpoint: sim.urls.aws, forcePathStyle: true, credentials: { accessKeyId: 'AKIATEST', secretAccessKey: 'x' }, maxAttempts: 1 });
}

async function started(options: Parameters<typeof startCloudsim>[0] = {}): Promise<Cloudsim> {
  const sim = await startCloudsim(options);
  cleanups.push(() => sim.stop());
  return sim;
}

test('resources and identities survive a restart with a state file; stop closes every port and removes its own dir', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudsim-state-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const statePath = join(dir, 'state.json');
  const first = await startCloudsim({ statePath });
  await s3For(first).send(new s3.CreateBucketCommand({ Bucket: 'kept-bucket' }));
  await s3For(first).send(new s3.PutBucketTaggingCommand({ Bucket: 'kept-bucket', Tagging: { TagSet: [{ Key: 'k', Value: 'v' }] } }));
  const gcs = await fetch(`${first.urls.gcs}/storage/v1/b?project=p1`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name: 'kept-gcs-bucket' }) });
  assert.equal(gcs.status, 200);
  const ports = Object.values(first.urls).map((u) => Number(new URL(u).port));
  await first.stop();
  for (const port of ports) assert.equal(await isPortOpen(port), false, `port ${port} closed`);
  assert.equal(existsSync(first.dir), false, 'its temp dir is gone');
  const saved = JSON.parse(await readFile(statePath, 'utf8')) as { s3: { buckets: Record<string, unknown> } };
  assert.ok(saved.s3.buckets['kept-bucket']);

  const second = await started({ statePath });
  assert.deepEqual((await s3For(second).send(new s3.GetBucketTaggingCommand({ Bucket: 'kept-bucket' }))).TagSet, [{ Key: 'k', Value: 'v' }]);
  assert.equal((await fetch(`${second.urls.gcs}/storage/v1/b/kept-gcs-bucket`)).status, 200);
  assert.deepEqual(second.identities.azure, first.identities.azure, 'the generated Azure identity is kept');
  assert.equal(second.identities.gcp.clientEmail, first.identities.gcp.clientEmail);
  second.reset({ state: true });
  assert.equal((await fetch(`${second.urls.gcs}/storage/v1/b/kept-gcs-bucket`)).status, 404, 'reset with state forgets resources');
});

test('admin endpoint: knobs are validated and name the bad field; latency applies per service; outages end by themselves', async () => {
  const sim = await started();
  const patch = (body: unknown) => fetch(`${sim.urls.admin}/_cloudsim/knobs`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const bad = await patch({ faults: { s3: { errorRate: 2 } } });
  assert.equal(bad.status, 400);
  assert.match(((await bad.json()) as { error: string }).error, /errorRate: expected a rate from 0 to 1/);
  assert.equal((await patch({ faults: { nosuch: { errorRate: 0.1 } } })).status, 400);
  assert.equal((await patch({ timings: { rdsCreateMs: -1 } })).status, 400);

  assert.equal((await patch({ faults: { s3: { latencyMs: 300 } } })).status, 200);
  const client = s3For(sim);
  let t = performance.now();
  await client.send(new s3.ListBucketsCommand({}));
  assert.ok(performance.now() - t >= 290, 'S3 waits the latency');
  t = performance.now();
  assert.equal((await fetch(`${sim.urls.gcs}/storage/v1/b?project=p`)).status, 200);
  assert.ok(performance.now() - t < 250, 'GCS does not');

  sim.setKnobs({ faults: { s3: null } });
  sim.outage('s3', 0.5);
  await assert.rejects(client.send(new s3.ListBucketsCommand({})), (err: unknown) => (err as { name?: string }).name === 'ServiceUnavailable');
  assert.ok(sim.knobs().outages.s3, 'the outage shows in the knobs');
  await new Promise((resolve) => setTimeout(resolve, 600));
  await client.send(new s3.ListBucketsCommand({}));
  assert.deepEqual(sim.counters().s3?.ListBuckets, { ok: 2, outage: 1 });
  sim.reset();
  assert.deepEqual(sim.counters(), {});
  assert.deepEqual(sim.knobs().faults, {});
});

test('the CLI prints its endpoints as one JSON line, applies flags, keeps the secret out of stdout, and stops on SIGTERM', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'cloudsim-cli-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  const main = new URL('../../cloudsim/main.ts', import.meta.url).pathname;
  const child = spawn(process.execPath, [main, '--host', '127.0.0.1', '--port', '0', '--dir', dir, '--throttle-rate', '1', '--retry-after', '4'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  cleanups.push(async () => {
    child.kill('SIGKILL');
    await exited;
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', () => reject(new Error('cloudsim exited before printing its endpoints')));
  });
  const info = JSON.parse(line) as { urls: Record<string, string>; caCertPath: string; identities: { azure: Record<string, string> } };
  assert.deepEqual(Object.keys(info.urls).sort(), ['admin', 'aws', 'azure', 'gcs']);
  assert.match(info.urls.azure ?? '', /^https:\/\/127\.0\.0\.1:\d+$/);
  assert.equal(info.caCertPath, join(dir, 'tls', 'ca.crt'));
  assert.equal(info.identities.azure?.clientSecret, undefined, 'the secret is not printed');
  const identity = JSON.parse(await readFile(info.identities.azure?.identityFile ?? '', 'utf8')) as { clientSecret: string };
  assert.ok(identity.clientSecret.length >= 30, 'it is in the identity file');
  assert.ok(!line.includes(identity.clientSecret));

  await assert.rejects(s3For({ urls: { aws: info.urls.aws ?? '' } }).send(new s3.ListBucketsCommand({})), (err: unknown) => {
    const e = err as { name?: string; $response?: { headers: Record<string, string> } };
    return e.name === 'SlowDown' && e.$response?.headers['retry-after'] === '4';
  });
  child.kill('SIGTERM');
  assert.equal(await exited, 0);
  assert.equal(await isPortOpen(Number(new URL(info.urls.aws ?? '').port)), false);
});

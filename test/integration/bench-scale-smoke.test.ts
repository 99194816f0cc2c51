// bench/scale at N=10 (Pledge, GCS Buckets on cloudsim), so the harness cannot rot: it creates, sees every
// Ready, samples the controller, counts cloud calls, writes its record and plots, and cleans up after itself.
// The benchmark proper (make bench-scale) is never part of make test.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunRecord } from '../../bench/scale/figures.ts';
import { PROVIDER_CONFIG } from '../../bench/scale/kinds.ts';
import { kubectl } from '../env/index.ts';
import { REPO } from './harness.ts';

const N = 10;
let out: string | undefined;

after(async () => {
  await kubectl(['delete', 'providerconfigs.gcp.pledge.dev', PROVIDER_CONFIG, '--ignore-not-found']);
  await kubectl(['delete', 'secret', '-n', 'pledge-system', `${PROVIDER_CONFIG}-gcp`, '--ignore-not-found']);
  if (out) await rm(out, { recursive: true, force: true });
});

function runBench(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(REPO, 'bench/scale/run.ts'), ...args], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

test(`bench/scale runs end to end: ${N} GCS Buckets on cloudsim, all Ready, figures and plots written, nothing left behind`, async () => {
  out = await mkdtemp(join(tmpdir(), 'bench-scale-smoke-'));
  const started = Date.now();
  const res = await runBench([
    '--controller=pledge',
    '--kind=gcs',
    `--n=${N}`,
    '--cloud-latency-ms=0',
    '--empty-seconds=0',
    '--rest-after-seconds=0',
    '--rest-seconds=1',
    '--cleanup',
    '--no-record',
    `--out=${out}`,
  ]);
  const took = Date.now() - started;
  assert.equal(res.code, 0, `bench/scale failed:\n${res.stderr}\n${res.stdout}`);
  console.log(`# bench/scale smoke took ${took} ms`);

  const files = await readdir(out);
  const json = files.find((f) => f.endsWith('.json'));
  assert.ok(json, `a record in ${files.join(', ')}`);
  assert.ok(files.some((f) => f.endsWith('-ttr-cdf.svg')) && files.some((f) => f.endsWith('-rss.svg')), `both plots in ${files.join(', ')}`);
  const run = JSON.parse(await readFile(join(out, json), 'utf8')) as RunRecord;
  assert.equal(run.ready, N);
  assert.equal(run.readyMs.length, N);
  assert.ok(run.readyMs.every((ms, i) => ms >= 0 && ms >= (run.readyMs[i - 1] ?? 0)), 'times to Ready are sorted and not negative');
  assert.ok(run.samples.length >= 2 && run.samples.every((s) => s.rssBytes > 10 * 1024 * 1024), 'the controller was sampled, with a plausible RSS');
  assert.ok((run.cloud?.ramp['buckets.insert'] ?? 0) >= N, `cloudsim counted the creates: ${JSON.stringify(run.cloud?.ramp)}`);
  assert.match(res.stdout, new RegExp(`\\| pledge \\| defaults \\| GCS Bucket \\| ${N} \\|`), 'the table row');

  const left = await kubectl(['get', 'buckets.storage.gcp.pledge.dev', '-o', 'name']);
  assert.ok(!left.stdout.includes(`/${run.namePrefix}`), `--cleanup left buckets: ${left.stdout}`);
});

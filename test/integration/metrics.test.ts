// /healthz, /readyz and /metrics of a real `pledge run`, scraped while it works.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kubectl, kubectlApply } from '../env/index.ts';
import { installAwsProviderConfig, installCrds, startController, type ControllerProcess } from './harness.ts';
import { reconcileEvidence } from './support/reconcile-evidence.ts';

/** Sum of every sample of a metric whose labels include all of `labels`. */
function sample(text: string, metric: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${metric}{`) && !line.startsWith(`${metric} `)) continue;
    const labelText = line.slice(metric.length).split(' ')[0] ?? '';
    if (Object.entries(labels).every(([k, v]) => labelText.includes(`${k}="${v}"`))) total += Number(line.split(' ').pop());
  }
  return total;
}

describe('observability of pledge run', () => {
  let controller: ControllerProcess;
  const name = `pledge-metrics-${randomBytes(3).toString('hex')}`;

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '2s' });
  });
  after(async () => {
    await kubectl(['delete', 'buckets.s3.aws.pledge.dev', name, '--ignore-not-found', '--timeout=30s']);
    await controller?.stop();
  });

  test('/healthz and /readyz answer 200 once caches are synced', async () => {
    assert.equal((await fetch(`${controller.metricsUrl}/healthz`)).status, 200);
    assert.equal((await fetch(`${controller.metricsUrl}/readyz`)).status, 200);
    assert.equal((await fetch(`${controller.metricsUrl}/nope`)).status, 404);
  });

  test('reconcile, cloud-call, duration and time-to-ready metrics move as a Bucket becomes Ready', async () => {
    const scrape = async () => (await fetch(`${controller.metricsUrl}/metrics`)).text();
    const before = await scrape();
    const applied = Date.now();
    assert.equal((await kubectlApply(`apiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\nmetadata: {name: ${name}}\nspec: {forProvider: {region: us-east-1}}\n`)).code, 0);
    assert.equal((await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `bucket.s3.aws.pledge.dev/${name}`], { timeoutMs: 70_000 })).code, 0);
    // Two observes logged: by then the create and the first observe have ended and been counted (a reconcile
    // is counted before the next one of the same key begins).
    const polls = reconcileEvidence(() => controller.log(), { kind: 'Bucket', name, msg: 'observed, requeue' });
    await polls.waitSince(applied, 2, 'created the Bucket and observed it twice');
    const now = await scrape();

    const reconciles = (t: string) => sample(t, 'pledge_reconcile_total', { kind: 'Bucket' });
    assert.ok(reconciles(now) >= reconciles(before) + 2, `reconciles ${reconciles(before)} → ${reconciles(now)}`);
    assert.ok(sample(now, 'pledge_reconcile_duration_seconds_count', { kind: 'Bucket' }) > sample(before, 'pledge_reconcile_duration_seconds_count', { kind: 'Bucket' }));
    const calls = (t: string, labels: Record<string, string>) => sample(t, 'pledge_cloud_api_calls_total', { provider: 'aws', ...labels });
    assert.ok(calls(now, { operation: 'CreateBucket', result: 'ok' }) >= calls(before, { operation: 'CreateBucket', result: 'ok' }) + 1, 'CreateBucket counted');
    assert.ok(calls(now, { operation: 'HeadBucket' }) > calls(before, { operation: 'HeadBucket' }), 'HeadBucket counted');
    assert.ok(sample(now, 'pledge_time_to_ready_seconds_count', { kind: 'Bucket' }) >= sample(before, 'pledge_time_to_ready_seconds_count', { kind: 'Bucket' }) + 1, 'time to ready observed');
    assert.match(now, /^pledge_workqueue_depth\{kind="Bucket"\} \d+/m);
    assert.match(now, /^pledge_process_cpu_seconds_total /m, 'process metrics are exported');
  });
});

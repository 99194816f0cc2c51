// The per-ProviderConfig token bucket holds against a cloud that throttles: a proxy in front of moto
// answers a share of requests with AWS throttling errors and records when every request reached it.
// However Pledge retries (its own backoff, the SDK's retries, the pause after "slow down"), no
// one-second window may carry more requests than the bucket allows: burst + rate.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { eventually, installAwsProviderConfig, installCrds, startController, type ControllerProcess } from './harness.ts';
import { allReady, applyBuckets, BUCKETS, cleanUpBuckets, isReady, motoBucketNames } from './support/bucket-fixtures.ts';
import { maxInWindow, startThrottlingProxy, type ThrottlingProxy } from './support/throttling-proxy.ts';

const suffix = randomBytes(3).toString('hex');
const RATE = 5;
const BURST = 5;
const COUNT = 15;
/**
 * A throttling episode: 30 % of the calls throttled for 20 s, then none. S3's SlowDown carries no
 * Retry-After, so Pledge pauses the ProviderConfig's bucket for its default 5 s after each one: long
 * enough for a bucket that kept earning tokens while paused to show it as a burst when the pause ends.
 * Throttling until the end would take minutes: each throttled call fails its whole reconcile (an
 * observe makes six calls), so few reconciles would ever be whole.
 */
const THROTTLE_SHARE = 0.3;
const EPISODE_MS = 20_000;
/** Many concurrent reconciles, many calls waiting on the bucket at once: the limit must hold regardless. */
const WORKERS = 16;
const LAG_METRIC = 'pledge_nodejs_eventloop_lag_max_seconds';
const providerConfigName = `throttled-${suffix}`;
const warmUp = `pledge-thr-${suffix}-warm`;
const names = Array.from({ length: COUNT }, (_, i) => `pledge-thr-${suffix}-${i}`);
const label = { 'pledge-test': `throttling-${suffix}` };

async function metric(metricsUrl: string, name: string): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `) || l.startsWith(`${name}{`));
  const value = Number(line?.split(' ').pop());
  if (!Number.isFinite(value)) throw new Error(`metric ${name} not found at ${metricsUrl}/metrics`);
  return value;
}

describe('cloud calls through a throttling endpoint', () => {
  let proxy: ThrottlingProxy;
  let controller: ControllerProcess | undefined;
  /** When the measured part began (the warm-up's requests are left out). */
  let startedAt = 0;
  /** How late this process's timers ran: the proxy stamps arrivals on this event loop. */
  const ownLag = monitorEventLoopDelay({ resolution: 10 });

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    proxy = await startThrottlingProxy({ upstream: testEnv().motoUrl, throttleShare: 0 });
    const res = await kubectlApply(`
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${providerConfigName}}
spec:
  region: us-east-1
  endpoint: ${proxy.url}
  credentials:
    source: Secret
    secretRef: {name: aws-creds, namespace: pledge-system}
`);
    assert.equal(res.code, 0, res.stderr);
    controller = await startController({ pollInterval: '5m', extraArgs: [`--cloud-rate=${RATE}`, `--cloud-burst=${BURST}`, `--workers=${WORKERS}`] });
    // One bucket first, unthrottled and unmeasured: the SDK client's first call loads code and resolves
    // credentials, which holds back the first granted calls and then lets them out together.
    await applyBuckets([warmUp], { providerConfig: providerConfigName });
    await eventually(() => isReady(BUCKETS, warmUp), 'the warm-up Bucket to be Ready', 60_000);
    await sleep(BURST / RATE * 1000 + 500); // the bucket refills: the measured part starts with a full burst
  });

  after(async () => {
    ownLag.disable();
    await cleanUpBuckets([warmUp, ...names]);
    await controller?.stop();
    await proxy?.close();
    await kubectl(['delete', 'providerconfigs.aws.pledge.dev', providerConfigName, '--ignore-not-found']);
  });

  test(`${COUNT} Buckets become Ready through a ${EPISODE_MS / 1000} s episode with ${THROTTLE_SHARE * 100} % of calls throttled`, async () => {
    // Reading the lag metric resets its maximum: what the last test reads covers the measured part only.
    if (controller) await metric(controller.metricsUrl, LAG_METRIC);
    ownLag.enable();
    startedAt = performance.now();
    proxy.setThrottleShare(THROTTLE_SHARE);
    await applyBuckets(names, { providerConfig: providerConfigName, labels: label });
    const episode = setTimeout(() => proxy.setThrottleShare(0), EPISODE_MS);
    try {
      // One kubectl call per check: spawning many at once would stall this event loop, where the proxy stamps arrivals.
      await eventually(() => allReady(BUCKETS, `pledge-test=${label['pledge-test']}`, COUNT), `all ${COUNT} Buckets to be Ready`, 150_000);
    } catch (err: unknown) {
      throw new Error(`${String(err)}\ncontroller log tail:\n${(await controller?.log())?.slice(-3000)}`);
    } finally {
      clearTimeout(episode);
      proxy.setThrottleShare(0);
    }
    console.log(`throttling: all ${COUNT} Buckets Ready after ${((performance.now() - startedAt) / 1000).toFixed(1)} s`);
    const inMoto = await motoBucketNames();
    assert.deepEqual(names.filter((n) => !inMoto.has(n)), [], 'every bucket exists in moto');
  });

  test('deleting them removes every bucket from moto', async () => {
    const del = await kubectl(['delete', BUCKETS, ...names, '--timeout=120s'], { timeoutMs: 130_000 });
    assert.equal(del.code, 0, del.stderr);
    const inMoto = await motoBucketNames();
    assert.deepEqual(names.filter((n) => inMoto.has(n)), [], 'no bucket is left in moto');
  });

  test(`no 1 s window carries more than burst + rate = ${BURST + RATE} requests to the cloud`, async () => {
    ownLag.disable();
    const requests = proxy.requests().filter((r) => r.at >= startedAt);
    const throttled = requests.filter((r) => r.throttled).length;
    const sdkRetries = requests.filter((r) => r.attempt > 1).length;
    const worst = maxInWindow(requests.map((r) => r.at));
    // The bucket grants tokens on the controller's timers and the proxy stamps arrivals on this process's:
    // a timer that fires late lets calls due during the delay out together. Arrivals in a 1 s window were
    // thus granted within 1 s plus the worst lateness of both event loops, which bounds them by
    // burst + rate × (1 s + lateness). On an idle machine that rounds down to burst + rate.
    const controllerLagS = controller ? await metric(controller.metricsUrl, LAG_METRIC) : 0;
    const ownLagS = ownLag.max / 1e9;
    const lagS = controllerLagS + ownLagS;
    const allowed = BURST + Math.floor(RATE * (1 + lagS));
    const dump = join(process.env.PLEDGE_TEST_ENV_DIR ?? tmpdir(), `throttling-requests-${suffix}.json`);
    await writeFile(dump, JSON.stringify(requests.map((r) => ({ ...r, at: Math.round(r.at - startedAt) }))));
    console.log(
      `throttling: ${requests.length} requests in ${((performance.now() - startedAt) / 1000).toFixed(1)} s ` +
        `(${throttled} throttled, ${sdkRetries} SDK retries); max ${worst.count} in a 1 s window; ` +
        `allowed ${allowed} (burst ${BURST} + rate ${RATE} × (1 s + timer lateness ${controllerLagS.toFixed(3)} s in the controller ` +
        `+ ${ownLagS.toFixed(3)} s here)); requests in ${dump}`,
    );
    assert.ok(throttled > 0, 'the proxy throttled some calls');
    assert.equal(sdkRetries, 0, 'the SDK never retried on its own, past the token bucket');
    assert.ok(
      worst.count <= allowed,
      `${worst.count} requests in the 1 s window starting ${((worst.startsAt - startedAt) / 1000).toFixed(3)} s in; allowed ${allowed} (requests: ${dump})`,
    );
  });
});

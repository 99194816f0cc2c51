// cloudsim's request log (GET /_cloudsim/requests): every answered call with its instants, service, operation
// and outcome; filtered by since and service; bounded, saying when it dropped what a filter asked for.
// Starts its own cloudsims, most with a clock the test moves (no test environment needed).
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { startCloudsim, type Cloudsim, type RequestLog } from '../../cloudsim/index.ts';

const cleanups: (() => Promise<void>)[] = [];
after(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

async function started(options: Parameters<typeof startCloudsim>[0]): Promise<Cloudsim> {
  const sim = await startCloudsim(options);
  cleanups.push(() => sim.stop());
  return sim;
}

async function requestsOver(url: string, query = ''): Promise<{ status: number; body: unknown }> {
  const res = await fetch(`${url}/_cloudsim/requests${query}`, { signal: AbortSignal.timeout(10_000) });
  return { status: res.status, body: await res.json() };
}

const listBuckets = async (sim: Cloudsim) => (await fetch(`${sim.urls.gcs}/storage/v1/b?project=p`, { signal: AbortSignal.timeout(10_000) })).status;

test('each answered call is logged with its instant, service, operation and outcome; since, service and a full log', async () => {
  let now = 1_000;
  const sim = await started({ clock: () => now, requestLogSize: 3 });

  assert.equal(await listBuckets(sim), 200);
  now = 1_001;
  assert.equal(await listBuckets(sim), 200);
  const first = (await requestsOver(sim.urls.admin)).body as RequestLog;
  assert.deepEqual(first, {
    requests: [
      { seq: 1, at: 1_000, receivedAt: 1_000, service: 'gcs', operation: 'buckets.list', outcome: 'ok' },
      { seq: 2, at: 1_001, receivedAt: 1_001, service: 'gcs', operation: 'buckets.list', outcome: 'ok' },
    ],
    capacity: 3,
    dropped: 0,
    complete: true,
  });

  sim.setKnobs({ faults: { gcs: { throttleRate: 1 } } });
  now = 2_000;
  assert.equal(await listBuckets(sim), 429);
  sim.setKnobs({ faults: { gcs: null } });
  sim.outage('gcs', 5);
  now = 3_000;
  assert.equal(await listBuckets(sim), 503);

  // Four calls in a log of three: the oldest is gone, and a filter reaching back to it says so.
  const since1001 = (await requestsOver(sim.urls.admin, '?since=1001')).body as RequestLog;
  assert.deepEqual(
    since1001.requests.map((r) => [r.seq, r.at, r.outcome]),
    [
      [2, 1_001, 'ok'],
      [3, 2_000, 'throttled'],
      [4, 3_000, 'outage'],
    ],
  );
  assert.equal(since1001.dropped, 1);
  assert.equal(since1001.complete, true, 'nothing at or after 1001 was dropped');
  const since1000 = (await requestsOver(sim.urls.admin, '?since=1000')).body as RequestLog;
  assert.equal(since1000.complete, false, 'the call at 1000 was dropped');
  assert.equal(since1000.requests.length, 3);
  assert.deepEqual(
    ((await requestsOver(sim.urls.admin, '?since=2500')).body as RequestLog).requests.map((r) => r.seq),
    [4],
  );

  // Served on every listener like the rest of the admin endpoint; admin calls themselves are not logged.
  const viaGcs = (await requestsOver(sim.urls.gcs, '?service=gcs&since=0')).body as RequestLog;
  assert.deepEqual(viaGcs.requests.map((r) => r.seq), [2, 3, 4]);
  assert.deepEqual(((await requestsOver(sim.urls.aws, '?service=s3')).body as RequestLog).requests, []);
  // The counters agree with the log.
  assert.deepEqual(sim.counters(), { gcs: { 'buckets.list': { ok: 2, throttled: 1, outage: 1 } } });
  assert.deepEqual(sim.requests({ since: 2_000 }).requests.map((r) => r.outcome), ['throttled', 'outage']);
});

test('bad filters are refused naming the parameter; zeroing the counters empties the log', async () => {
  let now = 5_000;
  const sim = await started({ clock: () => now });
  assert.equal(sim.requests().capacity, 50_000, 'the default capacity');

  const badSince = await requestsOver(sim.urls.admin, '?since=yesterday');
  assert.equal(badSince.status, 400);
  assert.match((badSince.body as { error: string }).error, /since must be epoch milliseconds, got "yesterday"/);
  assert.equal((await requestsOver(sim.urls.admin, '?since=')).status, 400);
  const badService = await requestsOver(sim.urls.admin, '?service=ec2');
  assert.equal(badService.status, 400);
  assert.match((badService.body as { error: string }).error, /requests: unknown service "ec2"/);

  assert.equal(await listBuckets(sim), 200);
  assert.equal(sim.requests().requests.length, 1);
  const zeroed = await fetch(`${sim.urls.admin}/_cloudsim/counters`, { method: 'DELETE', signal: AbortSignal.timeout(10_000) });
  assert.equal(zeroed.status, 204);
  assert.deepEqual(sim.requests(), { requests: [], capacity: 50_000, dropped: 0, complete: true });
  now = 6_000;
  assert.equal(await listBuckets(sim), 200);
  assert.deepEqual(sim.requests().requests, [{ seq: 1, at: 6_000, receivedAt: 6_000, service: 'gcs', operation: 'buckets.list', outcome: 'ok' }], 'numbering starts again');
  sim.reset();
  assert.deepEqual(sim.requests().requests, [], 'reset empties it too');
});

test('a call is logged as received when it arrived, before the latency knob, and as answered after it', async () => {
  const sim = await started({ knobs: { faults: { gcs: { latencyMs: 300 } } } });
  const before = Date.now();
  assert.equal(await listBuckets(sim), 200);
  const [call] = sim.requests({ since: before }).requests;
  assert.ok(call, 'the call is logged');
  assert.ok(call.receivedAt >= before && call.receivedAt < before + 250, `received ${call.receivedAt - before} ms after it was sent`);
  assert.ok(call.at - call.receivedAt >= 290, `answered ${call.at - call.receivedAt} ms after it arrived`);
  assert.deepEqual(sim.requests({ since: call.at + 1 }).requests, [], 'since filters on the answer');
});

// 200 creates across the three clouds on cloudsim, through a 30 s fault window: ARM is down (503 on every
// call) while S3, RDS and GCS throttle half their calls with Retry-After. Afterwards every resource is Ready,
// exists exactly once and was created once; the deletes empty cloudsim again; and the requests that reached
// each cloud, timed by cloudsim itself, never exceeded the ProviderConfig's token bucket: in no window of any
// length more than burst + rate × length. Assumes nothing else talks to cloudsim meanwhile: make test gives each lane
// its own cloudsim, and runs this file alone (test/env/suite/schedule.ts) so no other file's processes move its timings.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testEnv } from '../env/index.ts';
import { installCrds, startController, type ControllerProcess } from './harness.ts';
import { cloudsimAdmin, type CloudsimService, type HeldNames, type LoggedRequest } from './support/cloudsim-admin.ts';
import { installCloudsimProviderConfigs, removeCloudsimProviderConfigs } from './support/cloudsim-provider-configs.ts';
import { scrapeCloudCalls } from './support/cloud-call-metrics.ts';
import {
  applyFleet,
  cleanUpFleet,
  deleteFleet,
  FLEET_KIND_NAMES,
  FLEET_KINDS,
  fleetStatus,
  othersOfFleetKinds,
  planFleet,
  type FleetKind,
  type KindStatus,
} from './support/fault-fleet.ts';
import { busiestWindow, largestBurst } from './support/rate-budget.ts';

const suffix = randomBytes(3).toString('hex');
/** The token bucket of every ProviderConfig: --cloud-rate and --cloud-burst. */
const RATE = 20;
const BURST = 20;
/**
 * Timing slack: cloudsim stamps a request when it arrives, not when the controller's bucket released it. On a
 * busy 2-core machine the requests of one burst reach it up to ~150 ms apart (new TLS connections, processes
 * waiting for a core), which moves a window's ends by up to RATE × that. Allowed: burst + RATE × 400 ms, i.e.
 * 8 requests. Measured with a correct bucket: at most 1.3 over alone, 5.5 and 7.6 over in two full suites whose
 * four environments each ran a kube-controller-manager (both times after a second with no request at all: a
 * stalled process, then what it held); with a bucket that releases the callers that waited out a "slow down"
 * pause on top of a refilled burst: 13–22 over.
 */
const TIMING_JITTER_MS = 400;
const TIMING_SLACK = (RATE * TIMING_JITTER_MS) / 1000;
/**
 * Reconciles per kind at once. A pile-up after a pause grows with the callers waiting in the bucket; with 16 per
 * kind (and S3's parallel reads) one stands well clear of the timing slack. The bucket, not the workers, sets
 * the pace: 20 calls/s keep 16 workers mostly waiting.
 */
const WORKERS = 16;
const COUNTS: Record<FleetKind, number> = { s3: 50, rds: 4, arm: 70, gcs: 76 };
const FAULT_WINDOW_S = 30;
const STORM = { throttleRate: 0.5, retryAfterSeconds: 2 } as const;
const STORMED: readonly CloudsimService[] = ['s3', 'rds', 'gcs'];
const OUTAGE: CloudsimService = 'arm';
/** From the end of the fault window; backoff after 30 s of failures reaches 32 s per key. */
const READY_WITHIN_MS = 100_000;
const DELETED_WITHIN_MS = 90_000;
/** How often the test lists the fleet: every list is 200 objects through kubectl, CPU the controller also needs. */
const POLL_MS = 2_000;
/** Which cloudsim services each ProviderConfig's calls go to through its bucket (Entra tokens are the SDK's, outside it). */
const CLOUDS = { aws: ['s3', 'rds'], azure: ['arm'], gcp: ['gcs', 'google-oauth'] } as const satisfies Record<string, readonly CloudsimService[]>;
type Cloud = keyof typeof CLOUDS;

const prefix = `pledge-flt-${suffix}`;
const fleet = planFleet({ prefix, label: `pledge-test=faults-${suffix}`, providerConfig: `faults-${suffix}`, counts: COUNTS });

function cloudsimEnv() {
  const sim = testEnv().cloudsim;
  if (!sim) throw new Error('cloudsim is not running: run under test/env/run.ts');
  return sim;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
/** Requests per `stepMs` from `from` to `to`, for a failure message. */
function histogram(times: readonly number[], from: number, to: number, stepMs: number): number[] {
  const counts = Array.from({ length: Math.ceil((to - from) / stepMs) }, () => 0);
  for (const t of times) {
    const i = Math.floor((t - from) / stepMs);
    if (t >= from && t < to) counts[i] = (counts[i] ?? 0) + 1;
  }
  return counts;
}
const readyOf = (status: Record<FleetKind, KindStatus>, kinds: readonly FleetKind[]) => kinds.reduce((n, k) => n + status[k].ready, 0);
const kindsOf = (cloud: Cloud) => FLEET_KIND_NAMES.filter((k) => FLEET_KINDS[k].cloud === cloud);
const oursIn = (held: HeldNames, kind: FleetKind) => held[kind].filter((n) => n.startsWith(`${prefix}-`)).sort();

describe(`${fleet.total} creates on three clouds through a ${FAULT_WINDOW_S} s outage and throttling storm`, { timeout: 300_000 }, () => {
  const admin = cloudsimAdmin(cloudsimEnv().adminUrl);
  let controller: ControllerProcess | undefined;
  /** Epoch ms before the controller started: the request log is read from here. */
  let since = 0;
  let baseline: HeldNames;

  const clearFaults = async () => {
    await admin.setFaults(Object.fromEntries(STORMED.map((s) => [s, null])));
    await admin.endOutages();
  };

  before(async () => {
    await installCrds();
    await installCloudsimProviderConfigs(fleet.providerConfig);
    baseline = await admin.held();
    const others = await othersOfFleetKinds(fleet);
    if (others.length > 0) console.log(`cloud-faults: warning: ${others.length} other managed resources (${others.slice(0, 3).join(', ')}…) add their calls to the measured rates`);
    since = Date.now();
    controller = await startController({
      pollInterval: '5m',
      extraArgs: [`--cloud-rate=${RATE}`, `--cloud-burst=${BURST}`, `--workers=${WORKERS}`, '--log-level=info'],
      env: { NODE_EXTRA_CA_CERTS: cloudsimEnv().caPath },
    });
  });

  after(async () => {
    await clearFaults().catch((err: unknown) => console.error(`cloud-faults: clearing the faults failed: ${String(err)}`));
    await cleanUpFleet(fleet);
    await controller?.stop();
    await removeCloudsimProviderConfigs(fleet.providerConfig);
  });

  test(`all ${fleet.total} become Ready after ARM is down and S3, RDS and GCS throttle for ${FAULT_WINDOW_S} s`, { timeout: 200_000 }, async (t) => {
    const appliedAt = Date.now();
    await applyFleet(fleet);
    // The faults start while the creates are in flight: the apply alone has already woken the controllers.
    await admin.outage(OUTAGE, FAULT_WINDOW_S);
    await admin.setFaults(Object.fromEntries(STORMED.map((s) => [s, STORM])));
    const faultsFrom = Date.now();
    const atStart = await fleetStatus(fleet, t.signal);
    let atEnd: Record<FleetKind, KindStatus> | undefined;
    let status = atStart;
    const readyAt: Partial<Record<Cloud, number>> = {};
    const deadline = faultsFrom + FAULT_WINDOW_S * 1000 + READY_WITHIN_MS;
    while (Date.now() < deadline) {
      if (atEnd === undefined && Date.now() >= faultsFrom + FAULT_WINDOW_S * 1000) {
        await clearFaults();
        atEnd = await fleetStatus(fleet, t.signal);
      }
      status = await fleetStatus(fleet, t.signal);
      for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
        const kinds = kindsOf(cloud);
        if (readyAt[cloud] === undefined && readyOf(status, kinds) === kinds.reduce((n, k) => n + COUNTS[k], 0)) readyAt[cloud] = Date.now();
      }
      if (atEnd !== undefined && readyOf(status, FLEET_KIND_NAMES) === fleet.total) break;
      await sleep(POLL_MS, undefined, { signal: t.signal });
    }
    const allReadyAt = Date.now();
    const report = (s: Record<FleetKind, KindStatus>) => FLEET_KIND_NAMES.map((k) => `${k} ${s[k].ready}/${COUNTS[k]}`).join(', ');
    console.log(`cloud-faults: Ready when the faults began: ${report(atStart)}; when they ended: ${atEnd ? report(atEnd) : '-'}`);
    console.log(
      `cloud-faults: all ${readyOf(status, FLEET_KIND_NAMES)}/${fleet.total} Ready ${seconds(allReadyAt - appliedAt)} after the apply ` +
        `(${(Object.keys(CLOUDS) as Cloud[]).map((c) => `${c} ${readyAt[c] ? seconds(readyAt[c] - appliedAt) : 'never'}`).join(', ')})`,
    );
    for (const kind of FLEET_KIND_NAMES) {
      assert.equal(status[kind].ready, COUNTS[kind], `${kind}: ${status[kind].ready}/${COUNTS[kind]} Ready; e.g. ${status[kind].notReady.join(' | ')}\n${(await controller?.log())?.slice(-3000)}`);
    }
    for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
      const kinds = kindsOf(cloud);
      const total = kinds.reduce((n, k) => n + COUNTS[k], 0);
      assert.ok(readyOf(atStart, kinds) < total, `${cloud}: the faults began while its creates were still under way (${readyOf(atStart, kinds)}/${total} Ready)`);
    }
  });

  test('every resource exists exactly once in cloudsim, nothing else of ours does, and none was created twice', async () => {
    const held = await admin.held();
    for (const kind of FLEET_KIND_NAMES) {
      assert.deepEqual(oursIn(held, kind), [...fleet.names[kind]].sort(), `${kind}: cloudsim holds each one once and nothing more`);
    }
    // Each exists, so each was created at least once; as many creates served as resources means once each.
    // Throttled and outage answers never reach the simulated cloud, so they are retries, not creates.
    const log = await admin.requests(since);
    for (const kind of FLEET_KIND_NAMES) {
      const creates = log.requests.filter((r) => r.service === kind && r.operation === FLEET_KINDS[kind].create);
      const served = creates.filter((r) => r.outcome === 'ok' || r.outcome === 'error');
      const refused = creates.length - served.length;
      console.log(`cloud-faults: ${kind} ${FLEET_KINDS[kind].create}: ${served.length} served for ${COUNTS[kind]} resources, ${refused} throttled or refused by the outage`);
      assert.equal(served.length, COUNTS[kind], `${kind}: ${served.length} ${FLEET_KINDS[kind].create} calls served for ${COUNTS[kind]} resources`);
      assert.equal(served.filter((r) => r.outcome === 'error').length, 0, `${kind}: no create was refused by the cloud (e.g. already exists)`);
    }
  });

  test('deleting them all leaves cloudsim as it was before', { timeout: DELETED_WITHIN_MS + 30_000 }, async (t) => {
    const deletedFrom = Date.now();
    await deleteFleet(fleet);
    let status = await fleetStatus(fleet, t.signal);
    while (FLEET_KIND_NAMES.some((k) => status[k].present > 0) && Date.now() - deletedFrom < DELETED_WITHIN_MS) {
      await sleep(POLL_MS, undefined, { signal: t.signal });
      status = await fleetStatus(fleet, t.signal);
    }
    const left = FLEET_KIND_NAMES.reduce((n, k) => n + status[k].present, 0);
    console.log(`cloud-faults: ${fleet.total - left}/${fleet.total} deleted in ${seconds(Date.now() - deletedFrom)}`);
    assert.equal(left, 0, `objects left: ${FLEET_KIND_NAMES.map((k) => `${k} ${status[k].present}`).join(', ')}`);
    const held = await admin.held();
    for (const kind of FLEET_KIND_NAMES) {
      assert.deepEqual(oursIn(held, kind), [], `${kind}: nothing of ours is left in cloudsim`);
      assert.deepEqual([...held[kind]].sort(), [...baseline[kind]].sort(), `${kind}: cloudsim holds what it held before the test`);
    }
  });

  test(`no cloud saw more than burst + rate × window requests (rate ${RATE}/s, burst ${BURST}) from its ProviderConfig`, async () => {
    const log = await admin.requests(since);
    assert.ok(log.complete, `the request log dropped calls of this run (capacity ${log.capacity}, dropped ${log.dropped})`);
    assert.ok(controller, 'the controller ran');
    const controllerCalls = await scrapeCloudCalls(controller.metricsUrl);
    const byService = (services: readonly string[]) => log.requests.filter((r) => services.includes(r.service));
    const count = (rs: readonly LoggedRequest[], outcome: string) => rs.filter((r) => r.outcome === outcome).length;
    const entra = byService(['entra']);
    console.log(`cloud-faults: Entra (token requests, outside the bucket): ${entra.length} (${count(entra, 'ok')} ok)`);
    const failures: string[] = [];
    for (const cloud of Object.keys(CLOUDS) as Cloud[]) {
      const requests = byService(CLOUDS[cloud]);
      const times = requests.map((r) => r.receivedAt);
      const peak = busiestWindow(times, 1_000);
      const burst = largestBurst(times, RATE);
      const span = (times.at(-1) ?? 0) - (times[0] ?? 0);
      console.log(
        `cloud-faults: ${cloud} (${CLOUDS[cloud].join('+')}): ${requests.length} requests in ${seconds(span)} ` +
          `(ok ${count(requests, 'ok')}, error ${count(requests, 'error')}, throttled ${count(requests, 'throttled')}, outage ${count(requests, 'outage')}); ` +
          `max ${peak.count} in 1 s (budget ${BURST + RATE}); largest burst above ${RATE}/s: ${burst.excess.toFixed(2)} ` +
          `(${burst.count} requests in ${seconds(burst.to - burst.from)}; budget ${BURST}); the controller counted ${controllerCalls[cloud]?.all ?? 0} calls`,
      );
      // Every request that reached the cloud went through the bucket: the controller counts each call it let
      // through, so the SDKs made no retries or extra requests of their own. (It may count a few more: calls
      // that failed before cloudsim answered them, such as a reused keep-alive socket the server had closed.)
      if (requests.length > (controllerCalls[cloud]?.all ?? 0)) {
        failures.push(`${cloud}: cloudsim answered ${requests.length} requests but the controller let only ${controllerCalls[cloud]?.all ?? 0} calls through its bucket`);
      }
      if (burst.excess > BURST + TIMING_SLACK) {
        failures.push(
          `${cloud}: ${burst.count} requests between ${seconds(burst.from - since)} and ${seconds(burst.to - since)} after start: burst ${burst.excess.toFixed(2)} > ${BURST} (+${TIMING_SLACK} timing slack); ` +
            `per 100 ms from 1 s before: ${histogram(times, burst.from - 1_000, burst.to + 1_000, 100).join(' ')}`,
        );
      }
    }
    assert.ok(count(byService(['arm']), 'outage') > 0, 'ARM answered some calls with its outage');
    assert.ok(count(byService(['s3', 'rds']), 'throttled') > 0 && count(byService(['gcs']), 'throttled') > 0, 'S3/RDS and GCS throttled some calls');
    if (failures.length > 0) {
      const dump = join(tmpdir(), `cloud-faults-${suffix}-requests.json`);
      await writeFile(dump, JSON.stringify(log.requests.map((r) => ({ ...r, sinceStartMs: r.receivedAt - since }))));
      failures.push(`every request of the run: ${dump}`);
    }
    assert.deepEqual(failures, [], 'every cloud stayed within the token bucket');
  });
});

// Leader election between real `pledge run --leader-elect` processes over a coordination.k8s.io Lease:
// one leads and reconciles, the others wait; a killed leader is replaced once its lease expires, a
// stopped one hands over at once, and one cut off from the API server stops before anyone replaces it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl, testEnv } from '../env/index.ts';
import { eventually, getJson, installAwsProviderConfig, installCrds, startController, type ControllerProcess } from './harness.ts';
import { applyBuckets, BUCKETS, cleanUpBuckets, isReady } from './support/bucket-fixtures.ts';
import { reconcileEvidence } from './support/reconcile-evidence.ts';
import { kubeconfigVia, startStallingProxy, type StallingProxy } from './support/stalling-proxy.ts';

const suffix = randomBytes(3).toString('hex');
const LEASE = { namespace: 'pledge-system', name: 'pledge-controllers' };
/** The defaults `pledge run --leader-elect` uses (core/runtime/leader-election/lease.ts). */
const LEASE_DURATION_MS = 15_000;
const RETRY_PERIOD_MS = 2_000;
const RENEW_DEADLINE_MS = 10_000;

interface Lease {
  spec?: { holderIdentity?: string; leaseTransitions?: number; renewTime?: string };
}

const readLease = () => getJson<Lease>('lease', LEASE.name, LEASE.namespace);

/** The time (ms since the epoch) of the first log line with this message, from pino's JSON. */
function loggedAt(log: string, msg: string): number | undefined {
  for (const line of log.split('\n')) {
    if (!line.includes(`"msg":"${msg}"`)) continue;
    const time = (JSON.parse(line) as { time?: number }).time;
    if (typeof time === 'number') return time;
  }
  return undefined;
}

/** The lease holder identity is `<host>_<pid>_<random>`. */
const holds = (lease: Lease | undefined, replica: ControllerProcess) => lease?.spec?.holderIdentity?.includes(`_${replica.child.pid}_`) === true;

const createdLines = (log: string, name: string) => log.split('\n').filter((l) => l.includes('"msg":"created external resource"') && l.includes(`"name":"${name}"`));

describe('leader election with pledge run --leader-elect', () => {
  const replicas: ControllerProcess[] = [];
  const buckets: string[] = [];
  let proxy: StallingProxy | undefined;

  const startReplica = async (extraArgs: string[] = []) => {
    const replica = await startController({ extraArgs: ['--leader-elect', ...extraArgs], waitForSync: false, pollInterval: '5s' });
    replicas.push(replica);
    return replica;
  };
  const leaders = async (among: readonly ControllerProcess[]) => {
    const out: ControllerProcess[] = [];
    for (const r of among) if ((await r.log()).includes('"msg":"became leader"')) out.push(r);
    return out;
  };
  const newBucket = async (label: string) => {
    const name = `pledge-le-${suffix}-${label}`;
    buckets.push(name);
    await applyBuckets([name]);
    await eventually(() => isReady(BUCKETS, name), `Bucket ${name} to be Ready`, 30_000);
    return name;
  };

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    // A lease left by an earlier run would make the first election wait for it to expire.
    await kubectl(['delete', 'lease', LEASE.name, '-n', LEASE.namespace, '--ignore-not-found']);
  });

  after(async () => {
    const alive = replicas.filter((r) => !r.child.hasExited());
    if (alive.length === 0) replicas.push(await startController({ pollInterval: '5s' }));
    await cleanUpBuckets(buckets);
    for (const r of replicas) await r.stop();
    await proxy?.close();
  });

  let first: ControllerProcess;
  let second: ControllerProcess;

  test('of two replicas exactly one becomes leader, and only it reconciles', async () => {
    const pair = await Promise.all([startReplica(), startReplica()]);
    await eventually(async () => (await leaders(pair)).length > 0, 'a leader', 30_000);
    // Give the other replica a few of its retry periods to (wrongly) take the lease too.
    await sleep(3 * RETRY_PERIOD_MS);
    const leading = await leaders(pair);
    assert.equal(leading.length, 1, 'exactly one replica became leader');
    [first] = leading as [ControllerProcess];
    second = pair.find((r) => r !== first) as ControllerProcess;
    assert.match(await second.log(), /"msg":"waiting for leadership"/);
    assert.ok(holds(await readLease(), first), 'the Lease names the leader');

    const name = await newBucket('one');
    assert.equal(createdLines(await first.log(), name).length, 1, 'the leader created the bucket');
    const followerLog = await second.log();
    assert.doesNotMatch(followerLog, /created external resource|caches synced/, 'the follower neither syncs nor reconciles');
  });

  test('SIGKILL of the leader: the other takes over once the lease has expired, and reconciles', async () => {
    const leaseBefore = await readLease();
    const killedAt = Date.now();
    process.kill(first.child.pid, 'SIGKILL');
    await first.child.exited;
    await eventually(async () => (await second.log()).includes('"msg":"became leader"'), 'the second replica to become leader', LEASE_DURATION_MS + 15_000);
    const tookOverAt = loggedAt(await second.log(), 'became leader') ?? Date.now();
    const takeoverMs = tookOverAt - killedAt;
    console.log(`leader-election: takeover ${(takeoverMs / 1000).toFixed(1)} s after SIGKILL (lease ${LEASE_DURATION_MS / 1000} s, retry ${RETRY_PERIOD_MS / 1000} s)`);
    // The last renewal was at most one retry period before the kill, so the lease cannot have expired earlier…
    assert.ok(takeoverMs >= LEASE_DURATION_MS - RETRY_PERIOD_MS - 1_000, `took over ${takeoverMs} ms after the kill: before the lease expired`);
    // …and expiry is judged from when the follower saw the last renewal (up to one retry period late), and
    // noticed at its next try (one more): lease + 2 retry periods, plus a margin for a loaded machine.
    assert.ok(takeoverMs <= LEASE_DURATION_MS + 2 * RETRY_PERIOD_MS + 3_000, `took over ${takeoverMs} ms after the kill`);

    const afterLease = await readLease();
    assert.ok(holds(afterLease, second), 'the Lease names the new leader');
    assert.notEqual(afterLease?.spec?.holderIdentity, leaseBefore?.spec?.holderIdentity, 'holderIdentity changed');
    assert.equal(afterLease?.spec?.leaseTransitions, (leaseBefore?.spec?.leaseTransitions ?? 0) + 1, 'one more lease transition');

    const name = await newBucket('two');
    // Only a leader reconciles: an observe of the first bucket in this replica's log was the new leader's, and
    // a second create would have come before it.
    const firstBucket = buckets[0] ?? '';
    await reconcileEvidence(() => second.log(), { kind: 'Bucket', name: firstBucket, msg: 'observed, requeue' }).waitSince(0, 1, 'as the new leader, observed the first bucket');
    const log = await second.log();
    assert.equal(createdLines(log, name).length, 1, 'the new leader created the new bucket');
    assert.equal(createdLines(log, firstBucket).length, 0, 'and did not create the first one again');
  });

  test('a leader stopped with SIGTERM releases the Lease and a waiting replica leads at once', async () => {
    const third = await startReplica();
    await eventually(async () => (await third.log()).includes('"msg":"waiting for leadership"'), 'the third replica to wait', 30_000);
    const stoppedAt = Date.now();
    await second.stop();
    assert.match(await second.log(), /"msg":"lease released"/);
    await eventually(async () => (await third.log()).includes('"msg":"became leader"'), 'the third replica to become leader', 10_000);
    const handoverMs = (loggedAt(await third.log(), 'became leader') ?? Date.now()) - stoppedAt;
    console.log(`leader-election: handover ${(handoverMs / 1000).toFixed(1)} s after SIGTERM`);
    assert.ok(handoverMs <= RETRY_PERIOD_MS + 3_000, `handover took ${handoverMs} ms, as if the lease had to expire`);
    assert.ok(holds(await readLease(), third));
    second = third;
  });

  test('a leader whose API server stops answering steps down before another replica takes over', async () => {
    const envDir = process.env.PLEDGE_TEST_ENV_DIR;
    assert.ok(envDir, 'PLEDGE_TEST_ENV_DIR is set by test/env/run.ts');
    const server = new URL((await kubectl(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).stdout);
    const pki = join(envDir, 'pki');
    proxy = await startStallingProxy({ upstream: server, certPath: join(pki, 'apiserver.crt'), keyPath: join(pki, 'apiserver.key'), caPath: join(pki, 'ca.crt') });
    const kubeconfig = await kubeconfigVia(testEnv().kubeconfigPath, proxy.url, join(envDir, `kubeconfig-stalling-${suffix}`));
    // The replica behind the proxy leads: it waits, then the current leader hands over.
    const isolated = await startReplica([`--kubeconfig=${kubeconfig}`]);
    await eventually(async () => (await isolated.log()).includes('"msg":"waiting for leadership"'), 'the isolated replica to wait', 30_000);
    await second.stop();
    await eventually(async () => (await isolated.log()).includes('"msg":"became leader"'), 'the isolated replica to become leader', 10_000);
    const standby = await startReplica();
    await eventually(async () => (await standby.log()).includes('"msg":"waiting for leadership"'), 'the standby replica to wait', 30_000);
    await newBucket('three');

    const cutAt = Date.now();
    proxy.stall();
    await eventually(async () => (await standby.log()).includes('"msg":"became leader"'), 'the standby replica to become leader', LEASE_DURATION_MS + 15_000);
    const standbyLeadsAt = loggedAt(await standby.log(), 'became leader') ?? Date.now();
    const isolatedLog = await isolated.log();
    const lostAt = loggedAt(isolatedLog, 'leadership lost');
    console.log(
      `leader-election: the leader whose API server stalled gave up ${lostAt === undefined ? 'never' : `${((lostAt - cutAt) / 1000).toFixed(1)} s`} after the stall; ` +
        `the standby led ${((standbyLeadsAt - cutAt) / 1000).toFixed(1)} s after it`,
    );
    assert.ok(lostAt !== undefined, `the isolated leader never noticed it lost the lease; log tail:\n${isolatedLog.slice(-2000)}`);
    assert.ok(lostAt < standbyLeadsAt, 'it gave up before the standby took over: never two leaders');
    assert.ok(lostAt - cutAt <= RENEW_DEADLINE_MS + RETRY_PERIOD_MS + 1_000, `it gave up ${lostAt - cutAt} ms after the stall, past its renew deadline`);
    const exit = await Promise.race([isolated.child.exited, sleep(5_000, undefined, { ref: false }).then(() => undefined)]);
    assert.equal(exit?.code, 1, 'the isolated replica exited');
    second = standby;
  });
});

// Crash-safe create, end to end: `pledge run` SIGKILLs itself at injected points around the cloud
// create (PLEDGE_CRASH_POINTS), is restarted, and killed again, many times over. Afterwards every
// resource exists exactly once in the cloud, nothing was made twice or leaked, and all are Ready.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl, kubectlApply } from '../env/index.ts';
import { installAwsProviderConfig, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { motoBucketNames } from './support/bucket-fixtures.ts';
import { motoDbInstanceIds } from './support/db-instance-fixtures.ts';

const suffix = randomBytes(3).toString('hex');
const prefix = `pledge-crash-${suffix}-`;
const label = `pledge-test=crash-${suffix}`;
/**
 * Per create: killed before the call 30 %, right after it (cloud object made, nothing recorded) 35 %,
 * after the result was recorded 17.5 %, unharmed 17.5 %. Other creates in flight die with it.
 */
const CRASH_POINTS = 'before-create:0.3,after-create:0.5,after-create-recorded:0.5';
const TARGET_KILLS = 20;
/** Kills wanted while each kind alone is being created, so both kinds are proven. */
const MIN_KILLS_PER_KIND = 5;
/** Large enough that a round yields many kills before its last resource is Ready (each survivor costs a start). */
const ROUND_SIZE = 8;
const KINDS = {
  Bucket: { resource: 'buckets.s3.aws.pledge.dev', short: 'b' },
  DBInstance: { resource: 'dbinstances.rds.aws.pledge.dev', short: 'db' },
} as const;
type Kind = keyof typeof KINDS;
const RESOURCES = `${KINDS.Bucket.resource},${KINDS.DBInstance.resource}`;
/**
 * Every controller here polls every 2 s and may call the cloud 100 times a second: with the default budget
 * (10/s) two dozen resources polled every 2 s keep it spent, and the rounds, the final Ready and the deletes
 * wait on Pledge's own rate limit (not what this test checks; throttling.test.ts does) instead of on crashes.
 */
const CONTROLLER_OPTIONS = { pollInterval: '2s', extraArgs: ['--cloud-rate=100', '--cloud-burst=100'] };

function yamlOf(kind: Kind, name: string): string {
  const metadata = `metadata: {name: ${name}, labels: {pledge-test: crash-${suffix}}}`;
  if (kind === 'Bucket') return `apiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\n${metadata}\nspec:\n  forProvider: {region: us-east-1}\n`;
  return [
    'apiVersion: rds.aws.pledge.dev/v1',
    'kind: DBInstance',
    metadata,
    'spec:',
    '  forProvider: {region: us-east-1, engine: postgres, dbInstanceClass: db.t3.micro, masterUsername: pledge, allocatedStorage: 20, skipFinalSnapshot: true}',
    `  writeConnectionSecretToRef: {name: ${name}-conn, namespace: default}`,
    '',
  ].join('\n');
}

interface Managed {
  kind: Kind;
  metadata: { name: string; annotations?: Record<string, string> };
  status?: { conditions?: Array<{ type: string; status: string }> };
}

async function listManaged(): Promise<Managed[]> {
  return (JSON.parse(await mustKubectl(['get', RESOURCES, '-l', label, '-o', 'json'])) as { items: Managed[] }).items;
}

const isReady = (mr: Managed) => mr.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

/** Resolves once every resource of this run is Ready; stops quietly when `signal` aborts. */
async function allReady(expected: number, signal: AbortSignal): Promise<'ready' | 'aborted'> {
  while (!signal.aborted) {
    const items = await listManaged();
    if (items.length === expected && items.every(isReady)) return 'ready';
    await sleep(1_000, undefined, { signal }).catch(() => undefined);
  }
  return 'aborted';
}

interface Kills {
  total: number;
  byKind: Record<Kind, number>;
  byPoint: Record<string, number>;
  starts: number;
}

/**
 * Starts crash-injected controllers one after another, counting each one that killed itself at a
 * crash point, until one survives to see every resource of this run Ready or `enough()` says stop.
 */
async function crashUntilReady(kind: Kind, expected: number, kills: Kills, enough: () => boolean): Promise<void> {
  while (!enough()) {
    kills.starts++;
    const controller = await startController({ ...CONTROLLER_OPTIONS, env: { PLEDGE_CRASH_POINTS: CRASH_POINTS }, waitForSync: false });
    const stopWaiting = new AbortController();
    const outcome = await Promise.race([
      controller.child.exited.then((exit) => ({ exit })),
      allReady(expected, stopWaiting.signal).then(() => ({ exit: undefined })),
      sleep(60_000, undefined, { signal: stopWaiting.signal }).then(
        () => ({ exit: 'timeout' as const }),
        () => ({ exit: 'timeout' as const }),
      ),
    ]);
    stopWaiting.abort();
    if (outcome.exit === undefined) {
      await controller.stop();
      return;
    }
    if (outcome.exit === 'timeout') {
      await controller.stop();
      assert.fail(`a crash-injected controller neither died nor made everything Ready in 60 s; log tail:\n${(await controller.log()).slice(-3000)}`);
    }
    const log = await controller.log();
    const point = /crash point (\S+) reached/.exec(log)?.[1];
    assert.equal(outcome.exit.signal, 'SIGKILL', `the controller died otherwise than at a crash point (${JSON.stringify(outcome.exit)}); log tail:\n${log.slice(-3000)}`);
    assert.ok(point, `killed without a crash point line; log tail:\n${log.slice(-3000)}`);
    kills.total++;
    kills.byKind[kind]++;
    kills.byPoint[point] = (kills.byPoint[point] ?? 0) + 1;
  }
}

describe('crash-safe create under SIGKILL', () => {
  const names: Record<Kind, string[]> = { Bucket: [], DBInstance: [] };
  const kills: Kills = { total: 0, byKind: { Bucket: 0, DBInstance: 0 }, byPoint: {}, starts: 0 };
  let cleanController: ControllerProcess | undefined;
  let bucketsBefore = new Set<string>();
  let dbInstancesBefore = new Set<string>();
  const startedAt = Date.now();

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    bucketsBefore = await motoBucketNames();
    dbInstancesBefore = new Set(await motoDbInstanceIds());
  });

  after(async () => {
    // Whatever a failed test left: delete it through a clean controller, then let go of the rest.
    if ((await listManaged().catch(() => [])).length > 0) {
      cleanController ??= await startController(CONTROLLER_OPTIONS);
      await kubectl(['delete', RESOURCES, '-l', label, '--timeout=60s'], { timeoutMs: 70_000 });
    }
    await cleanController?.stop();
  });

  test(`at least ${TARGET_KILLS} SIGKILLs around create, across Buckets and DBInstances`, async () => {
    let round = 0;
    const enough = () => kills.total >= TARGET_KILLS && kills.byKind.Bucket >= MIN_KILLS_PER_KIND && kills.byKind.DBInstance >= MIN_KILLS_PER_KIND;
    while (!enough()) {
      // One kind per round, so each kill is known to have hit that kind's create.
      const kind: Kind = kills.byKind.Bucket <= kills.byKind.DBInstance ? 'Bucket' : 'DBInstance';
      const batch = Array.from({ length: ROUND_SIZE }, (_, i) => `${prefix}${KINDS[kind].short}-${round}-${i}`);
      names[kind].push(...batch);
      const res = await kubectlApply(batch.map((n) => yamlOf(kind, n)).join('---\n'));
      assert.equal(res.code, 0, res.stderr);
      // Stops as soon as there are enough kills: what the last one left half-done, the clean controller finishes.
      await crashUntilReady(kind, names.Bucket.length + names.DBInstance.length, kills, enough);
      round++;
      assert.ok(round <= 12, `still short of kills after ${round} rounds: ${JSON.stringify(kills)}`);
    }
    console.log(
      `crash-safety: ${kills.total} kills in ${kills.starts} controller starts (${JSON.stringify(kills.byKind)}, at ${JSON.stringify(kills.byPoint)}), ` +
        `${names.Bucket.length} Buckets and ${names.DBInstance.length} DBInstances, ${((Date.now() - startedAt) / 1000).toFixed(1)} s`,
    );
    assert.ok(kills.total >= TARGET_KILLS);
    assert.ok((kills.byPoint['after-create'] ?? 0) > 0, 'some kills came between the cloud create and its record');
  });

  test('a clean controller finds everything Ready, each with one external name', async () => {
    cleanController = await startController(CONTROLLER_OPTIONS);
    const expected = names.Bucket.length + names.DBInstance.length;
    assert.equal(await allReady(expected, AbortSignal.timeout(60_000)), 'ready', 'every resource is Ready');
    const items = await listManaged();
    assert.equal(items.length, expected);
    for (const mr of items) {
      // Both kinds name the cloud object after the resource: the one external name must be exactly that,
      // whichever crash the create went through (the next test checks the cloud holds one such object).
      assert.equal(mr.metadata.annotations?.['pledge.dev/external-name'], mr.metadata.name, `${mr.kind} ${mr.metadata.name}: its external name`);
    }
  });

  test('each resource exists exactly once in moto, and nothing else was made', async () => {
    const buckets = await motoBucketNames();
    const newBuckets = [...buckets].filter((b) => !bucketsBefore.has(b)).sort();
    assert.deepEqual(newBuckets, [...names.Bucket].sort(), 'the buckets made since the test began are exactly the Buckets');
    const ids = await motoDbInstanceIds();
    const newIds = ids.filter((id) => !dbInstancesBefore.has(id)).sort();
    assert.deepEqual(newIds, [...names.DBInstance].sort(), 'the DB instances made since the test began are exactly the DBInstances, each once');
  });

  test('every DBInstance keeps its master password in its connection secret', async () => {
    for (const name of names.DBInstance) {
      const secret = JSON.parse(await mustKubectl(['get', 'secret', `${name}-conn`, '-n', 'default', '-o', 'json'])) as { data?: Record<string, string> };
      const keys = Object.keys(secret.data ?? {}).sort();
      assert.deepEqual(keys, ['endpoint', 'password', 'port', 'username'], `connection secret of ${name}`);
    }
  });

  test('deleting everything leaves moto clean', async () => {
    const del = await kubectl(['delete', RESOURCES, '-l', label, '--timeout=90s'], { timeoutMs: 100_000 });
    assert.equal(del.code, 0, del.stderr);
    assert.deepEqual(await listManaged(), []);
    const buckets = [...(await motoBucketNames())].filter((b) => b.startsWith(prefix));
    const ids = (await motoDbInstanceIds()).filter((id) => id.startsWith(prefix));
    assert.deepEqual([...buckets, ...ids], [], 'nothing of this run is left in moto');
  });
});

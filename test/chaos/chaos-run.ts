// A chaos run: N creates across S3, RDS, Azure and GCS on cloudsim, driven by `pledge run`, which is SIGKILLed
// from outside every 0.3–3 s of work and started again; a cloud outage and an API-server restart in the middle
// of the creates; then the deletion of everything under the same kills. The objects are applied (and later
// deleted) a slice per controller life, so each phase spans as many kills as asked for. What the clouds saw is
// counted by cloudsim; the report says whether anything was made twice, leaked, or kept a controller down.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { testEnv } from '../env/index.ts';
import { installCrds, startController } from '../integration/harness.ts';
import { cloudsimAdmin, type CloudsimAdmin } from '../integration/support/cloudsim-admin.ts';
import { installCloudsimProviderConfigs } from '../integration/support/cloudsim-provider-configs.ts';
import { othersOfFleetKinds } from '../integration/support/fault-fleet.ts';
import { applyItems, CHAOS_KINDS, deleteItems, planChaosFleet, type ChaosFleet, type FleetItem } from './chaos-fleet.ts';
import { comparePresence, createsServed, faultsServed, heldOfRun, namesOf } from './cloud-ledger.ts';
import { cloudOutage, endCloudOutage, outageBites, type OutageWindow } from './cloud-outage.ts';
import { clusterReader, totalOf, type ClusterReader } from './cluster-view.ts';
import { ControllerKiller } from './controller-killer.ts';
import { describeView, ProgressMonitor } from './progress-monitor.ts';
import { cleanUpRun } from './clean-up.ts';
import type { ChaosReport } from './chaos-report.ts';

export const CHAOS_DEFAULTS = {
  n: 1_000,
  /** Kills wanted across create and delete; half of them fall in each phase. */
  minKills: 500,
  minLifeMs: 300,
  maxLifeMs: 3_000,
  outageSeconds: 30,
  cloudRate: 200,
  cloudBurst: 100,
  workers: 16,
  pollInterval: '2s',
  /** From the last create applied (last delete issued) to all Ready (all gone), at most. */
  readyTimeoutMs: 20 * 60_000,
  goneTimeoutMs: 20 * 60_000,
  /** After the API server is back, the controller that lived through it must make progress within this. */
  apiProgressTimeoutMs: 120_000,
  /** Where in the create phase (share of slices applied) the outage and the API-server restart start. */
  outageAt: 0.35,
  apiRestartAt: 0.65,
  viewEveryMs: 2_000,
  /** Kills in a row without progress before a controller may work until there is some (progress-monitor.ts). */
  stallKills: 4,
} as const;

type Settings = { -readonly [K in keyof typeof CHAOS_DEFAULTS]: (typeof CHAOS_DEFAULTS)[K] extends number ? number : string };

/** Any setting of CHAOS_DEFAULTS (outageSeconds 0: no outage), plus: */
export type ChaosOptions = Partial<Settings> & {
  /** The environment's opt-in restart; without it (under test/env/run.ts) the restart is skipped and reported so. */
  restartApiServer?: () => Promise<{ downMs: number }>;
  /** Seeds the kill moments. */
  seed?: number | undefined;
  /** Remove what is left of the run from the cluster at the end (default true; false when the environment goes anyway). */
  cleanUp?: boolean;
  log?: (line: string) => void;
  signal?: AbortSignal;
};

/** A small seeded generator (mulberry32), so a run's kill moments can be drawn again. */
function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `items` in `count` consecutive slices of nearly equal size. */
export function evenSlices<T>(items: readonly T[], count: number): T[][] {
  const n = Math.max(1, Math.min(count, items.length));
  return Array.from({ length: n }, (_, i) => items.slice(Math.floor((i * items.length) / n), Math.floor(((i + 1) * items.length) / n)));
}

/** Runs the whole chaos scenario; never throws for what it finds (that goes in report.failures). */
export async function runChaos(options: ChaosOptions = {}): Promise<ChaosReport> {
  const s: Settings = { ...CHAOS_DEFAULTS, ...stripUndefined(options) };
  const log = options.log ?? (() => undefined);
  const seed = options.seed ?? randomBytes(4).readUInt32LE(0);
  const env = testEnv();
  if (!env.cloudsim) throw new Error('cloudsim is not running: run under test/env/run.ts or test/chaos/run.ts');
  const runId = randomBytes(3).toString('hex');
  const chaos = planChaosFleet({ n: s.n, runId, providerConfig: `chaos-${runId}` });
  const admin = cloudsimAdmin(env.cloudsim.adminUrl);
  const caPath = env.cloudsim.caPath;
  // One slice per controller life: each phase then spans at least half the kills asked for.
  const slices = evenSlices(chaos.items, Math.ceil(s.minKills / 2) + 1);
  const report = newReport({ runId, seed, chaos, settings: s, slices: slices.length });
  log(`run ${runId} (seed ${seed}): ${chaos.total} objects in ${slices.length} slices of ~${Math.ceil(chaos.total / slices.length)}, one per controller life`);

  await installCrds();
  await installCloudsimProviderConfigs(chaos.providerConfig);
  const others = await othersOfFleetKinds(chaos.fleet);
  if (others.length > 0) log(`warning: ${others.length} other managed resources of these kinds (${others.slice(0, 3).join(', ')}…) share the controller's time`);
  const reader = await clusterReader({ kubeconfigPath: env.kubeconfigPath, label: chaos.label });
  const countersBefore = await admin.counters();
  const killer = new ControllerKiller({
    start: () =>
      startController({
        pollInterval: s.pollInterval,
        extraArgs: [`--cloud-rate=${s.cloudRate}`, `--cloud-burst=${s.cloudBurst}`, `--workers=${s.workers}`, '--log-level=info'],
        env: { NODE_EXTRA_CA_CERTS: caPath },
        waitForSync: false,
      }),
    minLifeMs: s.minLifeMs,
    maxLifeMs: s.maxLifeMs,
    random: seeded(seed),
    log: (line) => log(`killer: ${line}`),
  });
  const progress = new ProgressMonitor({ reader, killer, log, everyMs: s.viewEveryMs, stallKills: s.stallKills });
  const phases = { killer, progress, reader, admin, chaos, settings: s, report, log, signal: options.signal };
  try {
    killer.run();
    progress.start();
    await createPhase(phases, slices, options.restartApiServer);
    const countersAtReady = await admin.counters();
    report.createsAtReady = createsServed(countersBefore, countersAtReady);
    const held = await heldOfRun(admin, chaos);
    for (const kind of CHAOS_KINDS) report.presenceAtReady[kind] = comparePresence(namesOf(chaos, kind), held[kind]);
    await deletePhase(phases, slices);
  } catch (err: unknown) {
    report.failures.push(`the run stopped early: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  } finally {
    await progress.stop();
    const stats = await killer.stop();
    report.killer = stats;
    await endCloudOutage(admin).catch((err: unknown) => report.failures.push(`could not clear the cloud faults: ${String(err)}`));
  }
  // A controller stopped a moment ago could not create anything after it; look again once more all the same.
  await sleep(2_000);
  const countersAfter = await admin.counters();
  report.creates = createsServed(countersBefore, countersAfter);
  report.faults = faultsServed(countersBefore, countersAfter);
  report.heldAfterDelete = await heldOfRun(admin, chaos);
  report.endedAt = Date.now();
  if (options.cleanUp ?? true) await cleanUpRun(chaos, report.allGoneAt === undefined, log);
  return report;
}

type Phases = {
  killer: ControllerKiller;
  progress: ProgressMonitor;
  reader: ClusterReader;
  admin: CloudsimAdmin;
  chaos: ChaosFleet;
  settings: Settings;
  report: ChaosReport;
  log: (line: string) => void;
  signal?: AbortSignal | undefined;
};

async function createPhase(p: Phases, slices: FleetItem[][], restartApiServer: ChaosOptions['restartApiServer']): Promise<void> {
  const { killer, report, settings: s } = p;
  killer.setPhase('create');
  p.progress.measure((v) => ({ count: totalOf(v, 'ready'), remaining: totalOf(v, 'ready') < totalOf(v, 'present') }));
  const outageSlice = s.outageSeconds > 0 ? Math.floor(slices.length * s.outageAt) : -1;
  const restartSlice = Math.floor(slices.length * s.apiRestartAt);
  let outage: Promise<OutageWindow | undefined> = Promise.resolve(undefined);
  for (const [i, slice] of slices.entries()) {
    await nextLife(p);
    await withRetries(() => applyItems(p.chaos, slice, p.signal), `apply slice ${i}`, p);
    report.firstCreateAt ??= Date.now();
    if (i === outageSlice) {
      p.log(`cloud outage for ${s.outageSeconds} s (slice ${i}/${slices.length})`);
      const before = await p.admin.counters();
      outage = cloudOutage(p.admin, s.outageSeconds, p.signal).catch((err: unknown) => {
        report.failures.push(`the cloud outage failed: ${String(err)}`);
        return undefined;
      });
      // The next controller works until the outage has refused one of its calls: an outage met only by
      // controllers still starting would prove nothing.
      killer.holdNextKill(outageBites(p.admin, before, s.outageSeconds * 1000));
    }
    if (i === restartSlice) await apiServerRestart(p, restartApiServer);
    if (i % 25 === 0) p.log(`create: slice ${i + 1}/${slices.length} applied; kills ${killer.stats().kills.create ?? 0}`);
  }
  report.lastCreateAt = Date.now();
  report.outage = await outage;
  const { view, met } = await p.progress.waitFor((v) => totalOf(v, 'present') === p.chaos.total && totalOf(v, 'ready') === p.chaos.total, s.readyTimeoutMs, 'all Ready', p.signal);
  report.readyAtEnd = view ? totalOf(view, 'ready') : 0;
  if (met) report.allReadyAt = Date.now();
  else report.failures.push(`not all Ready within ${s.readyTimeoutMs / 1000} s of the last create: ${describeView(view)}`);
  p.progress.measure(undefined);
  await killer.pause();
  killer.setPhase('between');
}

async function deletePhase(p: Phases, slices: FleetItem[][]): Promise<void> {
  const { killer, report, settings: s } = p;
  killer.setPhase('delete');
  p.progress.measure((v) => ({ count: totalOf(v, 'present'), remaining: totalOf(v, 'present') > 0 }));
  killer.resume();
  for (const [i, slice] of slices.entries()) {
    await nextLife(p);
    await withRetries(() => deleteItems(slice, p.signal), `delete slice ${i}`, p);
    report.firstDeleteAt ??= Date.now();
    if (i % 25 === 0) p.log(`delete: slice ${i + 1}/${slices.length} deleted; kills ${killer.stats().kills.delete ?? 0}`);
  }
  report.lastDeleteAt = Date.now();
  let heldLeft = -1;
  const { view, met } = await p.progress.waitFor(
    async (v) => {
      if (totalOf(v, 'present') > 0) return false;
      const held = await heldOfRun(p.admin, p.chaos);
      heldLeft = CHAOS_KINDS.reduce((n, k) => n + held[k].length, 0);
      return heldLeft === 0;
    },
    s.goneTimeoutMs,
    'all gone',
    p.signal,
  );
  p.progress.measure(undefined);
  if (met) report.allGoneAt = Date.now();
  else report.failures.push(`not all gone within ${s.goneTimeoutMs / 1000} s of the last delete: cluster ${describeView(view)}; cloudsim holds ${heldLeft} of the run's objects`);
}

/** Kills paused; the API server and etcd go down and come back; the controller that lived through it must get on. */
async function apiServerRestart(p: Phases, restart: ChaosOptions['restartApiServer']): Promise<void> {
  if (!restart) {
    p.log('API-server restart skipped: this environment cannot restart it (run test/chaos/run.ts for that)');
    return;
  }
  const { killer, report } = p;
  await killer.pause();
  const before = await p.reader.view(p.signal);
  p.log(`restarting kube-apiserver and etcd (Ready ${totalOf(before, 'ready')}/${totalOf(before, 'present')})`);
  const { downMs } = await restart();
  report.apiRestarts.push({ downMs });
  const backAt = Date.now();
  const { met: progressed } = await p.progress.waitFor(
    (v) => totalOf(v, 'ready') > totalOf(before, 'ready') || totalOf(v, 'ready') === totalOf(v, 'present'),
    p.settings.apiProgressTimeoutMs,
    'progress after the API-server restart',
    p.signal,
  );
  const entry = report.apiRestarts.at(-1);
  if (entry && progressed) entry.progressAfterMs = Date.now() - backAt;
  if (!progressed) report.failures.push(`no object became Ready within ${p.settings.apiProgressTimeoutMs / 1000} s of the API server's return`);
  if (!killer.alive()) report.failures.push('the controller did not live through the API-server restart');
  p.log(`API server back after ${downMs} ms; progress ${entry?.progressAfterMs ?? '-'} ms later`);
  killer.resume();
}

/** Waits for the next controller to sync its caches; gives up when controllers keep failing (a crash loop). */
async function nextLife(p: Phases): Promise<void> {
  for (;;) {
    const timeout = new AbortController();
    const synced = await Promise.race([
      p.killer.nextSynced().then(() => true),
      sleep(30_000, false, { signal: timeout.signal }).catch(() => false),
    ]);
    timeout.abort();
    if (synced) return;
    const broken = p.killer.crashLoop();
    if (broken) throw new Error(broken);
  }
}

async function withRetries(action: () => Promise<void>, what: string, p: Phases): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await action();
    } catch (err: unknown) {
      if (attempt >= 5) throw err;
      p.log(`${what} failed (attempt ${attempt}), again in 2 s: ${err instanceof Error ? err.message : String(err)}`);
      await sleep(2_000, undefined, p.signal ? { signal: p.signal } : {});
    }
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function newReport(options: { runId: string; seed: number; chaos: ChaosFleet; settings: Settings; slices: number }): ChaosReport {
  return {
    runId: options.runId,
    seed: options.seed,
    settings: options.settings,
    counts: options.chaos.counts,
    total: options.chaos.total,
    slices: options.slices,
    startedAt: Date.now(),
    endedAt: 0,
    apiRestarts: [],
    presenceAtReady: {},
    readyAtEnd: 0,
    failures: [],
  };
}

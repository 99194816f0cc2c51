// What a chaos run found, the verdict drawn from it, and the table an operator reads.
import { CHAOS_KIND_INFO, CHAOS_KINDS, type ChaosKind } from './chaos-fleet.ts';
import type { CreatesServed, PresenceCheck, faultsServed } from './cloud-ledger.ts';
import type { OutageWindow } from './cloud-outage.ts';
import type { KillerStats } from './controller-killer.ts';

export interface ChaosReport {
  runId: string;
  seed: number;
  settings: {
    n: number;
    minKills: number;
    minLifeMs: number;
    maxLifeMs: number;
    outageSeconds: number;
    cloudRate: number;
    cloudBurst: number;
    workers: number;
    pollInterval: string;
    stallKills: number;
  };
  counts: Record<ChaosKind, number>;
  total: number;
  /** Slices the objects were applied (and deleted) in, one per controller life. */
  slices: number;
  startedAt: number;
  endedAt: number;
  firstCreateAt?: number;
  lastCreateAt?: number;
  allReadyAt?: number;
  /** Ready objects when the create phase ended. */
  readyAtEnd: number;
  firstDeleteAt?: number;
  lastDeleteAt?: number;
  allGoneAt?: number;
  outage?: OutageWindow | undefined;
  apiRestarts: Array<{ downMs: number; progressAfterMs?: number }>;
  killer?: KillerStats;
  /** cloudsim's counters: creates from the start to all Ready, and to the end of the run. */
  createsAtReady?: Record<ChaosKind, CreatesServed>;
  creates?: Record<ChaosKind, CreatesServed>;
  faults?: ReturnType<typeof faultsServed>;
  /** cloudsim's state when all were Ready: each name held once? */
  presenceAtReady: Partial<Record<ChaosKind, PresenceCheck>>;
  /** cloudsim's state at the end: what is left of the run is leaked. */
  heldAfterDelete?: Record<ChaosKind, string[]>;
  /** Problems met while running (timeouts, a step that failed). */
  failures: string[];
}

const seconds = (ms: number | undefined) => (ms === undefined ? '-' : `${(ms / 1000).toFixed(1)} s`);
const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);

export function killsOf(report: ChaosReport): { create: number; delete: number } {
  return { create: report.killer?.kills.create ?? 0, delete: report.killer?.kills.delete ?? 0 };
}

/** Creates that reached a cloud beyond one per resource (made again, or refused as existing). */
export function duplicatesOf(report: ChaosReport, kind: ChaosKind): number {
  const c = report.creates?.[kind];
  return c ? Math.max(0, c.made + c.refused - report.counts[kind]) : 0;
}

export function leaksOf(report: ChaosReport, kind: ChaosKind): string[] {
  return report.heldAfterDelete?.[kind] ?? [];
}

/** Every criterion the run failed; empty means it passed. */
export function verdictOf(report: ChaosReport, options: { expectApiRestart: boolean }): string[] {
  const controllerFailures = report.killer?.failures ?? [];
  const problems = [...report.failures, ...controllerFailures.slice(0, 5).map((f) => `controller: ${f}`)];
  if (controllerFailures.length > 5) problems.push(`… and ${controllerFailures.length - 5} more controller failures`);
  const kills = killsOf(report);
  if (kills.create + kills.delete < report.settings.minKills) problems.push(`only ${kills.create + kills.delete} kills (${kills.create} create, ${kills.delete} delete); wanted >= ${report.settings.minKills}`);
  for (const kind of CHAOS_KINDS) {
    const title = CHAOS_KIND_INFO[kind].title;
    const c = report.creates?.[kind];
    if (!c) problems.push(`${title}: cloudsim's counters were not read`);
    else if (c.made + c.refused !== report.counts[kind]) {
      problems.push(`${title}: ${c.made} creates made and ${c.refused} refused by the cloud for ${report.counts[kind]} resources`);
    }
    const presence = report.presenceAtReady[kind];
    if (!presence) problems.push(`${title}: cloudsim's state was not read at all-Ready`);
    else {
      if (presence.missing.length) problems.push(`${title}: not in cloudsim when all were Ready: ${presence.missing.slice(0, 5).join(', ')}`);
      if (presence.twice.length) problems.push(`${title}: held twice by cloudsim: ${presence.twice.slice(0, 5).join(', ')}`);
      if (presence.strangers.length) problems.push(`${title}: cloudsim holds objects of the run nobody declared: ${presence.strangers.slice(0, 5).join(', ')}`);
    }
    const leaks = leaksOf(report, kind);
    if (leaks.length) problems.push(`${title}: leaked (still in cloudsim after the deletion): ${leaks.slice(0, 5).join(', ')}${leaks.length > 5 ? ` and ${leaks.length - 5} more` : ''}`);
  }
  if (report.allReadyAt === undefined) problems.push('not everything became Ready');
  if (report.allGoneAt === undefined) problems.push('not everything was deleted');
  if (options.expectApiRestart && report.apiRestarts.length === 0) problems.push('the API server was not restarted');
  if (report.settings.outageSeconds > 0) {
    if (!report.outage) problems.push('the cloud outage did not happen');
    else if (!report.faults?.arm.outage) problems.push('ARM answered no call with its outage: the outage came too late to matter');
  }
  return problems;
}

function percentile(values: readonly number[], p: number): number | undefined {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
}

/** The run as two Markdown tables (summary, then per kind) and the verdict. */
export function renderReport(report: ChaosReport, problems: readonly string[]): string {
  const kills = killsOf(report);
  const k = report.killer;
  const f = report.faults;
  const dupes = sum(CHAOS_KINDS.map((kind) => duplicatesOf(report, kind)));
  const leaks = sum(CHAOS_KINDS.map((kind) => leaksOf(report, kind).length));
  const selfDeaths = k?.failures.length ?? 0;
  const since = (from: number | undefined, to: number | undefined) => (from === undefined || to === undefined ? undefined : to - from);
  const outage = report.outage
    ? `${seconds(report.outage.to - report.outage.from)}: ARM 503 × ${f?.arm.outage ?? 0}; injected errors S3 ${f?.s3['injected-error'] ?? 0}, RDS ${f?.rds['injected-error'] ?? 0}, GCS ${f?.gcs['injected-error'] ?? 0}; throttled S3 ${f?.s3.throttled ?? 0}, RDS ${f?.rds.throttled ?? 0}, GCS ${f?.gcs.throttled ?? 0}`
    : 'none';
  const restarts = report.apiRestarts.length
    ? report.apiRestarts.map((r) => `down ${seconds(r.downMs)}, the same controller made progress ${seconds(r.progressAfterMs)} after`).join('; ')
    : 'not available in this environment';
  const rows: Array<[string, string]> = [
    ['objects', `${report.total}: ${CHAOS_KINDS.map((kind) => `${CHAOS_KIND_INFO[kind].title} ${report.counts[kind]}`).join(', ')}`],
    ['controller', `pledge run --cloud-rate ${report.settings.cloudRate} --cloud-burst ${report.settings.cloudBurst} --workers ${report.settings.workers} --poll-interval ${report.settings.pollInterval}`],
    [`kills (external SIGKILL, ${report.settings.minLifeMs / 1000}–${report.settings.maxLifeMs / 1000} s after caches synced)`, `${kills.create + kills.delete}: ${kills.create} during create, ${kills.delete} during delete`],
    ['controller starts', `${k?.starts ?? 0}; spawn to caches synced p50 ${seconds(percentile(k?.syncMs ?? [], 0.5))}, p90 ${seconds(percentile(k?.syncMs ?? [], 0.9))}, max ${seconds(percentile(k?.syncMs ?? [], 1))}`],
    ['controllers that died by themselves or never synced', String(selfDeaths)],
    [`controllers let work until progress (after ${report.settings.stallKills} kills without any; killed ${report.settings.minLifeMs / 1000}–${report.settings.maxLifeMs / 1000} s after it)`, String(k?.heldLives ?? 0)],
    ['API-server restarts (kube-apiserver + etcd)', `${report.apiRestarts.length} (${restarts})`],
    ['cloud outage', outage],
    ['objects applied / deleted', `${report.slices} slices each, one per controller life`],
    ['time to all Ready', report.allReadyAt ? `${seconds(since(report.firstCreateAt, report.allReadyAt))} after the first create, ${seconds(since(report.lastCreateAt, report.allReadyAt))} after the last` : `never (${report.readyAtEnd}/${report.total})`],
    ['time to all gone (cluster and cloudsim)', report.allGoneAt ? `${seconds(since(report.firstDeleteAt, report.allGoneAt))} after the first delete, ${seconds(since(report.lastDeleteAt, report.allGoneAt))} after the last` : 'never'],
    ['duplicates (creates served beyond one per resource)', String(dupes)],
    ['leaks (run objects left in cloudsim)', String(leaks)],
    ['run time', seconds(report.endedAt - report.startedAt)],
    ['verdict', problems.length === 0 ? '**PASS**' : `**FAIL** (${problems.length} problems)`],
  ];
  const summary = [`| chaos run ${report.runId} (seed ${report.seed}) | |`, '|---|---|', ...rows.map(([a, b]) => `| ${a} | ${b} |`)].join('\n');
  const perKind = [
    '| kind | resources | creates made / refused by the cloud / refused by a fault | duplicates | held once when all Ready | left after delete |',
    '|---|---|---|---|---|---|',
    ...CHAOS_KINDS.map((kind) => {
      const c = report.creates?.[kind];
      const p = report.presenceAtReady[kind];
      const once = p ? report.counts[kind] - p.missing.length - p.twice.length : 0;
      return `| ${CHAOS_KIND_INFO[kind].title} | ${report.counts[kind]} | ${c ? `${c.made} / ${c.refused} / ${c.faulted}` : '-'} | ${duplicatesOf(report, kind)} | ${p ? `${once}/${report.counts[kind]}` : '-'} | ${leaksOf(report, kind).length} |`;
    }),
  ].join('\n');
  const verdict = problems.length === 0 ? 'verdict: PASS' : `verdict: FAIL\n${problems.map((p) => `- ${p}`).join('\n')}`;
  return `${summary}\n\n${perKind}\n\n${verdict}\n`;
}

// The table a run prints, and the row it appends to bench/RESULTS.md (the last section there is the
// runs log: one row per run, newest last).
import { appendFile, readFile } from 'node:fs/promises';
import { figuresOf, type Figures, type RunRecord } from './figures.ts';

export const RUNS_LOG_HEADING = '## Scale runs log (appended by bench/scale/run.ts)';

const COLUMNS = [
  'date',
  'controller',
  'flags',
  'kind',
  'N',
  'all Ready (s)',
  'time-to-Ready p50 / p90 / p99 (s)',
  'RSS empty / peak / at rest (MiB)',
  'CPU ramp (s)',
  'CPU per min at rest (s)',
  'API req per resource in the ramp (writes)',
  'API req per resource per min at rest',
  'cloud calls per resource: ramp / per poll at rest',
  'load avg (ramp)',
] as const;

const fixed = (value: number | undefined, digits: number) => (value === undefined || Number.isNaN(value) ? 'n/a' : value.toFixed(digits));

export function rowOf(run: RunRecord, f: Figures = figuresOf(run)): string[] {
  const incomplete = run.ready < run.n ? ` (${run.ready} of ${run.n} Ready: timed out)` : '';
  return [
    run.date.slice(0, 16).replace('T', ' '),
    run.controller,
    run.mode === 'tuned' ? run.controllerCommand.split(' ').filter((a) => a.startsWith('--') && !/kubeconfig|metrics-bind/.test(a)).join(' ') || 'tuned' : 'defaults',
    run.composedPerObject ? `${run.kind} (${run.composedPerObject} composed each)` : run.kind,
    String(run.n),
    `${fixed(f.allReadySeconds, 1)}${incomplete}`,
    `${fixed(f.p50, 2)} / ${fixed(f.p90, 2)} / ${fixed(f.p99, 2)}`,
    `${fixed(f.rssEmptyMiB, 0)} / ${fixed(f.rssPeakMiB, 0)} / ${fixed(f.rssRestMiB, 0)}`,
    fixed(f.cpuRampSeconds, 1),
    fixed(f.cpuPerMinuteRest, 2),
    f.apiPerObject === undefined ? 'n/a (no audit log)' : `${fixed(f.apiPerObject, 2)} (${fixed(f.apiWritesPerObject, 2)})`,
    fixed(f.apiRestPerObjectPerMinute, 2),
    f.cloudPerObjectRamp === undefined ? '—' : `${fixed(f.cloudPerObjectRamp, 2)} / ${fixed(f.cloudPerObjectPerPoll, 2)}`,
    fixed(f.loadMeanRamp, 1),
  ];
}

const markdownRow = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;

export function markdownTable(runs: readonly RunRecord[]): string {
  return [markdownRow(COLUMNS), markdownRow(COLUMNS.map(() => '---')), ...runs.map((r) => markdownRow(rowOf(r)))].join('\n');
}

/** Everything a person reads after a run: the table row, the request and call breakdowns. */
export function summary(run: RunRecord): string {
  const f = figuresOf(run);
  const lines = [markdownTable([run]), ''];
  lines.push(`creates: ${run.n} in ${run.createSeconds.toFixed(1)} s at concurrency ${run.concurrency} (${run.createRetries} retried)`);
  lines.push(`time to Ready: max ${fixed(f.max, 2)} s; watch events per resource ${fixed(f.watchEventsPerObject, 1)}`);
  if (f.apiOwnUntilReadyPerObject !== undefined) lines.push(`API requests on the resource's own URL until it was Ready: ${fixed(f.apiOwnUntilReadyPerObject, 2)} per resource`);
  if (f.apiserverCpuRampSeconds !== undefined) lines.push(`kube-apiserver CPU during the ramp: ${fixed(f.apiserverCpuRampSeconds, 1)} s`);
  if (run.api) {
    for (const [window, counts] of Object.entries(run.api)) {
      const top = Object.entries(counts.byRequest).sort((a, b) => b[1] - a[1]);
      if (window === 'untilReady') continue;
      lines.push(`controller API requests, ${window}: ${counts.total} (${counts.writes} writes, ${counts.conflicts} conflicts) — ${top.map(([k, v]) => `${k} ${v}`).join(', ')}`);
    }
  }
  if (run.cloud) {
    for (const window of ['ramp', 'rest'] as const) {
      const calls = Object.entries(run.cloud[window]).sort((a, b) => b[1] - a[1]);
      lines.push(`cloudsim ${run.cloud.service} calls, ${window}: ${calls.map(([k, v]) => `${k} ${v}`).join(', ') || 'none'}`);
    }
  }
  lines.push(`controller: ${run.controllerCommand}`);
  return lines.join('\n');
}

/** Appends the run's row to the runs log at the end of RESULTS.md, starting that section when it is not last. */
export async function appendToResults(path: string, run: RunRecord): Promise<void> {
  const text = await readFile(path, 'utf8').catch((err: unknown) => {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return '';
    throw err;
  });
  const lastHeading = text.lastIndexOf('\n## ');
  const logIsLast = lastHeading >= 0 && text.slice(lastHeading + 1).startsWith(RUNS_LOG_HEADING);
  const head = logIsLast
    ? ''
    : `${text.endsWith('\n') || text === '' ? '' : '\n'}\n${RUNS_LOG_HEADING}\n\nOne row per run, as measured; the machine is shared, so times are noisy (see the load average).\n\n${markdownRow(COLUMNS)}\n${markdownRow(COLUMNS.map(() => '---'))}\n`;
  await appendFile(path, `${head}${markdownRow(rowOf(run))}\n`);
}

// node bench/scale/report.ts <run.json>...   prints the table of those runs (to rebuild the runs log).
if (import.meta.main) {
  const runs = await Promise.all(process.argv.slice(2).map(async (p) => JSON.parse(await readFile(p, 'utf8')) as RunRecord));
  console.log(markdownTable(runs.sort((a, b) => a.date.localeCompare(b.date))));
}

// What the suite runner prints: a header before each file's output, and a table of every run at the end.
import { loadavg } from 'node:os';
import type { TestRun } from './run-tests.ts';

export type FinishedRun = TestRun & { lane: string };

export const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

export function minutes(ms: number): string {
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

export function loadAverage(): string {
  return loadavg().map((l) => l.toFixed(2)).join(' ');
}

export function outcomeOf(run: TestRun): string {
  if (run.passed) return 'passed';
  return run.exit.signal ? `stopped (${run.exit.signal})` : `FAILED (exit ${String(run.exit.code)})`;
}

export function header(run: FinishedRun): string {
  return `\n──── ${run.name} · ${run.lane} · ${outcomeOf(run)} in ${seconds(run.durationMs)} ────\n`;
}

export function summaryTable(runs: readonly FinishedRun[]): string {
  const rows = [...runs].sort((a, b) => b.durationMs - a.durationMs);
  const width = Math.max(...rows.map((r) => r.lane.length), 4);
  return rows.map((r) => `  ${seconds(r.durationMs).padStart(8)}  ${r.lane.padEnd(width)}  ${r.passed ? 'pass' : 'FAIL'}  ${r.name}`).join('\n');
}

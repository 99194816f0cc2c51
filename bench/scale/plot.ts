// SVG plots drawn by the bench itself: time-to-Ready CDF and RSS over time, one line per run.
//   node bench/scale/plot.ts --out bench/results/compare-n1000 bench/results/<run>.json ...
// writes <out>-ttr-cdf.svg and <out>-rss.svg comparing the runs given.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { RunRecord } from './figures.ts';

export interface Series {
  label: string;
  points: Array<[number, number]>;
}

const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#17becf'];
const W = 760;
const PLOT_H = 380;
const LEGEND_ROW = 18;
const M = { left: 64, right: 16, top: 36, bottom: 48 };

/** A round step giving about `count` ticks over [0, max]. */
function tickStep(max: number, count = 6): number {
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  return ([1, 2, 5, 10].map((m) => m * power).find((s) => raw <= s) ?? 10 * power) || 1;
}

const xmlText = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Axes, grid, one polyline per series and a legend under the plot (two columns). */
export function lineChart(options: { title: string; xLabel: string; yLabel: string; series: Series[]; yMax?: number }): string {
  const { series } = options;
  const all = series.flatMap((s) => s.points);
  const xMax = Math.max(1e-9, ...all.map((p) => p[0]));
  const yMax = options.yMax ?? Math.max(1e-9, ...all.map((p) => p[1])) * 1.05;
  const legendRows = Math.ceil(series.length / 2);
  const H = PLOT_H + legendRows * LEGEND_ROW + 8;
  const pw = W - M.left - M.right;
  const ph = PLOT_H - M.top - M.bottom;
  const x = (v: number) => (M.left + (v / xMax) * pw).toFixed(1);
  const y = (v: number) => (M.top + ph - (v / yMax) * ph).toFixed(1);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="12">`,
    `<rect width="${W}" height="${H}" fill="white"/>`,
    `<text x="${W / 2}" y="20" text-anchor="middle" font-size="14">${xmlText(options.title)}</text>`,
  ];
  const xs = tickStep(xMax);
  for (let v = 0; v <= xMax + 1e-9; v += xs) {
    out.push(`<line x1="${x(v)}" y1="${M.top}" x2="${x(v)}" y2="${M.top + ph}" stroke="#eee"/>`);
    out.push(`<text x="${x(v)}" y="${M.top + ph + 16}" text-anchor="middle">${+v.toPrecision(6)}</text>`);
  }
  const ys = tickStep(yMax);
  for (let v = 0; v <= yMax + 1e-9; v += ys) {
    out.push(`<line x1="${M.left}" y1="${y(v)}" x2="${M.left + pw}" y2="${y(v)}" stroke="#eee"/>`);
    out.push(`<text x="${M.left - 6}" y="${y(v)}" text-anchor="end" dominant-baseline="middle">${+v.toPrecision(6)}</text>`);
  }
  out.push(`<rect x="${M.left}" y="${M.top}" width="${pw}" height="${ph}" fill="none" stroke="#333"/>`);
  out.push(`<text x="${M.left + pw / 2}" y="${M.top + ph + 36}" text-anchor="middle">${xmlText(options.xLabel)}</text>`);
  out.push(`<text transform="translate(14 ${M.top + ph / 2}) rotate(-90)" text-anchor="middle">${xmlText(options.yLabel)}</text>`);
  series.forEach((s, i) => {
    const color = COLORS[i % COLORS.length];
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="1.5" points="${s.points.map(([a, b]) => `${x(a)},${y(b)}`).join(' ')}"/>`);
    const lx = M.left + (i % 2) * (pw / 2);
    const ly = PLOT_H + Math.floor(i / 2) * LEGEND_ROW;
    out.push(`<line x1="${lx}" y1="${ly}" x2="${lx + 20}" y2="${ly}" stroke="${color}" stroke-width="2"/>`);
    out.push(`<text x="${lx + 26}" y="${ly}" dominant-baseline="middle">${xmlText(s.label)}</text>`);
  });
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** At most `max` points, evenly picked, always keeping the last. */
function thin<T>(points: T[], max = 800): T[] {
  if (points.length <= max) return points;
  const step = points.length / max;
  const out = Array.from({ length: max }, (_, i) => points[Math.floor(i * step)] as T);
  out.push(points.at(-1) as T);
  return out;
}

export const runLabel = (r: RunRecord) => `${r.controller} ${r.mode}, ${r.n} ${r.kind}${r.ready < r.n ? ` (${r.ready} Ready)` : ''}`;

export function readyCdf(runs: readonly RunRecord[]): string {
  return lineChart({
    title: 'Time to Ready (from the bench\'s apply to the first Ready=True watch event)',
    xLabel: 'seconds',
    yLabel: 'share of resources Ready',
    yMax: 1,
    series: runs.map((r) => ({
      label: runLabel(r),
      // A step at each resource's time: flat until it, then up by 1/N.
      points: thin([[0, 0] as [number, number], ...r.readyMs.flatMap((ms, i): Array<[number, number]> => [[ms / 1000, i / r.n], [ms / 1000, (i + 1) / r.n]])]),
    })),
  });
}

export function rssOverTime(runs: readonly RunRecord[]): string {
  return lineChart({
    title: 'Controller RSS over time (the controller idle, then the ramp from the first create, then at rest)',
    xLabel: 'seconds since the controller started',
    yLabel: 'RSS (MiB)',
    series: runs.map((r) => ({
      label: runLabel(r),
      points: thin(r.samples.map((s): [number, number] => [Math.max(0, (s.t - r.phases.started) / 1000), s.rssBytes / 1024 / 1024])),
    })),
  });
}

export async function writePlots(prefix: string, runs: readonly RunRecord[]): Promise<string[]> {
  const files = [`${prefix}-ttr-cdf.svg`, `${prefix}-rss.svg`];
  await writeFile(files[0] as string, readyCdf(runs));
  await writeFile(files[1] as string, rssOverTime(runs));
  return files;
}

if (import.meta.main) {
  const { values, positionals } = parseArgs({ options: { out: { type: 'string' } }, allowPositionals: true });
  if (!values.out || positionals.length === 0) {
    console.error('usage: node bench/scale/plot.ts --out <prefix> <run.json>...');
    process.exit(2);
  }
  const runs = await Promise.all(positionals.map(async (p) => JSON.parse(await readFile(p, 'utf8')) as RunRecord));
  for (const file of await writePlots(values.out, runs)) console.log(file);
}

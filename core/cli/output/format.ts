import { stripVTControlCharacters } from 'node:util';
import { InvalidArgumentError } from 'commander';
import { stringify } from 'yaml';

export const OUTPUT_FORMATS = ['table', 'yaml', 'json'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** commander parser for `-o`: refuses anything but the formats a verb offers. */
export function outputFormat(allowed: readonly string[] = OUTPUT_FORMATS): (value: string) => string {
  return (value) => {
    if (!allowed.includes(value)) throw new InvalidArgumentError(`expected one of ${allowed.join(', ')}`);
    return value;
  };
}

/** Data as YAML (a multi-document stream for lists) or JSON (an array for lists). */
export function formatData(format: 'yaml' | 'json', data: unknown): string {
  if (format === 'json') return `${JSON.stringify(data, null, 2)}\n`;
  if (Array.isArray(data)) return data.map((d) => stringify(d, { lineWidth: 0 })).join('---\n');
  return stringify(data, { lineWidth: 0 });
}

/** Columns padded to their widest cell, as kubectl prints them; a cell may carry colour codes. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const visible = (s: string) => stripVTControlCharacters(s).length;
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => visible(r[i] ?? ''))));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c + ' '.repeat((widths[i] ?? 0) - visible(c) + 3)))
      .join('')
      .trimEnd();
  return `${[line(headers), ...rows.map(line)].join('\n')}\n`;
}

import type { Paint } from '../cli/output/index.ts';
import { formatTable } from '../cli/output/index.ts';
import type { Plan, PlanAction, PlannedField, PlannedResource } from './plan.ts';

const COLOURS: Record<PlanAction, Parameters<Paint>[0] | undefined> = {
  create: 'green',
  update: 'yellow',
  replace: 'red',
  delete: 'red',
  orphan: 'yellow',
  'no change': undefined,
  error: 'red',
};

const MARKS: Partial<Record<PlanAction, string>> = { create: '+', update: '~', replace: '!', 'no change': '~' };

function show(value: unknown): string {
  return value === undefined ? '(unset)' : JSON.stringify(value);
}

function fieldLine(r: PlannedResource, f: PlannedField): string {
  const mark = MARKS[r.action] ?? ' ';
  if (f.sensitive) return `    ${mark} ${f.path}: (sensitive)${f.immutable ? ' (immutable)' : ''}`;
  if (r.action === 'create') return `    ${mark} ${f.path}: ${show(f.to)}`;
  return `    ${mark} ${f.path}: ${show(f.from)} → ${show(f.to)}${f.immutable ? ' (immutable)' : ''}`;
}

/** The plan as kubectl-style columns, each change's fields beneath its row, and a summary line. */
export function planTable(plan: Plan, paint: Paint): string {
  const headers = ['ACTION', 'KIND', 'NAME', 'EXTERNAL-NAME', 'SOURCE'];
  const rows = plan.resources.map((r) => [
    COLOURS[r.action] ? paint(COLOURS[r.action] as Parameters<Paint>[0], r.action) : r.action,
    `${r.kind}.${r.apiVersion.split('/')[0]}`,
    r.name,
    r.externalName ?? '',
    r.composedBy ? `${r.source} (${r.composedBy})` : r.source,
  ]);
  const lines = formatTable(headers, rows).trimEnd().split('\n');
  const out = [lines[0] ?? ''];
  plan.resources.forEach((r, i) => {
    out.push(lines[i + 1] ?? '');
    for (const f of r.fields) out.push(fieldLine(r, f));
    if (r.note) out.push(`    ${paint('dim', r.note)}`);
  });
  const s = plan.summary;
  const orphaned = s.orphan > 0 ? `, ${s.orphan} to orphan` : '';
  const errors = s.error > 0 ? `, ${s.error} failed` : '';
  out.push('', `Plan: ${s.create} to create, ${s.update} to update, ${s.replace} to replace, ${s.delete} to delete${orphaned}, ${s['no change']} unchanged${errors}.`);
  return `${out.join('\n')}\n`;
}

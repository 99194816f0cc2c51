import assert from 'node:assert/strict';
import { test } from 'node:test';
import { painter } from '../cli/output/index.ts';
import { planTable } from './format-plan.ts';
import { PLAN_ACTIONS, type Plan, type PlanAction } from './plan.ts';

function planOf(resources: Plan['resources']): Plan {
  const summary = Object.fromEntries(PLAN_ACTIONS.map((a) => [a, resources.filter((r) => r.action === a).length])) as Record<PlanAction, number>;
  return { resources, summary };
}

const base = { apiVersion: 'rds.aws.pledge.dev/v1', kind: 'DBInstance', name: 'db', source: 'db.yaml:1' };

test('a sensitive field shows as (sensitive), with neither value, in every action', () => {
  const out = planTable(
    planOf([
      { ...base, action: 'update', fields: [{ path: 'masterUserPassword', sensitive: true }, { path: 'dbInstanceClass', from: 'db.t3.micro', to: 'db.t3.small' }] },
      { ...base, name: 'db2', action: 'create', fields: [{ path: 'masterPassword', sensitive: true }] },
    ]),
    painter(false),
  );
  assert.match(out, /~ masterUserPassword: \(sensitive\)\n/);
  assert.match(out, /~ dbInstanceClass: "db.t3.micro" → "db.t3.small"\n/);
  assert.match(out, /\+ masterPassword: \(sensitive\)\n/);
  assert.match(out, /Plan: 1 to create, 1 to update, 0 to replace, 0 to delete, 0 unchanged\.\n$/);
});

test('actions are coloured when colour is on: green create, yellow update, red replace and delete', () => {
  const out = planTable(
    planOf([
      { ...base, action: 'create', fields: [] },
      { ...base, action: 'update', fields: [] },
      { ...base, action: 'replace', fields: [{ path: 'engine', from: 'postgres', to: 'mysql', immutable: true }] },
      { ...base, action: 'delete', fields: [] },
      { ...base, action: 'no change', fields: [] },
    ]),
    painter(true),
  );
  assert.ok(out.includes('\u001b[32mcreate\u001b[0m'));
  assert.ok(out.includes('\u001b[33mupdate\u001b[0m'));
  assert.ok(out.includes('\u001b[31mreplace\u001b[0m'));
  assert.ok(out.includes('\u001b[31mdelete\u001b[0m'));
  assert.match(out, /! engine: "postgres" → "mysql" \(immutable\)/);
  assert.match(out, /^no change/m);
});

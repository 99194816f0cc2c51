import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TIMELINE, timelineSvg } from './timeline.ts';

const now = Date.parse('2026-01-01T00:10:00Z');

test('a mark per condition placed by its lastTransitionTime on one axis from creation to now, and its status in words', () => {
  const svg = timelineSvg({
    created: '2026-01-01T00:00:00Z',
    conditions: [
      { type: 'Synced', status: 'True', lastTransitionTime: '2026-01-01T00:00:00Z' },
      { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: '2026-01-01T00:05:00Z' },
    ],
    events: [{ type: 'Warning', reason: 'CannotCreate<x>', time: '2026-01-01T00:05:00Z' }],
    now,
  }).text;
  const xs = [...svg.matchAll(/<circle class="\w+" cx="([\d.]+)"/g)].map((m) => Number(m[1]));
  const left = TIMELINE.labelWidth + TIMELINE.pad;
  const right = TIMELINE.width - TIMELINE.pad - 90;
  assert.deepEqual(xs, [left, (left + right) / 2]);
  assert.ok(svg.includes('>not Ready<') && svg.includes('>Synced<'));
  assert.ok(svg.includes('CannotCreate&lt;x&gt;') && svg.includes('class="bad" d="M'));
});

test('conditions without a time still get their row and word; no events still draws the events row', () => {
  const svg = timelineSvg({ conditions: [{ type: 'Ready', status: 'Unknown' }], events: [], now }).text;
  assert.ok(svg.startsWith('<svg data-testid="timeline"') && svg.includes('>not Ready<') && svg.includes('>0 events<'));
});

test('with history, a condition row has one segment per status held, in time order, the last until now', () => {
  const svg = timelineSvg({
    created: '2026-01-01T00:00:00Z',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-01-01T00:05:00Z' }],
    history: [
      { type: 'Ready', status: 'False', reason: 'Creating', at: '2026-01-01T00:00:00Z' },
      { type: 'Ready', status: 'True', at: '2026-01-01T00:05:00Z' },
      { type: 'Synced', status: 'False', at: '2026-01-01T00:01:00Z' },
    ],
    events: [],
    now,
  }).text;
  const spans = [...svg.matchAll(/<line class="span (\w+)" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
  const left = TIMELINE.labelWidth + TIMELINE.pad;
  const right = TIMELINE.width - TIMELINE.pad - 90;
  assert.deepEqual(spans, [['bad', left, (left + right) / 2], ['ok', (left + right) / 2, right]], 'not Ready from creation, Ready from 5 min; Synced has no row of its own');
});

test('a condition whose True is a problem (Stalled) is drawn red when True, and Reconciling=True as pending', () => {
  const svg = timelineSvg({
    conditions: [
      { type: 'Stalled', status: 'True', lastTransitionTime: '2026-01-01T00:05:00Z' },
      { type: 'Reconciling', status: 'True', lastTransitionTime: '2026-01-01T00:05:00Z' },
      { type: 'Ready', status: 'False', lastTransitionTime: '2026-01-01T00:05:00Z' },
    ],
    events: [],
    now,
  }).text;
  assert.deepEqual([...svg.matchAll(/<circle class="(\w+)"/g)].map((m) => m[1]), ['bad', 'wait', 'bad']);
});

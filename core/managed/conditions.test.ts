import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Ready, REASONS, Reconciling, settled, setConditions, Stalled, Synced } from './conditions.ts';
import { nextStatus } from './status.ts';
import { createOutcomeUnknown, parseDuration } from './annotations.ts';
import type { ManagedResource } from './types.ts';

test('setting the same conditions again changes nothing, so status is not rewritten', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const first = setConditions(undefined, [Ready.available(), Synced.success()], 3, t0);
  const again = setConditions(first, [Ready.available(), Synced.success()], 3, new Date('2026-01-01T01:00:00Z'));
  assert.deepEqual(again, first);
});

test('lastTransitionTime moves only when status flips; observedGeneration follows the spec', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const t1 = new Date('2026-01-01T00:05:00Z');
  const first = setConditions(undefined, [Synced.success()], 1, t0);
  const sameStatusNewGen = setConditions(first, [Synced.success()], 2, t1);
  assert.equal(sameStatusNewGen[0]?.lastTransitionTime, t0.toISOString());
  assert.equal(sameStatusNewGen[0]?.observedGeneration, 2);
  const flipped = setConditions(sameStatusNewGen, [Synced.failed(REASONS.terminalError, 'AccessDenied: no')], 2, t1);
  assert.equal(flipped[0]?.status, 'False');
  assert.equal(flipped[0]?.message, 'AccessDenied: no');
  assert.equal(flipped[0]?.lastTransitionTime, t1.toISOString());
});

test('durations parse as Kubernetes users write them', () => {
  const cases: Array<[string, number | undefined, string]> = [
    ['30s', 30_000, 'seconds'],
    ['5m', 300_000, 'minutes'],
    ['1m30s', 90_000, 'compound'],
    ['250ms', 250, 'milliseconds'],
    ['1h', 3_600_000, 'hours'],
    ['10', undefined, 'a bare number has no unit'],
    ['5 minutes', undefined, 'words are refused'],
    ['', undefined, 'empty'],
  ];
  for (const [input, want, reason] of cases) assert.equal(parseDuration(input), want, reason);
});

test('a create with neither success nor failure recorded after it is unknown', () => {
  const mr = (annotations: Record<string, string>): ManagedResource => ({ metadata: { name: 'x', annotations }, spec: { forProvider: {} } });
  const cases: Array<[Record<string, string>, boolean, string]> = [
    [{}, false, 'never created'],
    [{ 'pledge.dev/external-create-pending': '2026-01-01T00:00:00Z' }, true, 'pending only'],
    [{ 'pledge.dev/external-create-pending': '2026-01-01T00:00:00Z', 'pledge.dev/external-create-succeeded': '2026-01-01T00:00:01Z' }, false, 'succeeded after pending'],
    [{ 'pledge.dev/external-create-pending': '2026-01-01T00:00:00Z', 'pledge.dev/external-create-failed': '2026-01-01T00:00:02Z' }, false, 'failed after pending'],
    [{ 'pledge.dev/external-create-pending': '2026-01-02T00:00:00Z', 'pledge.dev/external-create-succeeded': '2026-01-01T00:00:01Z' }, true, 'a newer pending after an old success'],
  ];
  for (const [annotations, want, reason] of cases) assert.equal(createOutcomeUnknown(mr(annotations)), want, reason);
});

test('Reconciling and Stalled are present only while True (kstatus reads them as abnormal-true)', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const creating = setConditions(undefined, [Ready.creating(), Reconciling.because(REASONS.creating), Stalled.clear()], 1, t0);
  assert.deepEqual(creating.map((c) => `${c.type}=${c.status}`), ['Ready=False', 'Reconciling=True']);
  const ready = setConditions(creating, [Ready.available(), ...settled()], 1, t0);
  assert.deepEqual(ready.map((c) => `${c.type}=${c.status}`), ['Ready=True']);
  assert.deepEqual(setConditions(ready, settled(), 1, t0), ready, 'clearing what is absent changes nothing: no status write');
});

test('status.observedGeneration follows metadata.generation, unless the spec was not acted on (paused)', () => {
  const t0 = new Date('2026-01-01T00:00:00Z');
  const obj = { metadata: { name: 'x', generation: 4 }, status: { observedGeneration: 3, conditions: [] } };
  assert.equal(nextStatus(obj, [Ready.available()], {}, t0)?.observedGeneration, 4);
  assert.equal(nextStatus(obj, [Synced.paused()], {}, t0, false)?.observedGeneration, 3);
  const settledObj = { metadata: { name: 'x', generation: 4 }, status: { observedGeneration: 4, conditions: setConditions(undefined, [Ready.available()], 4, t0) } };
  assert.equal(nextStatus(settledObj, [Ready.available(), ...settled()], {}, t0), undefined, 'nothing changed: no write');
});

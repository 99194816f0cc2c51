import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { JsonObject } from './json-value.ts';
import { conditionStatus, isReady } from './readiness.ts';
import type { ReadinessCheck } from './types.ts';

const T = '2026-01-01T00:00:00Z';
const resource = (status: JsonObject, spec: JsonObject = {}): JsonObject => ({ apiVersion: 'v1', kind: 'Thing', spec, status });
const ready = (s: string): JsonObject => resource({ conditions: [{ type: 'Ready', status: s, reason: 'X', lastTransitionTime: T }] });

interface Case {
  reason: string;
  checks: ReadinessCheck[] | undefined;
  resource: JsonObject;
  want?: boolean;
  err?: string;
}

const cases: Case[] = [
  { reason: 'no checks: ready when the Ready condition is True', checks: undefined, resource: ready('True'), want: true },
  { reason: 'no checks: not ready when Ready is False', checks: [], resource: ready('False'), want: false },
  { reason: 'no checks: not ready without conditions', checks: [], resource: resource({}), want: false },
  { reason: 'None is always ready', checks: [{ type: 'None' }], resource: resource({}), want: true },
  { reason: 'NonEmpty: ready when the field exists', checks: [{ type: 'NonEmpty', fieldPath: 'status.atProvider.arn' }], resource: resource({ atProvider: { arn: 'a' } }), want: true },
  { reason: 'NonEmpty: an empty string still counts as there, as in P&T', checks: [{ type: 'NonEmpty', fieldPath: 'status.atProvider.arn' }], resource: resource({ atProvider: { arn: '' } }), want: true },
  { reason: 'NonEmpty: not ready when missing', checks: [{ type: 'NonEmpty', fieldPath: 'status.atProvider.arn' }], resource: resource({}), want: false },
  { reason: 'MatchString matches', checks: [{ type: 'MatchString', fieldPath: 'status.state', matchString: 'available' }], resource: resource({ state: 'available' }), want: true },
  { reason: 'MatchString does not match', checks: [{ type: 'MatchString', fieldPath: 'status.state', matchString: 'available' }], resource: resource({ state: 'creating' }), want: false },
  { reason: 'MatchString on a missing field is not ready', checks: [{ type: 'MatchString', fieldPath: 'status.state', matchString: 'available' }], resource: resource({}), want: false },
  {
    reason: 'MatchString on a number is an error',
    checks: [{ type: 'MatchString', fieldPath: 'status.state', matchString: '1' }],
    resource: resource({ state: 1 }),
    err: 'cannot run readiness check at index 0: status.state: not a string',
  },
  {
    reason: 'MatchInteger errors on any value, as in P&T (numbers reach it as float64)',
    checks: [{ type: 'MatchInteger', fieldPath: 'status.port', matchInteger: 5432 }],
    resource: resource({ port: 5432 }),
    err: 'cannot run readiness check at index 0: status.port: not a (int64) number',
  },
  { reason: 'MatchInteger on a missing field is not ready', checks: [{ type: 'MatchInteger', fieldPath: 'status.port', matchInteger: 5432 }], resource: resource({}), want: false },
  { reason: 'MatchTrue', checks: [{ type: 'MatchTrue', fieldPath: 'status.ok' }], resource: resource({ ok: true }), want: true },
  { reason: 'MatchTrue on false', checks: [{ type: 'MatchTrue', fieldPath: 'status.ok' }], resource: resource({ ok: false }), want: false },
  { reason: 'MatchFalse', checks: [{ type: 'MatchFalse', fieldPath: 'status.pending' }], resource: resource({ pending: false }), want: true },
  { reason: 'MatchFalse on a missing field is not ready', checks: [{ type: 'MatchFalse', fieldPath: 'status.pending' }], resource: resource({}), want: false },
  { reason: 'MatchTrue on a string is an error', checks: [{ type: 'MatchTrue', fieldPath: 'status.ok' }], resource: resource({ ok: 'true' }), err: 'cannot run readiness check at index 0: status.ok: not a bool' },
  {
    reason: 'MatchCondition matches the condition’s status',
    checks: [{ type: 'MatchCondition', matchCondition: { type: 'Synced', status: 'True' } }],
    resource: resource({ conditions: [{ type: 'Synced', status: 'True', lastTransitionTime: T }] }),
    want: true,
  },
  {
    reason: 'MatchCondition on Unknown matches a condition that is absent',
    checks: [{ type: 'MatchCondition', matchCondition: { type: 'Healthy', status: 'Unknown' } }],
    resource: resource({ conditions: [] }),
    want: true,
  },
  {
    reason: 'every check must pass; the first failing one decides',
    checks: [
      { type: 'NonEmpty', fieldPath: 'status.a' },
      { type: 'MatchString', fieldPath: 'status.b', matchString: 'x' },
    ],
    resource: resource({ a: 1, b: 'y' }),
    want: false,
  },
  {
    reason: 'an error names the index of the check',
    checks: [
      { type: 'None' },
      { type: 'NonEmpty', fieldPath: 'status..a' },
    ],
    resource: resource({}),
    err: 'cannot run readiness check at index 1: cannot parse path "status..a": unexpected \'.\' at position 7',
  },
];

describe('isReady', () => {
  for (const c of cases) {
    it(c.reason, () => {
      if (c.err !== undefined) {
        assert.throws(() => isReady(c.resource, c.checks), { message: c.err });
        return;
      }
      assert.equal(isReady(c.resource, c.checks), c.want);
    });
  }
});

describe('conditionStatus', () => {
  it('is empty when the conditions cannot be decoded (a bad lastTransitionTime), as function-sdk-go reads them', () => {
    assert.equal(conditionStatus(resource({ conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'yesterday' }] }), 'Ready'), '');
  });
  it('is empty without a status, and Unknown when status has no such condition', () => {
    assert.equal(conditionStatus({ apiVersion: 'v1', kind: 'T' }, 'Ready'), '');
    assert.equal(conditionStatus(resource({}), 'Ready'), 'Unknown');
  });
  it('takes the first condition of the type', () => {
    assert.equal(conditionStatus(resource({ conditions: [{ type: 'Ready', status: 'False' }, { type: 'Ready', status: 'True' }] }), 'Ready'), 'False');
  });
});

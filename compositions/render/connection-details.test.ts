import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionDetailName, connectionDetailType, extractConnectionDetails } from './connection-details.ts';
import type { JsonObject } from './json-value.ts';
import type { ConnectionDetail } from './types.ts';

const DB: JsonObject = {
  apiVersion: 'rds.aws.pledge.dev/v1',
  kind: 'DBInstance',
  metadata: { name: 'db-x', annotations: { 'pledge.dev/external-name': 'db-x' } },
  status: { atProvider: { address: 'db-x.example', port: 5432, endpoint: { address: 'db-x.example', port: 5432 }, tags: ['a<b'], nothing: null } },
};
const SECRET = { password: 's3cret', username: 'app' };

describe('extractConnectionDetails', () => {
  const cases: Array<{ reason: string; details: ConnectionDetail[]; want: Record<string, string> }> = [
    { reason: 'FromFieldPath of a string', details: [{ name: 'host', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.address' }], want: { host: 'db-x.example' } },
    { reason: 'FromFieldPath of a number is its JSON', details: [{ name: 'port', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.port' }], want: { port: '5432' } },
    {
      reason: 'FromFieldPath of an object is Go’s JSON (sorted keys)',
      details: [{ name: 'endpoint', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.endpoint' }],
      want: { endpoint: '{"address":"db-x.example","port":5432}' },
    },
    { reason: 'FromFieldPath escapes HTML characters as Go’s JSON does', details: [{ name: 'tags', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.tags' }], want: { tags: '["a\\u003cb"]' } },
    { reason: 'FromFieldPath of null is "null"', details: [{ name: 'n', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.nothing' }], want: { n: 'null' } },
    { reason: 'FromFieldPath of a missing field leaves the detail out', details: [{ name: 'ca', type: 'FromFieldPath', fromFieldPath: 'status.atProvider.ca' }], want: {} },
    { reason: 'FromFieldPath of a bad path leaves the detail out', details: [{ name: 'x', type: 'FromFieldPath', fromFieldPath: 'status..x' }], want: {} },
    { reason: 'FromFieldPath with a key in brackets', details: [{ name: 'id', type: 'FromFieldPath', fromFieldPath: 'metadata.annotations[pledge.dev/external-name]' }], want: { id: 'db-x' } },
    { reason: 'FromConnectionSecretKey copies a key of the composed resource’s secret', details: [{ name: 'pw', type: 'FromConnectionSecretKey', fromConnectionSecretKey: 'password' }], want: { pw: 's3cret' } },
    { reason: 'FromConnectionSecretKey of a key not written yet leaves the detail out', details: [{ name: 'token', type: 'FromConnectionSecretKey', fromConnectionSecretKey: 'token' }], want: {} },
    { reason: 'FromValue is the literal value', details: [{ name: 'engine', type: 'FromValue', value: 'postgres' }], want: { engine: 'postgres' } },
    {
      reason: 'the type is inferred when left out (value, then secret key, then field path)',
      details: [
        { name: 'a', value: 'v' },
        { name: 'b', fromConnectionSecretKey: 'username' },
        { name: 'c', fromFieldPath: 'status.atProvider.address' },
      ],
      want: { a: 'v', b: 'app', c: 'db-x.example' },
    },
    { reason: 'a secret key without a name keeps the key’s name', details: [{ fromConnectionSecretKey: 'password' } as ConnectionDetail], want: { password: 's3cret' } },
    {
      reason: 'a later detail with the same name wins',
      details: [
        { name: 'x', type: 'FromValue', value: '1' },
        { name: 'x', type: 'FromValue', value: '2' },
      ],
      want: { x: '2' },
    },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      assert.deepEqual(extractConnectionDetails(DB, SECRET, c.details), c.want);
    });
  }
});

describe('connectionDetailType', () => {
  it('prefers an explicit type', () => {
    assert.equal(connectionDetailType({ name: 'x', type: 'FromValue', fromFieldPath: 'a' }), 'FromValue');
  });
  it('prefers value over the other fields when inferring', () => {
    assert.equal(connectionDetailType({ name: 'x', value: 'v', fromConnectionSecretKey: 'k', fromFieldPath: 'p' }), 'FromValue');
  });
  it('cannot infer from a name alone', () => {
    assert.equal(connectionDetailType({ name: 'x' }), undefined);
    assert.equal(connectionDetailName({ name: 'x' }), 'x');
  });
});

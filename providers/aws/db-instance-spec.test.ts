import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerminalError } from '../../core/errors/index.ts';
import { dbInstance } from './db-instance.ts';
import { dbIdentifierOf, dbIdentifierProblem, desiredOf, finalSnapshotOf, type DBInstanceParameters, type DBInstanceResource } from './db-instance-spec.ts';

const base: DBInstanceParameters = { region: 'us-east-1', engine: 'postgres', dbInstanceClass: 'db.t3.micro', masterUsername: 'app' };
function mr(name: string, forProvider: Partial<DBInstanceParameters> = {}, options: { secret?: boolean; externalName?: string } = {}): DBInstanceResource {
  return {
    metadata: { name, ...(options.externalName === undefined ? {} : { annotations: { 'pledge.dev/external-name': options.externalName } }) },
    spec: { forProvider: { ...base, ...forProvider }, ...(options.secret === false ? {} : { writeConnectionSecretToRef: { name: 'c', namespace: 'd' } }) },
  };
}

describe('RDS identifiers', () => {
  const cases: Array<{ reason: string; name: string; ok: boolean; mentions?: RegExp }> = [
    { reason: 'a plain identifier', name: 'orders-db-1', ok: true },
    { reason: 'one letter is enough', name: 'a', ok: true },
    { reason: 'sixty-three characters is the maximum', name: 'a'.repeat(63), ok: true },
    { reason: 'sixty-four characters is too long', name: 'a'.repeat(64), ok: false, mentions: /1 to 63/ },
    { reason: 'dots (fine for Kubernetes) are not allowed', name: 'orders.db', ok: false, mentions: /lowercase letters, digits and hyphens/ },
    { reason: 'upper case is not allowed', name: 'Orders', ok: false, mentions: /lowercase/ },
    { reason: 'a leading digit is not allowed', name: '1orders', ok: false, mentions: /start with a letter/ },
    { reason: 'a trailing hyphen is not allowed', name: 'orders-', ok: false, mentions: /end with a hyphen/ },
    { reason: 'two hyphens in a row are not allowed', name: 'orders--db', ok: false, mentions: /two consecutive hyphens/ },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const problem = dbIdentifierProblem(c.name, 'metadata.name');
      if (c.ok) assert.equal(problem, undefined);
      else assert.match(problem ?? '', c.mentions ?? /./);
    });
  }
  it('uses the external-name annotation when set, checking it since CEL cannot', () => {
    assert.equal(dbIdentifierOf(mr('k8s-name', {}, { externalName: 'cloud-name' })), 'cloud-name');
    assert.throws(() => dbIdentifierOf(mr('k8s-name', {}, { externalName: 'x--y' })), /^TerminalError: annotation pledge\.dev\/external-name must not contain two consecutive hyphens/);
  });
  it('puts every identifier rule on metadata.name as CEL, and the generated-password rule on the object', () => {
    const rules = dbInstance.schema.validations ?? [];
    assert.equal(rules.filter((r) => r.rule.includes('self.metadata.name') && r.message.startsWith('metadata.name ')).length, 5);
    assert.ok(rules.some((r) => r.rule === 'has(self.spec.forProvider.masterUserPasswordSecretRef) || has(self.spec.writeConnectionSecretToRef)'));
  });
});

describe('desiredOf', () => {
  it('refuses a generated password with nowhere to keep it', () => {
    assert.throws(() => desiredOf(mr('db', {}, { secret: false })), (err: unknown) => err instanceof TerminalError && /spec\.writeConnectionSecretToRef is required/.test(err.message));
  });
  it('accepts a Secret-held password without a connection secret', () => {
    assert.doesNotThrow(() => desiredOf(mr('db', { masterUserPasswordSecretRef: { name: 'p', namespace: 'n', key: 'k' } }, { secret: false })));
  });
  it('refuses a final snapshot name with skipFinalSnapshot', () => {
    assert.throws(() => desiredOf(mr('db', { skipFinalSnapshot: true, finalDBSnapshotIdentifier: 'x' })), /finalDBSnapshotIdentifier must be unset when skipFinalSnapshot is true/);
  });
});

describe('finalSnapshotOf', () => {
  it('defaults to <identifier>-final', () => assert.equal(finalSnapshotOf(base, 'orders'), 'orders-final'));
  it('takes the name given', () => assert.equal(finalSnapshotOf({ ...base, finalDBSnapshotIdentifier: 'keep-me' }, 'orders'), 'keep-me'));
  it('takes none when skipping', () => assert.equal(finalSnapshotOf({ ...base, skipFinalSnapshot: true }, 'orders'), undefined));
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { SecretKeySelector } from '../../core/managed/types.ts';
import { checkPassword, generatePassword, passwordToApply } from './db-instance-password.ts';
import type { DBInstanceParameters } from './db-instance-spec.ts';

const signal = AbortSignal.timeout(10_000);
const generated: DBInstanceParameters = { region: 'us-east-1', engine: 'postgres', dbInstanceClass: 'db.t3.micro', masterUsername: 'app' };
const ref: SecretKeySelector = { name: 'pw', namespace: 'apps', key: 'password' };
const fromSecret: DBInstanceParameters = { ...generated, masterUserPasswordSecretRef: ref };

function sources(connectionDetails: Record<string, string>, secret?: string) {
  return {
    connectionDetails,
    async readSecret() {
      if (secret === undefined) throw new Error('Secret apps/pw not found');
      return secret;
    },
  };
}

describe('generatePassword', () => {
  it('makes 30 letters and digits, starting with a letter, with upper case, lower case and digits, never twice the same', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 200; i++) {
      const password = generatePassword();
      assert.match(password, /^[A-Za-z][A-Za-z0-9]{29}$/);
      assert.match(password, /[A-Z]/);
      assert.match(password, /[a-z]/);
      assert.match(password, /[0-9]/);
      seen.add(password);
    }
    assert.equal(seen.size, 200);
  });
});

describe('checkPassword', () => {
  const cases: Array<{ reason: string; p: DBInstanceParameters; details: Record<string, string>; secret?: string; hasSecret?: boolean; upToDate: boolean; why?: string }> = [
    { reason: 'generated and in the connection secret', p: generated, details: { password: 'x' }, upToDate: true },
    {
      reason: 'generated but missing from the connection secret (a crash after create): reset, never lose it',
      p: generated,
      details: { username: 'app' },
      upToDate: false,
      why: 'master password missing from the connection secret: it will be reset',
    },
    { reason: 'from a Secret, the same as applied', p: fromSecret, details: { password: 's1' }, secret: 's1', upToDate: true },
    { reason: 'from a Secret, changed since applied', p: fromSecret, details: { password: 's1' }, secret: 's2', upToDate: false, why: 'master password differs from masterUserPasswordSecretRef' },
    { reason: 'from a Secret, never recorded (crash after create)', p: fromSecret, details: {}, secret: 's1', upToDate: false, why: 'master password differs from masterUserPasswordSecretRef' },
    { reason: 'from a Secret without a connection secret: no record, nothing to compare', p: fromSecret, details: {}, secret: 's1', hasSecret: false, upToDate: true },
    { reason: 'from a Secret that cannot be read: not up to date, so update says why', p: fromSecret, details: { password: 's1' }, upToDate: false, why: 'master password from masterUserPasswordSecretRef cannot be read' },
  ];
  for (const c of cases) {
    it(c.reason, async () => {
      const check = await checkPassword(c.p, sources(c.details, c.secret), c.hasSecret ?? true, signal);
      assert.deepEqual(check, c.why === undefined ? { upToDate: c.upToDate } : { upToDate: c.upToDate, reason: c.why });
    });
  }
});

describe('passwordToApply', () => {
  it('uses the Secret\'s value', async () => assert.equal(await passwordToApply(fromSecret, sources({}, 'mine'), signal), 'mine'));
  it('generates one otherwise', async () => assert.match(await passwordToApply(generated, sources({}), signal), /^[A-Za-z][A-Za-z0-9]{29}$/));
  it('passes on why the Secret cannot be read', async () => {
    await assert.rejects(passwordToApply(fromSecret, sources({}), signal), /Secret apps\/pw not found/);
  });
});

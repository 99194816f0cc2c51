import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DBInstanceParameters } from './db-instance-spec.ts';
import { compareDBInstance, dbInstanceLateInit, engineVersionUpToDate, observedFromRds, type ObservedDBInstance } from './db-instance-state.ts';

const desired: DBInstanceParameters = { region: 'us-east-1', engine: 'postgres', dbInstanceClass: 'db.t3.micro', masterUsername: 'app' };
const observed: ObservedDBInstance = {
  identifier: 'db-1',
  arn: 'arn:aws:rds:us-east-1:123456789012:db:db-1',
  status: 'available',
  engine: 'postgres',
  engineVersion: '16.4',
  dbInstanceClass: 'db.t3.micro',
  allocatedStorage: 20,
  storageType: 'gp3',
  masterUsername: 'app',
  publiclyAccessible: false,
  backupRetentionPeriod: 7,
  tags: { team: 'data' },
};

describe('compareDBInstance (upToDate)', () => {
  const cases: Array<{ reason: string; desired: Partial<DBInstanceParameters>; observed?: Partial<ObservedDBInstance>; diff: string[]; modify?: Record<string, unknown> }> = [
    { reason: 'only the required fields: nothing else is compared', desired: {}, diff: [] },
    { reason: 'another class is drift', desired: { dbInstanceClass: 'db.t3.small' }, diff: ['dbInstanceClass db.t3.micro→db.t3.small'], modify: { DBInstanceClass: 'db.t3.small' } },
    { reason: 'more storage is drift', desired: { allocatedStorage: 50 }, diff: ['allocatedStorage 20→50'], modify: { AllocatedStorage: 50 } },
    { reason: 'the same storage is not', desired: { allocatedStorage: 20, storageType: 'gp3' }, diff: [] },
    { reason: 'another storage type is drift', desired: { storageType: 'io1' }, diff: ['storageType gp3→io1'], modify: { StorageType: 'io1' } },
    { reason: 'a version prefix accepts the minor version RDS chose', desired: { engineVersion: '16' }, diff: [] },
    { reason: 'the exact version is up to date', desired: { engineVersion: '16.4' }, diff: [] },
    {
      reason: 'another version is drift, and a named major upgrade is allowed',
      desired: { engineVersion: '17.1' },
      diff: ['engineVersion 16.4→17.1'],
      modify: { EngineVersion: '17.1', AllowMajorVersionUpgrade: true },
    },
    { reason: 'publiclyAccessible is compared when set', desired: { publiclyAccessible: true }, diff: ['publiclyAccessible false→true'], modify: { PubliclyAccessible: true } },
    { reason: 'an instance that does not report publiclyAccessible is private', desired: { publiclyAccessible: false }, observed: { publiclyAccessible: undefined }, diff: [] },
    { reason: 'backup retention is compared when set', desired: { backupRetentionPeriod: 0 }, diff: ['backupRetentionPeriod 7→0'], modify: { BackupRetentionPeriod: 0 } },
    { reason: 'unset tags are not managed', desired: {}, observed: { tags: { extra: 'x' } }, diff: [] },
    { reason: 'tags are exact when set: extra, changed and missing keys', desired: { tags: { team: 'web', env: 'prod' } }, observed: { tags: { team: 'data', old: 'x' } }, diff: ['tags differ (~team +env -old)'] },
    { reason: '{} removes every tag', desired: { tags: {} }, diff: ['tags differ (-team)'] },
    { reason: 'a different engine cannot be modified', desired: { engine: 'mysql' }, diff: ['engine postgres→mysql (immutable)'] },
    { reason: 'a different master user cannot be modified', desired: { masterUsername: 'root' }, diff: ['masterUsername app→root (immutable)'] },
    { reason: 'a database name is compared only when set', desired: { dbName: 'orders' }, diff: ['dbName unset→orders (immutable)'] },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const changes = compareDBInstance({ ...desired, ...c.desired }, { ...observed, ...c.observed });
      assert.deepEqual(changes.diff, c.diff);
      assert.deepEqual(changes.modify, c.modify ?? {});
    });
  }

  it('adds changed and new tags and removes the rest, by key', () => {
    const changes = compareDBInstance({ ...desired, tags: { team: 'web', env: 'prod' } }, { ...observed, tags: { team: 'data', old: 'x' } });
    assert.deepEqual(changes.addTags, [{ Key: 'team', Value: 'web' }, { Key: 'env', Value: 'prod' }]);
    assert.deepEqual(changes.removeTagKeys, ['old']);
  });

  it('lists each differing field with both values for pledge plan, immutable ones marked', () => {
    const changes = compareDBInstance({ ...desired, engine: 'mysql', allocatedStorage: 30, tags: { team: 'web' } }, observed);
    assert.deepEqual(changes.fields, [
      { path: 'engine', observed: 'postgres', desired: 'mysql', immutable: true },
      { path: 'allocatedStorage', observed: 20, desired: 30 },
      { path: 'tags.team', observed: 'data', desired: 'web' },
    ]);
    assert.deepEqual(compareDBInstance(desired, observed).fields, []);
  });
});

describe('observedFromRds', () => {
  it('counts a modification pending for the maintenance window as made (no update every poll meanwhile)', () => {
    const seen = observedFromRds({
      DBInstanceIdentifier: 'db-1',
      DBInstanceClass: 'db.t3.micro',
      AllocatedStorage: 20,
      EngineVersion: '16.3',
      PendingModifiedValues: { DBInstanceClass: 'db.t3.small', AllocatedStorage: 50, EngineVersion: '16.4' },
    });
    assert.equal(seen.dbInstanceClass, 'db.t3.small');
    assert.equal(seen.allocatedStorage, 50);
    assert.equal(seen.engineVersion, '16.4');
    assert.equal(compareDBInstance({ ...desired, dbInstanceClass: 'db.t3.small', allocatedStorage: 50 }, { ...seen, engine: 'postgres', masterUsername: 'app' }).diff.length, 0);
  });
  it('leaves out system tags nobody can set', () => {
    const seen = observedFromRds({ TagList: [{ Key: 'aws:cloudformation:stack-name', Value: 's' }, { Key: 'rds:x', Value: 'y' }, { Key: 'team', Value: 'data' }] });
    assert.deepEqual(seen.tags, { team: 'data' });
  });
});

describe('engineVersionUpToDate', () => {
  it('does not take 1 for a prefix of 16.4', () => assert.equal(engineVersionUpToDate('1', '16.4'), false));
  it('unset accepts any', () => assert.equal(engineVersionUpToDate(undefined, '16.4'), true));
  it('a desired version on an instance that reports none is drift', () => assert.equal(engineVersionUpToDate('16', undefined), false));
});

describe('dbInstanceLateInit', () => {
  it('fills storage type, backup retention and public access the spec leaves unset', () => {
    assert.deepEqual(dbInstanceLateInit(desired, observed), { storageType: 'gp3', backupRetentionPeriod: 7, publiclyAccessible: false });
  });
  it('never fills engine version or storage size: RDS raises both itself, and a pinned old value would ask for a downgrade', () => {
    const lateInit = dbInstanceLateInit(desired, observed) ?? {};
    assert.equal('engineVersion' in lateInit, false);
    assert.equal('allocatedStorage' in lateInit, false);
  });
  it('never overrides the spec', () => {
    assert.equal(dbInstanceLateInit({ ...desired, storageType: 'gp2', backupRetentionPeriod: 1, publiclyAccessible: true }, observed), undefined);
  });
});

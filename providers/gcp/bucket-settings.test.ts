import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { BucketMetadata } from '@google-cloud/storage';
import { TerminalError } from '../../core/errors/index.ts';
import {
  bucketFieldDiffs,
  createMetadata,
  describeDrift,
  desiredOf,
  driftedFields,
  lateInitOf,
  patchFor,
  sameLocation,
  stateOf,
  type BucketParameters,
  type BucketResource,
  type ManagedField,
} from './bucket-settings.ts';

/** A bucket resource as GCS returns it for a new bucket with defaults. */
const fresh: BucketMetadata = {
  id: 'b',
  name: 'b',
  location: 'US-CENTRAL1',
  storageClass: 'STANDARD',
  iamConfiguration: { uniformBucketLevelAccess: { enabled: false }, publicAccessPrevention: 'inherited' },
};

const deleteAfter = (age: number) => ({ action: { type: 'Delete' as const }, condition: { age } });

const cases: Array<{ reason: string; desired: Omit<BucketParameters, 'location'>; cloud: BucketMetadata; want: ManagedField[] }> = [
  { reason: 'fields left unset are never compared, whatever the cloud has', desired: {}, cloud: { ...fresh, storageClass: 'ARCHIVE', labels: { a: 'b' }, versioning: { enabled: true } }, want: [] },
  { reason: 'the same storage class is in sync', desired: { storageClass: 'STANDARD' }, cloud: fresh, want: [] },
  { reason: 'another storage class differs', desired: { storageClass: 'NEARLINE' }, cloud: fresh, want: ['storageClass'] },
  { reason: 'no versioning block means versioning is off', desired: { versioning: false }, cloud: fresh, want: [] },
  { reason: 'versioning asked for but off', desired: { versioning: true }, cloud: fresh, want: ['versioning'] },
  { reason: 'versioning on but asked off', desired: { versioning: false }, cloud: { ...fresh, versioning: { enabled: true } }, want: ['versioning'] },
  { reason: 'labels are compared as a map, not by order', desired: { labels: { a: '1', b: '2' } }, cloud: { ...fresh, labels: { b: '2', a: '1' } }, want: [] },
  { reason: 'a label the spec does not have makes labels differ', desired: { labels: { a: '1' } }, cloud: { ...fresh, labels: { a: '1', extra: 'x' } }, want: ['labels'] },
  { reason: 'labels {} asks for none', desired: { labels: {} }, cloud: { ...fresh, labels: { a: '1' } }, want: ['labels'] },
  { reason: 'labels {} and a bucket without labels agree', desired: { labels: {} }, cloud: fresh, want: [] },
  { reason: 'a changed label value differs', desired: { labels: { a: '1' } }, cloud: { ...fresh, labels: { a: '2' } }, want: ['labels'] },
  { reason: 'no iamConfiguration means uniform access off', desired: { uniformBucketLevelAccess: true }, cloud: { ...fresh, iamConfiguration: undefined }, want: ['uniformBucketLevelAccess'] },
  { reason: 'old buckets report unspecified, which is inherited', desired: { publicAccessPrevention: 'inherited' }, cloud: { ...fresh, iamConfiguration: { publicAccessPrevention: 'unspecified' } }, want: [] },
  { reason: 'enforced asked for, inherited found', desired: { publicAccessPrevention: 'enforced' }, cloud: fresh, want: ['publicAccessPrevention'] },
  { reason: 'lifecycle rules are compared as a set, not by order', desired: { lifecycleRules: [{ deleteAfterDays: 7 }, { deleteAfterDays: 30 }] }, cloud: { ...fresh, lifecycle: { rule: [deleteAfter(30), deleteAfter(7)] } }, want: [] },
  { reason: 'lifecycleRules [] asks for none', desired: { lifecycleRules: [] }, cloud: { ...fresh, lifecycle: { rule: [deleteAfter(30)] } }, want: ['lifecycleRules'] },
  { reason: 'lifecycleRules [] and a bucket without lifecycle agree', desired: { lifecycleRules: [] }, cloud: fresh, want: [] },
  { reason: 'a rule with another condition is not a plain delete-after rule', desired: { lifecycleRules: [{ deleteAfterDays: 30 }] }, cloud: { ...fresh, lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age: 30, matchesPrefix: ['tmp/'] } }] } }, want: ['lifecycleRules'] },
  { reason: 'a rule with another action is not a delete rule', desired: { lifecycleRules: [{ deleteAfterDays: 30 }] }, cloud: { ...fresh, lifecycle: { rule: [{ action: { type: 'SetStorageClass', storageClass: 'NEARLINE' }, condition: { age: 30 } }] } }, want: ['lifecycleRules'] },
  { reason: 'another age differs', desired: { lifecycleRules: [{ deleteAfterDays: 30 }] }, cloud: { ...fresh, lifecycle: { rule: [deleteAfter(31)] } }, want: ['lifecycleRules'] },
  { reason: 'several fields differ at once, listed in a fixed order', desired: { versioning: true, storageClass: 'COLDLINE', labels: { a: '1' } }, cloud: fresh, want: ['storageClass', 'versioning', 'labels'] },
];

describe('driftedFields: only fields set in the spec are compared', () => {
  for (const c of cases) {
    it(c.reason, () => {
      assert.deepEqual(driftedFields({ location: 'us-central1', ...c.desired }, stateOf(c.cloud)), c.want);
    });
  }
});

describe('sameLocation', () => {
  it('GCS upper-cases locations; the spec may not', () => {
    assert.equal(sameLocation({ location: 'us-central1' }, stateOf(fresh)), true);
    assert.equal(sameLocation({ location: 'EU' }, stateOf(fresh)), false);
  });
});

describe('patchFor: only the differing fields', () => {
  it('sends labels the spec dropped as null, which is how GCS removes a label', () => {
    const desired: BucketParameters = { location: 'US', labels: { keep: 'new' }, versioning: true };
    const state = stateOf({ ...fresh, labels: { keep: 'old', gone: 'x' }, versioning: { enabled: true } });
    assert.deepEqual(patchFor(desired, state, driftedFields(desired, state)), { labels: { keep: 'new', gone: null } });
  });

  it('sends iamConfiguration whole when one of its settings differs, keeping the other as the cloud has it', () => {
    const desired: BucketParameters = { location: 'US', publicAccessPrevention: 'enforced' };
    const state = stateOf({ ...fresh, iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'inherited' } });
    assert.deepEqual(patchFor(desired, state, ['publicAccessPrevention']), {
      iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
    });
  });

  it('clears every lifecycle rule with lifecycle: null', () => {
    const desired: BucketParameters = { location: 'US', lifecycleRules: [] };
    const state = stateOf({ ...fresh, lifecycle: { rule: [deleteAfter(3)] } });
    assert.deepEqual(patchFor(desired, state, ['lifecycleRules']), { lifecycle: null });
  });

  it('writes delete-after rules in the JSON API shape', () => {
    const desired: BucketParameters = { location: 'US', lifecycleRules: [{ deleteAfterDays: 30 }], storageClass: 'ARCHIVE', versioning: false };
    assert.deepEqual(patchFor(desired, stateOf(fresh), ['storageClass', 'lifecycleRules']), {
      storageClass: 'ARCHIVE',
      lifecycle: { rule: [deleteAfter(30)] },
    });
  });
});

describe('createMetadata', () => {
  it('sends every field the spec sets and nothing else', () => {
    assert.deepEqual(createMetadata({ location: 'EU' }), { location: 'EU' });
    assert.deepEqual(
      createMetadata({ location: 'EU', storageClass: 'NEARLINE', versioning: false, labels: { a: 'b' }, uniformBucketLevelAccess: true, lifecycleRules: [{ deleteAfterDays: 1 }] }),
      { location: 'EU', storageClass: 'NEARLINE', versioning: { enabled: false }, labels: { a: 'b' }, iamConfiguration: { uniformBucketLevelAccess: { enabled: true } }, lifecycle: { rule: [deleteAfter(1)] } },
    );
  });
});

describe('describeDrift', () => {
  it('shows the cloud value, then the spec value', () => {
    const desired: BucketParameters = { location: 'US', versioning: true, labels: { b: '2', a: '1' } };
    const state = stateOf(fresh);
    assert.equal(describeDrift(desired, state, driftedFields(desired, state)), 'versioning: false → true; labels: {} → {"a":"1","b":"2"}');
  });
});

describe('lateInitOf', () => {
  it('fills only what the user left unset, from the cloud', () => {
    assert.deepEqual(lateInitOf({ location: 'US', versioning: true }, stateOf(fresh)), {
      storageClass: 'STANDARD',
      uniformBucketLevelAccess: false,
      publicAccessPrevention: 'inherited',
    });
  });

  it('has nothing to fill when the spec sets every late-initialized field', () => {
    const desired: BucketParameters = { location: 'US', storageClass: 'ARCHIVE', versioning: false, uniformBucketLevelAccess: true, publicAccessPrevention: 'enforced' };
    assert.equal(lateInitOf(desired, stateOf(fresh)), undefined);
  });

  it('does not copy a storage class the schema would refuse', () => {
    assert.equal(lateInitOf({ location: 'US' }, stateOf({ ...fresh, storageClass: 'MULTI_REGIONAL' }))?.storageClass, undefined);
  });
});

describe('desiredOf', () => {
  const mr = (forProvider: unknown): BucketResource => ({ metadata: { name: 'b' }, spec: { forProvider: forProvider as BucketParameters } });
  it('refuses what the schema should have refused, naming the field', () => {
    assert.throws(() => desiredOf(mr({})), (err: unknown) => err instanceof TerminalError && err.message === 'spec.forProvider.location is required');
    assert.throws(() => desiredOf(mr({ location: 'US', storageClass: 'COLD' })), /spec\.forProvider\.storageClass must be one of STANDARD, NEARLINE, COLDLINE, ARCHIVE/);
    assert.throws(() => desiredOf(mr({ location: 'US', lifecycleRules: [{ deleteAfterDays: 1.5 }] })), /lifecycleRules\[0\]\.deleteAfterDays/);
  });
});

describe('bucketFieldDiffs (pledge plan)', () => {
  it('gives the drifted fields with both values, labels key by key', () => {
    const desired: BucketParameters = { location: 'us-central1', versioning: true, labels: { a: '1', b: '2' } };
    const state = stateOf({ ...fresh, labels: { a: '9', c: '3' } });
    assert.deepEqual(bucketFieldDiffs(desired, state, driftedFields(desired, state)), [
      { path: 'versioning', observed: state.versioning, desired: true },
      { path: 'labels.a', desired: '1', observed: '9' },
      { path: 'labels.b', desired: '2', observed: undefined },
      { path: 'labels.c', desired: undefined, observed: '3' },
    ]);
  });
});

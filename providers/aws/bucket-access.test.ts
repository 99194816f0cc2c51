import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describePublicAccessBlockDrift,
  objectOwnershipLateInit,
  publicAccessBlockFromS3,
  publicAccessBlockToS3,
  publicAccessBlockUpToDate,
  type PublicAccessBlock,
} from './bucket-access.ts';

const allOn: PublicAccessBlock = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

describe('publicAccessBlockUpToDate', () => {
  const cases: Array<{ reason: string; desired?: PublicAccessBlock; observed?: PublicAccessBlock; want: boolean }> = [
    { reason: 'unset is not managed', observed: allOn, want: true },
    { reason: 'the same four switches are up to date', desired: allOn, observed: allOn, want: true },
    { reason: 'a bucket without a block has every switch off: wanting one on is drift', desired: { blockPublicAcls: true }, want: false },
    { reason: 'a bucket without a block has every switch off: wanting them off is up to date', desired: { blockPublicAcls: false, blockPublicPolicy: false }, want: true },
    { reason: 'a switch the spec leaves unset accepts either value', desired: { blockPublicPolicy: true }, observed: { ...allOn, ignorePublicAcls: false }, want: true },
    { reason: 'one differing switch is drift', desired: allOn, observed: { ...allOn, restrictPublicBuckets: false }, want: false },
    { reason: 'an empty block manages nothing', desired: {}, want: true },
  ];
  for (const c of cases) it(c.reason, () => assert.equal(publicAccessBlockUpToDate(c.desired, c.observed), c.want));
});

describe('public access block to and from S3', () => {
  it('names each differing switch with both values', () => {
    assert.equal(
      describePublicAccessBlockDrift({ blockPublicAcls: true, restrictPublicBuckets: false }, { ...allOn, blockPublicAcls: false }),
      'publicAccessBlock blockPublicAcls false→true, restrictPublicBuckets true→false',
    );
  });
  it('puts the spec\'s switches over the bucket\'s, since a put replaces the whole block', () => {
    assert.deepEqual(publicAccessBlockToS3({ blockPublicPolicy: false }, allOn), {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: true,
    });
  });
  it('puts false for switches neither the spec nor the bucket sets', () => {
    assert.deepEqual(publicAccessBlockToS3({ blockPublicAcls: true }, undefined), {
      BlockPublicAcls: true,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });
  it('reads a block S3 reports in part as off for the missing switches', () => {
    assert.deepEqual(publicAccessBlockFromS3({ BlockPublicAcls: true }), {
      blockPublicAcls: true,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
  });
});

describe('objectOwnershipLateInit', () => {
  it('reports what the bucket has', () => assert.equal(objectOwnershipLateInit('BucketOwnerEnforced'), 'BucketOwnerEnforced'));
  it('reports nothing for a bucket without ownership controls', () => assert.equal(objectOwnershipLateInit(undefined), undefined));
  it('reports nothing the schema would refuse', () => assert.equal(objectOwnershipLateInit('SomethingNew'), undefined));
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  describeEncryptionDrift,
  encryptionLateInit,
  encryptionToS3,
  encryptionUpToDate,
  type ObservedEncryption,
  type ServerSideEncryption,
} from './bucket-encryption.ts';

describe('encryptionUpToDate', () => {
  const kms: ObservedEncryption = { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:us-east-1:123456789012:key/k1', bucketKeyEnabled: true };
  const cases: Array<{ reason: string; desired?: ServerSideEncryption; observed?: ObservedEncryption; want: boolean }> = [
    { reason: 'unset is not managed, whatever the bucket has', observed: kms, want: true },
    { reason: 'a bucket without default encryption drifts from any algorithm', desired: { algorithm: 'AES256' }, want: false },
    { reason: 'the same algorithm is up to date', desired: { algorithm: 'AES256' }, observed: { algorithm: 'AES256', bucketKeyEnabled: false }, want: true },
    { reason: 'another algorithm is drift', desired: { algorithm: 'AES256' }, observed: kms, want: false },
    { reason: 'an unset kmsKeyId accepts whichever key the bucket uses', desired: { algorithm: 'aws:kms' }, observed: kms, want: true },
    { reason: 'the same key id is up to date', desired: { algorithm: 'aws:kms', kmsKeyId: kms.kmsKeyId }, observed: kms, want: true },
    { reason: 'another key id is drift', desired: { algorithm: 'aws:kms', kmsKeyId: 'alias/other' }, observed: kms, want: false },
    { reason: 'an unset bucketKeyEnabled accepts either', desired: { algorithm: 'aws:kms' }, observed: { ...kms, bucketKeyEnabled: false }, want: true },
    { reason: 'a different bucketKeyEnabled is drift', desired: { algorithm: 'aws:kms', bucketKeyEnabled: false }, observed: kms, want: false },
    { reason: 'a bucket that does not report bucketKeyEnabled has it off', desired: { algorithm: 'AES256', bucketKeyEnabled: false }, observed: { algorithm: 'AES256' }, want: true },
    { reason: 'an algorithm Pledge does not manage (DSSE-KMS) differs from aws:kms', desired: { algorithm: 'aws:kms' }, observed: { algorithm: 'aws:kms:dsse' }, want: false },
  ];
  for (const c of cases) it(c.reason, () => assert.equal(encryptionUpToDate(c.desired, c.observed), c.want));
});

describe('describeEncryptionDrift', () => {
  it('names a missing configuration', () => assert.equal(describeEncryptionDrift({ algorithm: 'AES256' }, undefined), 'serverSideEncryption none→AES256'));
  it('names an algorithm change and a bucket key change', () => {
    assert.equal(
      describeEncryptionDrift({ algorithm: 'aws:kms', bucketKeyEnabled: true }, { algorithm: 'AES256', bucketKeyEnabled: false }),
      'serverSideEncryption algorithm AES256→aws:kms, bucketKeyEnabled false→true',
    );
  });
  it('names a key change without showing either key', () => {
    const diff = describeEncryptionDrift({ algorithm: 'aws:kms', kmsKeyId: 'alias/new-key' }, { algorithm: 'aws:kms', kmsKeyId: 'alias/old-key' });
    assert.equal(diff, 'serverSideEncryption kmsKeyId differs');
  });
});

describe('encryptionToS3', () => {
  it('puts the spec\'s fields', () => {
    assert.deepEqual(encryptionToS3({ algorithm: 'aws:kms', kmsKeyId: 'alias/k', bucketKeyEnabled: true }, undefined), {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/k' }, BucketKeyEnabled: true }],
    });
  });
  it('keeps the bucket\'s key and bucket key when the spec leaves them unset (a put replaces the whole configuration)', () => {
    assert.deepEqual(encryptionToS3({ algorithm: 'aws:kms', bucketKeyEnabled: false }, { algorithm: 'aws:kms', kmsKeyId: 'alias/k', bucketKeyEnabled: true }), {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: 'alias/k' }, BucketKeyEnabled: false }],
    });
  });
  it('drops a KMS key when moving to AES256, and does not carry settings across algorithms', () => {
    assert.deepEqual(encryptionToS3({ algorithm: 'AES256' }, { algorithm: 'aws:kms', kmsKeyId: 'alias/k', bucketKeyEnabled: true }), {
      Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
    });
  });
});

describe('encryptionLateInit', () => {
  it('reports SSE-S3 as AWS gives every new bucket', () => {
    assert.deepEqual(encryptionLateInit({ algorithm: 'AES256', bucketKeyEnabled: false }), { algorithm: 'AES256', bucketKeyEnabled: false });
  });
  it('reports a KMS key', () => {
    assert.deepEqual(encryptionLateInit({ algorithm: 'aws:kms', kmsKeyId: 'alias/k' }), { algorithm: 'aws:kms', kmsKeyId: 'alias/k' });
  });
  it('reports nothing for a bucket without default encryption', () => assert.equal(encryptionLateInit(undefined), undefined));
  it('reports nothing for an algorithm the schema would refuse', () => assert.equal(encryptionLateInit({ algorithm: 'aws:kms:dsse' }), undefined));
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerminalError } from '../../core/errors/index.ts';
import { bucket } from './bucket.ts';
import { notAppliedMessage } from './bucket-external.ts';
import { bucketNameOf } from './bucket-name.ts';

describe('notAppliedMessage', () => {
  it('names what the endpoint ignored', () => {
    assert.equal(
      notAppliedMessage(['storageClass', 'labels'], ['storageClass', 'labels'], 'storageClass: "STANDARD" → "NEARLINE"; labels: {} → {"a":"b"}'),
      'the endpoint accepted but did not apply: storageClass, labels (still storageClass: "STANDARD" → "NEARLINE"; labels: {} → {"a":"b"}); checked again at the poll interval',
    );
  });

  it('names, apart, what the endpoint changed without being asked (fake-gcs-server resets versioning on any PATCH)', () => {
    assert.equal(
      notAppliedMessage(['labels'], ['versioning', 'labels'], 'versioning: false → true; labels: {} → {"a":"b"}'),
      'the endpoint accepted but did not apply: labels; the endpoint changed versioning, which the update did not send ' +
        '(still versioning: false → true; labels: {} → {"a":"b"}); checked again at the poll interval',
    );
  });
});

describe('bucketNameOf', () => {
  it('is the external-name annotation when set, else metadata.name', () => {
    assert.equal(bucketNameOf({ metadata: { name: 'k8s-name' }, spec: { forProvider: { location: 'US' } } }), 'k8s-name');
    assert.equal(bucketNameOf({ metadata: { name: 'k8s-name', annotations: { 'pledge.dev/external-name': 'adopted_bucket' } }, spec: { forProvider: { location: 'US' } } }), 'adopted_bucket');
  });

  it('refuses an annotation GCS would refuse, naming the annotation', () => {
    assert.throws(
      () => bucketNameOf({ metadata: { name: 'ok-name', annotations: { 'pledge.dev/external-name': 'Not.Valid' } }, spec: { forProvider: { location: 'US' } } }),
      (err: unknown) => err instanceof TerminalError && /^annotation pledge\.dev\/external-name may contain only lowercase/.test(err.message) && err.message.endsWith('(got "Not.Valid")'),
    );
  });
});

describe('bucket kind', () => {
  it('is storage.gcp.pledge.dev/v1 Bucket, plural buckets, named deterministically', () => {
    assert.deepEqual(bucket.gvk, { group: 'storage.gcp.pledge.dev', version: 'v1', kind: 'Bucket' });
    assert.equal(bucket.plural, 'buckets');
    assert.equal(bucket.deterministicExternalName, true);
    assert.deepEqual(bucket.schema.forProvider.required, ['location']);
  });
});

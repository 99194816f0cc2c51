import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerminalError } from '../../core/errors/index.ts';
import { bucket } from './bucket.ts';
import { regionFromLocation } from './bucket-external.ts';
import { bucketNameOf, bucketNameProblem, bucketNameValidations } from './bucket-name.ts';
import {
  bucketFieldDiffs,
  bucketLateInit,
  describeDrift,
  desiredOf,
  tagsUpToDate,
  versioningUpToDate,
  type BucketParameters,
  type BucketResource,
  type VersioningState,
} from './bucket-settings.ts';

describe('tagsUpToDate', () => {
  const cases: Array<{ reason: string; desired?: Record<string, string>; observed: Record<string, string>; want: boolean }> = [
    { reason: 'unset tags are not managed, whatever the bucket has', observed: { team: 'a' }, want: true },
    { reason: 'the same map is up to date', desired: { team: 'a', env: 'prod' }, observed: { env: 'prod', team: 'a' }, want: true },
    { reason: 'a changed value is drift', desired: { team: 'a' }, observed: { team: 'b' }, want: false },
    { reason: 'an extra tag on the bucket is drift: the map is exact', desired: { team: 'a' }, observed: { team: 'a', extra: 'x' }, want: false },
    { reason: 'a missing tag is drift', desired: { team: 'a', env: 'prod' }, observed: { team: 'a' }, want: false },
    { reason: '{} wants no tags: a tagged bucket drifts', desired: {}, observed: { team: 'a' }, want: false },
    { reason: '{} on an untagged bucket is up to date', desired: {}, observed: {}, want: true },
    { reason: 'an empty value is still a value', desired: { flag: '' }, observed: { flag: '' }, want: true },
  ];
  for (const c of cases) it(c.reason, () => assert.equal(tagsUpToDate(c.desired, c.observed), c.want));
});

describe('versioningUpToDate', () => {
  const cases: Array<{ reason: string; desired?: VersioningState; observed?: VersioningState; want: boolean }> = [
    { reason: 'unset versioning is not managed', observed: 'Enabled', want: true },
    { reason: 'Enabled on a never-versioned bucket needs enabling', desired: 'Enabled', want: false },
    { reason: 'Enabled on an enabled bucket is up to date', desired: 'Enabled', observed: 'Enabled', want: true },
    { reason: 'Enabled on a suspended bucket needs enabling', desired: 'Enabled', observed: 'Suspended', want: false },
    { reason: 'Suspended on a never-versioned bucket is up to date (no irreversible call)', desired: 'Suspended', want: true },
    { reason: 'Suspended on a suspended bucket is up to date', desired: 'Suspended', observed: 'Suspended', want: true },
    { reason: 'Suspended on an enabled bucket needs suspending', desired: 'Suspended', observed: 'Enabled', want: false },
  ];
  for (const c of cases) it(c.reason, () => assert.equal(versioningUpToDate(c.desired, c.observed), c.want));
});

describe('describeDrift', () => {
  it('names tag keys and the versioning change, never tag values', () => {
    const diff = describeDrift(
      { region: 'us-east-1', tags: { team: 'secret-team-value', env: 'prod' }, versioning: 'Suspended' },
      { tags: { team: 'other', old: 'gone-value' }, versioning: 'Enabled' },
    );
    assert.equal(diff, 'tags differ (+env -old ~team); versioning Enabled→Suspended');
    assert.doesNotMatch(diff, /secret-team-value|gone-value|other/);
  });
  it('calls a never-versioned bucket Unversioned', () => {
    assert.equal(describeDrift({ region: 'us-east-1', versioning: 'Enabled' }, { tags: {} }), 'versioning Unversioned→Enabled');
  });
  it('is empty when nothing differs', () => {
    assert.equal(describeDrift({ region: 'us-east-1', tags: { a: '1' } }, { tags: { a: '1' }, versioning: 'Enabled' }), '');
  });
});

describe('bucketFieldDiffs', () => {
  it('gives each differing tag and setting with both values, and nothing for settings the spec leaves unset', () => {
    const desired = { region: 'us-east-1', tags: { team: 'web', env: 'prod' }, versioning: 'Suspended' as const };
    assert.deepEqual(bucketFieldDiffs(desired, { tags: { team: 'data', old: 'x' }, versioning: 'Enabled', objectOwnership: 'ObjectWriter' }), [
      { path: 'tags.env', desired: 'prod', observed: undefined },
      { path: 'tags.old', desired: undefined, observed: 'x' },
      { path: 'tags.team', desired: 'web', observed: 'data' },
      { path: 'versioning', desired: 'Suspended', observed: 'Enabled' },
    ]);
    assert.deepEqual(bucketFieldDiffs(desired, { tags: { team: 'web', env: 'prod' } }), []);
  });
});

describe('describeDrift of the other settings', () => {
  const policy = '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/very-secret-prefix/*"}]}';
  it('names every differing setting, never a policy\'s text', () => {
    const diff = describeDrift(
      {
        region: 'us-east-1',
        serverSideEncryption: { algorithm: 'aws:kms' },
        publicAccessBlock: { blockPublicAcls: true },
        policy,
        objectOwnership: 'BucketOwnerEnforced',
      },
      { tags: {}, serverSideEncryption: { algorithm: 'AES256' }, policy: policy.replace('GetObject', 'PutObject'), objectOwnership: 'ObjectWriter' },
    );
    assert.equal(
      diff,
      'serverSideEncryption algorithm AES256→aws:kms; publicAccessBlock blockPublicAcls false→true; policy differs; objectOwnership ObjectWriter→BucketOwnerEnforced',
    );
    assert.doesNotMatch(diff, /very-secret-prefix|GetObject|PutObject/);
  });
  it('says a policy is missing, and names unset ownership', () => {
    assert.equal(describeDrift({ region: 'us-east-1', policy, objectOwnership: 'ObjectWriter' }, { tags: {} }), 'policy missing; objectOwnership unset→ObjectWriter');
  });
  it('is empty when a reformatted policy means the same', () => {
    assert.equal(describeDrift({ region: 'us-east-1', policy }, { tags: {}, policy: JSON.stringify(JSON.parse(policy), null, 2) }), '');
  });
  it('leaves settings the spec does not set alone', () => {
    assert.equal(
      describeDrift(
        { region: 'us-east-1' },
        { tags: { a: '1' }, versioning: 'Enabled', serverSideEncryption: { algorithm: 'aws:kms' }, publicAccessBlock: {}, policy, objectOwnership: 'ObjectWriter' },
      ),
      '',
    );
  });
});

describe('bucketLateInit', () => {
  it('fills unset encryption and ownership from what the bucket has (what AWS gives every new bucket)', () => {
    assert.deepEqual(bucketLateInit({ region: 'us-east-1' }, { tags: {}, serverSideEncryption: { algorithm: 'AES256', bucketKeyEnabled: false }, objectOwnership: 'BucketOwnerEnforced' }), {
      serverSideEncryption: { algorithm: 'AES256', bucketKeyEnabled: false },
      objectOwnership: 'BucketOwnerEnforced',
    });
  });
  it('never overrides what the spec sets', () => {
    const desired: BucketParameters = { region: 'us-east-1', serverSideEncryption: { algorithm: 'aws:kms' }, objectOwnership: 'ObjectWriter' };
    assert.equal(bucketLateInit(desired, { tags: {}, serverSideEncryption: { algorithm: 'AES256' }, objectOwnership: 'BucketOwnerEnforced' }), undefined);
  });
  it('has nothing to say about a bucket without either (moto\'s new buckets)', () => {
    assert.equal(bucketLateInit({ region: 'us-east-1' }, { tags: {} }), undefined);
  });
});

describe('desiredOf', () => {
  const mr = (forProvider: Record<string, unknown>): BucketResource => ({ metadata: { name: 'b-1' }, spec: { forProvider: forProvider as unknown as BucketParameters } });
  const refuses = (forProvider: Record<string, unknown>, message: string) =>
    assert.throws(() => desiredOf(mr(forProvider)), (err: unknown) => err instanceof TerminalError && err.message === message);
  it('refuses a policy that is not JSON, naming the field', () => refuses({ region: 'us-east-1', policy: '{ nope' }, 'spec.forProvider.policy is not valid JSON (at position 2 (line 1 column 3))'));
  it('refuses a policy without statements', () => refuses({ region: 'us-east-1', policy: '{}' }, 'spec.forProvider.policy has no Statement'));
  it('refuses a KMS key with AES256, which the schema also refuses', () =>
    refuses({ region: 'us-east-1', serverSideEncryption: { algorithm: 'AES256', kmsKeyId: 'alias/k' } }, 'spec.forProvider.serverSideEncryption.kmsKeyId is allowed only with algorithm aws:kms'));
  it('accepts a complete spec', () => {
    const forProvider = { region: 'us-east-1', policy: '{"Statement":[]}', serverSideEncryption: { algorithm: 'aws:kms', kmsKeyId: 'alias/k' }, objectOwnership: 'ObjectWriter' };
    assert.deepEqual(desiredOf(mr(forProvider)), forProvider);
  });
});

describe('Bucket schema', () => {
  const forProvider = bucket.schema.forProvider.properties ?? {};
  it('validates kmsKeyId against the algorithm with CEL, naming the field', () => {
    const rules = forProvider.serverSideEncryption?.['x-kubernetes-validations'] ?? [];
    assert.deepEqual(rules.map((r) => r.message), ['spec.forProvider.serverSideEncryption.kmsKeyId is allowed only with algorithm aws:kms']);
  });
  it('refuses at admission a policy that is plainly not a JSON object (CEL cannot parse JSON)', () => {
    const rule = forProvider.policy?.['x-kubernetes-validations']?.[0]?.rule ?? '';
    const pattern = /matches\('\(\?s\)(.*)'\)$/.exec(rule)?.[1] ?? '';
    const regex = new RegExp(pattern.replaceAll('[[:space:]]', '\\s'), 's');
    assert.ok(regex.test('  {\n "Statement": []\n}\n'));
    assert.ok(!regex.test('Statement: []'));
    assert.ok(!regex.test('["a"]'));
  });
});

describe('regionFromLocation', () => {
  it('reads an empty LocationConstraint as us-east-1', () => assert.equal(regionFromLocation(''), 'us-east-1'));
  it('reads a missing LocationConstraint as us-east-1', () => assert.equal(regionFromLocation(undefined), 'us-east-1'));
  it('reads the legacy EU as eu-west-1', () => assert.equal(regionFromLocation('EU'), 'eu-west-1'));
  it('passes a region through', () => assert.equal(regionFromLocation('ap-south-1'), 'ap-south-1'));
});

describe('bucket names', () => {
  const cases: Array<{ reason: string; name: string; ok: boolean; mentions?: RegExp }> = [
    { reason: 'a plain name', name: 'my-bucket-1', ok: true },
    { reason: 'dots are allowed', name: 'logs.example.com', ok: true },
    { reason: 'three characters is the minimum', name: 'abc', ok: true },
    { reason: 'sixty-three characters is the maximum', name: 'a'.repeat(63), ok: true },
    { reason: 'two characters is too short', name: 'ab', ok: false, mentions: /3 to 63/ },
    { reason: 'sixty-four characters is too long', name: 'a'.repeat(64), ok: false, mentions: /3 to 63/ },
    { reason: 'uppercase is not allowed', name: 'My-bucket', ok: false, mentions: /lowercase/ },
    { reason: 'underscores are not allowed', name: 'my_bucket', ok: false, mentions: /lowercase letters, digits/ },
    { reason: 'a leading hyphen is not allowed', name: '-bucket', ok: false, mentions: /start and end/ },
    { reason: 'a trailing dot is not allowed', name: 'bucket.', ok: false, mentions: /start and end/ },
    { reason: 'adjacent dots are not allowed', name: 'a..b', ok: false, mentions: /adjacent dots/ },
    { reason: 'an IPv4 address is not allowed', name: '192.168.5.4', ok: false, mentions: /IP address/ },
    { reason: 'reserved prefix xn--', name: 'xn--bucket', ok: false, mentions: /reserves/ },
    { reason: 'reserved suffix -s3alias', name: 'bucket-s3alias', ok: false, mentions: /reserves/ },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const problem = bucketNameProblem(c.name, 'metadata.name');
      if (c.ok) assert.equal(problem, undefined);
      else {
        assert.ok(problem?.startsWith('metadata.name '), `names the field: ${problem}`);
        if (c.mentions) assert.match(problem ?? '', c.mentions);
      }
    });
  }

  it('puts one CEL rule per naming rule on self.metadata.name, each message naming metadata.name', () => {
    const rules = bucketNameValidations();
    assert.deepEqual(bucket.schema.validations, rules);
    for (const rule of rules) {
      assert.match(rule.rule, /self\.metadata\.name/);
      assert.match(rule.message, /^metadata\.name /);
      // A backslash would be a CEL escape; the patterns use [.] instead.
      assert.doesNotMatch(rule.rule, /\\/);
    }
  });
});

describe('bucketNameOf', () => {
  const mr = (name: string, externalName?: string): BucketResource => ({
    metadata: { name, ...(externalName === undefined ? {} : { annotations: { 'pledge.dev/external-name': externalName } }) },
    spec: { forProvider: { region: 'us-east-1' } },
  });
  it('uses metadata.name by default', () => assert.equal(bucketNameOf(mr('my-bucket')), 'my-bucket'));
  it('prefers the external-name annotation', () => assert.equal(bucketNameOf(mr('k8s-name', 'cloud-name')), 'cloud-name'));
  it('refuses an invalid annotation, naming it, since CEL cannot see annotations', () => {
    assert.throws(() => bucketNameOf(mr('fine-name', 'Bad_Name')), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.match(err.message, /^annotation pledge\.dev\/external-name /);
      return true;
    });
  });
});

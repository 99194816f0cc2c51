import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bucketNameProblem, bucketNameValidations } from './bucket-name.ts';

const cases: Array<{ reason: string; name: string; problem?: RegExp }> = [
  { reason: 'a plain name is fine', name: 'pledge-data-1' },
  { reason: 'dots are allowed, and allow names past 63 characters', name: `${'a'.repeat(63)}.${'b'.repeat(63)}` },
  { reason: 'underscores are allowed (the external-name annotation may use them)', name: 'my_bucket' },
  { reason: 'too short', name: 'ab', problem: /3 to 222 characters/ },
  { reason: 'too long even with dots', name: `${'a.'.repeat(111)}a`, problem: /3 to 222 characters/ },
  { reason: 'upper case is refused', name: 'MyBucket', problem: /only lowercase letters/ },
  { reason: 'must start with a letter or digit', name: '-bucket', problem: /start and end/ },
  { reason: 'must end with a letter or digit', name: 'bucket_', problem: /start and end/ },
  { reason: '64 characters without a dot is too long', name: 'a'.repeat(64), problem: /at most 63 characters/ },
  { reason: 'a dot-separated part over 63 characters is too long', name: `x.${'a'.repeat(64)}`, problem: /63 between dots/ },
  { reason: 'an IP address is refused', name: '192.168.5.4', problem: /IP address/ },
  { reason: 'the goog prefix is reserved', name: 'googly-eyes', problem: /start with "goog"/ },
  { reason: 'google inside a name is reserved', name: 'my-google-bucket', problem: /google/ },
  { reason: 'close misspellings of google are reserved', name: 'my-g00gle-bucket', problem: /misspelling/ },
];

describe('bucketNameProblem: Cloud Storage naming rules', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const problem = bucketNameProblem(c.name, 'metadata.name');
      if (c.problem === undefined) assert.equal(problem, undefined);
      else assert.match(problem ?? '(none)', c.problem);
    });
  }
});

describe('bucketNameValidations', () => {
  it('one CEL rule per naming rule, each on metadata.name and naming it in the message', () => {
    const rules = bucketNameValidations();
    assert.equal(rules.length, 7);
    for (const r of rules) {
      assert.match(r.rule, /self\.metadata\.name/);
      assert.match(r.message, /^metadata\.name /);
    }
  });
});

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { ConfigError } from '../errors/index.ts';
import { parseCrashPoints } from './crash-points.ts';

describe('PLEDGE_CRASH_POINTS', () => {
  test('points with probabilities, a bare point meaning always, blanks ignored', () => {
    assert.deepEqual(
      [...parseCrashPoints(' before-create:0.5, after-create ,,after-create-recorded:0 ')],
      [
        ['before-create', 0.5],
        ['after-create', 1],
        ['after-create-recorded', 0],
      ],
    );
    assert.equal(parseCrashPoints('').size, 0);
  });

  const refused = [
    { text: 'after_create:0.5', reason: 'a misspelt point would make a crash test pass without crashing' },
    { text: 'before-create:1.5', reason: 'a probability above 1' },
    { text: 'before-create:half', reason: 'not a number' },
    { text: 'before-create:', reason: 'an empty probability' },
    { text: 'before-create:0.5:1', reason: 'extra fields' },
  ];
  for (const { text, reason } of refused) {
    test(`refuses "${text}": ${reason}`, () => {
      assert.throws(() => parseCrashPoints(text), (err: unknown) => err instanceof ConfigError && err.message.includes('PLEDGE_CRASH_POINTS'));
    });
  }
});

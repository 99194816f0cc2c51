// Expected matches are Go's regexp.FindStringSubmatch results (go1.26) for the same pattern and input.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileGoRegexp, findStringSubmatch } from './go-regexp.ts';

const cases: Array<{ reason: string; pattern: string; input: string; want?: string[]; invalid?: boolean }> = [
  { reason: 'Go’s (?P<name>) groups', pattern: '(?P<n>\\w+)-(\\d+)', input: 'abc-123', want: ['abc-123', 'abc', '123'] },
  { reason: 'a mid-pattern (?i) reaches across the alternation', pattern: 'a(?i)b|c', input: 'xC', want: ['C'] },
  { reason: 'a mid-pattern (?i) does not reach back', pattern: 'a(?i)b|c', input: 'AB', want: [] },
  { reason: '\\A and \\z anchor the whole text', pattern: '\\Aab\\z', input: 'ab', want: ['ab'] },
  { reason: '. does not match \\n', pattern: 'a.b', input: 'a\nb', want: [] },
  { reason: '. matches \\r (JS’s . would not)', pattern: 'a.b', input: 'a\rb', want: ['a\rb'] },
  { reason: '(?s) lets . match \\n', pattern: '(?s)a.b', input: 'a\nb', want: ['a\nb'] },
  { reason: '(?m) anchors at \\n but not at \\r', pattern: '(?m)^b$', input: 'a\rb', want: [] },
  { reason: '(?m) anchors at line starts', pattern: '(?m)^b$', input: 'a\nb\nc', want: ['b'] },
  { reason: '(?U) makes quantifiers lazy', pattern: '(?U)a+', input: 'aaa', want: ['a'] },
  { reason: '(?U) makes a lazy quantifier greedy', pattern: '(?U)a+?', input: 'aaa', want: ['aaa'] },
  { reason: 'POSIX classes', pattern: '[[:digit:][:upper:]]+', input: 'xyz9Q', want: ['9Q'] },
  { reason: 'a brace that is no repetition is a literal', pattern: 'x{,2}', input: 'x{,2}', want: ['x{,2}'] },
  { reason: '\\Q…\\E quotes; a quantifier after it takes the last character', pattern: '\\Q.*\\E+', input: '.**.*', want: ['.**'] },
  { reason: 'a ] first in a class is a literal', pattern: '[]a]+', input: 'd]a', want: [']a'] },
  { reason: '\\s is ASCII space only (no \\v, no NBSP)', pattern: '\\s+', input: ' \t\u000b\u00a0x', want: [' \t'] },
  { reason: '\\pL and \\p{Greek}', pattern: '\\p{Greek}+', input: 'αβγ abc', want: ['αβγ'] },
  { reason: 'escaped punctuation is literal', pattern: '\\-\\#', input: 'a-#', want: ['-#'] },
  { reason: 'a group that does not take part is empty', pattern: '(a)|(b)', input: 'b', want: ['b', '', 'b'] },
  { reason: 'look-ahead is not RE2', pattern: 'a(?=b)', input: 'ab', invalid: true },
  { reason: 'back-references are not RE2', pattern: '(a)\\1', input: 'aa', invalid: true },
  { reason: 'nested repetition is an error', pattern: 'a**', input: 'a', invalid: true },
  { reason: 'an unknown escape is an error', pattern: '\\e', input: 'e', invalid: true },
  { reason: 'an unclosed group is an error', pattern: '(a', input: 'a', invalid: true },
];

describe('Go regexp on JS', () => {
  for (const c of cases) {
    it(c.reason, () => {
      if (c.invalid) {
        assert.throws(() => compileGoRegexp(c.pattern));
        return;
      }
      assert.deepEqual(findStringSubmatch(compileGoRegexp(c.pattern), c.input), c.want);
    });
  }
});

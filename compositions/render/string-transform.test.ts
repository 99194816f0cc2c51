import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { GoValue } from './json-value.ts';
import { decodeBase64Strict, stringTransform } from './string-transform.ts';

interface Case {
  reason: string;
  config: Record<string, unknown>;
  input: GoValue;
  want?: string;
  err?: string;
}

const cases: Case[] = [
  { reason: 'Format with %s', config: { type: 'Format', fmt: 'https://s3.%s.amazonaws.com' }, input: 'us-east-1', want: 'https://s3.us-east-1.amazonaws.com' },
  { reason: 'Format with %d of a JSON number shows Go’s bad-verb text, as P&T does', config: { type: 'Format', fmt: '%d GiB' }, input: 20, want: '%!d(float64=20) GiB' },
  { reason: 'Format with %v of a JSON number', config: { type: 'Format', fmt: '%v GiB' }, input: 20, want: '20 GiB' },
  { reason: 'Format with no verb lists the input as EXTRA', config: { type: 'Format', fmt: 'fixed' }, input: 'x', want: 'fixed%!(EXTRA string=x)' },
  { reason: 'Convert ToUpper of a string', config: { type: 'Convert', convert: 'ToUpper' }, input: 'abc', want: 'ABC' },
  { reason: 'Convert ToUpper maps rune by rune, as Go (ß has no one-rune upper case)', config: { type: 'Convert', convert: 'ToUpper' }, input: 'straße', want: 'STRAßE' },
  { reason: 'Convert ToLower of Greek keeps σ at a word end, as Go', config: { type: 'Convert', convert: 'ToLower' }, input: 'ΣΑΣ', want: 'σασ' },
  { reason: 'Convert ToUpper prints non-strings with %v first', config: { type: 'Convert', convert: 'ToUpper' }, input: true, want: 'TRUE' },
  { reason: 'Convert ToBase64', config: { type: 'Convert', convert: 'ToBase64' }, input: 'hello', want: 'aGVsbG8=' },
  { reason: 'Convert FromBase64', config: { type: 'Convert', convert: 'FromBase64' }, input: 'aGVsbG8=', want: 'hello' },
  { reason: 'Convert FromBase64 wants padding', config: { type: 'Convert', convert: 'FromBase64' }, input: 'aGVsbG8', err: 'string is not valid base64: illegal base64 data at input byte 4' },
  { reason: 'Convert ToJson of a string quotes it', config: { type: 'Convert', convert: 'ToJson' }, input: 'a<b', want: '"a\\u003cb"' },
  { reason: 'Convert ToJson of an object sorts keys', config: { type: 'Convert', convert: 'ToJson' }, input: { b: [1, 2.5], a: null }, want: '{"a":null,"b":[1,2.5]}' },
  { reason: 'Convert ToSha1 of a string hashes its bytes', config: { type: 'Convert', convert: 'ToSha1' }, input: 'abc', want: 'a9993e364706816aba3e25717850c26c9cd0d89d' },
  { reason: 'Convert ToSha256 of a non-string hashes its JSON', config: { type: 'Convert', convert: 'ToSha256' }, input: 1, want: '6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b' },
  { reason: 'Convert ToSha512', config: { type: 'Convert', convert: 'ToSha512' }, input: '', want: 'cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e' },
  { reason: 'Convert ToAdler32 prints the checksum in decimal', config: { type: 'Convert', convert: 'ToAdler32' }, input: 'Wikipedia', want: '300286872' },
  { reason: 'an unknown conversion', config: { type: 'Convert', convert: 'ToRot13' }, input: 'a', err: 'type ToRot13 is not supported for string convert' },
  { reason: 'TrimPrefix', config: { type: 'TrimPrefix', trim: 'prod-' }, input: 'prod-db', want: 'db' },
  { reason: 'TrimPrefix leaves a string without the prefix alone', config: { type: 'TrimPrefix', trim: 'prod-' }, input: 'dev-db', want: 'dev-db' },
  { reason: 'TrimSuffix', config: { type: 'TrimSuffix', trim: '-01' }, input: 'db-01', want: 'db' },
  { reason: 'Regexp returns the whole match by default', config: { type: 'Regexp', regexp: { match: '\\d+' } }, input: 'db-123-x', want: '123' },
  { reason: 'Regexp returns the asked group', config: { type: 'Regexp', regexp: { match: '^([a-z]+)-([a-z]+)$', group: 2 } }, input: 'prod-web', want: 'web' },
  { reason: 'Regexp with RE2 syntax: (?i) and (?P<name>)', config: { type: 'Regexp', regexp: { match: '(?i)hello\\s(?P<w>\\w+)', group: 1 } }, input: 'HELLO World', want: 'World' },
  { reason: 'Regexp without a match names the pattern and group', config: { type: 'Regexp', regexp: { match: 'x(y)', group: 1 } }, input: 'abc', err: 'regexp "x(y)" had no matches for group 1' },
  { reason: 'Regexp asking for a group that does not exist', config: { type: 'Regexp', regexp: { match: 'a', group: 1 } }, input: 'a', err: 'regexp "a" had no matches for group 1' },
  { reason: 'Join joins the %v of each element', config: { type: 'Join', join: { separator: '-' } }, input: ['cross', 'plane', 42], want: 'cross-plane-42' },
  { reason: 'Join with no separator', config: { type: 'Join', join: { separator: '' } }, input: ['a', 'b'], want: 'ab' },
  { reason: 'Join with a two-byte separator keeps its first byte at the end, as P&T does', config: { type: 'Join', join: { separator: ', ' } }, input: ['a', 'b'], want: 'a, b,' },
  { reason: 'Join of an empty array', config: { type: 'Join', join: { separator: ',' } }, input: [], want: '' },
  { reason: 'Join needs an array', config: { type: 'Join', join: { separator: ',' } }, input: 'a,b', err: 'could not parse input array' },
  { reason: 'Replace replaces every occurrence', config: { type: 'Replace', replace: { search: 'l', replace: 'L' } }, input: 'hello', want: 'heLLo' },
  { reason: 'Replace with an empty replacement deletes', config: { type: 'Replace', replace: { search: '-', replace: '' } }, input: 'a-b-c', want: 'abc' },
  { reason: 'an unknown string transform type', config: { type: 'Reverse' }, input: 'a', err: 'type Reverse is not supported for string transform type' },
];

describe('string transform', () => {
  for (const c of cases) {
    it(c.reason, () => {
      if (c.err !== undefined) {
        assert.throws(() => stringTransform(c.config, c.input), { message: c.err });
        return;
      }
      assert.equal(stringTransform(c.config, c.input), c.want);
    });
  }
});

describe('decodeBase64Strict', () => {
  it('ignores line breaks, as Go does', () => {
    assert.equal(decodeBase64Strict('aGVs\nbG8='), 'hello');
  });
  it('refuses data after the padding', () => {
    assert.throws(() => decodeBase64Strict('aGk=aGk='), /illegal base64 data at input byte 4/);
  });
  it('refuses characters outside the standard alphabet', () => {
    assert.throws(() => decodeBase64Strict('aG-s'), /illegal base64 data at input byte 2/);
  });
});

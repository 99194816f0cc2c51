import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { convertTransform } from './convert-transform.ts';
import { parseGoJson } from './go-json.ts';
import type { GoValue } from './json-value.ts';
import { parseQuantity } from './quantity.ts';

interface Case {
  reason: string;
  toType: string;
  format?: string;
  input: GoValue;
  want?: GoValue;
  err?: string;
}

const cases: Case[] = [
  { reason: 'string to int64 parses base 10', toType: 'int64', input: '-42', want: -42n },
  { reason: 'int is int64', toType: 'int', input: '7', want: 7n },
  { reason: 'string to int64 refuses a decimal', toType: 'int64', input: '3.5', err: 'strconv.ParseInt: parsing "3.5": invalid syntax' },
  { reason: 'string to int64 out of range', toType: 'int64', input: '9223372036854775808', err: 'strconv.ParseInt: parsing "9223372036854775808": value out of range' },
  { reason: 'string to bool accepts Go’s spellings', toType: 'bool', input: 'T', want: true },
  { reason: 'string to bool refuses yes', toType: 'bool', input: 'yes', err: 'strconv.ParseBool: parsing "yes": invalid syntax' },
  { reason: 'string to float64', toType: 'float64', input: '1e3', want: 1000 },
  { reason: 'string to float64 accepts inf', toType: 'float64', input: '-Inf', want: Number.NEGATIVE_INFINITY },
  { reason: 'string to float64 refuses spaces', toType: 'float64', input: ' 1', err: 'strconv.ParseFloat: parsing " 1": invalid syntax' },
  { reason: 'string to float64 with format quantity: milli', toType: 'float64', format: 'quantity', input: '250m', want: 0.25 },
  { reason: 'string to float64 with format quantity: binary suffix', toType: 'float64', format: 'quantity', input: '1.5Gi', want: 1610612736 },
  { reason: 'string to float64 with format quantity: exponent', toType: 'float64', format: 'quantity', input: '12e-3', want: 0.012 },
  {
    reason: 'a bad quantity names the expected form',
    toType: 'float64',
    format: 'quantity',
    input: '1x',
    err: "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
  },
  { reason: 'a float64 (every JSON number) to string uses the shortest plain form', toType: 'string', input: 1e21, want: '1000000000000000000000' },
  { reason: 'a float64 to string', toType: 'string', input: 3.5, want: '3.5' },
  { reason: 'a float64 to int64 truncates', toType: 'int64', input: -2.7, want: -2n },
  { reason: 'a float64 to bool is true only for 1', toType: 'bool', input: 2, want: false },
  { reason: 'a float64 to float64 is unchanged', toType: 'float64', input: 2.5, want: 2.5 },
  { reason: 'an int64 to string', toType: 'string', input: 12n, want: '12' },
  { reason: 'an int64 to bool is true only for 1', toType: 'bool', input: 1n, want: true },
  { reason: 'an int64 to float64', toType: 'float64', input: 12n, want: 12 },
  { reason: 'a bool to string', toType: 'string', input: false, want: 'false' },
  { reason: 'a bool to int64', toType: 'int64', input: true, want: 1n },
  { reason: 'a bool to float64', toType: 'float64', input: true, want: 1 },
  { reason: 'a JSON string to an object with format json', toType: 'object', format: 'json', input: '{"a":1,"b":[true]}', want: { a: 1, b: [true] } },
  { reason: 'a JSON string to an array with format json', toType: 'array', format: 'json', input: '[1,"x"]', want: [1, 'x'] },
  { reason: 'JSON null gives null', toType: 'object', format: 'json', input: 'null', want: null },
  { reason: 'a JSON array is not an object', toType: 'object', format: 'json', input: '[1]', err: 'json: cannot unmarshal array into Go value of type map[string]interface {}' },
  { reason: 'bad JSON has Go’s syntax error', toType: 'object', format: 'json', input: '{bad', err: "invalid character 'b' looking for beginning of object key string" },
  { reason: 'an object without format json is not supported', toType: 'object', input: '{}', err: 'conversion from string to object is not supported with format none' },
  { reason: 'a number cannot become an object', toType: 'object', format: 'json', input: 1, err: 'conversion from float64 to object is not supported with format json' },
  { reason: 'quantity applies only from string to float64', toType: 'int64', format: 'quantity', input: '1k', err: 'conversion from string to int64 is not supported with format quantity' },
  { reason: 'an array is not a convertible input', toType: 'string', input: ['a'], err: 'invalid input type []interface {}' },
  { reason: 'null is not a convertible input', toType: 'string', input: null, err: 'invalid input type <nil>' },
  { reason: 'an unknown format', toType: 'string', format: 'yaml', input: 'a', err: 'format: Invalid value: "yaml": invalid format' },
  { reason: 'an unknown type', toType: 'uint', input: 'a', err: 'toType: Invalid value: "uint": invalid type' },
];

describe('convert transform', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const config = { toType: c.toType, ...(c.format ? { format: c.format } : {}) };
      if (c.err !== undefined) {
        assert.throws(() => convertTransform(config, c.input), { message: c.err });
        return;
      }
      assert.deepEqual(convertTransform(config, c.input), c.want);
    });
  }
});

describe('parseQuantity', () => {
  const table: Array<[string, number]> = [
    ['0', 0],
    ['1Ki', 1024],
    ['-2k', -2000],
    ['100', 100],
    ['0.1', 0.1],
    ['5E', 5e18],
    ['1.0000000001', 1.000000001],
  ];
  for (const [s, want] of table) {
    it(`${s} is ${want} (finer than nano rounds up)`, () => {
      assert.equal(parseQuantity(s), want);
    });
  }
  it('refuses an unknown suffix', () => {
    assert.throws(() => parseQuantity('1e'), { message: "unable to parse quantity's suffix" });
  });
});

describe('parseGoJson', () => {
  const errors: Array<[string, string]> = [
    ['', 'unexpected end of JSON input'],
    ['{"a":1,}', "invalid character '}' looking for beginning of object key string"],
    ['{"a" 1}', "invalid character '1' after object key"],
    ['[1 2]', "invalid character '2' after array element"],
    ['{"a":tru}', "invalid character '}' in literal true (expecting 'e')"],
    ['[01]', "invalid character '1' after array element"],
    ['[1.]', "invalid character ']' after decimal point in numeric literal"],
    ['{} x', "invalid character 'x' after top-level value"],
  ];
  for (const [s, err] of errors) {
    it(`reports ${JSON.stringify(s)} as Go does`, () => {
      assert.throws(() => parseGoJson(s, 'map[string]interface {}'), { message: err });
    });
  }
});

// Expected strings are Go's own fmt.Sprintf output (go1.26) for the same arguments, where a JSON
// number is a float64 and a bigint an int64.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatFloat } from './go-float.ts';
import { goSprintf } from './go-sprintf.ts';
import type { GoValue } from './json-value.ts';

describe('goSprintf', () => {
  const cases: Array<{ reason: string; format: string; args: GoValue[]; want: string }> = [
    { reason: '%s of a string', format: 'https://s3.%s.amazonaws.com', args: ['eu-west-1'], want: 'https://s3.eu-west-1.amazonaws.com' },
    { reason: '%d of a JSON number is a bad verb: JSON numbers are float64', format: '%d', args: [3], want: '%!d(float64=3)' },
    { reason: '%s of a JSON number is a bad verb too', format: 'size-%s', args: [20], want: 'size-%!s(float64=20)' },
    { reason: '%v of an integral float prints no decimals', format: '%v', args: [20], want: '20' },
    { reason: '%v of a float uses the shortest form', format: '%v', args: [3.5], want: '3.5' },
    { reason: '%v switches to an exponent from 1e21 down to 1e6 digits (Go %g rules)', format: '%v %v %v', args: [123456, 1234567, 1e6], want: '123456 1.234567e+06 1e+06' },
    { reason: '%v of a small float', format: '%v', args: [1e-7], want: '1e-07' },
    { reason: '%d of an int64', format: '%05d|%+d|% d', args: [42n, 42n, 42n], want: '00042|+42| 42' },
    { reason: '%x and %X of an int64', format: '%x %X %#x %o %b', args: [255n, 255n, 255n, 8n, 5n], want: 'ff FF 0xff 10 101' },
    { reason: '%f rounds half to even on the exact binary value', format: '%.2f %.1f %.1f %.0f %.0f', args: [0.125, 0.25, 0.35, 2.5, 3.5], want: '0.12 0.2 0.3 2 4' },
    { reason: '%f with width and zero padding keeps the sign first', format: '%08.3f', args: [-3.5], want: '-003.500' },
    { reason: '%e and %g', format: '%e %.3e %g %.2g %G', args: [3.5, 123456789, 0.0001, 1234, 1e-5], want: '3.500000e+00 1.235e+08 0.0001 1.2e+03 1E-05' },
    { reason: '%f of a large float', format: '%.20f', args: [0.1], want: '0.10000000000000000555' },
    { reason: '%q quotes with Go escapes', format: '%q', args: ['a"b\n\t\\'], want: '"a\\"b\\n\\t\\\\"' },
    { reason: '%+q escapes non-ASCII', format: '%+q', args: ['héllo'], want: '"h\\u00e9llo"' },
    { reason: '%#q uses backquotes when it can', format: '%#q %#q', args: ['ab', 'a`b'], want: '`ab` "a`b"' },
    { reason: '%t of a bool, and of a number', format: '%t %t', args: [true, 0], want: 'true %!t(float64=0)' },
    { reason: '%v of nil, and %s of nil', format: '%v %s', args: [null, null], want: '<nil> %!s(<nil>)' },
    { reason: '%v of an array prints elements space-separated', format: '%v', args: [['a', 1, null, true]], want: '[a 1 <nil> true]' },
    { reason: '%s applies to each element, with bad verbs inside', format: '%s', args: [['a', 1]], want: '[a %!s(float64=1)]' },
    { reason: '%v of an object sorts keys', format: '%v', args: [{ b: 1, a: 'x', c: [1, 2] }], want: 'map[a:x b:1 c:[1 2]]' },
    { reason: '%#v is Go syntax', format: '%#v', args: [['a', 1, null]], want: '[]interface {}{"a", 1, interface {}(nil)}' },
    { reason: '%T names Go types', format: '%T %T %T %T %T %T', args: ['s', 1, 1n, true, [], {}], want: 'string float64 int64 bool []interface {} map[string]interface {}' },
    { reason: 'width and precision on strings count runes', format: '%5.1s|%-6s|%.3s', args: ['héllo', 'ab', 'héllo'], want: '    h|ab    |hél' },
    { reason: 'width applies inside a bad verb', format: '%5d', args: ['ab'], want: '%!d(string=   ab)' },
    { reason: 'a missing argument', format: '%s-%s', args: ['a'], want: 'a-%!s(MISSING)' },
    { reason: 'extra arguments are listed', format: '%s', args: ['a', 'b', 3, null], want: 'a%!(EXTRA string=b, float64=3, <nil>)' },
    { reason: 'a trailing percent has no verb', format: 'x%', args: [], want: 'x%!(NOVERB)' },
    { reason: 'an unknown verb', format: '%z', args: ['a'], want: '%!z(string=a)' },
    { reason: 'explicit argument indexes, with no EXTRA complaint', format: '%[2]s %[1]s', args: ['a', 'b'], want: 'b a' },
    { reason: 'an index out of range', format: '%[3]s', args: ['a'], want: '%!s(BADINDEX)' },
    { reason: '* takes the width from an int64 argument', format: '%*d|%-*d|', args: [5n, 3n, -4n, 3n], want: '    3|3   |' },
    { reason: '* with a float64 is a bad width', format: '%*d', args: [5, 3n], want: '%!(BADWIDTH)3' },
    { reason: '%% is a percent sign', format: '%%%d%%', args: [1n], want: '%1%' },
    { reason: '%c and %U of an int64 rune', format: '%c %U %q', args: [128512n, 65n, 39n], want: "😀 U+0041 '\\''" },
    { reason: '%x of a string is its UTF-8 bytes', format: '%x % x %X', args: ['hé', 'ab', 'ab'], want: '68c3a9 61 62 6162' },
    { reason: '%x of a float64 is a hexadecimal float', format: '%x %X %b', args: [3.5, 0.1, 3], want: '0x1.cp+01 0X1.999999999999AP-04 6755399441055744p-51' },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      assert.equal(goSprintf(c.format, c.args), c.want);
    });
  }
});

describe('formatFloat', () => {
  const cases: Array<{ reason: string; x: number; format: 'e' | 'f' | 'g'; prec: number; want: string }> = [
    { reason: "shortest 'f' never uses an exponent", x: 1e21, format: 'f', prec: -1, want: '1000000000000000000000' },
    { reason: "shortest 'f' of a small number", x: 1.5e-7, format: 'f', prec: -1, want: '0.00000015' },
    { reason: "shortest 'f' of an integral float has no point", x: 5, format: 'f', prec: -1, want: '5' },
    { reason: "'f' rounds a carry into a new digit", x: 9.995, format: 'f', prec: 1, want: '10.0' },
    { reason: "shortest 'e' of zero", x: 0, format: 'e', prec: -1, want: '0e+00' },
    { reason: "'e' with a three-digit exponent", x: 1e100, format: 'e', prec: 2, want: '1.00e+100' },
    { reason: "'g' with precision drops trailing zeros", x: 1, format: 'g', prec: 3, want: '1' },
    { reason: 'negative zero keeps its sign', x: -0, format: 'g', prec: -1, want: '-0' },
    { reason: 'infinities and NaN', x: Number.NEGATIVE_INFINITY, format: 'f', prec: -1, want: '-Inf' },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      assert.equal(formatFloat(c.x, c.format, c.prec), c.want);
    });
  }
});

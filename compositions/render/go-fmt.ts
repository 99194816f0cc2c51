// How Go's fmt prints one value for one verb (pp.printArg / printValue): the half of Sprintf that
// go-sprintf.ts does not do. A JSON number is a Go float64, so `%d` of one prints
// `%!d(float64=3)` exactly as P&T does.

import { formatBinaryFloat, formatFloat } from './go-float.ts';
import { goQuoteString, goQuoteRune } from './go-strconv.ts';
import { compareBytes, goTypeName, type GoValue } from './json-value.ts';

/** The flags, width and precision of one verb. */
export interface Flags {
  plus: boolean;
  minus: boolean;
  sharp: boolean;
  space: boolean;
  zero: boolean;
  sharpV: boolean;
  plusV: boolean;
  wid?: number;
  prec?: number;
}

const runeCount = (s: string): number => [...s].length;

function pad(f: Flags, s: string, zeroAllowed = true): string {
  if (f.wid === undefined || f.wid === 0) return s;
  const width = f.wid - runeCount(s);
  if (width <= 0) return s;
  if (f.minus) return s + ' '.repeat(width);
  return (f.zero && zeroAllowed ? '0' : ' ').repeat(width) + s;
}

function truncate(f: Flags, s: string): string {
  return f.prec === undefined ? s : [...s].slice(0, f.prec).join('');
}

function badVerb(f: Flags, verb: string, v: GoValue): string {
  if (v === null) return `%!${verb}(<nil>)`;
  return `%!${verb}(${goTypeName(v)}=${printValue(f, v, 'v', 0)})`;
}

function fmtInteger(f: Flags, n: bigint, base: number, verb: string, upper: boolean): string {
  const negative = n < 0n;
  let digits = (negative ? -n : n).toString(base);
  if (upper) digits = digits.toUpperCase();
  let prec = 0;
  if (f.prec !== undefined) {
    prec = f.prec;
    if (prec === 0 && n === 0n) return f.wid ? ' '.repeat(f.wid) : '';
  } else if (f.zero && !f.minus && f.wid !== undefined) {
    prec = f.wid - (negative || f.plus || f.space ? 1 : 0);
  }
  if (digits.length < prec) digits = '0'.repeat(prec - digits.length) + digits;
  if (f.sharp) {
    if (base === 2) digits = `0b${digits}`;
    else if (base === 8 && !digits.startsWith('0')) digits = `0${digits}`;
    else if (base === 16) digits = `0${upper ? 'X' : 'x'}${digits}`;
  }
  if (verb === 'O') digits = `0o${digits}`;
  const sign = negative ? '-' : f.plus ? '+' : f.space ? ' ' : '';
  return pad(f, sign + digits, false);
}

function fmtInt64(f: Flags, n: bigint, verb: string): string {
  switch (verb) {
    case 'v':
    case 'd':
      return fmtInteger(f, n, 10, verb, false);
    case 'b':
      return fmtInteger(f, n, 2, verb, false);
    case 'o':
    case 'O':
      return fmtInteger(f, n, 8, verb, false);
    case 'x':
      return fmtInteger(f, n, 16, verb, false);
    case 'X':
      return fmtInteger(f, n, 16, verb, true);
    case 'c':
      return pad(f, validRune(n));
    case 'q':
      return pad(f, goQuoteRune(validRune(n), f.plus));
    case 'U': {
      const hex = BigInt.asUintN(64, n).toString(16).toUpperCase().padStart(f.prec ?? 4, '0');
      const u = `U+${hex}`;
      return pad(f, f.sharp && n >= 0n && n <= 0x10ffffn ? `${u} '${validRune(n)}'` : u, false);
    }
    default:
      return badVerb(f, verb, n);
  }
}

function validRune(n: bigint): string {
  const cp = Number(n);
  return n < 0n || n > 0x10ffffn || (cp >= 0xd800 && cp <= 0xdfff) ? '\ufffd' : String.fromCodePoint(cp);
}

function fmtFloat(f: Flags, x: number, verb: string): string {
  let format: 'e' | 'E' | 'f' | 'g' | 'G';
  let prec: number;
  switch (verb) {
    case 'v':
      format = 'g';
      prec = -1;
      break;
    case 'g':
    case 'G':
      format = verb;
      prec = -1;
      break;
    case 'f':
    case 'F':
    case 'e':
    case 'E':
      format = verb === 'F' ? 'f' : verb;
      prec = 6;
      break;
    case 'x':
    case 'X':
    case 'b':
      format = 'g';
      prec = -2;
      break;
    default:
      return badVerb(f, verb, x);
  }
  if (f.prec !== undefined && prec !== -2) prec = f.prec;
  let num = prec === -2 ? formatBinaryFloat(x, verb as 'b' | 'x' | 'X', f.prec) : formatFloat(x, format, prec);
  if (!num.startsWith('-') && !num.startsWith('+')) num = `+${num}`;
  if (f.space && num.startsWith('+') && !f.plus) num = ` ${num.slice(1)}`;
  if (num[1] === 'I' || num[1] === 'N') {
    if (num[1] === 'N' && !f.space && !f.plus) num = num.slice(1);
    return pad(f, num, false);
  }
  if (f.plus || !num.startsWith('+')) {
    if (f.zero && !f.minus && f.wid !== undefined && f.wid > num.length) return num[0] + '0'.repeat(f.wid - num.length) + num.slice(1);
    return pad(f, num);
  }
  return pad(f, num.slice(1));
}

function fmtString(f: Flags, s: string, verb: string): string {
  switch (verb) {
    case 'v':
      return f.sharpV ? pad(f, goQuoteString(s, false)) : pad(f, truncate(f, s));
    case 's':
      return pad(f, truncate(f, s));
    case 'q': {
      const t = truncate(f, s);
      // biome-ignore lint/suspicious/noControlCharactersInRegex: Go's strconv.CanBackquote refuses exactly these (controls but tab, DEL, BOM)
      if (f.sharp && !/[`\u0000-\u0008\u000a-\u001f\u007f\ufeff]/.test(t)) return pad(f, `\`${t}\``);
      return pad(f, goQuoteString(t, f.plus));
    }
    case 'x':
    case 'X': {
      if (s === '') return pad(f, '');
      const bytes = [...Buffer.from(truncate(f, s), 'utf8')].map((b) => b.toString(16).padStart(2, '0'));
      const prefix = f.sharp ? (verb === 'x' ? '0x' : '0X') : '';
      let out = f.space ? bytes.map((b) => prefix + b).join(' ') : prefix + bytes.join('');
      if (verb === 'X') out = out.toUpperCase();
      return pad(f, out);
    }
    default:
      return badVerb(f, verb, s);
  }
}

/** Go's printValue: how fmt prints a value, recursing into slices and maps. */
function printValue(f: Flags, v: GoValue, verb: string, depth: number): string {
  if (v === null) {
    if (depth > 0) return f.sharpV ? 'interface {}(nil)' : '<nil>';
    return verb === 'v' ? pad(f, '<nil>') : badVerb(f, verb, v);
  }
  switch (typeof v) {
    case 'boolean':
      return verb === 't' || verb === 'v' ? pad(f, String(v)) : badVerb(f, verb, v);
    case 'number':
      return fmtFloat(f, v, verb);
    case 'bigint':
      return fmtInt64(f, v, verb);
    case 'string':
      return fmtString(f, v, verb);
    default:
      break;
  }
  if (Array.isArray(v)) {
    const items = v.map((x) => printValue(f, x, verb, depth + 1));
    return f.sharpV ? `[]interface {}{${items.join(', ')}}` : `[${items.join(' ')}]`;
  }
  const entries = Object.keys(v)
    .sort(compareBytes)
    .map((k) => `${printValue(f, k, verb, depth + 1)}:${printValue(f, (v as Record<string, GoValue>)[k] as GoValue, verb, depth + 1)}`);
  return f.sharpV ? `map[string]interface {}{${entries.join(', ')}}` : `map[${entries.join(' ')}]`;
}

/** Prints one argument for a verb, as Go's pp.printArg. */
export function printArg(f: Flags, arg: GoValue, verb: string): string {
  if (verb === 'T') return pad(f, truncate(f, goTypeName(arg)));
  return printValue(f, arg, verb, 0);
}

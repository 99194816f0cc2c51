// Go's fmt.Sprintf over decoded JSON values, as P&T's string Format transform and string combine
// use it. A JSON number is a Go float64, so `%d` of one prints `%!d(float64=3)` exactly as P&T does.
// Supported: flags `+-# 0`, width, precision, `*`, `[n]` argument indexes, verbs v s q d t f F e E
// g G x X o O b c U T %, and Go's %!verb(type=value) / %!(EXTRA …) / (MISSING) / (NOVERB) forms.

import { formatFloat } from './go-float.ts';
import { goQuoteString, goQuoteRune } from './go-strconv.ts';
import { compareBytes, goTypeName, type GoValue } from './json-value.ts';

interface Flags {
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
  let num = prec === -2 ? binaryFloat(x, verb, f) : formatFloat(x, format, prec);
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

/** %b (decimal mantissa, binary exponent) and %x/%X (hexadecimal mantissa) of a float64. */
function binaryFloat(x: number, verb: string, f: Flags): string {
  const sign = x < 0 || Object.is(x, -0) ? '-' : '';
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : `${x > 0 ? '+' : '-'}Inf`;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const bits = view.getBigUint64(0);
  const expBits = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let exp = expBits - 1075;
  if (expBits === 0) exp = -1074;
  else mant |= 1n << 52n;
  if (verb === 'b') return `${sign}${mant}p${exp >= 0 ? '+' : ''}${exp}`;
  if (mant === 0n) return verb === 'X' ? `${sign}0X0P+00` : `${sign}0x0p+00`;
  // Normalise to 1.hhhh × 2^e with the leading 1 at bit 52 (subnormals shifted up).
  while (mant < 1n << 52n) {
    mant <<= 1n;
    exp--;
  }
  exp += 52;
  let frac = (mant & 0xfffffffffffffn).toString(16).padStart(13, '0');
  frac = f.prec !== undefined ? roundHex(frac, f.prec, (d) => (exp += d)) : frac.replace(/0+$/, '');
  const lead = frac.startsWith('!') ? '2' : '1';
  frac = frac.replace('!', '');
  let out = `${sign}0x${lead}${frac ? `.${frac}` : ''}p${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  if (lead === '2') out = out.replace('0x2', '0x1');
  return verb === 'X' ? out.toUpperCase() : out;
}

/** Rounds hex fraction digits to prec places, half to even; a carry into the integer bumps the exponent. */
function roundHex(frac: string, prec: number, bump: (d: number) => void): string {
  if (prec >= frac.length) return frac.padEnd(prec, '0');
  const value = BigInt(`0x1${frac}`);
  const drop = BigInt((frac.length - prec) * 4);
  const half = 1n << (drop - 1n);
  const rem = value & ((1n << drop) - 1n);
  let kept = value >> drop;
  if (rem > half || (rem === half && (kept & 1n) === 1n)) kept++;
  if (kept >> BigInt(prec * 4) === 2n) {
    bump(1);
    kept >>= 1n;
  }
  return prec === 0 ? '' : (kept & ((1n << BigInt(prec * 4)) - 1n)).toString(16).padStart(prec, '0');
}

function fmtString(f: Flags, s: string, verb: string): string {
  switch (verb) {
    case 'v':
      return f.sharpV ? pad(f, goQuoteString(s, false)) : pad(f, truncate(f, s));
    case 's':
      return pad(f, truncate(f, s));
    case 'q': {
      const t = truncate(f, s);
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

function printArg(f: Flags, arg: GoValue, verb: string): string {
  if (verb === 'T') return pad(f, truncate(f, goTypeName(arg)));
  return printValue(f, arg, verb, 0);
}

const MAX_NUM = 1e6;

function parseNum(s: string, i: number): { num?: number; next: number } {
  let j = i;
  let num = 0;
  while (j < s.length && s[j] !== undefined && (s[j] as string) >= '0' && (s[j] as string) <= '9') {
    num = num * 10 + Number(s[j]);
    if (num > MAX_NUM) return { next: s.length };
    j++;
  }
  return j > i ? { num, next: j } : { next: j };
}

/** Go's fmt.Sprintf(format, ...args). */
export function goSprintf(format: string, args: readonly GoValue[]): string {
  let out = '';
  let argNum = 0;
  let reordered = false;
  let i = 0;
  const end = format.length;
  while (i < end) {
    let goodArgNum = true;
    const lasti = i;
    while (i < end && format[i] !== '%') i++;
    if (i > lasti) out += format.slice(lasti, i);
    if (i >= end) break;
    i++;
    const f: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false, sharpV: false, plusV: false };
    for (; i < end; i++) {
      const c = format[i];
      if (c === '#') f.sharp = true;
      else if (c === '0') f.zero = !f.minus;
      else if (c === '+') f.plus = true;
      else if (c === '-') {
        f.minus = true;
        f.zero = false;
      } else if (c === ' ') f.space = true;
      else break;
    }
    const argNumber = (at: number): { at: number; found: boolean } => {
      if (at >= end || format[at] !== '[') return { at, found: false };
      reordered = true;
      const close = format.indexOf(']', at + 1);
      if (format.length - at < 3 || close < 0) {
        goodArgNum = false;
        return { at: at + 1, found: false };
      }
      const { num, next } = parseNum(format, at + 1);
      if (num === undefined || next !== close) {
        goodArgNum = false;
        return { at: close + 1, found: false };
      }
      if (num - 1 >= 0 && num - 1 < args.length) {
        argNum = num - 1;
        return { at: close + 1, found: true };
      }
      goodArgNum = false;
      return { at: close + 1, found: true };
    };
    const starArg = (): number | undefined => {
      const a = args[argNum];
      if (argNum >= args.length || typeof a !== 'bigint' || a > BigInt(MAX_NUM) || a < -BigInt(MAX_NUM)) {
        if (argNum < args.length) argNum++;
        return undefined;
      }
      argNum++;
      return Number(a);
    };
    let idx = argNumber(i);
    i = idx.at;
    let afterIndex = idx.found;
    if (i < end && format[i] === '*') {
      i++;
      const w = starArg();
      if (w === undefined) out += '%!(BADWIDTH)';
      else if (w < 0) {
        f.wid = -w;
        f.minus = true;
        f.zero = false;
      } else f.wid = w;
      afterIndex = false;
    } else {
      const { num, next } = parseNum(format, i);
      i = next;
      if (num !== undefined) {
        f.wid = num;
        if (afterIndex) goodArgNum = false;
      }
    }
    if (i + 1 < end && format[i] === '.') {
      i++;
      if (afterIndex) goodArgNum = false;
      idx = argNumber(i);
      i = idx.at;
      afterIndex = idx.found;
      if (i < end && format[i] === '*') {
        i++;
        const p = starArg();
        if (p === undefined || p < 0) out += '%!(BADPREC)';
        else f.prec = p;
        afterIndex = false;
      } else {
        const { num, next } = parseNum(format, i);
        i = next;
        f.prec = num ?? 0;
      }
    }
    if (!afterIndex) {
      idx = argNumber(i);
      i = idx.at;
    }
    if (i >= end) {
      out += '%!(NOVERB)';
      break;
    }
    const verb = String.fromCodePoint(format.codePointAt(i) ?? 0);
    i += verb.length;
    if (verb === '%') out += '%';
    else if (!goodArgNum) out += `%!${verb}(BADINDEX)`;
    else if (argNum >= args.length) out += `%!${verb}(MISSING)`;
    else {
      if (verb === 'v') {
        f.sharpV = f.sharp;
        f.sharp = false;
        f.plusV = f.plus;
        f.plus = false;
      }
      out += printArg(f, args[argNum] as GoValue, verb);
      argNum++;
    }
  }
  if (!reordered && argNum < args.length) {
    const plain: Flags = { plus: false, minus: false, sharp: false, space: false, zero: false, sharpV: false, plusV: false };
    const extras = args.slice(argNum).map((a) => (a === null ? '<nil>' : `${goTypeName(a)}=${printArg(plain, a, 'v')}`));
    out += `%!(EXTRA ${extras.join(', ')})`;
  }
  return out;
}

/** Go's fmt.Sprintf("%v", v). */
export function goSprintV(v: GoValue): string {
  return goSprintf('%v', [v]);
}

// Go's fmt.Sprintf over decoded JSON values, as P&T's string Format transform and string combine
// use it. Supported: flags `+-# 0`, width, precision, `*`, `[n]` argument indexes, verbs v s q d t
// f F e E g G x X o O b c U T %, and Go's %!verb(type=value) / %!(EXTRA …) / (MISSING) / (NOVERB)
// forms. Not supported: the '#' flag's effect on floats.

import { printArg, type Flags } from './go-fmt.ts';
import { goTypeName, type GoValue } from './json-value.ts';

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

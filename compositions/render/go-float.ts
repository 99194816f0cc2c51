// Go's strconv.FormatFloat for 64-bit floats ('e', 'E', 'f', 'g', 'G'; precision -1 for the
// shortest representation that reads back the same), with Go's round-half-even on the exact
// binary value. JS's own toFixed/toPrecision round differently on exact ties.

/** Significant digits (no leading or trailing zeros) and the decimal point position: 0.d × 10^dp. */
interface Decimal {
  d: string;
  dp: number;
}

function trimZeros(dec: Decimal): Decimal {
  let d = dec.d.replace(/0+$/, '');
  let dp = dec.dp;
  const lead = d.length - d.replace(/^0+/, '').length;
  d = d.slice(lead);
  dp -= lead;
  return d === '' ? { d: '', dp: 0 } : { d, dp };
}

/** The exact decimal expansion of a finite, non-negative double. */
function exactDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 };
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigUint64(0);
  const exp = Number((bits >> 52n) & 0x7ffn);
  let mant = bits & 0xfffffffffffffn;
  let e2: number;
  if (exp === 0) e2 = -1074;
  else {
    mant |= 1n << 52n;
    e2 = exp - 1075;
  }
  if (e2 >= 0) {
    const digits = (mant << BigInt(e2)).toString();
    return trimZeros({ d: digits, dp: digits.length });
  }
  const digits = (mant * 5n ** BigInt(-e2)).toString();
  return trimZeros({ d: digits, dp: digits.length + e2 });
}

/** Shortest digits that read back as x (JS and Go agree on these). */
function shortestDecimal(x: number): Decimal {
  if (x === 0) return { d: '', dp: 0 };
  const [mant = '', e = '0'] = x.toExponential().split('e');
  return trimZeros({ d: mant.replace('.', ''), dp: Number(e) + 1 });
}

/** Rounds to nd significant digits, ties to even, as Go's decimal.Round. */
function roundDecimal(dec: Decimal, nd: number): Decimal {
  if (nd < 0 || nd >= dec.d.length) return nd < 0 ? { d: '', dp: 0 } : dec;
  const next = dec.d.charCodeAt(nd) - 48;
  let up: boolean;
  if (next === 5 && nd + 1 === dec.d.length) up = nd > 0 && (dec.d.charCodeAt(nd - 1) - 48) % 2 === 1;
  else up = next >= 5;
  if (!up) return trimZeros({ d: dec.d.slice(0, nd), dp: dec.dp });
  const digits = dec.d.slice(0, nd).split('').map(Number);
  let i = digits.length - 1;
  for (; i >= 0 && digits[i] === 9; i--) digits[i] = 0;
  if (i < 0) return { d: '1', dp: dec.dp + 1 };
  digits[i] = (digits[i] ?? 0) + 1;
  return trimZeros({ d: digits.slice(0, i + 1).join(''), dp: dec.dp });
}

function fmtE(dec: Decimal, prec: number, e: string): string {
  let out = dec.d.length > 0 ? (dec.d[0] as string) : '0';
  if (prec > 0) {
    out += '.';
    const frac = dec.d.slice(1, Math.min(dec.d.length, prec + 1));
    out += frac + '0'.repeat(prec - frac.length);
  }
  const exp = dec.d.length === 0 ? 0 : dec.dp - 1;
  const abs = Math.abs(exp);
  return `${out}${e}${exp < 0 ? '-' : '+'}${abs < 10 ? `0${abs}` : abs}`;
}

function fmtF(dec: Decimal, prec: number): string {
  let out = '';
  if (dec.dp > 0) {
    const m = Math.min(dec.d.length, dec.dp);
    out = dec.d.slice(0, m) + '0'.repeat(dec.dp - m);
  } else out = '0';
  if (prec > 0) {
    out += '.';
    for (let i = 1; i <= prec; i++) {
      const j = dec.dp + i - 1;
      out += j >= 0 && j < dec.d.length ? dec.d[j] : '0';
    }
  }
  return out;
}

export type FloatFormat = 'e' | 'E' | 'f' | 'g' | 'G';

/** Go's strconv.FormatFloat(x, format, prec, 64). */
export function formatFloat(x: number, format: FloatFormat, prec: number): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '+Inf' : '-Inf';
  const neg = x < 0 || Object.is(x, -0);
  const body = formatAbs(Math.abs(x), format, prec);
  return neg ? `-${body}` : body;
}

function formatAbs(x: number, format: FloatFormat, prec: number): string {
  const shortest = prec < 0;
  let dec: Decimal;
  if (shortest) {
    dec = shortestDecimal(x);
    if (format === 'e' || format === 'E') prec = Math.max(dec.d.length - 1, 0);
    else if (format === 'f') prec = Math.max(dec.d.length - dec.dp, 0);
    else prec = dec.d.length;
  } else {
    const exact = exactDecimal(x);
    if (format === 'e' || format === 'E') dec = roundDecimal(exact, prec + 1);
    else if (format === 'f') dec = roundDecimal(exact, exact.dp + prec);
    else {
      if (prec === 0) prec = 1;
      dec = roundDecimal(exact, prec);
    }
  }
  if (format === 'e' || format === 'E') return fmtE(dec, prec, format);
  if (format === 'f') return fmtF(dec, prec);
  let eprec = prec;
  if (eprec > dec.d.length && dec.d.length >= dec.dp) eprec = dec.d.length;
  if (shortest) eprec = 6;
  const exp = dec.dp - 1;
  if (dec.d.length > 0 && (exp < -4 || exp >= eprec)) {
    if (prec > dec.d.length) prec = dec.d.length;
    return fmtE(dec, prec - 1, format === 'g' ? 'e' : 'E');
  }
  if (prec > dec.dp) prec = dec.d.length;
  return fmtF(dec, Math.max(prec - dec.dp, 0));
}

/** %b (decimal mantissa, binary exponent) and %x/%X (hexadecimal mantissa) of a float64. */
export function formatBinaryFloat(x: number, verb: 'b' | 'x' | 'X', precision: number | undefined): string {
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
  frac = precision !== undefined ? roundHex(frac, precision, (d) => (exp += d)) : frac.replace(/0+$/, '');
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

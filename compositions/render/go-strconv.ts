// The parts of Go's strconv that P&T's transforms reach: Quote, ParseInt, ParseBool, ParseFloat,
// with Go's error texts (`strconv.ParseInt: parsing "x": invalid syntax`).

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

function escapeRune(ch: string, quote: string, asciiOnly: boolean): string {
  const cp = ch.codePointAt(0) ?? 0;
  if (ch === quote || ch === '\\') return `\\${ch}`;
  if (asciiOnly ? cp < 0x80 && PRINTABLE.test(ch) : PRINTABLE.test(ch)) return ch;
  switch (ch) {
    case '\x07':
      return '\\a';
    case '\b':
      return '\\b';
    case '\f':
      return '\\f';
    case '\n':
      return '\\n';
    case '\r':
      return '\\r';
    case '\t':
      return '\\t';
    case '\v':
      return '\\v';
    default:
      break;
  }
  if (cp < 0x20 || cp === 0x7f) return `\\x${cp.toString(16).padStart(2, '0')}`;
  if (cp >= 0xd800 && cp <= 0xdfff) return '\\ufffd';
  if (cp < 0x10000) return `\\u${cp.toString(16).padStart(4, '0')}`;
  return `\\U${cp.toString(16).padStart(8, '0')}`;
}

/** Go's strconv.Quote (or QuoteToASCII). */
export function goQuoteString(s: string, asciiOnly: boolean): string {
  let out = '"';
  for (const ch of s) out += escapeRune(ch, '"', asciiOnly);
  return `${out}"`;
}

/** Go's strconv.QuoteRune (or QuoteRuneToASCII). */
export function goQuoteRune(ch: string, asciiOnly: boolean): string {
  return `'${escapeRune(ch, "'", asciiOnly)}'`;
}

function numError(fn: string, s: string, reason: string): Error {
  return new Error(`strconv.${fn}: parsing ${goQuoteString(s, false)}: ${reason}`);
}

const INT64_MAX = (1n << 63n) - 1n;
const INT64_MIN = -(1n << 63n);

/** Go's strconv.ParseInt(s, 10, 64), as a bigint (a Go int64). */
export function goParseInt(s: string): bigint {
  if (!/^[+-]?\d+$/.test(s)) throw numError('ParseInt', s, 'invalid syntax');
  const n = BigInt(s);
  if (n > INT64_MAX || n < INT64_MIN) throw numError('ParseInt', s, 'value out of range');
  return n;
}

/** Go's strconv.ParseBool. */
export function goParseBool(s: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(s)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(s)) return false;
  throw numError('ParseBool', s, 'invalid syntax');
}

/** Go's strconv.ParseFloat(s, 64) for decimal, special and hexadecimal (with p exponent) forms. */
export function goParseFloat(s: string): number {
  const special = /^([+-]?)(inf|infinity|nan)$/i.exec(s);
  if (special) {
    if ((special[2] ?? '').toLowerCase() === 'nan') {
      if (special[1] !== '') throw numError('ParseFloat', s, 'invalid syntax');
      return Number.NaN;
    }
    return special[1] === '-' ? -Infinity : Infinity;
  }
  let value: number;
  const hex = /^([+-]?)0[xX]((?:_?[0-9a-fA-F])*)\.?([0-9a-fA-F_]*)[pP]([+-]?\d+)$/.exec(s);
  if (hex) {
    const intPart = (hex[2] ?? '').replaceAll('_', '');
    const frac = (hex[3] ?? '').replaceAll('_', '');
    if (intPart === '' && frac === '') throw numError('ParseFloat', s, 'invalid syntax');
    const mant = Number.parseInt(`${intPart}${frac}` || '0', 16) / 16 ** frac.length;
    value = mant * 2 ** Number(hex[4]) * (hex[1] === '-' ? -1 : 1);
  } else {
    if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) throw numError('ParseFloat', s, 'invalid syntax');
    value = Number(s);
  }
  if (!Number.isFinite(value)) throw numError('ParseFloat', s, 'value out of range');
  return value;
}

// Kubernetes resource.ParseQuantity followed by AsApproximateFloat64, as P&T's convert transform
// with format "quantity" uses them: "250m" → 0.25, "1.5Gi" → 1610612736, "1e3" → 1000.

const FORMAT_WRONG = "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";
const SUFFIX_WRONG = "unable to parse quantity's suffix";

const DECIMAL_SUFFIXES: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIXES: Record<string, number> = { Ki: 10, Mi: 20, Gi: 30, Ti: 40, Pi: 50, Ei: 60 };
const INT64_MAX = (1n << 63n) - 1n;

interface Parts {
  positive: boolean;
  num: string;
  denom: string;
  suffix: string;
}

function splitQuantity(str: string): Parts {
  let pos = 0;
  let positive = true;
  if (str[0] === '-' || str[0] === '+') {
    positive = str[0] === '+';
    pos++;
  }
  while (str[pos] === '0') pos++;
  const numMatch = /^\d*/.exec(str.slice(pos))?.[0] ?? '';
  pos += numMatch.length;
  let denom = '';
  if (str[pos] === '.') {
    denom = /^\d*/.exec(str.slice(pos + 1))?.[0] ?? '';
    pos += 1 + denom.length;
  }
  const suffix = str.slice(pos);
  if (!/^[eEinumkKMGTP]*[-+]?\d*$/.test(suffix)) throw new Error(FORMAT_WRONG);
  return { positive, num: numMatch || '0', denom, suffix };
}

function interpretSuffix(suffix: string): { base: 2 | 10; exponent: number } {
  if (Object.hasOwn(DECIMAL_SUFFIXES, suffix)) return { base: 10, exponent: DECIMAL_SUFFIXES[suffix] as number };
  if (Object.hasOwn(BINARY_SUFFIXES, suffix)) return { base: 2, exponent: BINARY_SUFFIXES[suffix] as number };
  if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[-+]?\d+$/.test(suffix.slice(1))) {
    return { base: 10, exponent: Number(suffix.slice(1)) };
  }
  throw new Error(SUFFIX_WRONG);
}

/** base × 10^exponent, computed as Go's AsApproximateFloat64 does. */
function approximate(unscaled: bigint, exponent: number): number {
  const base = Number(unscaled);
  return exponent === 0 ? base : base * 10 ** exponent;
}

export function parseQuantity(str: string): number {
  if (str.length === 0) throw new Error(FORMAT_WRONG);
  if (str === '0') return 0;
  const { positive, num, denom, suffix } = splitQuantity(str);
  const { base, exponent } = interpretSuffix(suffix);
  const sign = positive ? 1n : -1n;
  let digits = BigInt(num + denom);
  // The exact value is digits × 10^-len(denom), times 10^exponent or 2^exponent.
  if (base === 2) digits *= 1n << BigInt(exponent);
  let scale = denom.length - (base === 10 ? exponent : 0);
  // Values finer than nano units round up (away from zero); binary values are capped at int64.
  if (scale > 9 && digits !== 0n) {
    const div = 10n ** BigInt(scale - 9);
    digits = (digits + div - 1n) / div;
    scale = 9;
  }
  if (base === 2 && (scale <= 0 ? digits * 10n ** BigInt(-scale) : digits / 10n ** BigInt(scale)) > INT64_MAX) {
    digits = INT64_MAX;
    scale = 0;
  }
  return approximate(sign * digits, -scale);
}

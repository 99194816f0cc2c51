/**
 * Go's duration syntax (time.ParseDuration), which provider-nop's conditionAfter[].time uses: an optional sign,
 * then one or more decimal numbers each with a unit (ns, us, µs, ms, s, m, h), or a bare "0". "1m30s", "2.5s",
 * "500ms" and "0" are durations; "30", "1d" and "" are not.
 */
export const GO_DURATION_PATTERN = '^[-+]?(0|(([0-9]+(\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+)$';

const WHOLE = new RegExp(GO_DURATION_PATTERN);
const UNIT_MS: Readonly<Record<string, number>> = { ns: 1e-6, us: 1e-3, 'µs': 1e-3, 'μs': 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 };
const COMPONENT = /([0-9]+(?:\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)/g;

/** The duration in milliseconds (fractions kept), or undefined when text is not one. */
export function parseGoDuration(text: string): number | undefined {
  if (!WHOLE.test(text)) return undefined;
  const sign = text.startsWith('-') ? -1 : 1;
  const body = text.replace(/^[-+]/, '');
  if (body === '0') return 0;
  let total = 0;
  for (const [, number, unit] of body.matchAll(COMPONENT)) total += Number(number) * (UNIT_MS[unit ?? ''] ?? Number.NaN);
  return Number.isFinite(total) ? sign * total : undefined;
}

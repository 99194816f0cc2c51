import { ConfigError } from '../errors/index.ts';

/**
 * Chaos hook for the crash-safety tests: PLEDGE_CRASH_POINTS="after-create:0.5,before-create:0.3" makes
 * the process SIGKILL itself at those points with those probabilities. Unset (always, outside tests),
 * it does nothing.
 */
export const CRASH_POINTS = ['before-create', 'after-create', 'after-create-recorded'] as const;
export type CrashPoint = (typeof CRASH_POINTS)[number];

/**
 * Parses PLEDGE_CRASH_POINTS. A misspelt point or a bad probability is refused: silently ignoring it
 * would make a crash test pass without a single crash.
 */
export function parseCrashPoints(text: string): ReadonlyMap<CrashPoint, number> {
  const out = new Map<CrashPoint, number>();
  for (const entry of text.split(',').map((e) => e.trim()).filter(Boolean)) {
    const [point = '', p = '1', ...rest] = entry.split(':').map((part) => part.trim());
    const known = CRASH_POINTS.find((c) => c === point);
    if (known === undefined) throw new ConfigError(`PLEDGE_CRASH_POINTS: unknown crash point "${point}" (known: ${CRASH_POINTS.join(', ')})`);
    const probability = p === '' ? NaN : Number(p);
    if (rest.length > 0 || !(probability >= 0 && probability <= 1)) {
      throw new ConfigError(`PLEDGE_CRASH_POINTS: "${entry}" must be <point> or <point>:<probability from 0 to 1>`);
    }
    out.set(known, probability);
  }
  return out;
}

const configured = parseCrashPoints(process.env.PLEDGE_CRASH_POINTS ?? '');

export function crashPoint(point: CrashPoint): void {
  const p = configured.get(point);
  if (p !== undefined && Math.random() < p) {
    process.stderr.write(`pledge: crash point ${point} reached, killing myself\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

/**
 * Chaos hook for the crash-safety tests: PLEDGE_CRASH_POINTS="after-create:0.5,before-create:0.3" makes
 * the process SIGKILL itself at those points with those probabilities. Unset (always, outside tests),
 * it does nothing.
 */
export type CrashPoint = 'before-create' | 'after-create' | 'after-create-recorded';

const configured: ReadonlyMap<string, number> = new Map(
  (process.env.PLEDGE_CRASH_POINTS ?? '')
    .split(',')
    .map((entry) => entry.trim())
    .filter(Boolean)
    .map((entry) => {
      const [point = '', p = '1'] = entry.split(':');
      return [point, Number(p)] as const;
    }),
);

export function crashPoint(point: CrashPoint): void {
  const p = configured.get(point);
  if (p !== undefined && Math.random() < p) {
    process.stderr.write(`pledge: crash point ${point} reached, killing myself\n`);
    process.kill(process.pid, 'SIGKILL');
  }
}

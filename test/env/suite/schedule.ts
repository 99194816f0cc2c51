// When each file of the suite runs. The unit files (no environment) side by side while the lanes start; then
// the files that must run alone, one after another; then the end-to-end files side by side, the longest first,
// so the run ends when the last long file ends rather than when a long file started last does; last the files
// under a folder named `zz-after-all`, once every other file has finished (they check the whole run).

/**
 * Files that hold the code to timings against a fixed slack of a few milliseconds to a fraction of a second:
 * on two cores, other files' processes beside them move the instants they measure. They run with nothing
 * else of the suite beside them, as every file did when the suite ran one file at a time.
 */
export const RUNS_ALONE: Readonly<Record<string, string>> = {
  'core/runtime/queue/token-bucket.test.ts': 'calls released by the real clock, within 2 to 20 ms',
  'test/integration/cloud-faults.test.ts': 'bursts the cloud saw, within 250 ms of timing slack',
  'test/integration/throttle-fairness.test.ts': 'time to Ready beside a throttled ProviderConfig, within 20 % + 750 ms of alone',
};

export type SchedulePlan = {
  /** Unit files: side by side, without an environment, while the lanes start. */
  unit: string[];
  /** One after another with nothing else running; `environment: false` for a unit file. */
  alone: Array<{ file: string; environment: boolean }>;
  /** Side by side, each file taken by the next free lane, in this order. */
  parallel: string[];
  /** One after another once every other file has finished. */
  afterAll: string[];
};

export type PlanOptions = {
  /** Files that need no environment. */
  unitFiles: readonly string[];
  /** Files that run in a lane's environment. */
  envFiles: readonly string[];
  /** How long an environment file is expected to take, in ms. */
  expectedMs(file: string): number;
  /** Default: RUNS_ALONE. */
  runsAlone?: Readonly<Record<string, string>>;
};

const AFTER_ALL = /(^|\/)zz-after-all\//;

export function isAfterAll(file: string): boolean {
  return AFTER_ALL.test(file);
}

const byPath = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function planSchedule(options: PlanOptions): SchedulePlan {
  const runsAlone = options.runsAlone ?? RUNS_ALONE;
  const unitFiles = [...new Set(options.unitFiles)].sort(byPath);
  const unitSet = new Set(unitFiles);
  const envFiles = [...new Set(options.envFiles)].filter((f) => !unitSet.has(f)).sort(byPath);
  const alone = (f: string) => runsAlone[f] !== undefined && !isAfterAll(f);
  const parallel = envFiles
    .filter((f) => !alone(f) && !isAfterAll(f))
    .map((file) => ({ file, ms: options.expectedMs(file) }))
    .sort((a, b) => b.ms - a.ms || byPath(a.file, b.file))
    .map((f) => f.file);
  return {
    unit: unitFiles.filter((f) => !alone(f)),
    alone: [...unitFiles.filter(alone).map((file) => ({ file, environment: false })), ...envFiles.filter(alone).map((file) => ({ file, environment: true }))],
    parallel,
    // After-all files keep the test runner's path order, as they did under a single `node --test`.
    afterAll: envFiles.filter(isAfterAll),
  };
}

/** A queue the lanes take files from; `take` returns undefined once it is empty. */
export function fileQueue(files: readonly string[]): { take(): string | undefined; left(): number } {
  const pending = [...files];
  return { take: () => pending.shift(), left: () => pending.length };
}

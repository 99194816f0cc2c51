// How long each end-to-end file is expected to take, so the scheduler can start the longest first: the
// recent runs' times on this machine (kept in the cache, outside the clone), else the times measured when
// the parallel suite was introduced, else a middling guess for a file never timed.
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export const DURATIONS_DEFAULTS = {
  /**
   * A file neither timed here nor in MEASURED_SECONDS is taken for a long one: started early, a short file
   * costs nothing (its lane takes the next), while a long one started last would hold up the whole run.
   */
  unknownMs: 100_000,
} as const;

/** Seconds on a busy 2-core machine, one file at a time (files added since: in lanes); files under 5 s left out. */
const MEASURED_SECONDS: Readonly<Record<string, number>> = {
  'test/integration/crash-safety.test.ts': 150,
  'test/integration/throttling.test.ts': 121,
  'test/integration/cloud-faults.test.ts': 101,
  'test/integration/leader-election.test.ts': 81,
  'test/integration/azure-storage.test.ts': 52,
  'test/integration/compositions.test.ts': 43,
  'test/integration/one-runtime.test.ts': 40,
  'test/integration/s3-bucket-settings.test.ts': 39,
  'test/integration/nop-resource.test.ts': 30,
  'test/integration/bench-scale-smoke.test.ts': 30,
  'test/integration/core-policies.test.ts': 29,
  'test/integration/rds-db-instance.test.ts': 24,
  'test/integration/gcp-bucket.test.ts': 23,
  'test/integration/compositions-clouds.test.ts': 20,
  'test/integration/s3-bucket.test.ts': 18,
  'test/integration/metrics.test.ts': 9,
  'test/providers/aws-db-instance-cloudsim.test.ts': 9,
  'test/cloudsim/azure.test.ts': 9,
  'test/zz-after-all/secret-safety.test.ts': 8,
  'test/providers/azure-storage.test.ts': 6,
  'test/env/environment.test.ts': 6,
};

export type Durations = {
  expectedMs(file: string): number;
  /** Remembers how long a file took this time, averaged with the times before (kept once `save` is called). */
  record(file: string, ms: number): void;
  save(): Promise<void>;
};

/** Durations from `path` (a JSON object of file → ms) when it exists; `save` writes them back there. */
export async function loadDurations(path: string): Promise<Durations> {
  const history = new Map<string, number>(Object.entries(await readHistory(path)));
  return {
    expectedMs: (file) => history.get(file) ?? (MEASURED_SECONDS[file] ?? DURATIONS_DEFAULTS.unknownMs / 1000) * 1000,
    // Half the last time and half this one: one run on a busy machine does not reorder everything.
    record: (file, ms) => void history.set(file, Math.round((ms + (history.get(file) ?? ms)) / 2)),
    async save() {
      await mkdir(dirname(path), { recursive: true });
      const temp = `${path}.${process.pid}.tmp`;
      await writeFile(temp, `${JSON.stringify(Object.fromEntries([...history].sort(([a], [b]) => (a < b ? -1 : 1))), null, 1)}\n`);
      await rename(temp, path);
    },
  };
}

async function readHistory(path: string): Promise<Record<string, number>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err: unknown) {
    if (err instanceof Error && 'code' in err && err.code === 'ENOENT') return {};
    throw err;
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return {};
    return Object.fromEntries(Object.entries(parsed).filter((e): e is [string, number] => typeof e[1] === 'number' && Number.isFinite(e[1])));
  } catch {
    // A history cut short (a run killed while saving it) only costs the scheduler its hints.
    return {};
  }
}

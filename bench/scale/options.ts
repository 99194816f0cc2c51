// bench/scale/run.ts's command line, with its defaults in one place.
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CREATOR_DEFAULTS } from './creator.ts';
import { REPO, type ControllerName, type KindName } from './kinds.ts';

export const BENCH_DEFAULTS = {
  n: 100,
  concurrency: CREATOR_DEFAULTS.concurrency,
  /** Added by cloudsim to every call of the kind's service. */
  cloudLatencyMs: 50,
  /** With the controller up and nothing to reconcile, before RSS empty is read. */
  emptySeconds: 10,
  /** After all Ready, before RSS at rest is read and the rest window starts. */
  restAfterSeconds: 30,
  /** The window for CPU per minute, API requests and cloud calls at rest. */
  restSeconds: 60,
} as const;

export const USAGE = `usage: node bench/scale/run.ts --controller pledge|provider-nop [--n N] [--tuned] [--kind nop|gcs|s3] [--claims M]
  [--concurrency ${BENCH_DEFAULTS.concurrency}] [--cloud-latency-ms ${BENCH_DEFAULTS.cloudLatencyMs}] [--poll-seconds S]
  [--empty-seconds ${BENCH_DEFAULTS.emptySeconds}] [--rest-after-seconds ${BENCH_DEFAULTS.restAfterSeconds}] [--rest-seconds ${BENCH_DEFAULTS.restSeconds}]
  [--timeout-seconds T] [--cleanup] [--out bench/results] [--no-record]
run it inside the test environment: PLEDGE_TEST_AUDIT=1 node test/env/run.ts -- node bench/scale/run.ts ...`;

export interface BenchOptions {
  controller: ControllerName;
  n: number;
  tuned: boolean;
  kind: KindName;
  /** Claims composing 3 NopResources each (Pledge only); replaces n. */
  claims?: number;
  concurrency: number;
  cloudLatencyMs: number;
  pollSeconds?: number;
  emptySeconds: number;
  restAfterSeconds: number;
  restSeconds: number;
  timeoutSeconds: number;
  /** Delete what was created (the controller still running) and wait until it is gone: for a shared environment. */
  cleanup: boolean;
  out: string;
  record: boolean;
  resultsPath: string;
}

export class OptionsError extends Error {}

function count(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min) throw new OptionsError(`--${name}: expected a number >= ${min}, got ${JSON.stringify(value)}`);
  return n;
}

export function parseOptions(argv: string[]): BenchOptions {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (err: unknown) {
    throw new OptionsError(err instanceof Error ? err.message : String(err));
  }
  const v = parsed.values;
  if (v.controller !== 'pledge' && v.controller !== 'provider-nop') throw new OptionsError(`--controller: expected pledge or provider-nop, got ${JSON.stringify(v.controller)}`);
  const kind = v.kind ?? 'nop';
  if (kind !== 'nop' && kind !== 'gcs' && kind !== 's3') throw new OptionsError(`--kind: expected nop, gcs or s3, got ${JSON.stringify(kind)}`);
  const n = count('n', v.n, 1) ?? BENCH_DEFAULTS.n;
  const claims = count('claims', v.claims, 1);
  const objects = claims ?? n;
  return {
    controller: v.controller,
    n,
    tuned: v.tuned ?? false,
    kind,
    claims,
    concurrency: count('concurrency', v.concurrency, 1) ?? BENCH_DEFAULTS.concurrency,
    cloudLatencyMs: count('cloud-latency-ms', v['cloud-latency-ms'], 0) ?? BENCH_DEFAULTS.cloudLatencyMs,
    pollSeconds: count('poll-seconds', v['poll-seconds'], 1),
    emptySeconds: count('empty-seconds', v['empty-seconds'], 0) ?? BENCH_DEFAULTS.emptySeconds,
    restAfterSeconds: count('rest-after-seconds', v['rest-after-seconds'], 0) ?? BENCH_DEFAULTS.restAfterSeconds,
    restSeconds: count('rest-seconds', v['rest-seconds'], 1) ?? BENCH_DEFAULTS.restSeconds,
    // provider-nop at its defaults reconciles about one resource a second.
    timeoutSeconds: count('timeout-seconds', v['timeout-seconds'], 1) ?? Math.max(300, 3 * objects),
    cleanup: v.cleanup ?? false,
    out: v.out ?? join(REPO, 'bench', 'results'),
    record: !(v['no-record'] ?? false),
    resultsPath: join(REPO, 'bench', 'RESULTS.md'),
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    options: {
      controller: { type: 'string' },
      n: { type: 'string' },
      tuned: { type: 'boolean' },
      kind: { type: 'string' },
      claims: { type: 'string' },
      concurrency: { type: 'string' },
      'cloud-latency-ms': { type: 'string' },
      'poll-seconds': { type: 'string' },
      'empty-seconds': { type: 'string' },
      'rest-after-seconds': { type: 'string' },
      'rest-seconds': { type: 'string' },
      'timeout-seconds': { type: 'string' },
      cleanup: { type: 'boolean' },
      out: { type: 'string' },
      'no-record': { type: 'boolean' },
    },
  });
}

import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, type SupervisedChild } from './supervised-child.ts';

export type WaitUntilOptions = {
  /** What is awaited, for the error message: "etcd to be healthy". */
  what: string;
  timeoutMs: number;
  /** The first wait between checks; each next one is 1.5 times longer, up to maxIntervalMs. Default 50 ms. */
  intervalMs?: number;
  /** Default 500 ms. A cheap check (a local file, a loopback GET) can afford a shorter one and notice sooner. */
  maxIntervalMs?: number;
  signal?: AbortSignal;
  /** Fail at once, with the tail of its log, if this child exits while waiting. */
  child?: SupervisedChild;
};

/** Polls check until it resolves true. A check that throws counts as "not yet"; its last error is reported on timeout. */
export async function waitUntil(check: () => Promise<boolean>, options: WaitUntilOptions): Promise<void> {
  const { what, timeoutMs, signal, child } = options;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = '';
  const maxInterval = options.maxIntervalMs ?? 500;
  let interval = Math.min(options.intervalMs ?? 50, maxInterval);
  for (;;) {
    signal?.throwIfAborted();
    if (child?.hasExited()) {
      const exit = await child.exited;
      throw new Error(`${child.name} ${describeExit(exit)} while waiting for ${what}; last lines of ${child.logPath}:\n${await child.logTail()}`);
    }
    try {
      if (await check()) return;
      lastProblem = '';
    } catch (err: unknown) {
      lastProblem = err instanceof Error ? err.message : String(err);
    }
    if (Date.now() >= deadline) {
      const tail = child ? `\nlast lines of ${child.logPath}:\n${await child.logTail()}` : '';
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${lastProblem ? ` (last error: ${lastProblem})` : ''}${tail}`);
    }
    await sleep(interval, undefined, { signal });
    interval = Math.min(interval * 1.5, maxInterval);
  }
}

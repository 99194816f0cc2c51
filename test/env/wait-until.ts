import { setTimeout as sleep } from 'node:timers/promises';
import { describeExit, type SupervisedChild } from './supervised-child.ts';

export type WaitUntilOptions = {
  /** What is awaited, for the error message: "etcd to be healthy". */
  what: string;
  timeoutMs: number;
  intervalMs?: number;
  signal?: AbortSignal;
  /** Fail at once, with the tail of its log, if this child exits while waiting. */
  child?: SupervisedChild;
};

/** Polls check until it resolves true. A check that throws counts as "not yet"; its last error is reported on timeout. */
export async function waitUntil(check: () => Promise<boolean>, options: WaitUntilOptions): Promise<void> {
  const { what, timeoutMs, signal, child } = options;
  const deadline = Date.now() + timeoutMs;
  let lastProblem = '';
  let interval = options.intervalMs ?? 50;
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
    interval = Math.min(interval * 1.5, 500);
  }
}

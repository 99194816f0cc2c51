// Evidence that the controller looked at one resource, read from its pino JSON log. A test asserting that
// nothing happened (no update, no late-init, no hot loop) first waits for such evidence, so it cannot pass
// because the controller never looked. The managed reconciler's child logger binds `kind` and `name` on
// every line it logs for a resource: "observed, requeue" ends each successful reconcile (debug), "paused"
// starts a paused one (debug), "<step> failed: …" reports a failure (info).
import { setTimeout as sleep } from 'node:timers/promises';

/** One line of pino's JSON; `time` is the logging process's clock, ms since the epoch. */
export interface LogLine {
  time: number;
  msg: string;
  kind?: string;
  name?: string;
  [key: string]: unknown;
}

/** Which lines count: those about one resource with this message (a string is matched whole). */
export interface LinesAbout {
  name: string;
  kind?: string;
  msg: string | RegExp;
}

/** The whole log so far: `ControllerProcess.log` for `pledge run`, `memoryLog().text` in process. */
export type ReadLog = () => Promise<string> | string;

export const EVIDENCE_DEFAULTS = { timeoutMs: 60_000, intervalMs: 100 } as const;

/** Parses the JSON lines about `name`; a line still being written, or one not from pino, is no line. */
function linesFor(log: string, name: string): LogLine[] {
  const key = `"name":${JSON.stringify(name)}`;
  const out: LogLine[] = [];
  for (const text of log.split('\n')) {
    if (!text.includes(key)) continue;
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err: unknown) {
      if (err instanceof SyntaxError) continue;
      throw err;
    }
    const line = parsed as Partial<LogLine> | null;
    if (line && line.name === name && typeof line.msg === 'string' && typeof line.time === 'number') out.push(line as LogLine);
  }
  return out;
}

export function linesAbout(log: string, which: LinesAbout): LogLine[] {
  const matches = (msg: string) => (typeof which.msg === 'string' ? msg === which.msg : which.msg.test(msg));
  return linesFor(log, which.name).filter((l) => (which.kind === undefined || l.kind === which.kind) && matches(l.msg));
}

export interface ReconcileEvidence {
  lines(): Promise<LogLine[]>;
  /**
   * Waits until at least `atLeast` lines were logged after `sinceMs` (the caller's `Date.now()` once its change
   * was made: one clock for the whole machine), and returns those lines. Judged by pino's `time`, not by when a
   * line reached the file. For a line logged at the end of a reconcile ("observed, requeue"), ask for 2: the
   * first may come from a reconcile that began before the change, the second began after that one ended.
   */
  waitSince(sinceMs: number, atLeast: number, what: string, timeoutMs?: number): Promise<LogLine[]>;
  /**
   * The lines logged in (startMs, startMs + windowMs], once a later line shows the controller was still at
   * it past the window's end: "at most N attempts in W s" can then not pass because it stopped trying.
   */
  within(startMs: number, windowMs: number, what: string, timeoutMs?: number): Promise<LogLine[]>;
}

export function reconcileEvidence(read: ReadLog, which: LinesAbout): ReconcileEvidence {
  const lines = async () => linesAbout(await read(), which);
  const about = `${which.kind ?? ''}${which.kind ? '/' : ''}${which.name}`;
  const msg = typeof which.msg === 'string' ? JSON.stringify(which.msg) : String(which.msg);
  const at = (ms: number) => new Date(ms).toISOString();

  async function waitFor(done: (found: LogLine[]) => boolean, evidence: string, timeoutMs: number): Promise<LogLine[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = await lines();
      if (done(found)) return found;
      if (Date.now() >= deadline) {
        const tail = linesFor(await read(), which.name).slice(-8).map((l) => JSON.stringify(l)).join('\n');
        throw new Error(`timed out after ${timeoutMs} ms waiting for evidence that the controller ${evidence} (${found.length} ${msg} lines for ${about} in all); last lines about ${which.name}:\n${tail}`);
      }
      await sleep(EVIDENCE_DEFAULTS.intervalMs);
    }
  }

  return {
    lines,
    async waitSince(sinceMs, atLeast, what, timeoutMs = EVIDENCE_DEFAULTS.timeoutMs) {
      const after = (found: LogLine[]) => found.filter((l) => l.time > sinceMs);
      return after(await waitFor((found) => after(found).length >= atLeast, `${what}: ${atLeast} ${msg} lines for ${about} logged after ${at(sinceMs)}`, timeoutMs));
    },
    async within(startMs, windowMs, what, timeoutMs = EVIDENCE_DEFAULTS.timeoutMs + windowMs) {
      const end = startMs + windowMs;
      const found = await waitFor((all) => all.some((l) => l.time > end), `${what}: a ${msg} line for ${about} logged after ${at(end)}`, timeoutMs);
      return found.filter((l) => l.time > startMs && l.time <= end);
    },
  };
}

/** A pino destination keeping what is written, for a manager run in the test's own process. */
export function memoryLog(): { stream: { write(chunk: string): void }; text(): string } {
  const chunks: string[] = [];
  return { stream: { write: (chunk) => void chunks.push(chunk) }, text: () => chunks.join('') };
}

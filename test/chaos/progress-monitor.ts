// Reads the cluster every few seconds for the whole run: the one reader of the run's objects (a view of a
// thousand objects is megabytes of JSON), what the phases wait on, and the guard against a run that cannot end.
//
// Every `pledge run` starts by reconciling every object it lists, new and old alike; on a busy machine that
// takes longer than 0.3–3 s once there are a few hundred of them, and controllers killed that often would make
// no progress at all. So when several kills in a row saw none, the next controller may work until the run sees
// progress, and is killed 0.3–3 s after that. The report counts such lives.
import { setTimeout as sleep } from 'node:timers/promises';
import type { ClusterReader, ClusterView } from './cluster-view.ts';
import type { ControllerKiller } from './controller-killer.ts';

export const PROGRESS_DEFAULTS = {
  everyMs: 2_000,
  /** Kills in a row without progress before a controller may work until there is some. */
  stallKills: 4,
  /** A controller held for progress is killed after this even without it. */
  maxHoldMs: 120_000,
} as const;

/** Progress in the current phase: a count that moves when work gets done, and whether work remains. */
export type ProgressMeasure = (view: ClusterView) => { count: number; remaining: boolean };

export type ProgressMonitorOptions = {
  reader: ClusterReader;
  killer: ControllerKiller;
  log: (line: string) => void;
  everyMs?: number;
  stallKills?: number;
  maxHoldMs?: number;
};

const totalKills = (killer: ControllerKiller) => Object.values(killer.stats().kills).reduce((a, b) => a + b, 0);

export class ProgressMonitor {
  readonly #o: Required<ProgressMonitorOptions>;
  #measure: ProgressMeasure | undefined;
  #latest: { view: ClusterView; at: number } | undefined;
  #lastError = '';
  #waiters = new Set<() => void>();
  /** The count and kill total when progress was last seen. */
  #mark = { count: Number.NaN, kills: 0 };
  #holding: (() => void) | undefined;
  #loop: Promise<void> | undefined;
  readonly #stop = new AbortController();

  constructor(options: ProgressMonitorOptions) {
    this.#o = { ...PROGRESS_DEFAULTS, ...options };
  }

  start(): void {
    this.#loop ??= this.#run();
  }

  /** What counts as progress from now on; undefined: nothing to guard (between phases). */
  measure(measure: ProgressMeasure | undefined): void {
    this.#measure = measure;
    this.#mark = { count: Number.NaN, kills: totalKills(this.#o.killer) };
    this.#release();
  }

  async stop(): Promise<void> {
    this.#stop.abort();
    this.#release();
    await this.#loop;
  }

  /** Resolves with the first view read after this call for which `done` holds, or with the last one after `timeoutMs`. */
  async waitFor(done: (view: ClusterView) => boolean | Promise<boolean>, timeoutMs: number, what: string, signal?: AbortSignal): Promise<{ view: ClusterView | undefined; met: boolean }> {
    const deadline = Date.now() + timeoutMs;
    const since = Date.now();
    let nextNote = since + 30_000;
    for (;;) {
      signal?.throwIfAborted();
      const broken = this.#o.killer.crashLoop();
      if (broken) throw new Error(`stopped waiting for ${what}: ${broken}`);
      const latest = this.#latest;
      if (latest && latest.at > since && (await done(latest.view))) return { view: latest.view, met: true };
      if (Date.now() >= deadline) return { view: this.#latest?.view, met: false };
      if (Date.now() >= nextNote) {
        nextNote = Date.now() + 30_000;
        this.#o.log(`waiting for ${what}: ${describeView(this.#latest?.view)}${this.#lastError ? ` (last read failed: ${this.#lastError})` : ''}; kills ${JSON.stringify(this.#o.killer.stats().kills)}`);
      }
      await this.#next(Math.min(deadline - Date.now(), this.#o.everyMs * 2), signal);
    }
  }

  async #run(): Promise<void> {
    while (!this.#stop.signal.aborted) {
      try {
        const view = await this.#o.reader.view(this.#stop.signal);
        this.#latest = { view, at: Date.now() };
        this.#lastError = '';
        this.#guard(view);
      } catch (err: unknown) {
        if (this.#stop.signal.aborted) break;
        this.#lastError = err instanceof Error ? err.message : String(err);
      }
      for (const wake of this.#waiters) wake();
      this.#waiters.clear();
      await sleep(this.#o.everyMs, undefined, { signal: this.#stop.signal }).catch(() => undefined);
    }
  }

  #guard(view: ClusterView): void {
    const measure = this.#measure;
    if (!measure) return;
    const { count, remaining } = measure(view);
    const kills = totalKills(this.#o.killer);
    if (count !== this.#mark.count) {
      this.#mark = { count, kills };
      this.#release();
      return;
    }
    if (!remaining || this.#holding || kills - this.#mark.kills < this.#o.stallKills) return;
    const until = new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, this.#o.maxHoldMs);
      this.#holding = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#o.log(`no progress in ${kills - this.#mark.kills} kills (${count}); the next controller works until there is some`);
    this.#o.killer.holdNextKill(until);
  }

  #release(): void {
    this.#holding?.();
    this.#holding = undefined;
  }

  #next(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, ms));
      this.#waiters.add(done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }
}

export function describeView(view: ClusterView | undefined): string {
  if (!view) return 'never read';
  return Object.entries(view)
    .map(([kind, v]) => `${kind} ${v.ready}/${v.present} Ready${v.notReady.length ? ` (e.g. ${v.notReady[0]})` : ''}`)
    .join(', ');
}

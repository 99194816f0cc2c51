// External SIGKILL of `pledge run`, over and over: start a controller, wait until it says its caches have synced,
// let it work for a random 0.3–3 s, kill it with SIGKILL from outside (no crash point, no warning), start the next.
// A controller that exits before we kill it, or never syncs, is a failure: that is what a crash loop looks like.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ControllerProcess } from '../integration/harness.ts';
import { describeExit } from '../env/supervised-child.ts';

export const KILLER_DEFAULTS = {
  /** Working life of each controller after "caches synced": uniform between these. */
  minLifeMs: 300,
  maxLifeMs: 3_000,
  /** From spawn to "caches synced"; longer is reported as a controller that cannot start. */
  syncTimeoutMs: 60_000,
  /** How often the log is read while waiting for "caches synced". */
  syncPollMs: 100,
} as const;

export type KillerOptions = {
  /** Starts one `pledge run` (without waiting for its caches). */
  start(): Promise<ControllerProcess>;
  minLifeMs?: number;
  maxLifeMs?: number;
  syncTimeoutMs?: number;
  /** Uniform on [0, 1). Default Math.random. */
  random?: () => number;
  /** One line per notable event (a death we did not cause, a slow start). */
  log?: (line: string) => void;
};

export interface KillerStats {
  /** SIGKILLs we sent and saw land, by the phase they fell in. */
  kills: Record<string, number>;
  /** Controllers started. */
  starts: number;
  /** Spawn to "caches synced", per controller that synced. */
  syncMs: number[];
  /** Each controller that exited, or never synced, without our kill: what happened and its log tail. */
  failures: string[];
  /** Log files of every controller started, oldest first. */
  logPaths: string[];
  /** Controllers whose kill waited for a hold (holdNextKill) before their 0.3–3 s began. */
  heldLives: number;
}

/** The current controller's state as the loop sees it. */
type Life = { controller: ControllerProcess; spawnedAt: number; syncedAt?: number };

export class ControllerKiller {
  readonly #start: () => Promise<ControllerProcess>;
  readonly #minLifeMs: number;
  readonly #maxLifeMs: number;
  readonly #syncTimeoutMs: number;
  readonly #random: () => number;
  readonly #log: (line: string) => void;
  readonly #stats: KillerStats = { kills: {}, starts: 0, syncMs: [], failures: [], logPaths: [], heldLives: 0 };
  #hold: Promise<unknown> | undefined;
  /** Controllers in a row that failed to start, sync or live until our kill; reset by one that syncs. */
  #failedInARow = 0;
  #phase = 'idle';
  #life: Life | undefined;
  #paused = false;
  #resumed: PromiseWithResolvers<void> = Promise.withResolvers();
  #synced: PromiseWithResolvers<number> = Promise.withResolvers();
  #loop: Promise<void> | undefined;
  readonly #stop = new AbortController();

  constructor(options: KillerOptions) {
    this.#start = options.start;
    this.#minLifeMs = options.minLifeMs ?? KILLER_DEFAULTS.minLifeMs;
    this.#maxLifeMs = options.maxLifeMs ?? KILLER_DEFAULTS.maxLifeMs;
    this.#syncTimeoutMs = options.syncTimeoutMs ?? KILLER_DEFAULTS.syncTimeoutMs;
    if (!(this.#minLifeMs >= 0 && this.#maxLifeMs >= this.#minLifeMs)) throw new RangeError(`kill interval: need 0 <= min <= max, got ${this.#minLifeMs}–${this.#maxLifeMs} ms`);
    this.#random = options.random ?? Math.random;
    this.#log = options.log ?? (() => undefined);
  }

  /** Starts the first controller and the kill loop. */
  run(): void {
    this.#loop ??= this.#runLoop().catch((err: unknown) => {
      this.#stats.failures.push(`the kill loop failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    });
  }

  /** Kills from now on count for this phase. */
  setPhase(phase: string): void {
    this.#phase = phase;
  }

  /** Resolves with the controller count once the next controller (started after this call) has synced its caches. */
  nextSynced(): Promise<number> {
    return this.#synced.promise;
  }

  /**
   * No kills until resume(): the current controller keeps running (a death now is its own). Resolves once a
   * controller has synced, so what follows (an API-server restart) hits a controller at work.
   */
  async pause(): Promise<void> {
    this.#paused = true;
    while (this.#life?.syncedAt === undefined) {
      if (this.#stop.signal.aborted) return;
      await sleep(KILLER_DEFAULTS.syncPollMs);
    }
  }

  /**
   * The next controller to sync (or the current one, if its life has not begun) is killed only after `until`
   * settles, then 0.3–3 s later as usual: a controller allowed to work until the run sees progress.
   */
  holdNextKill(until: Promise<unknown>): void {
    this.#hold = until;
  }

  resume(): void {
    this.#paused = false;
    this.#resumed.resolve();
    this.#resumed = Promise.withResolvers();
  }

  /** Set when controllers keep failing (5 in a row): a crash loop, or a machine that cannot run them. */
  crashLoop(): string | undefined {
    return this.#failedInARow >= 5 ? `${this.#failedInARow} controllers in a row failed to start, sync or live until killed; the last: ${this.#stats.failures.at(-1) ?? ''}` : undefined;
  }

  /** True when the current controller is running (it may still be starting). */
  alive(): boolean {
    return this.#life !== undefined && !this.#life.controller.child.hasExited();
  }

  stats(): KillerStats {
    return { ...this.#stats, kills: { ...this.#stats.kills }, syncMs: [...this.#stats.syncMs], failures: [...this.#stats.failures], logPaths: [...this.#stats.logPaths] };
  }

  /** Ends the loop and stops the current controller with SIGTERM (a clean exit is expected). */
  async stop(): Promise<KillerStats> {
    this.#stop.abort();
    this.resume();
    await this.#loop;
    const life = this.#life;
    if (life && !life.controller.child.hasExited()) {
      const exit = await life.controller.child.stop({ graceMs: 10_000 });
      if (exit.code !== 0) this.#stats.failures.push(`the last controller did not stop cleanly on SIGTERM: ${describeExit(exit)}\n${await tail(life.controller)}`);
    }
    return this.stats();
  }

  #fail(message: string): void {
    this.#failedInARow++;
    this.#stats.failures.push(message);
  }

  async #runLoop(): Promise<void> {
    const signal = this.#stop.signal;
    while (!signal.aborted && this.crashLoop() === undefined) {
      const life = await this.#spawn();
      if (life === undefined) continue;
      if (!(await this.#awaitSync(life))) continue;
      if (!(await this.#waitForHold(life))) continue;
      // Work for a while; then, unless paused, kill. A pause holds the kill and draws a new life afterwards.
      for (;;) {
        const lifeMs = this.#minLifeMs + this.#random() * (this.#maxLifeMs - this.#minLifeMs);
        const died = await this.#diesWithin(life, lifeMs);
        if (died || signal.aborted) break;
        if (!this.#paused) {
          await this.#kill(life);
          break;
        }
        await Promise.race([this.#resumed.promise, life.controller.child.exited]);
        if (life.controller.child.hasExited()) {
          await this.#diedByItself(life, 'while kills were paused');
          break;
        }
      }
    }
  }

  async #spawn(): Promise<Life | undefined> {
    this.#stats.starts++;
    const spawnedAt = Date.now();
    try {
      const controller = await this.#start();
      this.#stats.logPaths.push(controller.logPath);
      this.#life = { controller, spawnedAt };
      return this.#life;
    } catch (err: unknown) {
      // startController waits for /healthz and fails when the process exits first.
      this.#fail(`controller #${this.#stats.starts} failed to start: ${shorten(err instanceof Error ? err.message : String(err))}`);
      this.#log(`controller #${this.#stats.starts} failed to start`);
      await sleep(1_000);
      return undefined;
    }
  }

  /** True once the controller logged "caches synced"; false (a failure recorded) when it died or took too long. */
  async #awaitSync(life: Life): Promise<boolean> {
    const deadline = life.spawnedAt + this.#syncTimeoutMs;
    for (;;) {
      if (this.#stop.signal.aborted) return false;
      if (life.controller.child.hasExited()) {
        await this.#diedByItself(life, 'before its caches synced');
        return false;
      }
      if ((await life.controller.log()).includes('caches synced')) break;
      if (Date.now() > deadline) {
        this.#fail(`controller #${this.#stats.starts} did not sync its caches within ${this.#syncTimeoutMs} ms\n${await tail(life.controller)}`);
        this.#log(`controller #${this.#stats.starts} did not sync in time; killing it`);
        await this.#sigkill(life);
        return false;
      }
      await sleep(KILLER_DEFAULTS.syncPollMs);
    }
    life.syncedAt = Date.now();
    this.#failedInARow = 0;
    this.#stats.syncMs.push(life.syncedAt - life.spawnedAt);
    this.#synced.resolve(this.#stats.starts);
    this.#synced = Promise.withResolvers();
    return true;
  }

  /** Waits for a hold given by holdNextKill, if any; false when the controller died meanwhile. */
  async #waitForHold(life: Life): Promise<boolean> {
    const hold = this.#hold;
    if (hold === undefined) return true;
    this.#hold = undefined;
    this.#stats.heldLives++;
    const stopped = new Promise<void>((resolve) => this.#stop.signal.addEventListener('abort', () => resolve(), { once: true }));
    await Promise.race([hold.catch(() => undefined), life.controller.child.exited, stopped]);
    if (!life.controller.child.hasExited()) return true;
    await this.#diedByItself(life, 'while allowed to work until progress');
    return false;
  }

  /** Waits `ms` or until the controller exits (recorded as a failure: we had not killed it). */
  async #diesWithin(life: Life, ms: number): Promise<boolean> {
    const wake = new AbortController();
    const exited = await Promise.race([
      life.controller.child.exited.then(() => true),
      sleep(ms, false, { signal: AbortSignal.any([wake.signal, this.#stop.signal]) }).catch(() => false),
    ]);
    wake.abort();
    if (exited) await this.#diedByItself(life, `${Date.now() - (life.syncedAt ?? life.spawnedAt)} ms after its caches synced`);
    return exited;
  }

  async #kill(life: Life): Promise<void> {
    const exit = await this.#sigkill(life);
    if (exit.signal === 'SIGKILL') {
      this.#stats.kills[this.#phase] = (this.#stats.kills[this.#phase] ?? 0) + 1;
      return;
    }
    // It exited on its own just before our signal landed.
    await this.#diedByItself(life, 'just before our kill');
  }

  async #sigkill(life: Life) {
    if (this.#life === life) this.#life = undefined;
    try {
      process.kill(life.controller.child.pid, 'SIGKILL');
    } catch {
      // Already gone; its exit says how.
    }
    return life.controller.child.exited;
  }

  async #diedByItself(life: Life, when: string): Promise<void> {
    if (this.#life === life) this.#life = undefined;
    const exit = await life.controller.child.exited;
    this.#fail(`controller #${this.#stats.starts} ${describeExit(exit)} by itself ${when} (phase ${this.#phase}); log ${life.controller.logPath}\n${await tail(life.controller)}`);
    this.#log(`controller #${this.#stats.starts} ${describeExit(exit)} by itself ${when}`);
  }
}

/** The first lines of a long message (a stack trace of a failed start). */
function shorten(message: string, lines = 6): string {
  const all = message.split('\n');
  return all.length > lines ? `${all.slice(0, lines).join('\n')}\n…` : message;
}

async function tail(controller: ControllerProcess, lines = 8): Promise<string> {
  try {
    return (await readFile(controller.logPath, 'utf8')).trimEnd().split('\n').slice(-lines).map((l) => l.slice(0, 400)).join('\n');
  } catch (err: unknown) {
    return `(no log: ${String(err)})`;
  }
}

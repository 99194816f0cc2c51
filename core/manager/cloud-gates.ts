import { CallBudgetExhaustedError, ConfigError, NotFoundError, TerminalError, ThrottledError } from '../errors/index.ts';
import type { CloudCallGate } from '../managed/types.ts';
import type { PledgeMetrics } from '../runtime/metrics/index.ts';
import { createTokenBucket, type TokenBucket, type TokenBucketOptions } from '../runtime/queue/index.ts';

export type CallResult = 'ok' | 'not_found' | 'throttled' | 'terminal' | 'error';

export function callResult(err: unknown): CallResult {
  if (err === undefined) return 'ok';
  if (err instanceof NotFoundError) return 'not_found';
  if (err instanceof ThrottledError) return 'throttled';
  if (err instanceof TerminalError) return 'terminal';
  return 'error';
}

export const CLOUD_GATE_DEFAULTS = {
  /**
   * The longest a reconcile's first cloud call may wait for its ProviderConfig's budget while it holds a worker.
   * Beyond that the call throws CallBudgetExhaustedError and the worker goes to another resource.
   */
  maxAdmissionWaitMs: 250,
  /** A turn its resource has not come back for this long after it began is dropped (deleted, or no call needed). */
  turnTtlMs: 60_000,
  /** What a turn costs (calls per reconcile) is averaged over roughly this many recent reconciles. */
  costWindow: 50,
} as const;

export interface CloudGatesOptions {
  provider: string;
  ratePerSecond: number;
  burst: number;
  metrics: PledgeMetrics;
  maxAdmissionWaitMs?: number;
  turnTtlMs?: number;
  costWindow?: number;
  /** The clock (ms) and sleep of every bucket; injected for tests. */
  now?: () => number;
  sleep?: TokenBucketOptions['sleep'];
}

/** One ProviderConfig's budget as it stands, for the web view's overview. */
export interface BudgetSnapshot {
  providerConfig: string;
  ratePerSecond: number;
  burst: number;
  /** How long a call asking now would wait for a token. */
  waitMs: number;
  /** What is left of a pause the cloud ordered (it answered "slow down"). */
  pausedMs: number;
  /** Reconciles sent away, waiting for their turn. */
  turnsWaiting: number;
  /** Calls let through since the process started (a counter: its rate is calls per second). */
  callsTotal: number;
}

/** The gate for one reconcile: call it once per reconcile, with the resource's key (`<plural>.<group>/<name>`). */
export type CloudGates = ((providerConfigName: string, resource: string) => CloudCallGate) & {
  /** Every ProviderConfig's budget used so far. */
  budgets(): BudgetSnapshot[];
};

/** One ProviderConfig's budget: its call bucket, and the turns of the reconciles it sent away. */
interface Budget {
  readonly bucket: TokenBucket;
  /** When the next turn may begin (GCRA's theoretical arrival time, counted in reconciles, not calls). */
  nextTurn: number;
  /** Resources sent away, and when their turn begins. */
  readonly turns: Map<string, number>;
  /** Decaying counts of calls and of reconciles let in: their ratio is what a turn costs, in calls. */
  calls: number;
  admitted: number;
  /** Until when the cloud told us to stop (a ThrottledError it answered). */
  pausedUntil: number;
  sweptAt: number;
  callsTotal: number;
}

/**
 * One token bucket per ProviderConfig (a cloud account and region), shared by every kind of that provider, so
 * a burst of resources never trips the cloud's own throttling.
 *
 * A reconcile must not hold a worker while its ProviderConfig's budget is spent: the workers of a kind serve
 * every ProviderConfig, so one backed-up budget would slow everyone else's resources. So the first call of a
 * reconcile is let in only when it would wait no more than maxAdmissionWaitMs; otherwise, without taking a
 * token, it throws CallBudgetExhaustedError and the controller requeues the key for its turn. Turns are handed
 * out in order and spaced by what a reconcile costs (the calls reconciles have been making, times the call
 * interval), so the keys sent away come back one by one as the budget frees up, never all at once; and a
 * resource's turn is kept for it, so keys arriving meanwhile queue behind it and none starves.
 *
 * Once let in, a reconcile finishes: its later calls wait for their slot as before (a reconcile that gave up
 * half-way would have spent tokens for nothing, and at a low rate would never finish). Those waits stay short
 * because turns are paced; the exception is a pause the cloud ordered (it answered "slow down"), during which
 * later calls are sent away too.
 */
export function createCloudGates(options: CloudGatesOptions): CloudGates {
  const maxWait = options.maxAdmissionWaitMs ?? CLOUD_GATE_DEFAULTS.maxAdmissionWaitMs;
  const turnTtlMs = options.turnTtlMs ?? CLOUD_GATE_DEFAULTS.turnTtlMs;
  const costWindow = options.costWindow ?? CLOUD_GATE_DEFAULTS.costWindow;
  if (!(options.ratePerSecond > 0)) throw new ConfigError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
  if (!(options.burst >= 1)) throw new ConfigError(`burst must be >= 1, got ${options.burst}`);
  if (!(maxWait >= 0)) throw new ConfigError(`maxAdmissionWaitMs must be >= 0, got ${maxWait}`);
  if (!(turnTtlMs > 0)) throw new ConfigError(`turnTtlMs must be > 0, got ${turnTtlMs}`);
  if (!(costWindow >= 1)) throw new ConfigError(`costWindow must be >= 1, got ${costWindow}`);
  const now = options.now ?? performance.now.bind(performance);
  const interval = 1000 / options.ratePerSecond;
  const tolerance = (options.burst - 1) * interval;
  const byProviderConfig = new Map<string, Budget>();

  function budgetOf(providerConfigName: string): Budget {
    let budget = byProviderConfig.get(providerConfigName);
    if (!budget) {
      const bucket = createTokenBucket({ ratePerSecond: options.ratePerSecond, burst: options.burst, now, sleep: options.sleep });
      budget = { bucket, nextTurn: now(), turns: new Map(), calls: 0, admitted: 0, pausedUntil: 0, sweptAt: now(), callsTotal: 0 };
      byProviderConfig.set(providerConfigName, budget);
    }
    return budget;
  }

  function sweep(b: Budget, t: number): void {
    if (t - b.sweptAt < turnTtlMs) return;
    b.sweptAt = t;
    for (const [resource, turn] of b.turns) if (turn < t - turnTtlMs) b.turns.delete(resource);
  }

  /** 0 when the reconcile may call now; otherwise the ms until its turn, which is kept for it. */
  function admit(b: Budget, resource: string): number {
    const t = now();
    sweep(b, t);
    const wait = b.bucket.waitMs();
    const turn = b.turns.get(resource);
    if (turn !== undefined) {
      // Woken before its turn (a spec change, say): it keeps its place.
      if (turn > t + maxWait) return turn - t;
      b.turns.delete(resource);
      // The turn was paid for when it was given; only a pause (or a backlog) since then sends it away again.
      if (wait <= maxWait) return 0;
    }
    // The calls are backed up beyond what a first call may wait (a pause, or reconciles under way): no turn
    // begins before they drain, and then no burst of turns either.
    if (wait > maxWait) b.nextTurn = Math.max(b.nextTurn, t + wait - maxWait + tolerance);
    const start = Math.max(b.nextTurn - tolerance, t);
    const cost = interval * (b.admitted > 0 ? Math.max(1, b.calls / b.admitted) : 1);
    b.nextTurn = Math.max(b.nextTurn, t) + cost;
    if (start <= t) return 0;
    b.turns.set(resource, start);
    return start - t;
  }

  const gate = (providerConfigName: string, resource: string): CloudCallGate => {
    const b = budgetOf(providerConfigName);
    let admitted = false;
    return {
      async acquire(signal) {
        signal.throwIfAborted();
        const pausedByCloud = admitted && now() < b.pausedUntil && b.bucket.waitMs() > maxWait;
        if (!admitted || pausedByCloud) {
          const waitMs = admit(b, resource);
          if (waitMs > 0) {
            throw new CallBudgetExhaustedError(`the call budget of ProviderConfig ${providerConfigName} is spent; this resource's turn comes in ${Math.ceil(waitMs)} ms`, {
              retryAfterMs: Math.ceil(waitMs),
              context: { providerConfig: providerConfigName },
            });
          }
          if (!admitted) {
            admitted = true;
            b.admitted++;
            if (b.admitted >= costWindow) {
              b.admitted /= 2;
              b.calls /= 2;
            }
          }
        }
        b.calls++;
        b.callsTotal++;
        await b.bucket.take(signal);
      },
      record(operation, err) {
        options.metrics.cloudCalls.inc({ provider: options.provider, operation, result: callResult(err) });
        if (err instanceof ThrottledError && !(err instanceof CallBudgetExhaustedError)) {
          b.bucket.pause(err.retryAfterMs);
          b.pausedUntil = Math.max(b.pausedUntil, now() + err.retryAfterMs);
        }
      },
    };
  };
  const budgets = (): BudgetSnapshot[] =>
    [...byProviderConfig.entries()].map(([providerConfig, b]) => ({
      providerConfig,
      ratePerSecond: options.ratePerSecond,
      burst: options.burst,
      waitMs: b.bucket.waitMs(),
      pausedMs: Math.max(0, b.pausedUntil - now()),
      turnsWaiting: b.turns.size,
      callsTotal: b.callsTotal,
    }));
  return Object.assign(gate, { budgets });
}

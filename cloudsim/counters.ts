/**
 * Counts of calls by service, operation and outcome, plus a bounded log of when each call was answered:
 * what benchmarks and chaos tests read (the log lets a test measure the request rate a client kept).
 */
import type { ServiceName } from './sim-http.ts';

/**
 * ok: answered with 2xx/3xx. error: the simulated cloud answered 4xx/5xx on its own (NoSuchBucket…).
 * throttled, injected-error, outage: cloudsim injected the fault (knobs).
 */
export const OUTCOMES = ['ok', 'error', 'throttled', 'injected-error', 'outage'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** counts[service][operation][outcome]; absent entries are zero. */
export type CounterSnapshot = Partial<Record<ServiceName, Record<string, Partial<Record<Outcome, number>>>>>;

/** One answered call. */
export type RequestRecord = {
  /** Sequence number since the last reset, from 1. */
  seq: number;
  /** When the call was answered, epoch ms (cloudsim's clock). */
  at: number;
  /** When its request arrived (before its body was read and any latency knob), epoch ms; `at` when not known. */
  receivedAt: number;
  service: ServiceName;
  operation: string;
  outcome: Outcome;
};

/** What the request log holds for a filter. */
export type RequestLog = {
  /** Matching records, oldest first. */
  requests: RequestRecord[];
  /** Records the log keeps at most; older ones are dropped. */
  capacity: number;
  /** Records dropped since the last reset because the log was full. */
  dropped: number;
  /** False when a record at or after `since` (of any service) was dropped: `requests` may miss matching calls. */
  complete: boolean;
};

export type RequestFilter = {
  /** Only calls answered at or after this instant (epoch ms). */
  since?: number;
  service?: ServiceName;
};

export const COUNTER_DEFAULTS = {
  /** Records kept in the request log (about 100 bytes each). */
  requestLogSize: 50_000,
} as const;

export type CounterOptions = {
  requestLogSize?: number;
  clock?: () => number;
};

export class Counters {
  #counts: CounterSnapshot = {};
  readonly #capacity: number;
  readonly #clock: () => number;
  /** A ring: #log[(#next - n) % capacity] is the n-th newest record. */
  #log: RequestRecord[] = [];
  #next = 0;
  #seq = 0;
  /** `at` of the newest record dropped from the ring, or -Infinity. */
  #droppedUntil = Number.NEGATIVE_INFINITY;

  constructor(options: CounterOptions = {}) {
    const capacity = options.requestLogSize ?? COUNTER_DEFAULTS.requestLogSize;
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`requestLogSize must be an integer >= 1, got ${capacity}`);
    this.#capacity = capacity;
    this.#clock = options.clock ?? Date.now;
  }

  /** Counts one answered call and logs it; `receivedAt` is when its request arrived (default: now). */
  record(service: ServiceName, operation: string, outcome: Outcome, receivedAt?: number): void {
    const byOperation = this.#counts[service] ?? {};
    this.#counts[service] = byOperation;
    const byOutcome = byOperation[operation] ?? {};
    byOperation[operation] = byOutcome;
    byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
    const at = this.#clock();
    const entry: RequestRecord = { seq: ++this.#seq, at, receivedAt: receivedAt ?? at, service, operation, outcome };
    if (this.#log.length < this.#capacity) {
      this.#log.push(entry);
    } else {
      const old = this.#log[this.#next];
      if (old !== undefined) this.#droppedUntil = Math.max(this.#droppedUntil, old.at);
      this.#log[this.#next] = entry;
    }
    this.#next = (this.#next + 1) % this.#capacity;
  }

  snapshot(): CounterSnapshot {
    return structuredClone(this.#counts);
  }

  /** The logged calls matching filter, oldest first. */
  requests(filter: RequestFilter = {}): RequestLog {
    const since = filter.since ?? Number.NEGATIVE_INFINITY;
    const full = this.#log.length === this.#capacity;
    const ordered = full ? [...this.#log.slice(this.#next), ...this.#log.slice(0, this.#next)] : this.#log;
    const requests = ordered.filter((r) => r.at >= since && (filter.service === undefined || r.service === filter.service)).map((r) => ({ ...r }));
    const dropped = Math.max(0, this.#seq - this.#log.length);
    return { requests, capacity: this.#capacity, dropped, complete: this.#droppedUntil === Number.NEGATIVE_INFINITY || this.#droppedUntil < since };
  }

  /** Zeroes the counts and empties the request log. */
  reset(): void {
    this.#counts = {};
    this.#log = [];
    this.#next = 0;
    this.#seq = 0;
    this.#droppedUntil = Number.NEGATIVE_INFINITY;
  }
}

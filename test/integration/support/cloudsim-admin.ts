// cloudsim's admin endpoint as the integration tests use it: faults, outages, the request log and the
// resources it holds. Types are declared here, not imported: tests see cloudsim only over HTTP.

export type CloudsimService = 's3' | 'rds' | 'entra' | 'arm' | 'gcs' | 'google-oauth';
export type CloudsimOutcome = 'ok' | 'error' | 'throttled' | 'injected-error' | 'outage';

export interface LoggedRequest {
  seq: number;
  /** When cloudsim answered, epoch ms. */
  at: number;
  /** When the request arrived at cloudsim, epoch ms. */
  receivedAt: number;
  service: CloudsimService;
  operation: string;
  outcome: CloudsimOutcome;
}

export interface RequestLogView {
  requests: LoggedRequest[];
  capacity: number;
  dropped: number;
  /** False when calls in the asked-for span were already dropped from the log. */
  complete: boolean;
}

export interface FaultSettings {
  throttleRate?: number;
  errorRate?: number;
  retryAfterSeconds?: number;
  latencyMs?: number;
}

/**
 * The names of what cloudsim holds, per service, each as many times as it is held. A record whose timed
 * deletion is over is left out: cloudsim drops it at the next call, and the cloud already answers "not found".
 */
export interface HeldNames {
  s3: string[];
  rds: string[];
  arm: string[];
  gcs: string[];
  /** Azure storage accounts; one in a resource group whose deletion is over is left out too. */
  armAccounts: string[];
}

/** Calls answered since the last reset: counts[service][operation][outcome]; absent entries are zero. */
export type CounterSnapshot = Partial<Record<CloudsimService, Record<string, Partial<Record<CloudsimOutcome, number>>>>>;

export const CLOUDSIM_ADMIN_DEFAULTS = { timeoutMs: 10_000 } as const;

export interface CloudsimAdmin {
  setFaults(faults: Partial<Record<CloudsimService, FaultSettings | null>>, signal?: AbortSignal): Promise<void>;
  outage(service: CloudsimService, seconds: number, signal?: AbortSignal): Promise<void>;
  endOutages(signal?: AbortSignal): Promise<void>;
  requests(since: number, signal?: AbortSignal): Promise<RequestLogView>;
  held(signal?: AbortSignal): Promise<HeldNames>;
  counters(signal?: AbortSignal): Promise<CounterSnapshot>;
}

type Held = { name?: string; id?: string; deleteDoneAt?: number };
type HeldAccount = Held & { subscriptionId?: string; resourceGroup?: string };
type StateView = {
  s3?: { buckets?: Record<string, Held> };
  rds?: { instances?: Record<string, Held> };
  arm?: { resourceGroups?: Record<string, Held>; storageAccounts?: Record<string, HeldAccount> };
  gcs?: { buckets?: Record<string, Held> };
};

/** The last path segment of a state key (`account/region/id`, `subscription/name`) when a record has no name. */
const lastSegment = (key: string) => key.slice(key.lastIndexOf('/') + 1);

export function cloudsimAdmin(adminUrl: string): CloudsimAdmin {
  async function call<T>(method: string, path: string, body: unknown, signal: AbortSignal | undefined): Promise<T> {
    const timeout = AbortSignal.timeout(CLOUDSIM_ADMIN_DEFAULTS.timeoutMs);
    const res = await fetch(`${adminUrl}/_cloudsim/${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`cloudsim admin ${method} ${path}: HTTP ${res.status} ${text}`);
    return (text === '' ? undefined : JSON.parse(text)) as T;
  }
  return {
    setFaults: async (faults, signal) => void (await call('PATCH', 'knobs', { faults }, signal)),
    outage: async (service, seconds, signal) => void (await call('POST', 'outages', { service, seconds }, signal)),
    endOutages: async (signal) => void (await call('DELETE', 'outages', undefined, signal)),
    requests: (since, signal) => call<RequestLogView>('GET', `requests?since=${since}`, undefined, signal),
    async held(signal) {
      const state = await call<StateView>('GET', 'state', undefined, signal);
      const now = Date.now();
      const names = (records: Record<string, Held> | undefined) =>
        Object.entries(records ?? {})
          .filter(([, r]) => r.deleteDoneAt === undefined || r.deleteDoneAt > now)
          .map(([key, r]) => r.name ?? r.id ?? lastSegment(key));
      // Resource groups are keyed `subscription/lower-case name`; their accounts go with them.
      const groups = state.arm?.resourceGroups ?? {};
      const accounts = Object.fromEntries(
        Object.entries(state.arm?.storageAccounts ?? {}).filter(([, a]) => {
          const group = groups[`${a.subscriptionId ?? ''}/${a.resourceGroup ?? ''}`.toLowerCase()];
          return group !== undefined && (group.deleteDoneAt === undefined || group.deleteDoneAt > now);
        }),
      );
      return {
        s3: names(state.s3?.buckets),
        rds: names(state.rds?.instances),
        arm: names(groups),
        gcs: names(state.gcs?.buckets),
        armAccounts: names(accounts),
      };
    },
    counters: (signal) => call<CounterSnapshot>('GET', 'counters', undefined, signal),
  };
}

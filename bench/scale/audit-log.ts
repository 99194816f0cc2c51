// API-server requests made by the controller, counted from kube-apiserver's audit log (test/env with
// PLEDGE_TEST_AUDIT=1: Metadata level, every stage but RequestReceived). Each request is counted once by
// its auditID (a watch logs ResponseStarted and later ResponseComplete) at its requestReceivedTimestamp.
import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { BENCH_USER_AGENT } from './kube-api.ts';

/** Who made a request: the bench's own client, kubectl (set-up), the API server itself, or the controller (everything else). */
export type Party = 'controller' | 'bench' | 'setup' | 'apiserver';

interface AuditEvent {
  auditID: string;
  verb: string;
  userAgent?: string;
  user?: { username?: string };
  objectRef?: { resource?: string; subresource?: string; name?: string };
  responseStatus?: { code?: number };
  requestReceivedTimestamp: string;
}

export function partyOf(event: Pick<AuditEvent, 'userAgent' | 'user'>): Party {
  const agent = event.userAgent ?? '';
  if (agent === BENCH_USER_AGENT) return 'bench';
  if (agent.startsWith('kubectl')) return 'setup';
  if (event.user?.username === 'system:apiserver' || agent.startsWith('kube-apiserver')) return 'apiserver';
  return 'controller';
}

const WRITE_VERBS = new Set(['create', 'update', 'patch', 'delete', 'deletecollection']);

export interface RequestCounts {
  total: number;
  writes: number;
  /** Answered 409 Conflict. */
  conflicts: number;
  /** "update nopresources/status" → count */
  byRequest: Record<string, number>;
  /** Controller requests by user agent (the start of it). */
  byAgent: Record<string, number>;
}

export interface AuditWindow {
  name: string;
  /** epoch ms, inclusive */
  from: number;
  /** epoch ms, exclusive */
  to: number;
}

const empty = (): RequestCounts => ({ total: 0, writes: 0, conflicts: 0, byRequest: {}, byAgent: {} });
function bump(record: Record<string, number>, key: string): void {
  record[key] = (record[key] ?? 0) + 1;
}

export interface ControllerRequests {
  /** By window name. */
  windows: Record<string, RequestCounts>;
  /**
   * Requests on each created object (and on the events about it, named `<object>.<suffix>`) made before that
   * object was first seen Ready: what creating one resource costs the API server, polls of others left out.
   */
  untilReady: RequestCounts;
}

/** The controller's requests in each window, and on each object until it was Ready. */
export async function countControllerRequests(path: string, windows: readonly AuditWindow[], readyAt: ReadonlyMap<string, number>): Promise<ControllerRequests> {
  const out: Record<string, RequestCounts> = Object.fromEntries(windows.map((w) => [w.name, empty()]));
  const untilReady = empty();
  const seen = new Set<string>();
  const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Number.POSITIVE_INFINITY });
  for await (const line of lines) {
    if (line === '') continue;
    const event = JSON.parse(line) as AuditEvent;
    if (seen.has(event.auditID)) continue;
    seen.add(event.auditID);
    if (partyOf(event) !== 'controller') continue;
    const at = Date.parse(event.requestReceivedTimestamp);
    const ref = event.objectRef;
    const what = `${event.verb} ${ref?.resource ?? '(discovery)'}${ref?.subresource ? `/${ref.subresource}` : ''}`;
    for (const w of windows) {
      if (at >= w.from && at < w.to) add(out[w.name] ?? empty(), event, what);
    }
    const object = ref?.resource === 'events' ? ref.name?.slice(0, ref.name.lastIndexOf('.')) : ref?.name;
    const ready = object === undefined ? undefined : readyAt.get(object);
    if (ready !== undefined && at <= ready) add(untilReady, event, what);
  }
  return { windows: out, untilReady };
}

function add(counts: RequestCounts, event: AuditEvent, what: string): void {
  counts.total++;
  if (WRITE_VERBS.has(event.verb)) counts.writes++;
  if (event.responseStatus?.code === 409) counts.conflicts++;
  bump(counts.byRequest, what);
  bump(counts.byAgent, (event.userAgent ?? '(none)').split(' ')[0] ?? '(none)');
}

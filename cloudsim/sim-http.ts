/** The request and response shapes every simulated service works with, and the contract of a service. */
import type { IncomingHttpHeaders } from 'node:http';

/** The services cloudsim simulates; keys of knobs, outages and counters. */
export const SERVICE_NAMES = ['s3', 'rds', 'sts', 'entra', 'arm', 'gcs', 'google-oauth'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

export function isServiceName(value: string): value is ServiceName {
  return (SERVICE_NAMES as readonly string[]).includes(value);
}

/** One HTTP request, read in full. */
export type SimRequest = {
  method: string;
  url: URL;
  /** Decoded pathname. */
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** A fresh id per request, echoed in the cloud's request-id header and error bodies. */
  requestId: string;
  /** Origin of the listener the request came in on, e.g. https://127.0.0.1:4431. */
  origin: string;
};

export type SimResponse = {
  status: number;
  headers?: Record<string, string | number>;
  body?: string | Buffer;
};

/** What a service does with a request it recognises: the operation name (for counters and knobs) and the handler. */
export type SimRoute = {
  operation: string;
  handle: () => SimResponse | Promise<SimResponse>;
};

/** How a service answers when cloudsim injects a fault, in that cloud's own error shape. */
export interface FaultResponses {
  /** The cloud's throttling answer (S3 503 SlowDown, RDS 400 Throttling, ARM 429, GCS 429 rateLimitExceeded). */
  throttled(req: SimRequest, retryAfterSeconds: number): SimResponse;
  /** A 5xx the cloud sends when something broke on its side. */
  internalError(req: SimRequest): SimResponse;
  /** A 503 while the service is down. */
  unavailable(req: SimRequest, retryAfterSeconds: number): SimResponse;
}

export interface SimService extends FaultResponses {
  readonly name: ServiceName;
  /** The route for this request, or undefined when the request is not for this service. */
  route(req: SimRequest): SimRoute | undefined;
}

/** Tells a handler's early answer from the value it was after. */
export function isResponse(value: object): value is SimResponse {
  return 'status' in value && typeof value.status === 'number' && !('children' in value);
}

export function header(req: SimRequest, name: string): string | undefined {
  const value = req.headers[name.toLowerCase()];
  return Array.isArray(value) ? value[0] : value;
}

export function json(status: number, value: unknown, headers: Record<string, string | number> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body: JSON.stringify(value) };
}

export function xml(status: number, text: string, headers: Record<string, string | number> = {}): SimResponse {
  return { status, headers: { 'content-type': 'application/xml', ...headers }, body: `<?xml version="1.0" encoding="UTF-8"?>\n${text}` };
}

export function empty(status: number, headers: Record<string, string | number> = {}): SimResponse {
  return { status, headers };
}

/** The body as JSON, or undefined when it is empty or not JSON. */
export function jsonBody(req: SimRequest): unknown {
  if (req.body.length === 0) return undefined;
  try {
    return JSON.parse(req.body.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** String properties of a JSON object (others dropped), e.g. tags and labels. */
export function stringRecord(value: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!isRecord(value)) return out;
  for (const [k, v] of Object.entries(value)) if (typeof v === 'string') out[k] = v;
  return out;
}

/**
 * One HTTP or HTTPS listener: reads each request, hands `/_cloudsim/…` to the admin endpoint, finds the
 * service and operation, applies the knobs (latency, outage, throttling, errors), counts the outcome.
 */
import { randomUUID } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Counters, Outcome } from './counters.ts';
import { decideFault, latencyFor, type Knobs } from './knobs.ts';
import { json, type SimRequest, type SimResponse, type SimService } from './sim-http.ts';

/** What every listener and service shares at run time. */
export type SimRuntime = {
  knobs: Knobs;
  counters: Counters;
  now(): number;
  random(): number;
  /** Aborted when cloudsim stops: pending latency waits end. */
  signal: AbortSignal;
  log(message: string): void;
};

export const LISTENER_DEFAULTS = { maxBodyBytes: 4 * 1024 * 1024, adminPrefix: '/_cloudsim/' } as const;

export type ListenerOptions = {
  host: string;
  port: number;
  /** PEM serving certificate and key: the listener speaks HTTPS. */
  tls?: { cert: string; key: string };
  services: readonly SimService[];
  admin: (req: SimRequest) => SimResponse | Promise<SimResponse>;
  runtime: SimRuntime;
};

export type Listener = {
  /** http(s)://host:port */
  url: string;
  close(): Promise<void>;
};

export async function startListener(options: ListenerOptions): Promise<Listener> {
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void serve(options, req, res).catch((err: unknown) => {
      options.runtime.log(`cloudsim: ${req.method ?? ''} ${req.url ?? ''} failed: ${err instanceof Error ? err.stack : String(err)}`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('cloudsim internal error\n');
    });
  };
  const server: Server = options.tls ? createHttpsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createHttpServer(handler);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: options.host, port: options.port }, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  const url = `${options.tls ? 'https' : 'http'}://${host}:${port}`;
  return {
    url,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    const buf = chunk as Buffer;
    size += buf.length;
    if (size > limit) return undefined;
    chunks.push(buf);
  }
  return Buffer.concat(chunks);
}

async function serve(options: ListenerOptions, incoming: IncomingMessage, res: ServerResponse): Promise<void> {
  const { runtime } = options;
  // Before the body, the latency knob and the handler: the request log times calls by their arrival.
  const receivedAt = runtime.now();
  const origin = `${options.tls ? 'https' : 'http'}://${incoming.headers.host ?? `${options.host}:0`}`;
  const url = new URL(incoming.url ?? '/', origin);
  const body = await readBody(incoming, LISTENER_DEFAULTS.maxBodyBytes);
  if (body === undefined) return write(res, 'POST', json(413, { error: 'cloudsim: request body too large' }));
  let path: string;
  try {
    path = decodeURIComponent(url.pathname);
  } catch {
    path = url.pathname;
  }
  const req: SimRequest = {
    method: (incoming.method ?? 'GET').toUpperCase(),
    url,
    path,
    query: url.searchParams,
    headers: incoming.headers,
    body,
    requestId: randomUUID(),
    origin,
  };
  if (path.startsWith(LISTENER_DEFAULTS.adminPrefix) || path === LISTENER_DEFAULTS.adminPrefix.slice(0, -1)) {
    return write(res, req.method, await options.admin(req));
  }
  for (const service of options.services) {
    const route = service.route(req);
    if (route === undefined) continue;
    const { operation } = route;
    const delay = latencyFor(runtime.knobs, service.name, operation, runtime.random);
    if (delay > 0) {
      const closed = new AbortController();
      res.once('close', () => closed.abort());
      await sleep(delay, undefined, { signal: AbortSignal.any([runtime.signal, closed.signal]) }).catch(() => undefined);
      if (runtime.signal.aborted || closed.signal.aborted) return void res.destroy();
    }
    const fault = decideFault({ knobs: runtime.knobs, service: service.name, operation, now: runtime.now(), random: runtime.random });
    let response: SimResponse;
    let outcome: Outcome;
    if (fault.kind === 'outage') {
      response = service.unavailable(req, fault.retryAfterSeconds);
      outcome = 'outage';
    } else if (fault.kind === 'throttle') {
      response = service.throttled(req, fault.retryAfterSeconds);
      outcome = 'throttled';
    } else if (fault.kind === 'error') {
      response = service.internalError(req);
      outcome = 'injected-error';
    } else {
      response = await route.handle();
      outcome = response.status < 400 ? 'ok' : 'error';
    }
    runtime.counters.record(service.name, operation, outcome, receivedAt);
    return write(res, req.method, response);
  }
  write(res, req.method, json(404, { error: `cloudsim: nothing on this listener serves ${req.method} ${url.pathname}` }));
}

function write(res: ServerResponse, method: string, response: SimResponse): void {
  const body = response.body === undefined ? undefined : Buffer.isBuffer(response.body) ? response.body : Buffer.from(response.body, 'utf8');
  const headers: Record<string, string | number> = { ...response.headers };
  if (body !== undefined) headers['content-length'] ??= body.length;
  else if (response.status !== 204 && response.status !== 304) headers['content-length'] ??= 0;
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { isIP } from 'node:net';
import type { Manager } from '../manager/index.ts';
import type { Provider } from '../managed/types.ts';
import { createAccess, type Reviewer } from './access.ts';
import { createCatalog, EVENTS, PLEDGE_EVENTS } from './catalog.ts';
import { createCloudStats } from './cloud-stats.ts';
import { createConditionHistory } from './history.ts';
import { createLive } from './live.ts';
import { apiServerReviewer } from './reviewer.ts';
import { createHandler } from './server.ts';

export type UiAuth = 'auto' | 'token' | 'none';

export interface UiOptions {
  /** host:port; port 0 picks a free one. */
  bindAddress: string;
  auth: UiAuth;
  manager: Pick<Manager, 'informers' | 'client' | 'metrics' | 'cloudGates' | 'logger'>;
  providers: readonly Provider[];
  /** Defaults to TokenReview + SubjectAccessReview against the manager's API server. */
  reviewer?: Reviewer;
}

export function parseBindAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  const host = address.slice(0, i).replace(/^\[(.*)\]$/, '$1');
  if (i < 0 || !host || !Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--ui-bind-address must be host:port, got "${address}"`);
  return { host, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || (isIP(host) === 4 && host.startsWith('127.'));
}

/** auto: no auth on a loopback address only (anyone who can reach it there already runs as this user). */
export function needsToken(auth: UiAuth, host: string): boolean {
  return auth === 'token' || (auth === 'auto' && !isLoopback(host));
}

const STATIC = [
  ['/static/ui.js', 'ui.js', 'text/javascript; charset=utf-8'],
  ['/static/ui.css', 'ui.css', 'text/css; charset=utf-8'],
] as const;

/**
 * The web view: a read-only HTTP server over the manager's informer caches, until the signal aborts. It adds one
 * informer (core/v1 Events) and never one for Secrets.
 */
export async function startUi(options: UiOptions, signal: AbortSignal): Promise<{ url: string }> {
  const { host, port } = parseBindAddress(options.bindAddress);
  const { manager } = options;
  const logger = manager.logger;
  const catalog = createCatalog({ informers: manager.informers, providers: options.providers });
  const history = createConditionHistory();
  const live = createLive({ informers: manager.informers, catalog, history, logger });
  const cloudStats = createCloudStats({ metrics: manager.metrics, cloudGates: manager.cloudGates });
  const access = needsToken(options.auth, host) ? createAccess({ reviewer: options.reviewer ?? apiServerReviewer(manager.client) }) : undefined;
  const staticFiles = new Map(STATIC.map(([path, file, type]) => [path, { type, body: readFileSync(new URL(`./static/${file}`, import.meta.url), 'utf8') }]));
  const server = createServer(createHandler({ catalog, live, history, cloudStats, access, staticFiles, logger }));
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Only now, after the manager began waiting for its informers' first lists: the controllers never wait for the
  // events list (were events not readable, the web view would show none, and nothing else would change).
  manager.informers.informerFor(EVENTS, PLEDGE_EVENTS);
  live.start(signal);
  cloudStats.start(signal);
  signal.addEventListener('abort', () => {
    server.close();
    server.closeAllConnections();
  }, { once: true });
  const bound = server.address();
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${typeof bound === 'object' && bound ? bound.port : port}/`;
  logger.info({ url, auth: access ? 'token' : 'none' }, 'web view listening');
  if (!isLoopback(host)) logger.warn({ url }, 'web view served over plain HTTP: bearer tokens cross the network in the clear unless TLS is put in front (an Ingress, kubectl port-forward)');
  return { url };
}

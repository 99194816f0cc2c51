import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { type Access, openViewer, type Viewer } from './access.ts';
import type { Catalog } from './catalog.ts';
import type { CloudStatsSource } from './cloud-stats.ts';
import type { ConditionHistory } from './history.ts';
import type { Live } from './live.ts';
import { attributesOf, type ViewContext } from './pages/context.ts';
import { page } from './pages/layout.ts';
import { kindListPage } from './pages/kind-list.ts';
import { loginPage } from './pages/login.ts';
import { overviewPage } from './pages/overview.ts';
import { resourcePage } from './pages/resource.ts';
import { treePage } from './pages/tree.ts';
import { html } from './html.ts';
import { parseAddress } from './paths.ts';

export const SESSION_COOKIE = 'pledge_session';
export const SERVER_DEFAULTS = { sessionTtlMs: 8 * 3600_000, maxSessions: 1_000, maxBodyBytes: 16_384 } as const;

const SECURITY_HEADERS = {
  'Content-Security-Policy': "default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

export interface HandlerOptions {
  catalog: Catalog;
  live: Live;
  history: ConditionHistory;
  cloudStats: CloudStatsSource;
  /** Undefined: no auth, every caller sees everything. */
  access?: Access;
  staticFiles: ReadonlyMap<string, { type: string; body: string }>;
  logger: Logger;
}

function send(res: ServerResponse, status: number, type: string, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'Content-Type': type, ...headers });
  res.end(body);
}

const sendHtml = (res: ServerResponse, status: number, body: string, headers?: Record<string, string>) => send(res, status, 'text/html; charset=utf-8', body, headers);

function readBody(req: IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) {
        reject(new Error('request body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function cookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

/** The web view's request handler: health, static files, sign-in, then every page behind the caller's viewer. */
export function createHandler(options: HandlerOptions): (req: IncomingMessage, res: ServerResponse) => void {
  const { access, logger } = options;
  const sessions = new Map<string, { token: string; at: number }>();

  async function viewerOf(req: IncomingMessage): Promise<Viewer | undefined> {
    if (!access) return openViewer;
    const header = req.headers.authorization;
    let token = header?.startsWith('Bearer ') ? header.slice('Bearer '.length).trim() : undefined;
    if (!token) {
      const id = cookie(req, SESSION_COOKIE);
      const session = id ? sessions.get(id) : undefined;
      if (session && Date.now() - session.at < SERVER_DEFAULTS.sessionTtlMs) token = session.token;
    }
    return token ? access.viewerFor(token) : undefined;
  }

  async function login(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!access) return send(res, 303, 'text/plain', '', { Location: '/' });
    // A form posted from another site would sign the browser in as someone else: only this page's own form counts.
    const origin = req.headers.origin;
    if (origin && origin !== 'null' && new URL(origin).host !== req.headers.host) return send(res, 403, 'text/plain', 'cross-site sign-in refused');
    const token = new URLSearchParams(await readBody(req, SERVER_DEFAULTS.maxBodyBytes)).get('token')?.trim();
    const viewer = token ? await access.viewerFor(token) : undefined;
    if (!token || !viewer) return sendHtml(res, 401, loginPage('The API server did not accept this token.'));
    if (sessions.size >= SERVER_DEFAULTS.maxSessions) for (const [id, s] of sessions) if (Date.now() - s.at >= SERVER_DEFAULTS.sessionTtlMs) sessions.delete(id);
    if (sessions.size >= SERVER_DEFAULTS.maxSessions) sessions.delete(sessions.keys().next().value as string);
    const id = randomBytes(32).toString('base64url');
    sessions.set(id, { token, at: Date.now() });
    send(res, 303, 'text/plain', '', { Location: '/', 'Set-Cookie': `${SESSION_COOKIE}=${id}; HttpOnly; SameSite=Strict; Path=/; Max-Age=${SERVER_DEFAULTS.sessionTtlMs / 1000}` });
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://web-view');
    const path = url.pathname;
    if (path === '/healthz') return send(res, 200, 'text/plain; charset=utf-8', 'ok');
    if (path === '/favicon.ico') return send(res, 204, 'text/plain', '');
    const file = options.staticFiles.get(path);
    if (file) return send(res, 200, file.type, file.body, { 'Cache-Control': 'no-cache' });
    if (path === '/login' && req.method === 'POST') return login(req, res);
    if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'method not allowed', { Allow: 'GET, HEAD' });
    if (path === '/login') return sendHtml(res, 200, loginPage());
    if (path === '/logout') {
      const id = cookie(req, SESSION_COOKIE);
      if (id) sessions.delete(id);
      return send(res, 303, 'text/plain', '', { Location: '/login', 'Set-Cookie': `${SESSION_COOKIE}=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0` });
    }
    const viewer = await viewerOf(req);
    if (!viewer) {
      if (path === '/events') return send(res, 401, 'text/plain', 'a bearer token is required');
      return sendHtml(res, 401, loginPage(), { 'WWW-Authenticate': 'Bearer' });
    }
    if (path === '/events') return options.live.subscribe(res, viewer);
    const ctx: ViewContext = { catalog: options.catalog, history: options.history, viewer, cloudStats: options.cloudStats, now: Date.now(), user: viewer.username };
    if (path === '/') return sendHtml(res, 200, await overviewPage(ctx));
    const [, section, ...rest] = path.split('/');
    if (section === 'kind' && rest.length === 3) {
      // A made-up address (the tree/resource parser's rules: five segments there, three here) is simply not found.
      const kind = parseAddress(`${rest.join('/')}/_/-`);
      const info = kind && options.catalog.kinds().find((k) => k.type.group === kind.group && k.type.version === kind.version && k.type.plural === kind.plural);
      if (info) return sendHtml(res, 200, await kindListPage(ctx, info));
    }
    const address = section === 'tree' || section === 'resource' ? parseAddress(rest.join('/')) : undefined;
    const found = address ? options.catalog.get(address, address.name, address.namespace) : undefined;
    // Not found and not allowed look the same: a page never tells what exists out of the caller's sight.
    if (!found || found.info.type.version !== address?.version || !(await viewer.mayGet(attributesOf(found.info, found.object)).catch(() => false))) {
      return sendHtml(res, 404, page({ title: 'Not found', kind: 'error', user: viewer.username, body: html`<h1>Not found</h1><p>No such object, or you may not see it.</p><p><a href="/">Back to the overview</a></p>` }));
    }
    return sendHtml(res, 200, section === 'tree' ? await treePage(ctx, found.info, found.object) : await resourcePage(ctx, found.info, found.object));
  }

  return (req, res) => {
    route(req, res).catch((err: unknown) => {
      logger.warn({ err: err instanceof Error ? err.message : String(err), path: (req.url ?? '').split('?')[0] }, 'web view request failed');
      if (!res.headersSent) sendHtml(res, 500, page({ title: 'Error', kind: 'error', body: html`<h1>Something went wrong</h1><p>The controller's log says what.</p>` }));
      else res.end();
    });
  };
}

// A loopback HTTPS reverse proxy in front of the kube-apiserver that answers chosen requests itself with a 409
// Conflict, as the API server does when another writer got there first, or lets a hook change the cluster before
// a request goes on; every other request (watches included) goes through untouched, with the client's own
// credentials. It serves the API server's certificate, so a kubeconfig pointed at it keeps its CA.
import { readFile } from 'node:fs/promises';
import { createSecureServer } from 'node:http2';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { chartIdentityKubeconfig } from '../../env/controller-identity.ts';
import { kubectl, testEnv } from '../../env/index.ts';
import { kubeconfigVia } from './stalling-proxy.ts';

/** Headers that belong to one hop (or to HTTP/2's framing) and must not be passed on. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding', 'upgrade', 'proxy-connection', 'te', 'host', 'http2-settings']);
const passable = (headers: Record<string, unknown>) => Object.fromEntries(Object.entries(headers).filter(([k]) => !k.startsWith(':') && !HOP_BY_HOP.has(k.toLowerCase()))) as Record<string, string | string[]>;

/** `path` without its query string. */
export type ProxiedRequest = { method: string; path: string; body: string };

export interface ConflictProxy {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The paths answered with a 409, in order. */
  conflicts: string[];
  close(): Promise<void>;
}

export interface ProxyHooks {
  /** True for a request to answer with a 409 instead of passing it on. */
  conflict: (req: ProxiedRequest) => boolean;
  /** Runs before a request is passed on (e.g. another writer's change that the request must then meet). */
  beforePassing?: (req: ProxiedRequest) => Promise<void>;
}

/** The proxy in front of this test environment's API server, and a kubeconfig of the chart's identity through it. */
export async function proxyTestApiServer(hooks: ProxyHooks, kubeconfigName: string): Promise<{ proxy: ConflictProxy; kubeconfig: string }> {
  const envDir = process.env.PLEDGE_TEST_ENV_DIR;
  if (!envDir) throw new Error('PLEDGE_TEST_ENV_DIR is not set: run under test/env/run.ts');
  const server = new URL((await kubectl(['config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'])).stdout);
  const pki = join(envDir, 'pki');
  const proxy = await startConflictProxy({ upstream: server, certPath: join(pki, 'apiserver.crt'), keyPath: join(pki, 'apiserver.key'), caPath: join(pki, 'ca.crt'), ...hooks });
  const kubeconfig = await kubeconfigVia(await chartIdentityKubeconfig(testEnv().kubeconfigPath), proxy.url, join(envDir, kubeconfigName));
  return { proxy, kubeconfig };
}

export async function startConflictProxy(options: ProxyHooks & { upstream: URL; certPath: string; keyPath: string; caPath: string }): Promise<ConflictProxy> {
  const [cert, key, ca] = await Promise.all([readFile(options.certPath), readFile(options.keyPath), readFile(options.caPath)]);
  const conflicts: string[] = [];
  // HTTP/2 as the API server speaks it: a client multiplexes its watches on one connection, where HTTP/1.1 would
  // hold one connection per watch and queue its lists behind them once its pool is full.
  const server = createSecureServer({ cert, key, allowHTTP1: true }, (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const path = req.url ?? '/';
      const pathname = new URL(path, 'https://proxy.invalid').pathname;
      const proxied = { method: req.method ?? 'GET', path: pathname, body: body.toString('utf8') };
      if (options.conflict(proxied)) {
        conflicts.push(pathname);
        res.writeHead(409, { 'content-type': 'application/json' });
        res.end(JSON.stringify({
          kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Conflict', code: 409,
          message: 'Operation cannot be fulfilled: the object has been modified; please apply your changes to the latest version and try again',
        }));
        return;
      }
      await options.beforePassing?.(proxied);
      const upstream = request(
        { host: options.upstream.hostname, port: options.upstream.port, method: req.method, path, headers: passable(req.headers), ca },
        (answer) => {
          res.writeHead(answer.statusCode ?? 502, passable(answer.headers));
          answer.pipe(res);
        },
      );
      upstream.on('error', () => res.destroy());
      res.on('close', () => upstream.destroy());
      upstream.end(body);
    });
  });
  const sessions = new Set<{ destroy(): void }>();
  server.on('session', (session) => {
    sessions.add(session);
    session.on('close', () => sessions.delete(session));
  });
  // HTTP/1.1 connections (kubectl may use them) are sockets, not sessions.
  server.on('secureConnection', (socket) => {
    sessions.add(socket);
    socket.on('close', () => sessions.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    conflicts,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const session of sessions) session.destroy();
      }),
  };
}

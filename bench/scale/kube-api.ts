// The bench's own client for the API server: plain HTTPS from the kubeconfig (bearer token + CA), with a
// user agent of its own so the audit log tells its requests from the controller's.
import { Agent, request } from 'node:https';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

export const BENCH_USER_AGENT = 'pledge-bench-scale';

export interface ApiResponse {
  status: number;
  body: string;
}

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: KubeItem;
}

export interface KubeItem {
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; creationTimestamp?: string };
  status?: { conditions?: Array<{ type?: string; status?: string }>; code?: number };
}

export interface KubeApi {
  /** One request; never throws for an HTTP status, only when the server cannot be reached. */
  call(method: string, path: string, options?: { body?: string; contentType?: string; signal?: AbortSignal }): Promise<ApiResponse>;
  /** A watch stream: calls onEvent for each line until the server ends it (resolves) or signal aborts (rejects). */
  watch(path: string, onEvent: (event: WatchEvent) => void, signal: AbortSignal): Promise<void>;
  close(): void;
}

type Kubeconfig = {
  'current-context'?: string;
  contexts?: Array<{ name: string; context: { cluster: string; user: string } }>;
  clusters?: Array<{ name: string; cluster: { server: string; 'certificate-authority-data'?: string } }>;
  users?: Array<{ name: string; user: { token?: string } }>;
};

/** Reads the current context of a token kubeconfig, as test/env writes it. */
export async function kubeApiFromKubeconfig(path: string, options: { maxSockets?: number } = {}): Promise<KubeApi> {
  const config = parse(await readFile(path, 'utf8')) as Kubeconfig;
  const context = config.contexts?.find((c) => c.name === config['current-context'])?.context;
  const cluster = config.clusters?.find((c) => c.name === context?.cluster)?.cluster;
  const token = config.users?.find((u) => u.name === context?.user)?.user.token;
  if (!cluster || !token) throw new Error(`${path}: expected a current context with a server and a bearer token`);
  const server = new URL(cluster.server);
  const ca = cluster['certificate-authority-data'] ? Buffer.from(cluster['certificate-authority-data'], 'base64') : undefined;
  const agent = new Agent({ keepAlive: true, maxSockets: options.maxSockets ?? 32, ca });
  const headers = { authorization: `Bearer ${token}`, 'user-agent': BENCH_USER_AGENT, accept: 'application/json' };

  function open(method: string, path: string, body: string | undefined, contentType: string | undefined, signal: AbortSignal | undefined) {
    return request({
      host: server.hostname,
      port: server.port,
      method,
      path,
      agent,
      signal,
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) }) },
    });
  }

  return {
    call(method, path, callOptions = {}) {
      return new Promise((resolve, reject) => {
        const req = open(method, path, callOptions.body, callOptions.contentType, callOptions.signal);
        req.on('error', reject);
        req.on('response', (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('error', reject);
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        });
        req.end(callOptions.body);
      });
    },
    watch(path, onEvent, signal) {
      return new Promise((resolve, reject) => {
        const req = open('GET', path, undefined, undefined, signal);
        req.on('error', reject);
        req.on('response', (res) => {
          if (res.statusCode !== 200) {
            res.resume();
            reject(new Error(`watch ${path}: HTTP ${res.statusCode}`));
            return;
          }
          let pending = '';
          res.setEncoding('utf8');
          res.on('data', (chunk: string) => {
            pending += chunk;
            let newline = pending.indexOf('\n');
            while (newline >= 0) {
              const line = pending.slice(0, newline);
              pending = pending.slice(newline + 1);
              if (line.trim() !== '') onEvent(JSON.parse(line) as WatchEvent);
              newline = pending.indexOf('\n');
            }
          });
          res.on('error', reject);
          res.on('end', () => resolve());
        });
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}

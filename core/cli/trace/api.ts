import { request as httpRequest } from 'node:http';
import { request as httpsRequest, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import { CliError } from '../output/index.ts';

/** Read-only GETs against the API server with the kubeconfig's credentials: the few calls `pledge trace` makes. */
export class ReadOnlyApi {
  readonly kubeConfig: KubeConfig;
  readonly server: string;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    const server = kubeConfig.getCurrentCluster()?.server;
    if (!server) throw new CliError('the kubeconfig names no cluster server');
    this.server = server.replace(/\/+$/, '');
  }

  /** The parsed body, or undefined on 404. Any other failure is a CliError naming the path. */
  async get<T>(path: string, accept = 'application/json'): Promise<T | undefined> {
    const url = new URL(this.server + path);
    const options: RequestOptions = { method: 'GET', headers: { Accept: accept } };
    await this.kubeConfig.applyToHTTPSOptions(options);
    const send = url.protocol === 'http:' ? httpRequest : httpsRequest;
    const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = send(url, options, (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on('error', reject);
      });
      req.setTimeout(30_000, () => req.destroy(new Error('no answer in 30 s')));
      req.on('error', reject);
      req.end();
    }).catch((err: unknown) => {
      throw new CliError(`cannot reach the API server at ${this.server}: ${err instanceof Error ? err.message : String(err)}`);
    });
    if (status === 404) return undefined;
    if (status < 200 || status >= 300) {
      let message = body.slice(0, 300);
      try {
        message = (JSON.parse(body) as { message?: string }).message ?? message;
      } catch {
        // not a Status object: the start of the body says enough
      }
      throw new CliError(`GET ${path}: ${status} ${message}`);
    }
    return JSON.parse(body) as T;
  }
}

/** Only an object's metadata: what a Secret's existence needs, without its values ever leaving the API server. */
export const METADATA_ONLY = 'application/json;as=PartialObjectMetadata;g=meta.k8s.io;v=v1';

import { request as plainRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type HttpRequestOptions = HttpGetOptions & {
  method?: string;
  body?: string;
  contentType?: string;
};

export type HttpGetOptions = {
  /** PEM CA bundle to trust for https. */
  ca?: string;
  token?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
};

/** A GET that trusts a private CA (which fetch cannot do without a dispatcher). Rejects only when no response arrives. */
export function httpGet(url: string, options: HttpGetOptions = {}): Promise<{ status: number; body: string }> {
  return httpRequest(url, options);
}

/** Any method, with an optional body; same CA and bearer token handling as httpGet. */
export function httpRequest(url: string, options: HttpRequestOptions = {}): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : plainRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: options.method ?? 'GET',
        ca: options.ca,
        headers: {
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(options.contentType ? { 'content-type': options.contentType } : {}),
        },
        signal: options.signal,
        timeout: options.timeoutMs ?? 5_000,
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${options.method ?? 'GET'} ${url} timed out`)));
    req.on('error', reject);
    req.end(options.body);
  });
}

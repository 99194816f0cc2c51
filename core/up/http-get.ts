import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

export type HttpGetOptions = {
  /** PEM CA bundle to trust for https. */
  ca?: string;
  token?: string;
  signal?: AbortSignal;
  timeoutMs?: number;
};

/** A GET that trusts a private CA (which fetch cannot do without a dispatcher). Rejects only when no response arrives. */
export function httpGet(url: string, options: HttpGetOptions = {}): Promise<{ status: number; body: string }> {
  const target = new URL(url);
  const request = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: 'GET',
        ca: options.ca,
        headers: options.token ? { authorization: `Bearer ${options.token}` } : {},
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
    req.on('timeout', () => req.destroy(new Error(`GET ${url} timed out`)));
    req.on('error', reject);
    req.end();
  });
}

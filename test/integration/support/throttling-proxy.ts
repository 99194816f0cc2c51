// A loopback HTTP proxy in front of moto that answers a share of requests the way AWS does when it
// throttles, and records when every request reached it, so a test can measure the rate Pledge sends.
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ThrottlingProxyOptions {
  /** Where unthrottled requests go (moto). */
  upstream: string;
  /** Share of requests answered with a throttling error, 0 to 1. */
  throttleShare: number;
  /** Deterministic randomness for the throttling decision; default Math.random. */
  random?: () => number;
  /** When set, throttling answers carry `Retry-After: <seconds>`. */
  retryAfterSeconds?: number;
}

export interface RecordedRequest {
  /** performance.now() when the request arrived. */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  /** S3 (REST) or Query (RDS and the other form-encoded APIs). */
  api: 'S3' | 'Query';
  throttled: boolean;
  /** The SDK's attempt number (amz-sdk-request: attempt=N; max=M): above 1, the SDK retried on its own. */
  attempt: number;
}

export interface ThrottlingProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  requests(): readonly RecordedRequest[];
  /** Changes the share of requests throttled from now on. */
  setThrottleShare(share: number): void;
  close(): Promise<void>;
}

const S3_SLOW_DOWN =
  '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>SlowDown</Code><Message>Please reduce your request rate.</Message></Error>';

const QUERY_THROTTLING =
  '<?xml version="1.0" encoding="UTF-8"?>\n<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>' +
  '<Message>Rate exceeded</Message></Error><RequestId>pledge-proxy</RequestId></ErrorResponse>';

/** Query APIs (RDS, IAM, STS…) are form-encoded POSTs to `/`; everything else here is S3's REST API. */
function apiOf(req: IncomingMessage): 'S3' | 'Query' {
  const type = req.headers['content-type'] ?? '';
  return req.method === 'POST' && type.startsWith('application/x-www-form-urlencoded') ? 'Query' : 'S3';
}

function answerThrottled(req: IncomingMessage, res: ServerResponse, api: 'S3' | 'Query', retryAfterSeconds: number | undefined): void {
  const body = api === 'S3' ? S3_SLOW_DOWN : QUERY_THROTTLING;
  const headers: Record<string, string | number> = {
    'content-type': api === 'S3' ? 'application/xml' : 'text/xml',
    'x-amz-request-id': `pledge-proxy-${Date.now()}`,
  };
  if (retryAfterSeconds !== undefined) headers['retry-after'] = retryAfterSeconds;
  // A HEAD answer has no body: the SDK sees only the status, as with real S3.
  const status = api === 'S3' ? 503 : 400;
  if (req.method === 'HEAD') {
    res.writeHead(status, headers).end();
    return;
  }
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) }).end(body);
}

/** Starts the proxy on 127.0.0.1 at a free port. */
function checkShare(share: number): number {
  if (!(share >= 0 && share <= 1)) throw new RangeError(`throttleShare must be in [0, 1], got ${share}`);
  return share;
}

export async function startThrottlingProxy(options: ThrottlingProxyOptions): Promise<ThrottlingProxy> {
  let throttleShare = checkShare(options.throttleShare);
  const upstream = new URL(options.upstream);
  const random = options.random ?? Math.random;
  const recorded: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    const at = performance.now();
    const api = apiOf(req);
    const throttled = random() < throttleShare;
    const attempt = Number(/attempt=(\d+)/.exec(String(req.headers['amz-sdk-request'] ?? ''))?.[1] ?? 1);
    recorded.push({ at, method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] ?? '/', api, throttled, attempt });
    if (throttled) {
      // Read the body first so the client is not cut off mid-upload.
      req.resume();
      req.once('end', () => answerThrottled(req, res, api, options.retryAfterSeconds));
      return;
    }
    const forward = httpRequest(
      { host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    forward.on('error', (err: unknown) => {
      // moto unreachable: answer as a gateway would, so the SDK sees a 5xx rather than a hang.
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`pledge throttling proxy: upstream failed: ${String(err)}`);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: () => recorded,
    setThrottleShare: (share) => {
      throttleShare = checkShare(share);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The most requests that arrived within any window of `windowMs` (half-open: [t, t + windowMs)),
 * and when that window started.
 */
export function maxInWindow(times: readonly number[], windowMs = 1_000): { count: number; startsAt: number } {
  const sorted = [...times].sort((a, b) => a - b);
  let best = { count: 0, startsAt: sorted[0] ?? 0 };
  let end = 0;
  for (let start = 0; start < sorted.length; start++) {
    const from = sorted[start] ?? 0;
    while (end < sorted.length && (sorted[end] ?? 0) < from + windowMs) end++;
    if (end - start > best.count) best = { count: end - start, startsAt: from };
  }
  return best;
}

// A loopback TLS proxy in front of the kube-apiserver that can stall: after `stall()` it still
// accepts connections and completes TLS handshakes, but no request gets through and none is answered,
// on new connections and kept-alive ones alike. A client sees neither an error nor a reply: what a
// process sees of an API server that is overloaded, or behind a link that drops packets mid-stream.
// It serves the API server's own certificate, so clients keep the kubeconfig's CA.
import { readFile, writeFile } from 'node:fs/promises';
import { isIP, type AddressInfo, type Socket } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { parse, stringify } from 'yaml';

export interface StallingProxy {
  /** https://127.0.0.1:<port> */
  url: string;
  stall(): void;
  close(): Promise<void>;
}

export interface StallingProxyOptions {
  upstream: URL;
  /** PEM files: the API server's serving certificate and key, and the CA that signed it. */
  certPath: string;
  keyPath: string;
  caPath: string;
}

export async function startStallingProxy(options: StallingProxyOptions): Promise<StallingProxy> {
  const [cert, key, ca] = await Promise.all([readFile(options.certPath), readFile(options.keyPath), readFile(options.caPath)]);
  const sockets = new Set<Socket>();
  let stalled = false;
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
  };
  const server = createServer({ cert, key, ALPNProtocols: ['http/1.1'] }, (client: TLSSocket) => {
    track(client);
    if (stalled) {
      client.pause();
      return;
    }
    const host = options.upstream.hostname;
    // SNI takes names only; an IP address is checked against the certificate's IP SANs anyway.
    const remote = connect({ host, port: Number(options.upstream.port), ca, ...(isIP(host) ? {} : { servername: host }), ALPNProtocols: ['http/1.1'] });
    track(remote);
    client.pipe(remote);
    remote.pipe(client);
    client.on('close', () => remote.destroy());
    remote.on('close', () => client.destroy());
  });
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    stall() {
      stalled = true;
      for (const socket of sockets) {
        socket.unpipe();
        socket.pause();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Writes a copy of a kubeconfig whose clusters point at `server` instead. */
export async function kubeconfigVia(kubeconfigPath: string, server: string, outPath: string): Promise<string> {
  const config = parse(await readFile(kubeconfigPath, 'utf8')) as { clusters?: Array<{ cluster?: { server?: string } }> };
  for (const entry of config.clusters ?? []) if (entry.cluster) entry.cluster.server = server;
  await writeFile(outPath, stringify(config), { mode: 0o600 });
  return outPath;
}

// The API server's storage for `pledge up`: kine (etcd's API over one SQLite file, as k3s runs a single node) or etcd.
// Both keep every acknowledged write across a kill -9: SQLite in WAL mode with synchronous=FULL, etcd with fsync on.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { etcdHealthUrl, startEtcd } from './etcd.ts';
import { isPortOpen } from './free-port.ts';
import { httpGet } from './http-get.ts';
import { startChild, type SupervisedChild } from './supervised-child.ts';
import { waitUntil } from './wait-until.ts';

export const STORAGE_KINDS = ['kine', 'etcd'] as const;
export type StorageKind = (typeof STORAGE_KINDS)[number];

export type StorageOptions = {
  kind: StorageKind;
  /** The kine or etcd executable. */
  binary: string;
  /** <data-dir>/kine or <data-dir>/etcd. */
  dir: string;
  logsDir: string;
  ports: { client: number; peer: number };
  timeoutMs: number;
  signal?: AbortSignal;
};

export type Storage = { child: SupervisedChild; etcdUrl: string; file: string };

/** Starts the store and resolves once it accepts clients. */
export async function startStorage(options: StorageOptions): Promise<Storage> {
  const { kind, dir, ports, signal, timeoutMs } = options;
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const etcdUrl = `http://127.0.0.1:${ports.client}`;
  if (kind === 'etcd') {
    const child = await startEtcd({ binary: options.binary, dataDir: dir, logPath: join(options.logsDir, 'etcd.log'), clientPort: ports.client, peerPort: ports.peer, unsafeNoFsync: false });
    await waitUntil(async () => (JSON.parse((await httpGet(etcdHealthUrl(ports.client), { signal })).body) as { health?: string }).health === 'true', {
      what: `etcd at ${etcdUrl} to be healthy`, timeoutMs, signal, child, maxIntervalMs: 100,
    });
    return { child, etcdUrl, file: dir };
  }
  const file = join(dir, 'state.db');
  const child = await startChild({
    name: 'kine',
    command: options.binary,
    args: [
      `--endpoint=sqlite://${file}?_journal=WAL&_synchronous=FULL&cache=shared&_busy_timeout=30000&_txlock=immediate`,
      `--listen-address=127.0.0.1:${ports.client}`,
      '--metrics-bind-address=0',
    ],
    logPath: join(options.logsDir, 'kine.log'),
  });
  // kine speaks etcd's gRPC only; kube-apiserver's /readyz checks it end to end once it is up.
  await waitUntil(() => isPortOpen(ports.client), { what: `kine at ${etcdUrl} to listen`, timeoutMs, signal, child, maxIntervalMs: 100 });
  return { child, etcdUrl, file };
}

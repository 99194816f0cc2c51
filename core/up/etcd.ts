import { startChild, type SupervisedChild } from './supervised-child.ts';

export type EtcdOptions = {
  binary: string;
  dataDir: string;
  logPath: string;
  clientPort: number;
  peerPort: number;
  /** Skips fsync: only for a throwaway store (tests), never for one that must survive a crash. */
  unsafeNoFsync: boolean;
};

/** A single-member etcd on loopback; its client URL is http://127.0.0.1:clientPort. */
export function startEtcd(options: EtcdOptions): Promise<SupervisedChild> {
  const client = `http://127.0.0.1:${options.clientPort}`;
  const peer = `http://127.0.0.1:${options.peerPort}`;
  return startChild({
    name: 'etcd',
    command: options.binary,
    args: [
      '--name=pledge-test',
      `--data-dir=${options.dataDir}`,
      `--listen-client-urls=${client}`,
      `--advertise-client-urls=${client}`,
      `--listen-peer-urls=${peer}`,
      `--initial-advertise-peer-urls=${peer}`,
      `--initial-cluster=pledge-test=${peer}`,
      ...(options.unsafeNoFsync ? ['--unsafe-no-fsync'] : []),
      '--log-level=warn',
    ],
    logPath: options.logPath,
  });
}

/** etcd's /health answers {"health":"true"} once it serves. */
export const etcdHealthUrl = (clientPort: number): string => `http://127.0.0.1:${clientPort}/health`;

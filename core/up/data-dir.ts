import { homedir } from 'node:os';
import { join } from 'node:path';

/** Where `pledge up` keeps everything that must survive a restart, and its logs. */
export type UpPaths = {
  dir: string;
  /** CA, serving certificate and service-account key (made once, valid ten years). */
  pki: string;
  /** The admin and kube-controller-manager bearer tokens (JSON, mode 0600). */
  tokens: string;
  /** Run state: pids, URLs, phase (see run-state.ts). */
  state: string;
  /** Ports chosen at the first start and reused after (storage, kube-controller-manager, cloudsim). */
  ports: string;
  kubeconfig: string;
  /** kube-apiserver's own files: tokens.csv, apiserver-certs/, kube-apiserver.log. */
  apiserver: string;
  kine: string;
  etcd: string;
  cloudsim: string;
  logs: string;
  /** The log of a `pledge up --detach`. */
  detachedLog: string;
};

/** `${XDG_DATA_HOME:-~/.local/share}/pledge`. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_DATA_HOME || join(env.HOME || homedir(), '.local', 'share');
  return join(base, 'pledge');
}

export function upPaths(dir: string): UpPaths {
  return {
    dir,
    pki: join(dir, 'pki'),
    tokens: join(dir, 'pki', 'tokens.json'),
    state: join(dir, 'up.json'),
    ports: join(dir, 'ports.json'),
    kubeconfig: join(dir, 'kubeconfig'),
    apiserver: join(dir, 'kube-apiserver'),
    kine: join(dir, 'kine'),
    etcd: join(dir, 'etcd'),
    cloudsim: join(dir, 'cloudsim'),
    logs: join(dir, 'logs'),
    detachedLog: join(dir, 'pledge-up.log'),
  };
}

// kube-controller-manager with the two controllers that delete things in a real cluster: the garbage collector
// (a dependent goes when its owner does) and the namespace controller (a deleted namespace's content goes, then
// the namespace). Nothing else: no nodes, pods or service accounts live in the test cluster.
import { join } from 'node:path';
import type { Certificates } from './certificates.ts';
import { startChild, type SupervisedChild } from './supervised-child.ts';

/** The user it authenticates as (group system:masters): its requests stand apart from pledge-admin's in an audit log. */
export const CONTROLLER_MANAGER_USER = 'system:kube-controller-manager';

export type ControllerManagerOptions = {
  binary: string;
  /** The environment's directory; the log goes to `kube-controller-manager.log` there. */
  dir: string;
  /** A kubeconfig with CONTROLLER_MANAGER_USER's token. */
  kubeconfigPath: string;
  /** Its /healthz, served over https with the API server's certificate (valid for 127.0.0.1). */
  port: number;
  certs: Certificates;
};

export function startControllerManager(options: ControllerManagerOptions): Promise<SupervisedChild> {
  const { dir, certs } = options;
  return startChild({
    name: 'kube-controller-manager',
    command: options.binary,
    args: [
      `--kubeconfig=${options.kubeconfigPath}`,
      '--controllers=garbage-collector-controller,namespace-controller',
      // One instance per environment: no lease to take, and none to lose when the API server restarts.
      '--leader-elect=false',
      '--use-service-account-credentials=false',
      '--bind-address=127.0.0.1',
      `--secure-port=${options.port}`,
      `--tls-cert-file=${certs.servingCertPath}`,
      `--tls-private-key-file=${certs.servingKeyPath}`,
    ],
    logPath: join(dir, 'kube-controller-manager.log'),
  });
}

/** The URL whose body is "ok" once it serves (its controllers start right after). */
export const healthzUrl = (port: number): string => `https://127.0.0.1:${port}/healthz`;

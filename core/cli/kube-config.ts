import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError } from '../errors/index.ts';
import { namePledge } from './user-agent.ts';

const TOKEN_PATH = '/var/run/secrets/kubernetes.io/serviceaccount/token';

/**
 * Test-only: a directory standing in for `/` when looking for the pod's service account files, so that a test can
 * start `pledge run` "in a cluster" with a real ServiceAccount token on a machine that has no /var/run/secrets.
 */
export const IN_CLUSTER_PATH_PREFIX_ENV = 'PLEDGE_IN_CLUSTER_PATH_PREFIX';

export type KubeConfigSource = 'flag' | 'kubeconfig' | 'in-cluster';

/**
 * Which cluster `pledge run` talks to, as kubectl decides: --kubeconfig, else KUBECONFIG or ~/.kube/config, else the
 * pod's service account (KUBERNETES_SERVICE_HOST/PORT and the mounted token, CA and namespace). Unlike client-node's
 * loadFromDefault, finding none of them is an error rather than a silent http://localhost:8080.
 */
export function loadKubeConfig(kubeconfigPath: string | undefined): { kubeConfig: KubeConfig; source: KubeConfigSource } {
  // process.env, not a parameter: client-node's loaders read it too.
  const env = process.env;
  const kubeConfig = namePledge(new KubeConfig());
  if (kubeconfigPath) {
    kubeConfig.loadFromFile(kubeconfigPath);
    return { kubeConfig, source: 'flag' };
  }
  if (env.KUBECONFIG || existsSync(join(env.HOME || homedir(), '.kube', 'config'))) {
    kubeConfig.loadFromDefault();
    return { kubeConfig, source: 'kubeconfig' };
  }
  const prefix = env[IN_CLUSTER_PATH_PREFIX_ENV] ?? '';
  if (env.KUBERNETES_SERVICE_HOST && env.KUBERNETES_SERVICE_PORT && existsSync(`${prefix}${TOKEN_PATH}`)) {
    kubeConfig.loadFromCluster(prefix);
    return { kubeConfig, source: 'in-cluster' };
  }
  throw new ConfigError(
    'no cluster to talk to: pass --kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a pod with a ' +
      `service account token (KUBERNETES_SERVICE_HOST/PORT and ${TOKEN_PATH})`,
  );
}

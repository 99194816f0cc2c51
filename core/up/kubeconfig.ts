import { stringify } from 'yaml';

export type KubeconfigOptions = {
  server: string;
  caPem: string;
  token: string;
  user?: string;
  name?: string;
};

/** A single-context kubeconfig that authenticates with a bearer token. */
export function renderKubeconfig(options: KubeconfigOptions): string {
  const name = options.name ?? 'pledge-test';
  const user = options.user ?? 'pledge-admin';
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name, cluster: { server: options.server, 'certificate-authority-data': Buffer.from(options.caPem).toString('base64') } }],
    users: [{ name: user, user: { token: options.token } }],
    contexts: [{ name, context: { cluster: name, user, namespace: 'default' } }],
    'current-context': name,
    preferences: {},
  });
}

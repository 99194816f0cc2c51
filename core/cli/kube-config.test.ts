import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../errors/index.ts';
import { IN_CLUSTER_PATH_PREFIX_ENV, loadKubeConfig } from './kube-config.ts';

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://from-file.example:6443"}}]
users: [{name: u, user: {token: t}}]
contexts: [{name: x, context: {cluster: c, user: u}}]
current-context: x
`;
const VARS = ['HOME', 'KUBECONFIG', 'KUBERNETES_SERVICE_HOST', 'KUBERNETES_SERVICE_PORT', IN_CLUSTER_PATH_PREFIX_ENV] as const;

/** Runs fn with exactly these of VARS set in process.env (client-node reads process.env itself), then restores them. */
function withEnv<T>(env: Partial<Record<(typeof VARS)[number], string>>, fn: () => T): T {
  const saved = VARS.map((k) => [k, process.env[k]] as const);
  for (const k of VARS) {
    const v = env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

async function podRoot(): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'pledge-kube-config-'));
  const dir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'token'), 'token');
  await writeFile(join(dir, 'ca.crt'), '');
  await writeFile(join(dir, 'namespace'), 'pledge-system');
  return root;
}

test('in a pod (no kubeconfig, KUBERNETES_SERVICE_HOST/PORT and the token): the in-cluster server and the pod namespace', async () => {
  const root = await podRoot();
  const { kubeConfig, source } = withEnv({ HOME: root, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', [IN_CLUSTER_PATH_PREFIX_ENV]: root }, () =>
    loadKubeConfig(undefined),
  );
  assert.equal(source, 'in-cluster');
  assert.equal(kubeConfig.getCurrentCluster()?.server, 'https://10.0.0.1:443');
  assert.equal(kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace, 'pledge-system');
});

test('a kubeconfig wins over the pod: --kubeconfig, then KUBECONFIG', async () => {
  const root = await podRoot();
  const file = join(root, 'kubeconfig');
  await writeFile(file, KUBECONFIG);
  const pod = { HOME: root, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', [IN_CLUSTER_PATH_PREFIX_ENV]: root };
  assert.equal(withEnv(pod, () => loadKubeConfig(file)).source, 'flag');
  const { kubeConfig, source } = withEnv({ ...pod, KUBECONFIG: file }, () => loadKubeConfig(undefined));
  assert.equal(source, 'kubeconfig');
  assert.equal(kubeConfig.getCurrentCluster()?.server, 'https://from-file.example:6443');
});

test("nothing to go on: a ConfigError naming the ways, not client-node's silent http://localhost:8080", async () => {
  const home = await mkdtemp(join(tmpdir(), 'pledge-kube-config-home-'));
  const cases = [
    { env: { HOME: home }, reason: 'no kubeconfig, not in a pod' },
    { env: { HOME: home, KUBERNETES_SERVICE_HOST: '10.0.0.1', KUBERNETES_SERVICE_PORT: '443', [IN_CLUSTER_PATH_PREFIX_ENV]: home }, reason: 'service env but no token file' },
  ];
  for (const c of cases) {
    assert.throws(
      () => withEnv(c.env, () => loadKubeConfig(undefined)),
      (err: unknown) => err instanceof ConfigError && err.message.includes('--kubeconfig') && err.message.includes('KUBERNETES_SERVICE_HOST'),
      c.reason,
    );
  }
});

// `pledge run` with no kubeconfig inside a pod: it must find the pod's ServiceAccount (token, CA, namespace under
// /var/run/secrets/kubernetes.io/serviceaccount and KUBERNETES_SERVICE_HOST/PORT) and act as that identity with the
// chart's RBAC. The files are written under a temporary directory standing in for `/`
// (PLEDGE_IN_CLUSTER_PATH_PREFIX), holding a real TokenRequest token of a real ServiceAccount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { controllerLogsDir, kubectlApply, testEnv } from '../env/index.ts';
import { startChild } from '../env/supervised-child.ts';
import { waitUntil } from '../env/wait-until.ts';
import { condition, installCrds, mustKubectl } from '../integration/harness.ts';
import { CHART, mustHelm, REPO } from './helm.ts';

const NS = 'pledge-in-cluster';
const SA = 'pledge-in-cluster';
const USER = `system:serviceaccount:${NS}:${SA}`;

type Kubeconfig = { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }> };

/** A directory laid out like a pod's filesystem: var/run/secrets/kubernetes.io/serviceaccount/{token,ca.crt,namespace}. */
async function podRoot(token: string): Promise<{ root: string; host: string; port: string }> {
  const kubeconfig = parse(await readFile(testEnv().kubeconfigPath, 'utf8')) as Kubeconfig;
  const cluster = kubeconfig.clusters[0]?.cluster;
  assert.ok(cluster, 'the test kubeconfig has a cluster');
  const server = new URL(cluster.server);
  const root = await mkdtemp(join(tmpdir(), 'pledge-pod-root-'));
  const dir = join(root, 'var/run/secrets/kubernetes.io/serviceaccount');
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'token'), token, { mode: 0o600 });
  await writeFile(join(dir, 'ca.crt'), Buffer.from(cluster['certificate-authority-data'], 'base64'));
  await writeFile(join(dir, 'namespace'), NS);
  return { root, host: server.hostname, port: server.port };
}

test('pledge run in a pod: no kubeconfig, the ServiceAccount token and the chart RBAC; syncs and makes a NopResource Ready', { timeout: 180_000 }, async () => {
  await installCrds();
  await mustKubectl(['create', 'namespace', NS]);
  await mustKubectl(['-n', NS, 'create', 'serviceaccount', SA]);
  const token = (await mustKubectl(['-n', NS, 'create', 'token', SA, '--duration=1h'])).trim();
  const { root, host, port } = await podRoot(token);
  const res = await kubectlApply(`
apiVersion: nop.pledge.dev/v1
kind: ProviderConfig
metadata: {name: default}
---
apiVersion: nop.pledge.dev/v1
kind: NopResource
metadata: {name: in-cluster-nop}
spec:
  forProvider:
    conditionAfter: [{conditionType: Ready, conditionStatus: "True", time: 0s}]
`);
  assert.equal(res.code, 0, res.stderr);

  // A home with no .kube/config and no KUBECONFIG: only the pod's files are left to find.
  const home = await mkdtemp(join(tmpdir(), 'pledge-empty-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port, PLEDGE_IN_CLUSTER_PATH_PREFIX: root };
  delete env.KUBECONFIG;
  // Under the run's directory when there is one, so the secret-safety check reads this log too.
  const logParent = controllerLogsDir() ?? tmpdir();
  await mkdir(logParent, { recursive: true });
  const logDir = await mkdtemp(join(logParent, 'pledge-in-cluster-'));
  const child = await startChild({
    name: 'pledge run (in cluster)',
    command: process.execPath,
    args: [join(REPO, 'bin/pledge.ts'), 'run', '--metrics-bind-address=127.0.0.1:0', '--log-level=debug', '--poll-interval=5s', '--leader-elect', `--leader-election-namespace=${NS}`],
    logPath: join(logDir, 'controller.log'),
    cwd: REPO,
    env,
  });
  const log = () => readFile(child.logPath, 'utf8');
  try {
    await waitUntil(async () => (await log()).includes('"kubeconfig":"in-cluster"'), { what: 'pledge run to start in-cluster', timeoutMs: 30_000, child });
    // Before any RBAC the API server refuses the ServiceAccount, by name: the identity in use is the pod's.
    await waitUntil(async () => (await log()).includes(USER), { what: `a refusal naming ${USER}`, timeoutMs: 30_000, child });
    assert.equal((await condition('nopresources.nop.pledge.dev', 'in-cluster-nop', 'Ready'))?.status, undefined, 'nothing reconciled before RBAC');

    // The chart's RBAC for that ServiceAccount, as `helm install` would render it.
    const rbac = await mustHelm(['template', 'in-cluster', CHART, '-n', NS, '--show-only', 'templates/rbac.yaml', '--set', `serviceAccount.name=${SA}`, '--set', `run.leaderElectionNamespace=${NS}`]);
    const applied = await kubectlApply(rbac);
    assert.equal(applied.code, 0, applied.stderr);

    await waitUntil(async () => (await log()).includes('caches synced'), { what: 'caches synced as the ServiceAccount', timeoutMs: 90_000, child });
    await waitUntil(async () => (await condition('nopresources.nop.pledge.dev', 'in-cluster-nop', 'Ready'))?.status === 'True', {
      what: 'the NopResource to be Ready',
      timeoutMs: 60_000,
      child,
    });
    const lease = JSON.parse(await mustKubectl(['-n', NS, 'get', 'lease', 'pledge-controllers', '-o', 'json'])) as { spec?: { holderIdentity?: string } };
    assert.match(lease.spec?.holderIdentity ?? '', /_\d+_/, 'the Lease is held by this process');
    assert.ok(!(await log()).includes(token), 'the token never appears in the log');
    // Deleted while the controller runs, so that its finalizer is removed as that identity too.
    await mustKubectl(['delete', 'nopresources.nop.pledge.dev', 'in-cluster-nop', '--timeout=60s']);
  } finally {
    await child.stop();
  }
});

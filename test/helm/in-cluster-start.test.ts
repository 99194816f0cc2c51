// The chart's container as a pod would run it: the Deployment's args and env, rendered by helm, with no kubeconfig.
// `pledge run` must find the pod's ServiceAccount (token, CA and namespace under
// /var/run/secrets/kubernetes.io/serviceaccount, KUBERNETES_SERVICE_HOST/PORT) and act as that identity with the
// chart's RBAC; answer the kubelet's probes on the named port bound to all addresses; and stop on SIGTERM well
// within terminationGracePeriodSeconds, releasing the Lease. The files are written under a temporary directory
// standing in for `/` (PLEDGE_IN_CLUSTER_PATH_PREFIX), holding a real TokenRequest token of a real ServiceAccount.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { controllerLogsDir, kubectlApply, testEnv } from '../env/index.ts';
import { freePort } from '../env/free-port.ts';
import { httpGet } from '../env/http-get.ts';
import { startChild } from '../env/supervised-child.ts';
import { waitUntil } from '../env/wait-until.ts';
import { condition, installCrds, mustKubectl } from '../integration/harness.ts';
import { CHART, mustHelm, REPO } from './helm.ts';

const NS = 'pledge-in-cluster';
const SA = 'pledge-in-cluster';
const USER = `system:serviceaccount:${NS}:${SA}`;

type Kubeconfig = { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }> };
type Probe = { httpGet: { path: string; port: string } };
type Container = { args: string[]; env: Array<{ name: string; value: string }>; ports: Array<{ name: string; containerPort: number }>; livenessProbe: Probe; readinessProbe: Probe };
type Manifest = { kind: string; spec?: { template?: { spec: { terminationGracePeriodSeconds: number; containers: Container[] } } } };

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

async function status(url: string): Promise<number> {
  return (await httpGet(url)).status;
}

test('the chart container in a pod: no kubeconfig, the ServiceAccount and the chart RBAC; probes, a NopResource Ready, SIGTERM', { timeout: 180_000 }, async () => {
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

  // The release as installed, but for a free port (8080 may be taken on this machine) and a short poll.
  const metricsPort = await freePort();
  const rendered = await mustHelm([
    'template', 'in-cluster', CHART, '-n', NS,
    '--set', `serviceAccount.name=${SA}`,
    '--set', `run.metricsBindAddress=0.0.0.0:${metricsPort}`,
    '--set', 'run.pollInterval=5s',
    '--set', 'run.logLevel=debug',
  ]);
  const manifests = parseAllDocuments(rendered).map((d) => d.toJSON() as Manifest | null).filter((m): m is Manifest => m !== null);
  const pod = manifests.find((m) => m.kind === 'Deployment')?.spec?.template?.spec;
  const container = pod?.containers[0];
  assert.ok(pod && container, 'the chart renders a Deployment with a container');
  assert.ok(container.args.includes(`--metrics-bind-address=0.0.0.0:${metricsPort}`), container.args.join(' '));
  const probe = (p: Probe) => {
    const named = container.ports.find((x) => x.name === p.httpGet.port);
    assert.ok(named, `the probe's port ${p.httpGet.port} is a named container port`);
    return `http://127.0.0.1:${named.containerPort}${p.httpGet.path}`;
  };

  // A home with no .kube/config and no KUBECONFIG: only the pod's files are left to find.
  const home = await mkdtemp(join(tmpdir(), 'pledge-empty-home-'));
  const env: NodeJS.ProcessEnv = { ...process.env, HOME: home, KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port, PLEDGE_IN_CLUSTER_PATH_PREFIX: root };
  delete env.KUBECONFIG;
  for (const e of container.env) env[e.name] = e.name === 'NODE_COMPILE_CACHE' ? join(home, 'node-compile-cache') : e.value;
  // Under the run's directory when there is one, so the secret-safety check reads this log too.
  const logParent = controllerLogsDir() ?? tmpdir();
  await mkdir(logParent, { recursive: true });
  const logDir = await mkdtemp(join(logParent, 'pledge-in-cluster-'));
  // The image's entrypoint is `node /app/bin/pledge.ts`; the Deployment gives the args.
  const child = await startChild({ name: 'pledge (chart container)', command: process.execPath, args: [join(REPO, 'bin/pledge.ts'), ...container.args], logPath: join(logDir, 'controller.log'), cwd: REPO, env });
  const log = () => readFile(child.logPath, 'utf8');
  let stopped = false;
  try {
    await waitUntil(async () => (await log()).includes('"kubeconfig":"in-cluster"'), { what: 'pledge run to start in-cluster', timeoutMs: 30_000, child });
    await waitUntil(async () => (await status(probe(container.livenessProbe))) === 200, { what: 'the liveness probe', timeoutMs: 30_000, child });
    // Before any RBAC the API server refuses the ServiceAccount, by name: the identity in use is the pod's.
    await waitUntil(async () => (await log()).includes(USER), { what: `a refusal naming ${USER}`, timeoutMs: 30_000, child });
    assert.equal((await condition('nopresources.nop.pledge.dev', 'in-cluster-nop', 'Ready'))?.status, undefined, 'nothing reconciled before RBAC');

    // The chart's RBAC for that ServiceAccount, from the same render.
    const rbac = await mustHelm(['template', 'in-cluster', CHART, '-n', NS, '--show-only', 'templates/rbac.yaml', '--set', `serviceAccount.name=${SA}`]);
    const applied = await kubectlApply(rbac);
    assert.equal(applied.code, 0, applied.stderr);

    await waitUntil(async () => (await log()).includes('caches synced'), { what: 'caches synced as the ServiceAccount', timeoutMs: 90_000, child });
    assert.equal(await status(probe(container.readinessProbe)), 200, 'ready once synced');
    await waitUntil(async () => (await condition('nopresources.nop.pledge.dev', 'in-cluster-nop', 'Ready'))?.status === 'True', {
      what: 'the NopResource to be Ready',
      timeoutMs: 60_000,
      child,
    });
    const lease = JSON.parse(await mustKubectl(['-n', NS, 'get', 'lease', 'pledge-controllers', '-o', 'json'])) as { spec?: { holderIdentity?: string } };
    assert.match(lease.spec?.holderIdentity ?? '', /_\d+_/, 'the Lease (in the release namespace) is held by this process');
    // Deleted while the controller runs, so that its finalizer is removed as that identity too.
    await mustKubectl(['delete', 'nopresources.nop.pledge.dev', 'in-cluster-nop', '--timeout=60s']);

    // The kubelet's SIGTERM: out well within the grace period, Lease released.
    const sigtermAt = Date.now();
    const exit = await child.stop({ graceMs: pod.terminationGracePeriodSeconds * 1000 });
    stopped = true;
    const tookMs = Date.now() - sigtermAt;
    console.log(`in-cluster: exited ${tookMs} ms after SIGTERM (grace period ${pod.terminationGracePeriodSeconds} s)`);
    assert.deepEqual(exit, { code: 0, signal: null }, 'a clean exit, not the SIGKILL at the end of the grace period');
    assert.ok(tookMs < 30_000, `took ${tookMs} ms`);
    assert.match(await log(), /"msg":"lease released"/);
    assert.ok(!(await log()).includes(token), 'the token never appears in the log');
  } finally {
    if (!stopped) await child.stop();
  }
});

// Starts its own environment (it is not run under run.ts) and checks each part answers.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { startEnvironment, type Environment } from './environment.ts';
import { isPortOpen } from './free-port.ts';
import { kubectl, kubectlApply } from './index.ts';

let env: Environment;
const portOf = (url: string) => Number(new URL(url).port);

before(async () => {
  const started = Date.now();
  env = await startEnvironment({ log: (message) => console.log(`# ${message}`) });
  console.log(`# startEnvironment took ${Date.now() - started} ms`);
});

after(async () => {
  await env?.stop();
});

test('kubectl reaches the API server and the default namespace exists', async () => {
  const result = await kubectl(['get', 'ns', 'default', '-o', 'name'], { kubeconfigPath: env.kubeconfigPath });
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), 'namespace/default');
});

test('kubectl reports failures through the exit code, not by throwing', async () => {
  const result = await kubectl(['get', 'ns', 'no-such-namespace'], { kubeconfigPath: env.kubeconfigPath });
  assert.notEqual(result.code, 0);
  assert.match(result.stderr, /not found/);
});

test('kubectl apply reads YAML from stdin', async () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env-test\n  namespace: default\ndata:\n  a: b\n';
  const applied = await kubectlApply(yaml, { kubeconfigPath: env.kubeconfigPath });
  assert.equal(applied.code, 0, applied.stderr);
  const read = await kubectl(['get', 'configmap', 'env-test', '-o', 'jsonpath={.data.a}'], { kubeconfigPath: env.kubeconfigPath });
  assert.equal(read.stdout, 'b');
});

test('moto serves S3', async () => {
  const bucket = `pledge-env-test-${Date.now()}`;
  const created = await fetch(`${env.motoUrl}/${bucket}`, { method: 'PUT' });
  assert.equal(created.status, 200, await created.text());
  const listed = await fetch(`${env.motoUrl}/`);
  assert.equal(listed.status, 200);
  assert.match(await listed.text(), new RegExp(`<Name>${bucket}</Name>`));
});

test('restartApiServer brings kube-apiserver and etcd back on the same port with the same data; the kubeconfig still works', async () => {
  const yaml = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: env-restart-test\n  namespace: default\ndata:\n  kept: yes-it-is\n';
  const applied = await kubectlApply(yaml, { kubeconfigPath: env.kubeconfigPath });
  assert.equal(applied.code, 0, applied.stderr);
  let crashed = false;
  void env.crashed.then(() => (crashed = true));
  const { downMs } = await env.restartApiServer();
  console.log(`# restartApiServer: down ${downMs} ms`);
  const read = await kubectl(['get', 'configmap', 'env-restart-test', '-o', 'jsonpath={.data.kept}'], { kubeconfigPath: env.kubeconfigPath });
  assert.equal(read.code, 0, read.stderr);
  assert.equal(read.stdout, 'yes-it-is');
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(crashed, false, 'a restart is not reported as a crash');
});

test('kube-controller-manager outlives that restart: a namespace deleted afterwards goes, with what was in it', async () => {
  const opts = { kubeconfigPath: env.kubeconfigPath };
  const created = await kubectlApply('apiVersion: v1\nkind: Namespace\nmetadata:\n  name: env-after-restart\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: inside\n  namespace: env-after-restart\n', opts);
  assert.equal(created.code, 0, created.stderr);
  const deleted = await kubectl(['delete', 'namespace', 'env-after-restart', '--wait=false'], opts);
  assert.equal(deleted.code, 0, deleted.stderr);
  // Without a namespace controller it would stay Terminating for ever.
  const deadline = Date.now() + 60_000;
  let last = await kubectl(['get', 'namespace', 'env-after-restart', '-o', 'name'], opts);
  while (last.code === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    last = await kubectl(['get', 'namespace', 'env-after-restart', '-o', 'name'], opts);
  }
  assert.match(last.stderr, /NotFound|not found/, `namespace still there: ${last.stdout}`);
});

test('stop closes every port and removes the directory', async () => {
  const ports = [env.apiServerUrl, env.motoUrl, env.etcdUrl, env.controllerManagerHealthzUrl].map(portOf);
  for (const port of ports) assert.equal(await isPortOpen(port), true, `port ${port} should be open before stop`);
  const started = Date.now();
  await env.stop();
  console.log(`# stop took ${Date.now() - started} ms`);
  for (const port of ports) assert.equal(await isPortOpen(port), false, `port ${port} is still open after stop`);
  assert.equal(existsSync(env.dir), false);
  await env.stop(); // a second stop is harmless
});

// pledge up --detach returns once ready and keeps running in the background; pledge status says what runs and where;
// a second pledge up on the same data dir is refused naming the pid; --merge-kubeconfig adds context "pledge" to the
// user's kubeconfig and keeps the others; pledge down stops it, and then status and down say none runs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { freePort } from '../../core/up/free-port.ts';
import { isAlive } from '../../core/up/run-state.ts';
import { runKubectl } from '../env/kubectl.ts';
import { PLEDGE, REPO, removeDataDir, tempDataDir } from './up-process.ts';

const run = promisify(execFile);

type Status = { running: boolean; pid: number; phase: string; apiServerUrl: string; storage: string; dataDir: string; kubeconfigPath: string; children: { name: string; pid: number }[] };

const OTHER_CONTEXT = {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'work', cluster: { server: 'https://work.example.invalid:6443' } }],
  users: [{ name: 'me', user: { token: 'not-a-real-token' } }],
  contexts: [{ name: 'work', context: { cluster: 'work', user: 'me', namespace: 'team' } }],
  'current-context': 'work',
};

describe('pledge up --detach, status, down', () => {
  let root: string;
  let dataDir: string;
  let userKubeconfig: string;
  let env: NodeJS.ProcessEnv;
  let port: number;
  let pid = 0;

  const pledge = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
    try {
      const { stdout, stderr } = await run(process.execPath, [PLEDGE, ...args], { cwd: REPO, env, timeout: 600_000 });
      return { code: 0, stdout, stderr };
    } catch (err: unknown) {
      const e = err as { code?: number; stdout?: string; stderr?: string };
      return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? String(err) };
    }
  };

  before(async () => {
    root = await tempDataDir();
    dataDir = join(root, 'data');
    userKubeconfig = join(root, 'home', '.kube', 'config');
    await mkdir(join(root, 'home', '.kube'), { recursive: true });
    await writeFile(userKubeconfig, stringify(OTHER_CONTEXT));
    // A temp HOME for the kubeconfig; the binaries stay in the real cache (a new HOME would rebuild them).
    env = { ...process.env, PLEDGE_CACHE: process.env.PLEDGE_CACHE ?? join(homedir(), '.cache', 'pledge'), HOME: join(root, 'home'), KUBECONFIG: userKubeconfig };
    port = await freePort();
  });
  after(async () => {
    if (pid && isAlive(pid)) process.kill(pid, 'SIGTERM');
    await removeDataDir(root);
  });

  test('--detach returns once ready; status names the pid, URL, storage and children', async () => {
    const started = await pledge(['up', '--detach', '--merge-kubeconfig', '--clouds-from-env', '--data-dir', dataDir, '--port', String(port), '--ui-bind-address', '']);
    assert.equal(started.code, 0, started.stderr + started.stdout);
    assert.match(started.stdout, /pledge up runs in the background \(pid \d+/);
    const status = JSON.parse((await pledge(['status', '--data-dir', dataDir, '-o', 'json'])).stdout) as Status;
    pid = status.pid;
    assert.equal(status.running, true);
    assert.equal(status.phase, 'ready');
    assert.equal(status.apiServerUrl, `https://127.0.0.1:${port}`);
    assert.equal(status.storage, 'kine');
    assert.deepEqual(status.children.map((c) => c.name).sort(), ['kine', 'kube-apiserver', 'kube-controller-manager']);
    const table = (await pledge(['status', '--data-dir', dataDir])).stdout;
    assert.match(table, new RegExp(`pid ${pid}, ready`));
    const version = await runKubectl(['get', '--raw', '/readyz'], { kubeconfigPath: join(dataDir, 'kubeconfig') });
    assert.equal(version.stdout, 'ok');
  });

  test('--merge-kubeconfig adds context pledge, makes it current and keeps the user\'s other context', async () => {
    const merged = parse(await readFile(userKubeconfig, 'utf8')) as typeof OTHER_CONTEXT;
    assert.equal(merged['current-context'], 'pledge');
    assert.deepEqual(merged.contexts.map((c) => c.name).sort(), ['pledge', 'work']);
    assert.deepEqual(merged.contexts.find((c) => c.name === 'work')?.context, OTHER_CONTEXT.contexts[0]?.context);
    assert.equal(merged.clusters.find((c) => c.name === 'work')?.cluster.server, 'https://work.example.invalid:6443');
    // kubectl with no flag now reaches pledge up.
    const res = await run('kubectl', ['get', 'namespace', 'default', '-o', 'name'], { env });
    assert.equal(res.stdout.trim(), 'namespace/default');
  });

  test('a second pledge up on the same data dir is refused, naming the pid', async () => {
    const second = await pledge(['up', '--data-dir', dataDir, '--port', String(await freePort()), '--ui-bind-address', '']);
    assert.equal(second.code, 1);
    assert.match(second.stderr, new RegExp(`pledge up already runs on ${dataDir} \\(pid ${pid}\\)`));
    assert.ok(isAlive(pid), 'the running one is untouched');
  });

  test('--clouds-from-env: the ProviderConfig "default" of AWS uses the SDK chain of the environment', async () => {
    const res = await runKubectl(['get', 'providerconfigs.aws.pledge.dev/default', 'clusterproviderconfigs.aws.m.pledge.dev/default', '-o', 'json'], { kubeconfigPath: join(dataDir, 'kubeconfig') });
    assert.equal(res.code, 0, res.stderr);
    const items = (JSON.parse(res.stdout) as { items: { spec: { credentials?: { source?: string } } }[] }).items;
    assert.deepEqual(items.map((i) => i.spec.credentials?.source), ['Environment', 'Environment']);
  });

  test('a busy --port is refused, naming the port and the flag', async () => {
    const other = await pledge(['up', '--data-dir', join(root, 'other'), '--port', String(port), '--ui-bind-address', '']);
    assert.equal(other.code, 1);
    assert.match(other.stderr, new RegExp(`port ${port} \\(--port\\) is in use on 127\\.0\\.0\\.1`));
  });

  test('pledge down stops it and its children; then status and down say none runs', async () => {
    const status = JSON.parse((await pledge(['status', '--data-dir', dataDir, '-o', 'json'])).stdout) as Status;
    const down = await pledge(['down', '--data-dir', dataDir]);
    assert.equal(down.code, 0, down.stderr);
    assert.match(down.stdout, new RegExp(`pledge up \\(pid ${pid}\\) stopped`));
    assert.equal(isAlive(pid), false);
    assert.deepEqual(status.children.filter((c) => isAlive(c.pid)), []);
    assert.match((await pledge(['status', '--data-dir', dataDir])).stdout, /no pledge up runs on/);
    assert.match((await pledge(['down', '--data-dir', dataDir])).stdout, /no pledge up runs on/);
    assert.match(await readFile(join(dataDir, 'pledge-up.log'), 'utf8'), /"msg":"stopping"/);
  });
});

// A kill -9 of pledge up loses no acknowledged write: objects are created (each create acknowledged by the API server),
// then pledge up and its storage are SIGKILLed with kube-apiserver and kube-controller-manager left running as orphans
// (their watchdogs killed first); the next pledge up stops those leftovers, starts again and finds every object.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, type RunState } from '../../core/up/run-state.ts';
import { mustKubectl, removeDataDir, startUp, tempDataDir, type UpProcess } from './up-process.ts';

const N = 60;

function configMaps(run: string): string {
  return Array.from({ length: N }, (_, i) => `apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ack-${run}-${i}, namespace: default}\ndata: {n: "${i}"}\n`).join('---\n');
}

const BUCKET = 'apiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\nmetadata: {name: kill-9-bucket}\nspec:\n  forProvider: {region: us-east-1}\n';

/** The pids of the watchdog shells (`read; kill -9 <pid>`) that would kill pid when pledge up dies. */
async function watchdogsOf(pid: number): Promise<number[]> {
  const out: number[] = [];
  for (const entry of await readdir('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const cmdline = await readFile(`/proc/${entry}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.includes(`kill -9 ${pid} `) || cmdline.endsWith(`kill -9 ${pid} 2>/dev/null\0`)) out.push(Number(entry));
  }
  return out;
}

describe('pledge up after a kill -9', () => {
  let dataDir: string;
  let up: UpProcess;
  let before9: RunState;

  before(async () => {
    dataDir = await tempDataDir();
  });
  after(async () => {
    await up?.child.stop();
    for (const c of before9?.children ?? []) if (isAlive(c.pid)) process.kill(c.pid, 'SIGKILL');
    await removeDataDir(dataDir);
  });

  test('acknowledged writes, then SIGKILL of pledge up and its storage; the API server and controller-manager are orphaned', async () => {
    up = await startUp({ dataDir, args: ['--sim'], run: 1 });
    await up.ready();
    await mustKubectl(up, ['apply', '-f', '-'], BUCKET);
    await mustKubectl(up, ['wait', '--for=condition=Ready', '--timeout=60s', 'bucket.s3.aws.pledge.dev/kill-9-bucket']);
    // The last acknowledged writes come right before the kill.
    await mustKubectl(up, ['create', '-f', '-'], configMaps('a'));
    before9 = JSON.parse(await readFile(join(dataDir, 'up.json'), 'utf8')) as RunState;
    const storage = before9.children.find((c) => c.name === 'kine');
    assert.ok(storage, JSON.stringify(before9));
    for (const child of before9.children) for (const watchdog of await watchdogsOf(child.pid)) process.kill(watchdog, 'SIGKILL');
    process.kill(-up.child.pid, 'SIGKILL');
    process.kill(storage.pid, 'SIGKILL');
    const exit = await up.child.exited;
    assert.equal(exit.signal, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    const orphans = before9.children.filter((c) => c.name !== 'kine');
    assert.deepEqual(orphans.filter((c) => !isAlive(c.pid)), [], 'kube-apiserver and kube-controller-manager outlived pledge up');
  });

  test('the next pledge up stops the leftovers (checked by command line) and finds every object', async () => {
    up = await startUp({ dataDir, port: up.port, args: ['--sim'], run: 2 });
    await up.ready();
    const log = await up.log();
    assert.match(log, /stopped what the previous pledge up \(killed\) left running/);
    for (const c of before9.children.filter((c) => c.name !== 'kine')) {
      assert.ok(log.includes(`${c.name} (pid ${c.pid})`), `${c.name} named in the log`);
      assert.equal(isAlive(c.pid), false, `${c.name} (pid ${c.pid}) stopped`);
    }
    const names = (JSON.parse(await mustKubectl(up, ['get', 'configmaps', '-n', 'default', '-o', 'json'])) as { items: { metadata: { name: string } }[] }).items
      .map((c) => c.metadata.name)
      .filter((n) => n.startsWith('ack-a-'));
    assert.equal(names.length, N, `all ${N} acknowledged ConfigMaps are there`);
    await mustKubectl(up, ['wait', '--for=condition=Ready', '--timeout=60s', 'bucket.s3.aws.pledge.dev/kill-9-bucket']);
    process.kill(up.child.pid, 'SIGINT');
    assert.equal((await up.child.exited).code, 0);
  });
});

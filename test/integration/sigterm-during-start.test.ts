// `pledge run` told to stop while its informers are still listing exits at once. It used to log "stopped" and
// then hang on the watch sockets its informers opened after the stop (found by the chaos run: the last
// controller, stopped during its start, had to be SIGKILLed). The race needs the SIGTERM to land before the
// caches sync; an attempt that comes too late proves nothing and is tried again.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testEnv } from '../env/index.ts';
import { startChild } from '../env/supervised-child.ts';
import { installCrds, REPO } from './harness.ts';

const ATTEMPTS = 5;
const EXIT_WITHIN_MS = 5_000;

test('pledge run exits promptly on SIGTERM received before its caches synced', async (t) => {
  await installCrds();
  const dir = await mkdtemp(join(process.env.PLEDGE_TEST_ENV_DIR ?? tmpdir(), 'sigterm-during-start-'));
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const logPath = join(dir, `controller-${attempt}.log`);
    const child = await startChild({
      name: 'pledge run',
      command: process.execPath,
      args: [join(REPO, 'bin/pledge.ts'), 'run', `--kubeconfig=${testEnv().kubeconfigPath}`, '--metrics-bind-address=127.0.0.1:0'],
      logPath,
      cwd: REPO,
    });
    const log = () => readFile(logPath, 'utf8').catch(() => '');
    // "starting" comes right before the informers list: stop it then, polling the log closely.
    while (!(await log()).includes('"msg":"starting"')) {
      assert.ok(!child.hasExited(), `the controller exited before starting:\n${await log()}`);
      await sleep(5);
    }
    process.kill(child.pid, 'SIGTERM');
    const exit = await Promise.race([child.exited, sleep(EXIT_WITHIN_MS, undefined)]);
    const text = await log();
    if (exit === undefined) {
      await child.stop({ graceMs: 0 });
      assert.fail(`still running ${EXIT_WITHIN_MS} ms after SIGTERM; log:\n${text}`);
    }
    assert.equal(exit.code, 0, `exit ${JSON.stringify(exit)}; log:\n${text}`);
    const synced = text.indexOf('caches synced');
    if (synced < 0 || synced > text.indexOf('shutting down')) return;
    t.diagnostic(`attempt ${attempt}: the caches synced before the SIGTERM landed; again`);
  }
  t.skip(`in ${ATTEMPTS} attempts the SIGTERM never landed before the caches synced: the race was not exercised`);
});

// The committed fixtures are what pledge run writes today: the capture (test/health/capture-fixtures.ts) runs
// again into a temporary directory, and every committed health_test.yaml case and kstatus verdict must hold on
// what it wrote. A change to the conditions Pledge writes that the Lua checks or kstatus would read differently
// fails here, not in a cluster.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, mkdir, mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { captureFixtures, FIXTURE_ROOT } from './capture-fixtures.ts';
import { check, harness } from './harnesses.ts';

const REPO = new URL('../../', import.meta.url).pathname;

test('a fresh capture from pledge run gets every committed Argo CD verdict (gopher-lua) and kstatus verdict', { timeout: 600_000 }, async () => {
  const lua = harness('lua-harness');
  const kstatus = harness('kstatus-harness');
  const dir = await mkdtemp(join(tmpdir(), 'pledge-live-fixtures-'));
  await captureFixtures(dir);

  const committed = (await readdir(FIXTURE_ROOT, { recursive: true })).filter((f) => f.includes('/testdata/')).sort();
  const captured = (await readdir(dir, { recursive: true })).filter((f) => f.includes('/testdata/')).sort();
  assert.deepEqual(captured, committed, 'the capture wrote every committed fixture');
  for (const f of (await readdir(FIXTURE_ROOT, { recursive: true })).filter((f) => f.endsWith('health_test.yaml') || f.endsWith('health.lua'))) {
    await mkdir(dirname(join(dir, f)), { recursive: true });
    await copyFile(join(FIXTURE_ROOT, f), join(dir, f));
  }

  const argo = await check(await lua, ['-tree', dir]);
  assert.ok(argo.ok, argo.out);
  assert.ok(argo.summary.cases >= 30, `${argo.summary.cases} cases`);
  const flux = await check(await kstatus, ['-cases', join(REPO, 'health/flux/kstatus_test.yaml'), '-root', dir]);
  assert.ok(flux.ok, flux.out);
  console.log(`# live capture: ${argo.summary.passed} Argo CD cases, ${flux.summary.passed} kstatus verdicts hold`);
});

import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { DURATIONS_DEFAULTS, loadDurations } from './durations.ts';

let dir = '';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pledge-durations-test-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('without a history: the measured table, else a file is taken for a long one', async () => {
  const durations = await loadDurations(join(dir, 'none.json'));
  assert.equal(durations.expectedMs('test/integration/crash-safety.test.ts'), 150_000);
  assert.equal(durations.expectedMs('test/integration/never-timed.test.ts'), DURATIONS_DEFAULTS.unknownMs);
});

test('a recorded time is averaged with the last one and survives a save', async () => {
  const path = join(dir, 'history.json');
  const first = await loadDurations(path);
  first.record('test/a.test.ts', 10_000);
  await first.save();
  const second = await loadDurations(path);
  assert.equal(second.expectedMs('test/a.test.ts'), 10_000);
  second.record('test/a.test.ts', 30_000);
  assert.equal(second.expectedMs('test/a.test.ts'), 20_000, 'half the last time and half the new one');
  await second.save();
  assert.deepEqual(JSON.parse(await readFile(path, 'utf8')), { 'test/a.test.ts': 20_000 });
});

test('a history cut short or of another shape only loses its hints', async () => {
  for (const text of ['{"test/a.test.ts": 12', '[1, 2]', '{"test/a.test.ts": "soon"}']) {
    const path = join(dir, 'broken.json');
    await writeFile(path, text);
    assert.equal((await loadDurations(path)).expectedMs('test/a.test.ts'), DURATIONS_DEFAULTS.unknownMs, text);
  }
});

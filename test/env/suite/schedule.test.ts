import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fileQueue, planSchedule } from './schedule.ts';

const expected: Record<string, number> = { 'test/b.test.ts': 5_000, 'test/long.test.ts': 150_000, 'test/mid.test.ts': 40_000 };
const plan = (unitFiles: string[], envFiles: string[], runsAlone: Record<string, string> = {}) =>
  planSchedule({ unitFiles, envFiles, expectedMs: (f) => expected[f] ?? 20_000, runsAlone });

test('end-to-end files go longest first; ties go by path', () => {
  const { parallel } = plan([], ['test/b.test.ts', 'test/new.test.ts', 'test/mid.test.ts', 'test/a-new.test.ts', 'test/long.test.ts']);
  assert.deepEqual(parallel, ['test/long.test.ts', 'test/mid.test.ts', 'test/a-new.test.ts', 'test/new.test.ts', 'test/b.test.ts']);
});

test('zz-after-all files wait for every other file, in path order, whatever their time', () => {
  const { parallel, afterAll } = plan([], ['test/zz-after-all/z.test.ts', 'test/long.test.ts', 'test/zz-after-all/a.test.ts']);
  assert.deepEqual(parallel, ['test/long.test.ts']);
  assert.deepEqual(afterAll, ['test/zz-after-all/a.test.ts', 'test/zz-after-all/z.test.ts']);
});

test('files that run alone leave their group: unit ones run without an environment, the others in one', () => {
  const s = plan(['core/clock.test.ts', 'core/pure.test.ts'], ['test/long.test.ts', 'test/timed.test.ts'], {
    'core/clock.test.ts': 'real clock',
    'test/timed.test.ts': 'request rates',
  });
  assert.deepEqual(s.unit, ['core/pure.test.ts']);
  assert.deepEqual(s.alone, [
    { file: 'core/clock.test.ts', environment: false },
    { file: 'test/timed.test.ts', environment: true },
  ]);
  assert.deepEqual(s.parallel, ['test/long.test.ts']);
});

test('a file matched by both groups runs once, as a unit file', () => {
  const s = plan(['test/pure.test.ts'], ['test/pure.test.ts', 'test/mid.test.ts']);
  assert.deepEqual(s.unit, ['test/pure.test.ts']);
  assert.deepEqual(s.parallel, ['test/mid.test.ts']);
});

test('the queue hands each file out once, in order, to whichever lane asks', () => {
  const queue = fileQueue(['a', 'b']);
  assert.deepEqual([queue.take(), queue.left(), queue.take(), queue.take()], ['a', 1, 'b', undefined]);
});

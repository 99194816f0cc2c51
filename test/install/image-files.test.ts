// The production-install test copies SHIPPED_PATHS; the image must ship the same files, or that test would prove
// nothing about the image. Read from the Dockerfile and .dockerignore themselves.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { REPO } from '../integration/harness.ts';
import { NOT_SHIPPED, SHIPPED_PATHS } from './shipped-files.ts';

const dockerfile = () => readFile(join(REPO, 'Dockerfile'), 'utf8');

test('the Dockerfile copies exactly the shipped paths into /app, and .dockerignore drops the tests', async () => {
  const text = await dockerfile();
  const copied = [...text.matchAll(/^COPY (?!--)(.+)$/gm)].flatMap((m) => {
    const words = (m[1] ?? '').trim().split(/\s+/);
    return words.slice(0, -1);
  });
  assert.deepEqual([...copied].sort(), [...SHIPPED_PATHS].sort());
  assert.match(text, /^WORKDIR \/app$/m);

  const ignored = (await readFile(join(REPO, '.dockerignore'), 'utf8')).split('\n').map((line) => line.trim());
  for (const pattern of NOT_SHIPPED) assert.ok(ignored.includes(pattern), `.dockerignore leaves out ${pattern}`);
});

test('the image: base as a build argument, npm ci --omit=dev in the build stage, a numeric non-root user', async () => {
  const text = await dockerfile();
  const base = ['$', '{BASE_IMAGE}'].join('');
  const stages = [...text.matchAll(/^FROM (\S+)(?: AS (\S+))?$/gm)].map((m) => ({ base: m[1], name: m[2] }));
  assert.deepEqual(stages, [
    { base, name: 'build' },
    { base, name: undefined },
  ]);
  const [build = '', final = ''] = text.split(/^FROM \$\{BASE_IMAGE\}$/m);
  assert.match(build, /npm ci --omit=dev/);
  assert.match(final, /^COPY --from=build \/app \/app$/m);
  assert.match(final, /^USER 65532:65532$/m);
  assert.doesNotMatch(final, /^RUN /m, 'the final stage adds no layer of its own making');
});

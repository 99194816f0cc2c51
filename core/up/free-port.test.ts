import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { freePort } from './free-port.ts';

test('never the same port twice in a process, though the kernel offers closed probes again', async () => {
  // One after another, as environments pick theirs: asked 400 times, the kernel offered 9 to 11 ports again here.
  const ports: number[] = [];
  for (let i = 0; i < 400; i++) ports.push(await freePort());
  assert.equal(new Set(ports).size, ports.length);
});

test('the port can be bound on 127.0.0.1', async () => {
  const port = await freePort();
  const server = createServer();
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen({ host: '127.0.0.1', port }, resolve));
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

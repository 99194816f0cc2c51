import { readFile, writeFile } from 'node:fs/promises';
import { freePort, isPortOpen } from './free-port.ts';

/**
 * Loopback ports picked once and kept in a file, so the endpoints `pledge up` prints stay the same across restarts.
 * A remembered port that something else took meanwhile is replaced by a free one.
 */
export async function stablePorts<const K extends string>(path: string, names: readonly K[]): Promise<Record<K, number>> {
  let saved: Partial<Record<string, number>> = {};
  try {
    saved = JSON.parse(await readFile(path, 'utf8')) as Record<string, number>;
  } catch {
    // First start, or an unreadable file: pick new ones.
  }
  const out: Partial<Record<K, number>> = {};
  const taken = new Set<number>();
  for (const name of names) {
    const port = saved[name];
    if (typeof port === 'number' && !taken.has(port) && !(await isPortOpen(port))) {
      out[name] = port;
      taken.add(port);
    }
  }
  for (const name of names) {
    if (out[name] !== undefined) continue;
    let port = await freePort();
    while (taken.has(port)) port = await freePort();
    out[name] = port;
    taken.add(port);
  }
  await writeFile(path, `${JSON.stringify({ ...saved, ...out }, null, 2)}\n`);
  return out as Record<K, number>;
}

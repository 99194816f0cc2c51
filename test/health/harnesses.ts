// The Go health harnesses (test/health/lua-harness, test/health/kstatus-harness): built once per source into
// the cache by build-harness.sh, run with their JSON summary read back.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;

export interface Summary {
  cases: number;
  passed: number;
  failed: string[];
  byStatus: Record<string, number>;
  byKind?: Record<string, number>;
}

export async function harness(name: 'lua-harness' | 'kstatus-harness'): Promise<string> {
  const started = Date.now();
  const { stdout } = await run('bash', [join(REPO, 'test/health/build-harness.sh'), name], { timeout: 600_000, encoding: 'utf8' });
  console.log(`# ${name} ready in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return stdout.trim();
}

/** Runs a harness; resolves to its summary and output whether it passed or not. */
export async function check(bin: string, args: string[]): Promise<{ ok: boolean; out: string; summary: Summary }> {
  try {
    const { stdout } = await run(bin, args, { maxBuffer: 16 << 20 });
    return { ok: true, out: stdout, summary: JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') };
  } catch (err: unknown) {
    const stdout = String((err as { stdout?: string }).stdout ?? '');
    const last = stdout.trim().split('\n').at(-1) ?? '';
    return { ok: false, out: `${stdout}${String((err as { stderr?: string }).stderr ?? '')}`, summary: last.startsWith('{') ? JSON.parse(last) : { cases: 0, passed: 0, failed: [], byStatus: {} } };
  }
}


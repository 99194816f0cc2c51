// Each cloud's SDK loads when the first resource of that cloud is connected, never at start: an idle controller
// with no ProviderConfig of a cloud pays nothing for it (issue 10: an idle `pledge run` under 120 MiB RSS; the
// three SDKs weigh about 120 MiB together). Child processes record every module they resolve
// (test/resolved-modules.ts), so this checks what Node really loaded, not what the import lines seem to say.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../', import.meta.url));

/** The packages each cloud's SDK brings (its own and its transport, auth and runtime libraries). */
const SDK_PACKAGES = {
  aws: ['@aws-sdk', '@aws-crypto', '@smithy'],
  azure: ['@azure', '@azure-rest', '@typespec/ts-http-runtime'],
  gcp: ['@google-cloud', 'google-auth-library', 'gaxios', 'gcp-metadata'],
} as const;
type Cloud = keyof typeof SDK_PACKAGES;
const CLOUDS = Object.keys(SDK_PACKAGES) as Cloud[];

/** The SDK packages each cloud's kinds use directly: connecting them must load these. */
const SDK_CLIENTS: Record<Cloud, string[]> = {
  aws: ['@aws-sdk/client-s3', '@aws-sdk/client-rds'],
  azure: ['@azure/arm-resources', '@azure/arm-storage', '@azure/identity'],
  gcp: ['@google-cloud/storage'],
};

/** The package of each URL under node_modules (`@scope/name` or `name`), once each, in load order. */
function packagesOf(urls: readonly string[]): string[] {
  const names = urls.map((url) => /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url)?.[1]).filter((name) => name !== undefined);
  return [...new Set(names)];
}

/** The packages of cloud's SDK among urls. */
function sdkPackages(urls: readonly string[], cloud: Cloud): string[] {
  return packagesOf(urls).filter((name) => SDK_PACKAGES[cloud].some((pkg) => name === pkg || name.startsWith(`${pkg}/`)));
}

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pledge-lazy-sdk-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/**
 * Runs `node --import ./test/resolved-modules.ts <args>` in the repository and returns the URLs it resolved,
 * split at the `# connect` line test/connect-probe.ts writes (all of them are `before` when there is none).
 */
async function resolvedBy(name: string, args: string[]): Promise<{ before: string[]; after: string[]; stdout: string }> {
  const log = join(dir, `${name}.log`);
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', './test/resolved-modules.ts', ...args], {
    cwd: root,
    env: { ...process.env, PLEDGE_RESOLVED_LOG: log },
    timeout: 60_000,
  });
  const lines = (await readFile(log, 'utf8')).split('\n').filter((line) => line !== '');
  const mark = lines.indexOf('# connect');
  return mark < 0 ? { before: lines, after: [], stdout } : { before: lines.slice(0, mark), after: lines.slice(mark + 1), stdout };
}

describe('cloud SDKs load lazily', () => {
  test('the CLI and every provider load without any cloud SDK (pledge crds reads every kind)', async () => {
    const { before: urls } = await resolvedBy('crds', ['bin/pledge.ts', 'crds', '--out', join(dir, 'crds')]);
    // Evidence that the recording saw the wiring and packages from node_modules, so the absence below means something.
    assert.ok(urls.some((url) => url.endsWith('/core/cli/run-command.ts')), 'the controllers\' wiring was loaded');
    assert.ok(urls.some((url) => url.endsWith('/providers/index.ts')), 'the provider registry was loaded');
    assert.ok(packagesOf(urls).includes('@kubernetes/client-node'), 'packages from node_modules are recorded');
    for (const cloud of CLOUDS) assert.deepEqual(sdkPackages(urls, cloud), [], `${cloud}'s SDK was loaded with no resource connected`);
  });

  for (const cloud of CLOUDS) {
    test(`connecting ${cloud}'s kinds loads ${SDK_CLIENTS[cloud].join(', ')} and no other cloud's SDK`, async () => {
      const run = await resolvedBy(`connect-${cloud}`, ['test/connect-probe.ts', cloud]);
      for (const any of CLOUDS) assert.deepEqual(sdkPackages(run.before, any), [], `${any}'s SDK was loaded with the provider registry`);
      const loaded = packagesOf(run.after);
      for (const client of SDK_CLIENTS[cloud]) assert.ok(loaded.includes(client), `connecting ${cloud}'s kinds did not load ${client}:\n${run.stdout}`);
      for (const other of CLOUDS.filter((c) => c !== cloud)) {
        assert.deepEqual(sdkPackages(run.after, other), [], `connecting ${cloud}'s kinds loaded ${other}'s SDK`);
      }
    });
  }
});

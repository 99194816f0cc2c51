// A production install: the files a release ships (what the Dockerfile copies), `npm ci --omit=dev` in a clean
// directory, and that copy's `pledge run` brings an S3 Bucket on moto to Ready. If anything at runtime needed a dev
// dependency (TypeScript, Biome, a type-only import that is not erased), this copy could not start or reconcile.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { kubectlApply } from '../env/index.ts';
import { condition, eventually, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO, startController, type ControllerProcess } from '../integration/harness.ts';
import { SHIPPED_PATHS, shipped } from './shipped-files.ts';

const run = promisify(execFile);

async function exists(path: string): Promise<boolean> {
  return stat(path).then(
    () => true,
    () => false,
  );
}

/** Every package directory under node_modules, as the lockfile names them (`node_modules/@scope/name`). */
async function installedPackages(root: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(join(root, 'node_modules'))) {
    if (entry.startsWith('.')) continue;
    if (entry.startsWith('@')) {
      for (const sub of await readdir(join(root, 'node_modules', entry))) out.push(`node_modules/${entry}/${sub}`);
    } else out.push(`node_modules/${entry}`);
  }
  return out;
}

async function bucketInMoto(name: string): Promise<boolean> {
  try {
    await motoS3().send(new HeadBucketCommand({ Bucket: name }));
    return true;
  } catch (err: unknown) {
    if (err instanceof Error && (err.name === 'NotFound' || err.name === 'NoSuchBucket')) return false;
    throw err;
  }
}

describe('a production install (npm ci --omit=dev) runs pledge run', () => {
  let dir: string;
  let copy: string;
  let controller: ControllerProcess | undefined;
  const bucket = `pledge-prod-${randomBytes(3).toString('hex')}`;

  before(async () => {
    dir = await mkdtemp(join(process.env.PLEDGE_TEST_ENV_DIR ?? tmpdir(), 'pledge-production-install-'));
    copy = join(dir, 'pledge');
    for (const path of SHIPPED_PATHS) await cp(join(REPO, path), join(copy, path), { recursive: true, filter: (src) => shipped(src) });
  });

  after(async () => {
    await controller?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('npm ci --omit=dev installs no dev dependency, and nothing above the copy can lend one', async (t) => {
    const started = performance.now();
    await run('npm', ['ci', '--omit=dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline'], { cwd: copy, timeout: 300_000 });
    t.diagnostic(`npm ci --omit=dev took ${((performance.now() - started) / 1000).toFixed(1)} s`);

    const lock = JSON.parse(await readFile(join(copy, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean }> };
    const installed = await installedPackages(copy);
    assert.ok(installed.includes('node_modules/@aws-sdk/client-s3'), 'the runtime dependencies are installed');
    const dev = installed.filter((pkg) => lock.packages[pkg]?.dev === true);
    assert.deepEqual(dev, [], 'no package the lockfile marks dev-only is installed');
    for (const pkg of ['typescript', '@biomejs/biome']) assert.equal(await exists(join(copy, 'node_modules', pkg)), false, `${pkg} is absent`);
    assert.equal(await exists(join(copy, 'test')), false, 'the test folder does not ship');

    // Node resolves packages by walking up the directories: the checkout's node_modules must not be one of them.
    for (let up = dirname(copy); up !== dirname(up); up = dirname(up)) {
      assert.equal(await exists(join(up, 'node_modules')), false, `${up} has no node_modules a module could resolve from`);
    }
  });

  test("the copy's other verbs work too: --version, and argocd-health reads the Lua it ships", async () => {
    const version = await run(process.execPath, [join(copy, 'bin/pledge.ts'), '--version'], { cwd: copy, timeout: 30_000 });
    assert.match(version.stdout, /^\d+\.\d+\.\d+\n$/);
    const health = await run(process.execPath, [join(copy, 'bin/pledge.ts'), 'argocd-health'], { cwd: copy, timeout: 30_000 });
    assert.match(health.stdout, /resource\.customizations\.health\.s3\.aws\.pledge\.dev_Bucket/);
  });

  test("the copy's pledge run brings an S3 Bucket on moto to Ready and deletes it, then exits 0 on SIGTERM", async (t) => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ repo: copy });
    assert.match(await controller.log(), /caches synced/);

    const applied = await kubectlApply(`
apiVersion: s3.aws.pledge.dev/v1
kind: Bucket
metadata: {name: ${bucket}}
spec:
  forProvider: {region: us-east-1}
`);
    assert.equal(applied.code, 0, applied.stderr);
    await eventually(async () => (await condition('buckets.s3.aws.pledge.dev', bucket, 'Ready'))?.status === 'True', 'the Bucket to be Ready', 60_000);
    assert.equal(await bucketInMoto(bucket), true, 'the bucket exists in moto');
    const rss = /VmRSS:\s*(\d+ kB)/.exec(await readFile(`/proc/${controller.child.pid}/status`, 'utf8'))?.[1];
    t.diagnostic(`pledge run RSS with one Bucket Ready: ${rss ?? 'unknown'}`);

    await mustKubectl(['delete', 'buckets.s3.aws.pledge.dev', bucket, '--wait=true', '--timeout=60s']);
    assert.equal(await bucketInMoto(bucket), false, 'deleting the Bucket deleted it in moto');

    const signalled = performance.now();
    const exit = await controller.child.stop({ graceMs: 10_000 });
    t.diagnostic(`SIGTERM to exit: ${Math.round(performance.now() - signalled)} ms`);
    assert.deepEqual(exit, { code: 0, signal: null }, 'pledge run exits by itself with 0 on SIGTERM');
    assert.match(await controller.log(), /"msg":"stopped"/);
  });
});

// The image, run the way a cluster would run it: `pledge run` in the container as user 65532, root filesystem
// read-only with no tmpfs, no capabilities, the chart ServiceAccount's kubeconfig mounted read-only. Against the
// test API server and moto (host network) it brings an S3 Bucket to Ready, and on SIGTERM it exits 0 by itself
// (node is PID 1). Not part of `make test` (it needs a container runtime): `make image-test` builds the image and
// runs this.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, chown, copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { HeadBucketCommand } from '@aws-sdk/client-s3';
import { chartIdentityKubeconfig } from '../env/controller-identity.ts';
import { controllerLogsDir, kubectlApply, testEnv } from '../env/index.ts';
import { startChild, type SupervisedChild } from '../env/supervised-child.ts';
import { waitUntil } from '../env/wait-until.ts';
import { condition, eventually, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO } from '../integration/harness.ts';

const run = promisify(execFile);
const UID = 65532;

/** The container tool and the flags this machine needs, as image/build.sh found them (image/tool.sh). */
async function containerTool(image: string): Promise<{ tool: string; flags: string[] }> {
  const script = `source image/tool.sh; pick_tool; probe_flags "$1"; printf '%s\\n' "$CONTAINER_TOOL" "\${CONTAINER_FLAGS[@]}"`;
  const { stdout } = await run('bash', ['-c', script, 'tool', image], { cwd: REPO });
  const [tool = '', ...flags] = stdout.split('\n').filter((line) => line !== '');
  return { tool, flags };
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

/** A line of /proc/<pid>/status, e.g. VmRSS or Uid. */
async function procStatus(pid: number, field: string): Promise<string> {
  const line = (await readFile(`/proc/${pid}/status`, 'utf8')).split('\n').find((l) => l.startsWith(`${field}:`));
  return line?.slice(field.length + 1).trim() ?? '';
}

describe('the image runs pledge run against the test API server', () => {
  // The tag image/build.sh gives (IMAGE, or localhost/pledge:<package.json version>).
  const image = process.env.IMAGE ?? `localhost/pledge:${(JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version}`;
  const name = `pledge-image-test-${randomBytes(3).toString('hex')}`;
  const bucket = `pledge-image-${randomBytes(3).toString('hex')}`;
  let tool: string;
  let flags: string[];
  let dir: string;
  let logDir: string;
  let container: SupervisedChild | undefined;

  before(async () => {
    ({ tool, flags } = await containerTool(image));
    assert.ok(tool === 'podman' || tool === 'docker', `running needs podman or docker; found ${tool}`);
    const parent = controllerLogsDir() ?? tmpdir();
    await mkdir(parent, { recursive: true });
    // The log where the secret-safety check reads every controller's; the kubeconfig (a token) elsewhere.
    logDir = await mkdtemp(join(parent, 'pledge-image-'));
    dir = await mkdtemp(join(tmpdir(), 'pledge-image-kubeconfig-'));
  });

  after(async () => {
    await container?.stop({ graceMs: 15_000 });
    await run(tool, ['rm', '-f', name]).catch(() => undefined);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('user 65532, read-only root, PID 1: an S3 Bucket on moto becomes Ready; SIGTERM exits 0', async (t) => {
    await installCrds();
    await installAwsProviderConfig();

    // As the chart's ServiceAccount with only the chart's RBAC (as every end-to-end test runs it). The container's
    // user reads the kubeconfig: a copy it owns, mode 0400.
    const kubeconfig = join(dir, 'kubeconfig');
    await copyFile(await chartIdentityKubeconfig(testEnv().kubeconfigPath), kubeconfig);
    await chown(kubeconfig, UID, UID).catch(() => chmod(kubeconfig, 0o644));
    const logPath = join(logDir, 'controller.log');
    container = await startChild({
      name: 'pledge run (container)',
      command: tool,
      args: [
        'run', '--rm', '--name', name, ...flags,
        '--network', 'host', '--read-only', ...(tool === 'podman' ? ['--read-only-tmpfs=false'] : []),
        '--cap-drop', 'all', '--security-opt', 'no-new-privileges',
        '--volume', `${kubeconfig}:/etc/pledge/kubeconfig:ro`,
        image,
        'run', '--kubeconfig=/etc/pledge/kubeconfig', '--poll-interval=2s', '--log-level=debug', '--metrics-bind-address=127.0.0.1:0',
      ],
      logPath,
    });
    const log = () => readFile(logPath, 'utf8');
    await waitUntil(async () => (await log()).includes('caches synced'), { what: 'pledge run in the container to sync its caches', timeoutMs: 60_000, child: container });

    const { stdout } = await run(tool, ['inspect', '--format', '{{.State.Pid}}', name]);
    const pid = Number(stdout.trim());
    assert.ok(pid > 0, `the container's process: ${stdout}`);
    assert.match(await procStatus(pid, 'Uid'), new RegExp(`^${UID}\\s+${UID}\\s`), 'node runs as 65532');
    assert.match(await procStatus(pid, 'NSpid'), /\s1$/, 'node is PID 1 in the container');

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
    t.diagnostic(`pledge run RSS in the container with one Bucket Ready: ${await procStatus(pid, 'VmRSS')}`);

    await mustKubectl(['delete', 'buckets.s3.aws.pledge.dev', bucket, '--wait=true', '--timeout=60s']);
    assert.equal(await bucketInMoto(bucket), false, 'deleting the Bucket deleted it in moto');
    assert.doesNotMatch(await log(), /EROFS|read-only file system/i, 'nothing tried to write to the root filesystem');

    // As the kubelet stops a pod: SIGTERM to PID 1, SIGKILL (exit 137) only if it is still there 15 s later.
    const signalled = performance.now();
    await run(tool, ['stop', '-t', '15', name]);
    const exit = await container.exited;
    t.diagnostic(`${tool} stop (SIGTERM) to exit: ${Math.round(performance.now() - signalled)} ms`);
    assert.deepEqual(exit, { code: 0, signal: null }, 'pledge run handled SIGTERM as PID 1 and exited 0');
    assert.match(await log(), /"msg":"shutting down"[^\n]*\n(?:.*\n)*.*"msg":"stopped"/);
  });
});

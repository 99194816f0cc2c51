// Crossplane's provider-nop v0.5.0, built from its Go module by install-provider-nop.sh and run out of
// cluster: controller-runtime reads KUBECONFIG; leader election is off unless --leader-election is given.
//
// Two things it needs out of cluster: its webhook server (registered for both kinds, though nothing calls it
// without the package's ValidatingWebhookConfiguration) will not start without a key pair in
// TLS_SERVER_CERTS_DIR, so it gets the test API server's serving certificate; and it serves metrics on :8080
// and webhooks on :9443 with no flag to move them, so both must be free.
import { execFile } from 'node:child_process';
import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { isPortOpen } from '../../test/env/free-port.ts';
import { installCrds, startAndWait, type BenchController } from './controllers.ts';

const run = promisify(execFile);

export const PROVIDER_NOP_BENCH = {
  version: 'v0.5.0',
  /** cmd/provider/main.go: --poll defaults to 10s. */
  defaultPollSeconds: 10,
  /** Its flag's default is 1 (one reconcile at a time, one per second with a burst of 10). */
  tunedFlags: ['--max-reconcile-rate=100'],
  fixedPorts: [8080, 9443],
} as const;

let installed: string | undefined;

/** Builds it once (cached by version) and returns the directory with `provider` and `crds/`. */
async function providerDir(): Promise<string> {
  installed ??= (
    await run('bash', [join(import.meta.dirname, 'install-provider-nop.sh')], {
      env: { ...process.env, PLEDGE_PROVIDER_NOP_VERSION: PROVIDER_NOP_BENCH.version },
      maxBuffer: 16 * 1024 * 1024,
    })
  ).stdout
    .trim()
    .split('\n')
    .at(-1);
  if (!installed) throw new Error('install-provider-nop.sh printed no directory');
  return installed;
}

export const providerNop: BenchController = {
  name: 'provider-nop',
  async install() {
    await installCrds(join(await providerDir(), 'crds'));
  },
  async start(options) {
    for (const port of PROVIDER_NOP_BENCH.fixedPorts) {
      if (await isPortOpen(port)) throw new Error(`port ${port} is in use: provider-nop listens there with no flag to change it`);
    }
    const envDir = process.env.PLEDGE_TEST_ENV_DIR;
    if (!envDir) throw new Error('PLEDGE_TEST_ENV_DIR is not set: run under test/env/run.ts');
    const tls = join(options.dir, 'provider-nop-tls');
    await mkdir(tls, { recursive: true });
    await copyFile(join(envDir, 'pki', 'apiserver.crt'), join(tls, 'tls.crt'));
    await copyFile(join(envDir, 'pki', 'apiserver.key'), join(tls, 'tls.key'));
    return startAndWait({
      name: 'provider-nop',
      command: join(await providerDir(), 'provider'),
      args: [
        ...(options.pollSeconds === undefined ? [] : [`--poll=${options.pollSeconds}s`]),
        ...(options.tuned ? PROVIDER_NOP_BENCH.tunedFlags : []),
      ],
      env: { ...process.env, KUBECONFIG: options.kubeconfigPath, TLS_SERVER_CERTS_DIR: tls },
      logPath: join(options.dir, 'provider-nop.log'),
      pollSeconds: options.pollSeconds ?? PROVIDER_NOP_BENCH.defaultPollSeconds,
      readyLine: /Starting workers.*managed\/clusternopresource/,
    });
  },
};

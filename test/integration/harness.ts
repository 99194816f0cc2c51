// Shared set-up for integration tests: the CRDs, an AWS ProviderConfig pointing at moto, and the
// real `pledge run` as a separate process whose log the tests can read.
import { mkdir, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { chartIdentityKubeconfig } from '../env/controller-identity.ts';
import { controllerLogsDir, kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { startChild, type SupervisedChild } from '../env/supervised-child.ts';
import { waitUntil } from '../env/wait-until.ts';

export const TEST_CREDENTIALS = { accessKeyId: 'AKIAPLEDGETEST000001', secretAccessKey: 'pledge-test-secret-key-do-not-log-1234' } as const;
export const REPO = new URL('../../', import.meta.url).pathname;

export async function mustKubectl(args: string[], input?: string): Promise<string> {
  const res = await kubectl(args, input === undefined ? {} : { input });
  if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${res.code}): ${res.stderr}`);
  return res.stdout;
}

export async function installCrds(): Promise<void> {
  await mustKubectl(['apply', '--server-side', '-f', join(REPO, 'crds')]);
  await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(REPO, 'crds')]);
}

/** A credentials Secret and the `default` AWS ProviderConfig, pointing at moto. */
export async function installAwsProviderConfig(name = 'default'): Promise<void> {
  const { motoUrl } = testEnv();
  const res = await kubectlApply(`
apiVersion: v1
kind: Namespace
metadata: {name: pledge-system}
---
apiVersion: v1
kind: Secret
metadata: {name: aws-creds, namespace: pledge-system}
stringData:
  accessKeyId: ${TEST_CREDENTIALS.accessKeyId}
  secretAccessKey: ${TEST_CREDENTIALS.secretAccessKey}
---
apiVersion: aws.pledge.dev/v1
kind: ProviderConfig
metadata: {name: ${name}}
spec:
  region: us-east-1
  endpoint: ${motoUrl}
  credentials:
    source: Secret
    secretRef: {name: aws-creds, namespace: pledge-system}
`);
  if (res.code !== 0) throw new Error(`cannot install the ProviderConfig: ${res.stderr}`);
}

/** An S3 client straight to moto; with `account`, it acts as another AWS account (moto's x-moto-account-id). */
export function motoS3(options: { region?: string; account?: string } = {}): S3Client {
  const client = new S3Client({ region: options.region ?? 'us-east-1', endpoint: testEnv().motoUrl, forcePathStyle: true, credentials: TEST_CREDENTIALS });
  const account = options.account;
  if (account) {
    client.middlewareStack.add(
      (next) => async (args) => {
        const request = args.request as { headers?: Record<string, string> };
        if (request.headers) request.headers['x-moto-account-id'] = account;
        return next(args);
      },
      { step: 'build', name: 'motoAccount' },
    );
  }
  return client;
}

/** How often a starting controller's log is read: a local file, cheap enough to notice each start within 0.1 s. */
const LOG_POLL_MS = 100;

export interface ControllerProcess {
  child: SupervisedChild;
  logPath: string;
  /** Where /healthz, /readyz and /metrics are served. */
  metricsUrl: string;
  log(): Promise<string>;
  stop(): Promise<void>;
}

/**
 * Starts `pledge run` against the test cluster and waits until its caches have synced. It runs as the chart's
 * ServiceAccount, with only the chart's RBAC (test/env/controller-identity.ts), unless `identity: 'admin'`: for
 * the few tests whose kinds live in API groups made up per run, which no chart would grant.
 */
export async function startController(
  // repo: another copy of Pledge to run (a production install) instead of this checkout.
  options: { pollInterval?: string; extraArgs?: string[]; env?: NodeJS.ProcessEnv; waitForSync?: boolean; identity?: 'chart' | 'admin'; repo?: string } = {},
): Promise<ControllerProcess> {
  // Under the run's directory when there is one, so the secret-safety check can read every log.
  const parent = controllerLogsDir() ?? tmpdir();
  await mkdir(parent, { recursive: true });
  const dir = await mkdtemp(join(parent, 'pledge-controller-'));
  const logPath = join(dir, 'controller.log');
  const admin = testEnv().kubeconfigPath;
  const kubeconfig = options.identity === 'admin' ? admin : await chartIdentityKubeconfig(admin);
  const child = await startChild({
    name: 'pledge run',
    command: process.execPath,
    args: [
      join(options.repo ?? REPO, 'bin/pledge.ts'),
      'run',
      `--kubeconfig=${kubeconfig}`,
      `--poll-interval=${options.pollInterval ?? '2s'}`,
      '--log-level=debug',
      '--metrics-bind-address=127.0.0.1:0',
      ...(options.extraArgs ?? []),
    ],
    logPath,
    cwd: options.repo ?? REPO,
    env: { ...process.env, ...options.env },
  });
  const log = () => readFile(logPath, 'utf8');
  let metricsUrl = '';
  await waitUntil(
    async () => {
      const match = /"port":(\d+),"msg":"serving \/healthz/.exec(await log());
      if (match) metricsUrl = `http://127.0.0.1:${match[1]}`;
      return match !== null;
    },
    { what: 'the controller to serve /healthz', timeoutMs: 30_000, child, maxIntervalMs: LOG_POLL_MS },
  );
  if (options.waitForSync ?? true) {
    await waitUntil(async () => (await log()).includes('caches synced'), { what: 'the controller to sync its caches', timeoutMs: 30_000, child, maxIntervalMs: LOG_POLL_MS });
  }
  return { child, logPath, metricsUrl, log, stop: async () => void (await child.stop()) };
}

export async function eventually(check: () => Promise<boolean>, what: string, timeoutMs = 30_000): Promise<void> {
  await waitUntil(check, { what, timeoutMs, intervalMs: 250 });
}

export async function getJson<T = Record<string, unknown>>(resource: string, name: string, namespace?: string): Promise<T | undefined> {
  const res = await kubectl(['get', resource, name, '-o', 'json', ...(namespace ? ['-n', namespace] : [])]);
  if (res.code !== 0) {
    if (res.stderr.includes('NotFound')) return undefined;
    throw new Error(`kubectl get ${resource} ${name}: ${res.stderr}`);
  }
  return JSON.parse(res.stdout) as T;
}

export interface ConditionView {
  type: string;
  status: string;
  reason: string;
  message?: string;
}

export async function condition(resource: string, name: string, type: string, namespace?: string): Promise<ConditionView | undefined> {
  const obj = await getJson<{ status?: { conditions?: ConditionView[] } }>(resource, name, namespace);
  return obj?.status?.conditions?.find((c) => c.type === type);
}

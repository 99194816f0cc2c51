// The identity `pledge run` has in a real install: the chart's ServiceAccount, authorised only by the chart's
// rendered RBAC. Tests start the controller with a kubeconfig holding a token of that ServiceAccount (from the
// TokenRequest API), so every request it makes is checked by RBAC and shows up under its name in the audit log.
import { execFile } from 'node:child_process';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { parse, parseAllDocuments } from 'yaml';
import { renderKubeconfig } from './kubeconfig.ts';
import { runKubectl } from './kubectl.ts';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;

/** How the suite installs the chart: release `pledge` in `pledge-system`, serving the composition groups its tests use. */
export const CHART_RELEASE = { name: 'pledge', namespace: 'pledge-system' } as const;
/** The API groups of the XRDs the end-to-end suites define (compositions/examples, test/integration/compositions*.test.ts, nop-resource.test.ts). */
export const SUITE_COMPOSITION_GROUPS: readonly string[] = ['platform.example.org', 'nop.example.org'];
/** The built-in kinds the suite's Compositions compose (test/integration/compose-configmap.test.ts). */
export const SUITE_COMPOSED_KINDS: readonly string[] = ['configmaps', 'deployments.apps'];
/** Long enough for any run; the API server signs it with the environment's service-account key. */
const TOKEN_DURATION = '24h';

export type KubeManifest = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; [key: string]: unknown };

let helmPath: Promise<string> | undefined;

/** helm v4 from the project's cache (built once by test/env/install-helm.sh). */
export function helm(): Promise<string> {
  helmPath ??= run('bash', [join(REPO, 'test/env/install-helm.sh')], { maxBuffer: 1 << 20 }).then(({ stdout }) => stdout.trim());
  return helmPath;
}

/** The chart's ServiceAccount and RBAC objects, rendered as the suite installs them. */
export async function renderChartIdentity(): Promise<KubeManifest[]> {
  const { stdout } = await run(
    await helm(),
    [
      'template', CHART_RELEASE.name, join(REPO, 'helm/pledge'), '-n', CHART_RELEASE.namespace,
      '--show-only', 'templates/serviceaccount.yaml', '--show-only', 'templates/rbac.yaml',
      '--set-json', `rbac.compositionGroups=${JSON.stringify(SUITE_COMPOSITION_GROUPS)}`,
      '--set-json', `rbac.composedKinds=${JSON.stringify(SUITE_COMPOSED_KINDS)}`,
      // The web view's tests (test/ui-server, test/ui) run `pledge run --ui-bind-address … --ui-auth token` as this identity.
      '--set', 'run.uiBindAddress=127.0.0.1:0', '--set', 'run.uiAuth=token',
    ],
    { maxBuffer: 16 << 20 },
  );
  return parseAllDocuments(stdout).map((d) => d.toJS() as KubeManifest | null).filter((m): m is KubeManifest => m !== null);
}

/** `system:serviceaccount:<namespace>:<name>`: how the API server (and its audit log) names the controller. */
export function serviceAccountUser(manifests: readonly KubeManifest[]): string {
  const sa = manifests.find((m) => m.kind === 'ServiceAccount');
  if (!sa) throw new Error('the chart rendered no ServiceAccount');
  return `system:serviceaccount:${sa.metadata.namespace ?? CHART_RELEASE.namespace}:${sa.metadata.name}`;
}

const pending = new Map<string, Promise<string>>();

/**
 * A kubeconfig for the chart's ServiceAccount in the environment of `adminKubeconfigPath`, written next to it.
 * Once per environment: later calls (this process or another file of the same lane) reuse the file.
 */
export function chartIdentityKubeconfig(adminKubeconfigPath: string): Promise<string> {
  let made = pending.get(adminKubeconfigPath);
  if (!made) {
    made = makeKubeconfig(adminKubeconfigPath);
    pending.set(adminKubeconfigPath, made);
    made.catch(() => pending.delete(adminKubeconfigPath));
  }
  return made;
}

async function makeKubeconfig(adminKubeconfigPath: string): Promise<string> {
  const path = join(dirname(adminKubeconfigPath), 'pledge-controller.kubeconfig');
  if (await readFile(path, 'utf8').then(() => true, () => false)) return path;
  const kubectl = async (args: string[], input?: string) => {
    const res = await runKubectl(args, { kubeconfigPath: adminKubeconfigPath, ...(input === undefined ? {} : { input }) });
    if (res.code !== 0) throw new Error(`kubectl ${args.join(' ')}: ${res.stderr}`);
    return res.stdout;
  };
  const manifests = await renderChartIdentity();
  const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: CHART_RELEASE.namespace } };
  await kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [namespace, ...manifests] }));
  const user = serviceAccountUser(manifests);
  const [, , saNamespace = '', saName = ''] = user.split(':');
  const token = (await kubectl(['create', 'token', saName, '-n', saNamespace, `--duration=${TOKEN_DURATION}`])).trim();
  const admin = parse(await readFile(adminKubeconfigPath, 'utf8')) as { clusters: Array<{ cluster: { server: string; 'certificate-authority-data': string } }> };
  const cluster = admin.clusters[0]?.cluster;
  if (!cluster) throw new Error(`${adminKubeconfigPath}: no cluster`);
  const text = renderKubeconfig({ server: cluster.server, caPem: Buffer.from(cluster['certificate-authority-data'], 'base64').toString(), token, user, name: 'pledge-chart-identity' });
  // Two files of a lane may get here at once: each writes its own file and renames it, so none reads half of one.
  const temp = `${path}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode: 0o600 });
  await rename(temp, path);
  return path;
}

// What the tests of one `make test` run share across its environments (test/env/run-suite.ts starts several,
// one per lane): the folder every controller log goes to, and the list of every environment, so a check
// that looks at the whole run (test/zz-after-all/) sees all of it. Under test/env/run.ts there is one.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One environment of the run, as a whole-run check needs it. */
export type SuiteEnvironment = {
  name: string;
  kubeconfigPath: string;
  /** A file holding the Azure client secret cloudsim accepts there (the value itself is never written elsewhere). */
  azureClientSecretPath?: string;
  /** kube-apiserver's audit log (every environment of the suite writes one). */
  auditLogPath?: string;
};

const MANIFEST = 'environments.json';

/** Written by the suite runner into its directory once every lane is up. */
export async function writeSuiteManifest(suiteDir: string, environments: readonly SuiteEnvironment[]): Promise<void> {
  await writeFile(join(suiteDir, MANIFEST), `${JSON.stringify(environments, null, 1)}\n`, { mode: 0o600 });
}

/**
 * Every environment of this run: those listed by the suite runner (PLEDGE_TEST_SUITE_DIR), else only the one
 * this process was started in (PLEDGE_TEST_KUBECONFIG, under test/env/run.ts).
 */
export async function suiteEnvironments(): Promise<SuiteEnvironment[]> {
  const suiteDir = process.env.PLEDGE_TEST_SUITE_DIR;
  if (suiteDir) return JSON.parse(await readFile(join(suiteDir, MANIFEST), 'utf8')) as SuiteEnvironment[];
  const kubeconfigPath = process.env.PLEDGE_TEST_KUBECONFIG;
  if (!kubeconfigPath) throw new Error('neither PLEDGE_TEST_SUITE_DIR nor PLEDGE_TEST_KUBECONFIG is set: run the tests with `make test`');
  return [{ name: 'this', kubeconfigPath, auditLogPath: process.env.PLEDGE_TEST_AUDIT_LOG || undefined }];
}

/**
 * Where `pledge run` started by a test writes its log: one folder for the whole run when the suite runner
 * started it (so the secret-safety check reads every lane's logs), else the environment's own.
 */
export function controllerLogsDir(): string | undefined {
  const root = process.env.PLEDGE_TEST_SUITE_DIR || process.env.PLEDGE_TEST_ENV_DIR;
  return root ? join(root, 'controller-logs') : undefined;
}

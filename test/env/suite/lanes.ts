// Lanes: one whole test environment each (etcd, kube-apiserver, moto, fake-gcs-server, cloudsim), started side
// by side. A lane runs one file at a time, so end-to-end files in different lanes never share a cluster, a
// controller, an emulator or its counters; files in one lane share them one after another, as under run.ts.
import { startEnvironment, type Environment } from '../environment.ts';
import { environmentVars } from '../environment-vars.ts';
import type { SuiteEnvironment } from '../suite-environments.ts';

export type Lane = {
  /** `lane-1`, `lane-2`, … */
  name: string;
  env: Environment;
  /** The environment variables a test file in this lane runs with. */
  vars: Record<string, string>;
};

export type LanesOptions = {
  count: number;
  /** The run's directory: each lane's environment gets a folder in it, and the tests see it as PLEDGE_TEST_SUITE_DIR. */
  suiteDir: string;
  signal: AbortSignal;
  log?: (message: string) => void;
};

/** Starts `count` environments at once; if one cannot start, stops the others and throws its error. */
export async function startLanes(options: LanesOptions): Promise<Lane[]> {
  const names = Array.from({ length: options.count }, (_, i) => `lane-${i + 1}`);
  const started = await Promise.allSettled(
    names.map((name) =>
      startEnvironment({
        signal: options.signal,
        parentDir: options.suiteDir,
        // test/zz-after-all/least-privilege.test.ts reads every lane's audit log.
        audit: true,
        log: options.log && ((message) => options.log?.(`${name}: ${message}`)),
      }),
    ),
  );
  const envs = started.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  const failure = started.find((s) => s.status === 'rejected');
  if (failure) {
    await Promise.all(envs.map((env) => env.stop()));
    throw failure.reason;
  }
  return envs.map((env, i) => {
    const name = names[i] ?? `lane-${i + 1}`;
    return { name, env, vars: { ...environmentVars(env), PLEDGE_TEST_SUITE_DIR: options.suiteDir, PLEDGE_TEST_LANE: name } };
  });
}

export function suiteEnvironmentOf(lane: Lane): SuiteEnvironment {
  return { name: lane.name, kubeconfigPath: lane.env.kubeconfigPath, azureClientSecretPath: lane.env.cloudsim.azureSecretPath, auditLogPath: lane.env.auditLogPath };
}

/** Resolves with the first lane whose environment died (etcd, kube-apiserver or an emulator exited). */
export function firstCrash(lanes: readonly Lane[]): Promise<{ lane: Lane; err: Error }> {
  return Promise.race(lanes.map((lane) => lane.env.crashed.then((err) => ({ lane, err }))));
}

export async function stopLanes(lanes: readonly Lane[]): Promise<void> {
  await Promise.all(lanes.map((lane) => lane.env.stop()));
}

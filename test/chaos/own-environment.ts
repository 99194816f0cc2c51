// `make chaos` starts its own test environment in this process (not under test/env/run.ts), because only the
// process that started kube-apiserver and etcd can restart them. The variables test/env/run.ts would export are
// set here, so testEnv() and the integration harness work unchanged.
import { startEnvironment, type Environment } from '../env/environment.ts';
import { environmentVars } from '../env/environment-vars.ts';

export async function startOwnEnvironment(options: { log?: (line: string) => void; signal?: AbortSignal } = {}): Promise<Environment> {
  const env = await startEnvironment({ ...(options.log ? { log: options.log } : {}), ...(options.signal ? { signal: options.signal } : {}) });
  // As run.ts would, but for the environment's directory: the chaos run keeps its controllers' logs elsewhere.
  const { PLEDGE_TEST_ENV_DIR: _dir, ...vars } = environmentVars(env);
  Object.assign(process.env, vars);
  return env;
}

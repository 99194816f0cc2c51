// `pledge run` as a process of its own, at its defaults or tuned.
import { join } from 'node:path';
import { REPO } from './kinds.ts';
import { installCrds, startAndWait, type BenchController } from './controllers.ts';

export const PLEDGE_BENCH = {
  /** `pledge run --help`: 60 s. */
  defaultPollSeconds: 60,
  /**
   * Tuned: as many reconciles in flight as provider-nop's tuned --max-reconcile-rate, and a cloud budget
   * that does not bind (the README's advice for a fair comparison).
   */
  tunedFlags: ['--workers=100', '--cloud-rate=1000', '--cloud-burst=100'],
} as const;

export const pledge: BenchController = {
  name: 'pledge',
  install: () => installCrds(join(REPO, 'crds')),
  start(options) {
    const pollSeconds = options.pollSeconds ?? PLEDGE_BENCH.defaultPollSeconds;
    return startAndWait({
      name: 'pledge',
      command: process.execPath,
      args: [
        join(REPO, 'bin', 'pledge.ts'),
        'run',
        `--kubeconfig=${options.kubeconfigPath}`,
        // Its default, 127.0.0.1:8080, may be taken on a shared machine; the port is not measured.
        '--metrics-bind-address=127.0.0.1:0',
        ...(options.pollSeconds === undefined ? [] : [`--poll-interval=${options.pollSeconds}s`]),
        ...(options.tuned ? PLEDGE_BENCH.tunedFlags : []),
      ],
      env: process.env,
      cwd: REPO,
      logPath: join(options.dir, 'pledge.log'),
      pollSeconds,
      readyLine: /caches synced/,
    });
  },
};

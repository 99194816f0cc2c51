// `pledge up`, `pledge down`, `pledge status`: a persistent local control plane (core/up) from the command line.
import { type Command, InvalidArgumentError } from 'commander';
import { defaultDataDir } from '../up/data-dir.ts';
import { startDetached } from '../up/detach.ts';
import { upDown, upStatus } from '../up/down-status.ts';
import { upLogger } from '../up/logger.ts';
import type { SimStarter } from '../up/sim.ts';
import { STORAGE_KINDS, type StorageKind } from '../up/storage.ts';
import { runUp, UpError, type ControllerHost } from '../up/up.ts';
import type { ApplyObject } from '../up/server-side-apply.ts';
import { CliError, formatTable, outputFormat } from './output/index.ts';

type UpFlags = {
  sim: boolean;
  cloudsFromEnv: boolean;
  dataDir: string;
  port: number;
  storage: StorageKind;
  mergeKubeconfig: boolean;
  detach: boolean;
  uiBindAddress: string;
  logLevel: string;
  startTimeout: number;
};

export type UpCommandDeps = {
  crds: () => ApplyObject[];
  startSim?: SimStarter;
  /** Runs the controllers of `pledge run` with these `pledge up` choices. */
  runControllers: (host: ControllerHost, options: { uiBindAddress: string; logLevel: string }) => Promise<void>;
};

const DEFAULT_STORAGE: StorageKind = 'kine';

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 65535) throw new InvalidArgumentError('expected a port from 1 to 65535');
  return n;
}

function storage(value: string): StorageKind {
  if (!(STORAGE_KINDS as readonly string[]).includes(value)) throw new InvalidArgumentError(`expected ${STORAGE_KINDS.join(' or ')}`);
  return value as StorageKind;
}

function seconds(value: string): number {
  const n = Number(value);
  if (!(n > 0)) throw new InvalidArgumentError('expected a number of seconds');
  return n;
}

export function addUpCommands(program: Command, deps: UpCommandDeps): void {
  const dataDirHelp = 'where state, certificates, logs and the kubeconfig live';
  program
    .command('up')
    .description('start a persistent local control plane: kube-apiserver, storage, the CRDs and the controllers')
    .option('--sim', 'simulate AWS, Azure and GCP with cloudsim (state kept in the data dir)', false)
    .option('--clouds-from-env', 'ProviderConfigs "default" from the usual credential chains (AWS_*, AZURE_*, GOOGLE_*)', false)
    .option('--data-dir <dir>', dataDirHelp, defaultDataDir())
    .option('--port <n>', 'kube-apiserver port on 127.0.0.1', port, 6443)
    .option('--storage <kind>', 'kine (one SQLite file) or etcd', storage, DEFAULT_STORAGE)
    .option('--merge-kubeconfig', 'also add context "pledge" to KUBECONFIG or ~/.kube/config and make it current', false)
    .option('--detach', 'run in the background (log: <data-dir>/pledge-up.log); `pledge down` stops it', false)
    .option('--ui-bind-address <host:port>', 'where the read-only web view is served (empty: none)', '127.0.0.1:6480')
    .option('--log-level <level>', 'debug, info, warn or error', 'info')
    .option('--start-timeout <seconds>', 'how long each process may take to become ready (not counting a first build)', seconds, 120)
    .addHelpText('after', '\nExamples:\n  pledge up --sim                       # clouds simulated, data in ~/.local/share/pledge\n  pledge up --sim --detach && pledge status\n  pledge up --clouds-from-env --data-dir ./pledge-data --port 7443')
    .action(async (flags: UpFlags) => {
      if (flags.sim && flags.cloudsFromEnv) throw new CliError('--sim and --clouds-from-env exclude each other: pick one');
      if (flags.detach) {
        const args = process.argv.slice(1).filter((a) => a !== '--detach');
        try {
          const { pid, logPath } = await startDetached({ dataDir: flags.dataDir, args, timeoutMs: flags.startTimeout * 1000 * 5 });
          process.stdout.write(`pledge up runs in the background (pid ${pid}, log ${logPath}).\n  export KUBECONFIG=${flags.dataDir}/kubeconfig\n  pledge status --data-dir ${flags.dataDir}\n  pledge down --data-dir ${flags.dataDir}\n`);
        } catch (err: unknown) {
          throw new CliError(err instanceof Error ? err.message : String(err));
        }
        return;
      }
      const logger = upLogger({ level: flags.logLevel });
      try {
        await runUp(
          {
            dataDir: flags.dataDir, port: flags.port, storage: flags.storage, sim: flags.sim, cloudsFromEnv: flags.cloudsFromEnv,
            mergeKubeconfig: flags.mergeKubeconfig, uiBindAddress: flags.uiBindAddress, timeoutMs: flags.startTimeout * 1000,
          },
          {
            logger,
            crds: deps.crds,
            startSim: deps.startSim,
            runControllers: (host) => deps.runControllers(host, { uiBindAddress: flags.uiBindAddress, logLevel: flags.logLevel }),
            print: (text) => process.stdout.write(text),
          },
        );
      } catch (err: unknown) {
        if (err instanceof UpError) throw new CliError(err.message);
        throw err;
      }
      // Informer sockets and timers may linger after the controllers stopped: everything that mattered is stopped.
      process.exit(0);
    });

  program
    .command('down')
    .description('stop a pledge up running in the background (SIGTERM, waits until it stopped)')
    .option('--data-dir <dir>', dataDirHelp, defaultDataDir())
    .addHelpText('after', '\nExample:\n  pledge down --data-dir ~/.local/share/pledge')
    .action(async (flags: { dataDir: string }) => {
      const pid = await upDown(flags.dataDir);
      process.stdout.write(pid === undefined ? `no pledge up runs on ${flags.dataDir}\n` : `pledge up (pid ${pid}) stopped\n`);
    });

  program
    .command('status')
    .description('say whether pledge up runs on a data dir, with its pids and URLs')
    .option('--data-dir <dir>', dataDirHelp, defaultDataDir())
    .option('-o, --output <format>', 'table or json', outputFormat(['table', 'json']), 'table')
    .addHelpText('after', '\nExample:\n  pledge status -o json')
    .action(async (flags: { dataDir: string; output: string }) => {
      const status = await upStatus(flags.dataDir);
      if (flags.output === 'json') {
        process.stdout.write(`${JSON.stringify(status, null, 2)}\n`);
        return;
      }
      if (!status.running) {
        process.stdout.write(`no pledge up runs on ${flags.dataDir}${status.stale ? ' (the last one did not stop cleanly; the next pledge up cleans up)' : ''}\n`);
        return;
      }
      const rows: string[][] = [
        ['pledge up', `pid ${status.pid}, ${status.phase}, up ${status.uptimeSeconds} s`],
        ['API server', status.apiServerUrl],
        ['web view', status.uiUrl ?? '(off)'],
        ['storage', status.storage],
        ['clouds', status.sim ? 'cloudsim' : 'real (ProviderConfigs)'],
        ['data dir', status.dataDir],
        ['kubeconfig', status.kubeconfigPath],
        ...status.childrenAlive.map((c) => [c.name, `pid ${c.pid}${c.alive ? '' : ' (gone)'}`]),
      ];
      process.stdout.write(formatTable(['WHAT', 'WHERE'], rows));
    });
}

// Starts the test environment around a command:
//   node test/env/run.ts [--verbose] -- <command...>   runs it with KUBECONFIG etc. set, exits with its code
//   kube-apiserver writes its audit log (PLEDGE_TEST_AUDIT_LOG) for the benchmarks and the least-privilege check;
//   PLEDGE_TEST_AUDIT=0 turns it off
//   node test/env/run.ts --keep                         prints the exports and stays up until Ctrl-C (make dev; --dev is an alias)
import { spawn } from 'node:child_process';
import { startEnvironment, type Environment } from './environment.ts';
import { environmentVars, printableEnvironmentVars } from './environment-vars.ts';

type Cli = { keep: boolean; verbose: boolean; command: string[] };

const usage = 'usage: node test/env/run.ts [--verbose] -- <command...>\n       node test/env/run.ts [--verbose] --keep|--dev';

function parseCli(argv: string[]): Cli {
  const cli: Cli = { keep: false, verbose: false, command: [] };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] ?? '';
    if (arg === '--') {
      cli.command = argv.slice(i + 1);
      break;
    }
    if (arg === '--keep' || arg === '--dev') cli.keep = true;
    else if (arg === '--verbose' || arg === '-v') cli.verbose = true;
    else if (arg === '--help' || arg === '-h') {
      console.log(usage);
      process.exit(0);
    } else if (arg.startsWith('-')) fail(`unknown option ${arg}`);
    else {
      cli.command = argv.slice(i);
      break;
    }
  }
  if (cli.keep === (cli.command.length > 0)) fail(cli.keep ? '--keep takes no command' : 'no command given');
  return cli;
}

function fail(message: string): never {
  console.error(`run.ts: ${message}\n${usage}`);
  process.exit(2);
}

const signalNumbers: Partial<Record<NodeJS.Signals, number>> = { SIGHUP: 1, SIGINT: 2, SIGTERM: 15 };

async function main(): Promise<number> {
  const cli = parseCli(process.argv.slice(2));
  const say = (message: string) => process.stderr.write(`pledge-env: ${message}\n`);

  // Signals are ours from the start so Ctrl-C during start-up also stops cleanly. A second one
  // gives up on a clean stop; process-exit.ts still kills the children on the way out.
  const aborter = new AbortController();
  let env: Environment | undefined;
  let command: ReturnType<typeof spawn> | undefined;
  let received: NodeJS.Signals | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(128 + (signalNumbers[signal] ?? 15));
    received = signal;
    command?.kill(signal);
    aborter.abort(new Error(`received ${signal}`));
  };
  for (const signal of Object.keys(signalNumbers) as NodeJS.Signals[]) process.on(signal, onSignal);
  const exitCodeForSignal = () => 128 + (signalNumbers[received ?? 'SIGTERM'] ?? 15);

  try {
    env = await startEnvironment({ signal: aborter.signal, log: cli.verbose ? say : undefined, audit: process.env.PLEDGE_TEST_AUDIT !== '0' });
  } catch (err: unknown) {
    if (received) return exitCodeForSignal();
    say(`could not start the environment: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
  say(`up: kube-apiserver ${env.apiServerUrl}, moto ${env.motoUrl}, fake-gcs-server ${env.fakeGcsUrl}, cloudsim ${env.cloudsim.adminUrl}, files in ${env.dir}`);
  const vars = environmentVars(env);

  try {
    const stopped = new Promise<number>((resolve) => aborter.signal.addEventListener('abort', () => resolve(exitCodeForSignal())));
    const crashed = env.crashed.then((err) => {
      if (received) return exitCodeForSignal();
      say(`the environment died: ${err.message}`);
      return 1;
    });
    if (cli.keep) {
      for (const [name, value] of Object.entries(printableEnvironmentVars(env))) console.log(`export ${name}=${value}`);
      console.log(`# moto (AWS) endpoint: ${env.motoUrl}`);
      console.log(`# fake-gcs-server (GCS) endpoint: ${env.fakeGcsUrl}`);
      console.log(`# cloudsim: aws ${env.cloudsim.awsUrl}, azure ${env.cloudsim.azureUrl}, gcs ${env.cloudsim.gcsUrl}, admin ${env.cloudsim.adminUrl}`);
      console.log('# Ctrl-C stops the environment and removes its files.');
      return await Promise.race([stopped, crashed]);
    }
    const [file, ...args] = cli.command as [string, ...string[]];
    const child = spawn(file, args, { stdio: 'inherit', env: { ...process.env, ...vars } });
    command = child;
    const finished = new Promise<number>((resolve) => {
      child.on('error', (err: unknown) => {
        say(`cannot run ${file}: ${String(err)}`);
        resolve(127);
      });
      child.on('exit', (code, signal) => resolve(code ?? 128 + (signal ? (signalNumbers[signal] ?? 9) : 0)));
    });
    // A signal is forwarded to the command; its exit code is the one to report.
    return await Promise.race([finished, crashed]);
  } finally {
    command?.kill('SIGTERM');
    await env.stop();
  }
}

process.exitCode = await main();

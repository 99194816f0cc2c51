import type { Command } from 'commander';
import { ConfigError } from '../errors/index.ts';
import { KubeClient } from '../kube/index.ts';
import type { Provider } from '../managed/types.ts';
import type { ControllerModule } from '../manager/module.ts';
import { readOnlySession } from '../offline/connect.ts';
import { planTable } from '../plan/format-plan.ts';
import { ManifestError, readManifests } from '../plan/manifests.ts';
import { hasChanges, makePlan, type Plan } from '../plan/plan.ts';
import { loadKubeConfig } from './kube-config.ts';
import { CliError, colourEnabled, EXIT, formatData, outputFormat, painter, startProgress, type OutputFormat } from './output/index.ts';

interface PlanOptions {
  kubeconfig?: string;
  compositions?: string;
  output: OutputFormat;
}

const EXAMPLE = `
Examples:
  # what applying a claim would do to the clouds (exit 0: nothing, 2: changes, 1: error)
  $ pledge plan claims/team-a.yaml

  # a directory of manifests, the Compositions taken from files instead of the cluster, as YAML
  $ pledge plan manifests/ --compositions platform/compositions -o yaml

Reads the cluster (GET and LIST only) and observes each managed resource in its cloud with its ProviderConfig's
credentials; creates, updates and deletes nothing, and writes nothing to the API server. Secret values show as
(sensitive).`;

async function plan(providers: readonly Provider[], modules: readonly ControllerModule[], files: string[], opts: PlanOptions): Promise<void> {
  const progress = startProgress();
  const stop = new AbortController();
  const onSignal = () => stop.abort();
  process.once('SIGINT', onSignal);
  let result: Plan;
  let writes: number;
  try {
    const manifests = await readManifests(files);
    const compositions = opts.compositions ? (await readManifests([opts.compositions])).map((m) => m.object) : undefined;
    const kube = new KubeClient(loadKubeConfig(opts.kubeconfig).kubeConfig);
    const session = readOnlySession(kube, providers);
    result = await makePlan({ manifests, ...(compositions ? { compositions } : {}), kube, session, providers, modules, signal: stop.signal, onProgress: (t) => progress.update(t) });
    writes = session.writes().length;
  } catch (err: unknown) {
    if (err instanceof ManifestError || err instanceof ConfigError) throw new CliError(err.message);
    const code = (err as { code?: unknown }).code;
    if (code === 'ECONNREFUSED' || code === 'ENOTFOUND') throw new CliError(`cannot reach the cluster: ${(err as Error).message}`);
    throw err;
  } finally {
    progress.done();
    process.off('SIGINT', onSignal);
  }
  // Structurally impossible (the session's client can only observe); checked so a provider's mistake cannot pass unseen.
  if (writes > 0) throw new CliError(`a provider's observe made ${writes} write call(s) to the cloud; please report this`);
  process.stdout.write(opts.output === 'table' ? planTable(result, painter(colourEnabled())) : formatData(opts.output, result));
  if (result.summary.error > 0) throw new CliError(`${result.summary.error} resource(s) could not be planned (see above)`);
  process.exitCode = hasChanges(result) ? EXIT.changes : EXIT.ok;
}

/** `pledge plan FILES...`: what applying the manifests would do to the clouds, like `terraform plan -detailed-exitcode`. */
export function addPlanCommand(program: Command, providers: readonly Provider[], modules: readonly ControllerModule[]): void {
  program
    .command('plan')
    .description('show what applying these manifests would do to the clouds, changing nothing (exit 0 no changes, 2 changes, 1 error)')
    .argument('<files...>', 'manifest files or directories (.yaml/.yml): managed resources, claims, composites')
    .option('--kubeconfig <path>', 'kubeconfig to use (default: KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('--compositions <dir>', 'take Compositions (and XRDs) from these files instead of the cluster')
    .option('-o, --output <format>', 'table, yaml or json', outputFormat(), 'table')
    .addHelpText('after', EXAMPLE)
    .action((files: string[], opts: PlanOptions) => plan(providers, modules, files, opts));
}

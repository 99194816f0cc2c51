import { Watch } from '@kubernetes/client-node';
import type { Command } from 'commander';
import { loadKubeConfig } from './kube-config.ts';
import { CliError, colourEnabled, outputFormat, painter, startProgress } from './output/index.ts';
import { ReadOnlyApi } from './trace/api.ts';
import { discover, qualifiedName, resolveKind } from './trace/discovery.ts';
import { render, TRACE_FORMATS, type TraceFormat } from './trace/render.ts';
import { buildTree } from './trace/tree.ts';
import { watchTree } from './trace/watch.ts';

interface TraceOptions {
  namespace?: string;
  output: TraceFormat;
  watch?: boolean;
  kubeconfig?: string;
}

const EXAMPLES = `
Examples:
  # a claim, its composite, the composed managed resources and the connection Secrets
  pledge trace objectstorage photos -n team-a
  # a managed resource alone, with the API group to tell the clouds' Buckets apart
  pledge trace buckets.s3.aws.pledge.dev my-bucket -o wide
  # as Graphviz, or redrawn whenever something in the tree changes
  pledge trace xobjectstorage photos-x7k2p -o dot | dot -Tsvg > trace.svg
  pledge trace ObjectStorage/photos -n team-a --watch

KIND is what kubectl takes: plural, singular, short name or kind, optionally with its group.
Exit codes: 0 the tree was printed (whatever its health), 1 unknown kind, missing object or unreachable cluster.
A progress line goes to stderr when reading takes more than a second.`;

export function addTraceCommand(program: Command): void {
  program
    .command('trace')
    .description('show an object and everything under it: claim → composite → managed resources → connection Secrets')
    .argument('<kind>', 'the kind, or KIND/NAME')
    .argument('[name]', 'the object')
    .option('-n, --namespace <ns>', "the claim's namespace (default: the kubeconfig context's, else default)")
    .option('-o, --output <format>', 'table, wide, json, yaml or dot', outputFormat(TRACE_FORMATS), 'table')
    .option('-w, --watch', 'print the tree again whenever it changes (until interrupted)')
    .option('--kubeconfig <path>', 'kubeconfig to use (default: KUBECONFIG, ~/.kube/config, in-cluster)')
    .addHelpText('after', EXAMPLES)
    .action((kind: string, name: string | undefined, opts: TraceOptions) => trace(kind, name, opts));
}

async function trace(kindArg: string, nameArg: string | undefined, opts: TraceOptions): Promise<void> {
  const [kindInput, name] = splitKindName(kindArg, nameArg);
  let kubeConfig: ReturnType<typeof loadKubeConfig>['kubeConfig'];
  try {
    kubeConfig = loadKubeConfig(opts.kubeconfig).kubeConfig;
  } catch (err: unknown) {
    throw new CliError(err instanceof Error ? err.message : String(err));
  }
  const namespace = opts.namespace ?? kubeConfig.getContextObject(kubeConfig.getCurrentContext())?.namespace ?? 'default';
  const api = new ReadOnlyApi(kubeConfig);
  const progress = startProgress();
  progress.update('reading the API server discovery');
  const resources = await discover(api).finally(() => progress.done());
  const root = resolveKind(kindInput, resources);
  const build = () => buildTree(api, resources, root, name, root.namespaced ? namespace : undefined);
  progress.update(`reading ${root.kind} ${name} and what it composes`);
  const tree = await build().finally(() => progress.done());
  const where = root.namespaced ? ` in namespace "${namespace}"` : '';
  if (!tree) throw new CliError(`${root.kind} "${name}" not found${where} (${qualifiedName(root)})`);
  const paint = painter(colourEnabled());
  if (!opts.watch) {
    process.stdout.write(render(tree, opts.output, paint));
    return;
  }
  const plain = painter(false);
  await watchTree(tree, {
    build,
    // Ages left out of the key (now = creation: every age is 0s), or every second would be a change.
    frame: (t) => ({ text: render(t, opts.output, paint), key: render(t, opts.output === 'table' ? 'wide' : opts.output, plain, 0) }),
    gone: `${root.kind} "${name}"${where} is gone`,
    resources,
    out: process.stdout,
    watcher: new Watch(kubeConfig),
  });
}

function splitKindName(kind: string, name: string | undefined): [string, string] {
  const slash = kind.indexOf('/');
  if (slash >= 0) {
    if (name !== undefined) throw new CliError(`give the object as KIND NAME or KIND/NAME, not both ("${kind}" and "${name}")`);
    const [k, n] = [kind.slice(0, slash), kind.slice(slash + 1)];
    if (!k || !n) throw new CliError(`"${kind}" is not KIND/NAME`);
    return [k, n];
  }
  if (name === undefined) throw new CliError(`which ${kind}? give its name: pledge trace ${kind} NAME`);
  return [kind, name];
}

/**
 * `pledge import KIND [NAME...]`: the cloud's resources of a kind that no managed resource in the cluster points
 * at, as managed-resource YAML that adopts them (Observe only unless --manage). Reads the cluster and the cloud,
 * writes neither: the kind's list runs through a read-only session whose call record must show no write.
 */
import { Option, type Command } from 'commander';
import { describeError } from '../errors/index.ts';
import { adoptingResource, resolveKind, uniqueNames, type ImportKind } from '../import/manifest.ts';
import { KubeClient } from '../kube/index.ts';
import { ANNOTATIONS } from '../managed/annotations.ts';
import { CLUSTER_PROVIDER_CONFIG, DEFAULT_PROVIDER_CONFIG_KIND, namespacedProvider, PROVIDER_CONFIG } from '../managed/namespaced.ts';
import type { KubeObject, ListedExternal, ListQuery, ManagedKind, ManagedResource, Provider } from '../managed/types.ts';
import { readOnlySession, type ReadOnlySession } from '../offline/connect.ts';
import { loadKubeConfig } from './kube-config.ts';
import { CliError, EXIT, formatData, formatTable, outputFormat, startProgress } from './output/index.ts';

interface ImportOptions {
  providerConfig: string;
  providerConfigKind?: string;
  namespace?: string;
  region?: string;
  all?: boolean;
  manage?: boolean;
  secretNamespace: string;
  kubeconfig?: string;
  output?: 'table' | 'yaml' | 'json';
}

const EXAMPLE = `
Examples:
  # S3 buckets of the default ProviderConfig's account that nothing in the cluster manages
  pledge import Bucket.s3.aws.pledge.dev
  # adopt two of them read-only (managementPolicies: [Observe]), then apply
  pledge import buckets.s3.aws.pledge.dev logs-eu assets-eu > import.yaml && kubectl apply -f import.yaml
  # every unmanaged resource group of a subscription, managed fully from now on
  pledge import ResourceGroup --provider-config prod --all --manage
  # into a team's namespace (Crossplane v2's namespaced kinds), with the team's own ProviderConfig
  pledge import buckets.s3.aws.m.pledge.dev -n team-a --provider-config-kind ProviderConfig --provider-config team logs-eu

Exit codes: 0 listed or printed; 1 bad input (unknown kind, missing ProviderConfig, a name not found or
already managed) or a cluster or cloud error (the cloud's message is shown).`;

/** How long listing a cloud may take before the verb gives up. */
const IMPORT_TIMEOUT_MS = 5 * 60_000;

function fail(message: string): never {
  throw new CliError(message, EXIT.error);
}

async function listKind(kube: KubeClient, kind: ManagedKind): Promise<ManagedResource[]> {
  const { group, version } = kind.gvk;
  try {
    return (await kube.list<ManagedResource>({ group, version, plural: kind.plural, ...(kind.namespaced ? { namespaced: true } : {}) })).items;
  } catch (err: unknown) {
    fail(`cannot list ${kind.plural}.${group} in the cluster (are Pledge's CRDs installed?): ${describeError(err)}`);
  }
}

const described = (mr: ManagedResource) => `${mr.metadata.namespace ? `${mr.metadata.namespace}/` : ''}${mr.metadata.name}`;

/**
 * External names the cluster's managed resources of this kind point at, with the object's name: of the cluster-scoped
 * kind those with the same ProviderConfig; of the namespaced variant (`.m.`) every one, in any namespace — their
 * ProviderConfigs cannot be told apart from the account's, and adopting a resource twice is worse than listing too few.
 * names: the metadata.names already taken where the adopting resources go.
 */
async function managedNames(kube: KubeClient, k: ImportKind, opts: ImportOptions): Promise<{ managed: Map<string, string>; names: Set<string> }> {
  const cluster = k.kind.namespaced ? k.provider.kinds.find((c) => c.gvk.kind === k.kind.gvk.kind) : k.kind;
  const namespaced = k.kind.namespaced ? k.kind : namespacedProvider(k.provider).kinds.find((n) => n.gvk.kind === k.kind.gvk.kind);
  const managed = new Map<string, string>();
  const names = new Set<string>();
  for (const mr of cluster ? await listKind(kube, cluster) : []) {
    if (!k.kind.namespaced) names.add(mr.metadata.name);
    if (k.kind.namespaced || (mr.spec?.providerConfigRef?.name ?? 'default') === opts.providerConfig) managed.set(mr.metadata.annotations?.[ANNOTATIONS.externalName] || mr.metadata.name, described(mr));
  }
  for (const mr of namespaced ? await listKind(kube, namespaced) : []) {
    if (k.kind.namespaced && mr.metadata.namespace === opts.namespace) names.add(mr.metadata.name);
    const external = mr.metadata.annotations?.[ANNOTATIONS.externalName];
    if (external) managed.set(external, described(mr));
  }
  return { managed, names };
}

/** The resource a list connects with: only the ProviderConfig (and the namespace it is looked up from) and a region. */
function probeResource(k: ImportKind, opts: ImportOptions, region?: string): ManagedResource {
  return {
    apiVersion: `${k.kind.gvk.group}/${k.kind.gvk.version}`,
    kind: k.kind.gvk.kind,
    metadata: { name: 'pledge-import', ...(opts.namespace ? { namespace: opts.namespace } : {}) },
    spec: {
      forProvider: region === undefined ? {} : { region },
      providerConfigRef: { name: opts.providerConfig, ...(opts.namespace && opts.providerConfigKind ? { kind: opts.providerConfigKind } : {}) },
    },
  };
}

async function listExternal(session: ReadOnlySession, k: ImportKind, opts: ImportOptions, query: ListQuery, signal: AbortSignal): Promise<Array<ListedExternal<unknown>>> {
  const kindOf = session.kindOf(`${k.kind.gvk.group}/${k.kind.gvk.version}`, k.kind.gvk.kind);
  if (!kindOf) fail(`no provider serves ${k.kind.gvk.kind}`);
  const context = await session.contextFor(kindOf, opts.providerConfig, signal, probeResource(k, opts)).catch((err: unknown) => fail(describeError(err)));
  const spec = context.providerConfig.spec as { region?: unknown } | undefined;
  const region = opts.region ?? (typeof spec?.region === 'string' ? spec.region : undefined);
  // The kinds' connect takes a managed resource: one with only the region, which is all a list needs.
  const probe = probeResource(k, opts, region);
  const what = `${k.kind.gvk.kind} (${k.kind.plural}.${k.kind.gvk.group}) with ${opts.namespace ? `${opts.providerConfigKind} ` : 'ProviderConfig '}${opts.providerConfig}`;
  let external: Awaited<ReturnType<ReadOnlySession['connect']>>;
  try {
    external = await session.connect(probe, signal);
  } catch (err: unknown) {
    fail(`connecting to the cloud for ${what} failed: ${describeError(err)}${region === undefined ? ' (pass --region)' : ''}`);
  }
  if (!external.list) fail(`${k.kind.gvk.kind} (${k.kind.plural}.${k.kind.gvk.group}) cannot be imported: its provider does not list resources`);
  try {
    return await external.list(query, signal);
  } catch (err: unknown) {
    fail(`listing ${what} failed: ${describeError(err)}`);
  }
}

async function runImport(providers: readonly Provider[], kindText: string, names: string[], opts: ImportOptions): Promise<void> {
  let k: ImportKind;
  try {
    k = resolveKind(providers, kindText, { namespaced: opts.namespace !== undefined });
  } catch (err: unknown) {
    fail(describeError(err));
  }
  const kindLabel = `${k.kind.gvk.kind} (${k.kind.plural}.${k.kind.gvk.group})`;
  if (k.kind.providerConfigOptional) {
    fail(`${kindLabel} stands for nothing outside the cluster: there is no cloud resource to import; write its YAML directly`);
  }
  if (opts.all && names.length > 0) fail('give resource names or --all, not both');
  if (opts.namespace === undefined && opts.providerConfigKind !== undefined) fail('--provider-config-kind is for a namespaced kind: give -n/--namespace too');
  if (opts.namespace !== undefined) opts.providerConfigKind ??= DEFAULT_PROVIDER_CONFIG_KIND;

  const kube = new KubeClient(loadKubeConfig(opts.kubeconfig).kubeConfig);
  const progress = startProgress();
  const ticker = setInterval(() => progress.update(`listing ${k.kind.plural}.${k.kind.gvk.group} in the cloud…`), 250);
  let result: Awaited<ReturnType<typeof collect>>;
  try {
    result = await collect(kube, providers, k, names, opts);
  } finally {
    clearInterval(ticker);
    progress.done();
  }
  if (result.details) printAdopting(k, result.found, result.taken, opts);
  else printCandidates(k, kindText, result.found, opts);
}

/** The cloud's resources of the kind that the query wants, checked against what the user named and the session's record. */
async function collect(kube: KubeClient, providers: readonly Provider[], k: ImportKind, names: readonly string[], opts: ImportOptions) {
  const session = readOnlySession(kube, providers);
  const { managed, names: taken } = await managedNames(kube, k, opts);
  for (const name of names) {
    const owner = managed.get(name);
    if (owner !== undefined) fail(`${k.kind.gvk.kind} ${name} is already managed by ${k.kind.gvk.kind} ${owner}${k.kind.namespaced ? '' : ` (ProviderConfig ${opts.providerConfig})`}`);
  }
  const asked = new Set(names);
  const details = opts.all === true || names.length > 0;
  const query: ListQuery = {
    ...(opts.region === undefined ? {} : { region: opts.region }),
    wanted: (external) => (names.length > 0 ? asked.has(external) : !managed.has(external)),
    details,
    // A namespaced resource's Secrets are in its own namespace.
    secretNamespace: opts.namespace ?? opts.secretNamespace,
  };
  const found = await listExternal(session, k, opts, query, AbortSignal.timeout(IMPORT_TIMEOUT_MS));
  const writes = session.writes();
  if (writes.length > 0) fail(`a provider made write calls while listing (${writes.map((w) => w.operation).join(', ')}): this is a bug, please report it`);
  const missing = names.filter((n) => !found.some((f) => f.externalName === n));
  if (missing.length > 0) {
    const where = opts.region === undefined ? '' : ` in ${opts.region}`;
    fail(`no ${k.kind.gvk.kind} named ${missing.join(', ')} found${where} with ProviderConfig ${opts.providerConfig}`);
  }
  return { found, taken, details };
}

function printCandidates(k: ImportKind, kindText: string, found: Array<ListedExternal<unknown>>, opts: ImportOptions): void {
  const format = opts.output ?? 'table';
  const rows = found.map((f) => ({ externalName: f.externalName, ...(f.region ? { region: f.region } : {}) }));
  if (format === 'table') {
    if (rows.length > 0) process.stdout.write(formatTable(['EXTERNAL-NAME', 'REGION'], rows.map((r) => [r.externalName, r.region ?? ''])));
  } else {
    process.stdout.write(formatData(format, rows));
  }
  const what = `${k.kind.gvk.kind} (${k.kind.plural}.${k.kind.gvk.group})`;
  if (rows.length === 0) process.stderr.write(`every ${what} the cloud reports for ProviderConfig ${opts.providerConfig} is managed already\n`);
  else process.stderr.write(`${rows.length} not managed by any ${what} in the cluster. Adopt with: pledge import ${kindText}${opts.namespace ? ` -n ${opts.namespace}` : ''} NAME... (or --all) > import.yaml\n`);
}

function printAdopting(k: ImportKind, found: Array<ListedExternal<unknown>>, taken: ReadonlySet<string>, opts: ImportOptions): void {
  const metadataNames = uniqueNames(
    found.map((f) => f.externalName),
    taken,
  );
  const objects: KubeObject[] = found.map((f, i) =>
    adoptingResource(k, f, { name: metadataNames[i] ?? f.externalName, providerConfig: opts.providerConfig, providerConfigKind: opts.providerConfigKind, namespace: opts.namespace, manage: opts.manage === true }),
  );
  for (const f of found) for (const note of f.notes ?? []) process.stderr.write(`note: ${k.kind.gvk.kind} ${f.externalName}: ${note}\n`);
  const format = opts.output ?? 'yaml';
  if (format === 'table') {
    const rows = found.map((f, i) => [metadataNames[i] ?? '', f.externalName, f.region ?? '', opts.manage ? '*' : 'Observe']);
    if (rows.length > 0) process.stdout.write(formatTable(['NAME', 'EXTERNAL-NAME', 'REGION', 'POLICIES'], rows));
  } else if (format === 'json') {
    process.stdout.write(formatData('json', { apiVersion: 'v1', kind: 'List', items: objects }));
  } else {
    // Notes ride along as comments, so a file saved for later still says what adopting needs.
    const docs = objects.map((o, i) => `${(found[i]?.notes ?? []).map((n) => `# ${n}\n`).join('')}${formatData('yaml', o)}`);
    process.stdout.write(docs.join('---\n'));
  }
  if (found.length === 0) process.stderr.write(`nothing to import: every ${k.kind.gvk.kind} the cloud reports for ProviderConfig ${opts.providerConfig} is managed already\n`);
}

export function addImportCommand(program: Command, providers: readonly Provider[]): void {
  program
    .command('import')
    .description("print managed resources that adopt a kind's cloud resources which nothing in the cluster manages yet")
    .argument('<kind>', 'the kind, as kubectl names it: Bucket.s3.aws.pledge.dev, dbinstances, ResourceGroup, ...')
    .argument('[names...]', 'external names of the resources to adopt; without them (and --all) the candidates are listed')
    .option('--provider-config <name>', 'the ProviderConfig whose credentials list the cloud', 'default')
    .option('-n, --namespace <ns>', "import into this namespace, as the kind's namespaced variant (.m. group)")
    .addOption(new Option('--provider-config-kind <kind>', 'with -n: the kind of --provider-config (default ClusterProviderConfig)').choices([PROVIDER_CONFIG, CLUSTER_PROVIDER_CONFIG]))
    .option('--region <region>', 'only this region or location (AWS kinds: the region to list; default the ProviderConfig spec.region)')
    .option('--all', 'adopt every resource of the kind that nothing manages')
    .option('--manage', 'adopt with full management (managementPolicies ["*"]) instead of Observe only')
    .option('--secret-namespace <ns>', 'namespace of the Secrets the adopting YAML refers to (an RDS master password)', 'default')
    .option('--kubeconfig <path>', 'kubeconfig to use (default: KUBECONFIG, ~/.kube/config, in-cluster)')
    .option('-o, --output <format>', 'yaml (default; to apply), json (a v1 List) or table; candidates default to table', outputFormat())
    .addHelpText('after', EXAMPLE)
    .action((kind: string, names: string[], opts: ImportOptions) => runImport(providers, kind, names, opts));
}

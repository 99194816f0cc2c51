// The chart as helm and the API server see it: lint, render, the schema's refusals, every `pledge run` flag
// reachable from values, and the rendered objects accepted by a real kube-apiserver (server-side dry run).
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { buildCli } from '../../core/cli/index.ts';
import { providers } from '../../providers/index.ts';
import { compositionsModule } from '../../compositions/index.ts';
import { kubectl } from '../env/index.ts';
import { mustKubectl } from '../integration/harness.ts';
import { CHART, helm, helmBinary, mustHelm } from './helm.ts';

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec?: Record<string, unknown> };
type Container = {
  args: string[];
  ports: Array<{ name: string; containerPort: number }>;
  livenessProbe: { httpGet: { path: string; port: string } };
  readinessProbe: { httpGet: { path: string; port: string } };
  securityContext: Record<string, unknown>;
  resources: { requests: Record<string, string>; limits: Record<string, string> };
  volumeMounts: Array<{ name: string; mountPath: string }>;
};
type PodSpec = { serviceAccountName: string; terminationGracePeriodSeconds: number; securityContext: Record<string, unknown>; containers: Container[] };

const NS = 'pledge-system';
// Not `pledge`: the suite's environments may hold the chart's identity under that release (test/env/controller-identity.ts),
// and a server dry run of an object that exists says "configured", not "created".
const RELEASE = 'pledge-chart-test';

async function render(...sets: string[]): Promise<Obj[]> {
  const out = await mustHelm(['template', RELEASE, CHART, '-n', NS, ...sets.flatMap((s) => ['--set', s])]);
  return parseAllDocuments(out)
    .map((d) => d.toJSON() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

function one(objs: Obj[], kind: string): Obj {
  const found = objs.filter((o) => o.kind === kind);
  assert.equal(found.length, 1, `one ${kind} rendered`);
  return found[0] as Obj;
}

function podSpec(objs: Obj[]): PodSpec {
  return (one(objs, 'Deployment').spec as { template: { spec: PodSpec } }).template.spec;
}

function container(objs: Obj[]): Container {
  const c = podSpec(objs).containers[0];
  assert.ok(c, 'the Deployment has a container');
  return c;
}

before(async () => {
  await helmBinary();
});

test('helm lint --strict passes', async () => {
  const r = await helm(['lint', CHART, '--strict']);
  assert.equal(r.code, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /1 chart\(s\) linted, 0 chart\(s\) failed/);
});

test('the default render: 2 leader-elected replicas, probes on the named metrics port, locked-down pod, PDB, Service; no ServiceMonitor', async () => {
  const objs = await render();
  const deployment = one(objs, 'Deployment');
  assert.equal(deployment.spec?.replicas, 2);
  const c = container(objs);
  assert.equal(c.args[0], 'run');
  assert.ok(c.args.includes('--leader-elect'), c.args.join(' '));
  assert.ok(c.args.includes(`--leader-election-namespace=${NS}`), 'the Lease is in the release namespace by default');
  assert.ok(c.args.includes('--metrics-bind-address=0.0.0.0:8080'), 'in a pod the probes and Prometheus must reach it: all addresses');
  assert.deepEqual(c.ports, [{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
  assert.deepEqual([c.livenessProbe.httpGet, c.readinessProbe.httpGet], [
    { path: '/healthz', port: 'metrics' },
    { path: '/readyz', port: 'metrics' },
  ]);
  assert.deepEqual(c.securityContext, { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, privileged: false, capabilities: { drop: ['ALL'] } });
  const pod = podSpec(objs);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.deepEqual(pod.securityContext.seccompProfile, { type: 'RuntimeDefault' });
  assert.ok(pod.terminationGracePeriodSeconds >= 90, 'longer than one reconcile timeout (90 s), so SIGTERM lets it finish');
  assert.deepEqual(c.volumeMounts, [{ name: 'tmp', mountPath: '/tmp' }], 'the only writable path with a read-only root');
  assert.deepEqual(c.resources, { requests: { cpu: '100m', memory: '256Mi' }, limits: { memory: '1Gi' } });
  const sa = one(objs, 'ServiceAccount');
  assert.equal(pod.serviceAccountName, sa.metadata.name);
  assert.equal((one(objs, 'PodDisruptionBudget').spec as { maxUnavailable: number }).maxUnavailable, 1);
  const service = one(objs, 'Service');
  assert.deepEqual((service.spec as { ports: unknown[] }).ports, [{ name: 'metrics', port: 8080, targetPort: 'metrics', protocol: 'TCP' }]);
  assert.equal(objs.filter((o) => o.kind === 'ServiceMonitor').length, 0, 'off by default: its CRD may not exist');
  assert.equal(objs.filter((o) => o.kind === 'CustomResourceDefinition').length, 0, 'CRDs come from crds/, not templates');
});

test('every flag of `pledge run` has a value in values.yaml and reaches the container args', async () => {
  const run = buildCli(providers, [compositionsModule()]).commands.find((c) => c.name() === 'run');
  assert.ok(run, 'cli.ts has a run command');
  const values = parse(await readFile(join(CHART, 'values.yaml'), 'utf8')) as { run: Record<string, unknown> };
  // A value for each flag that differs from its default, and the argument it must render as.
  const samples: Record<string, { value: string; arg: string }> = {
    pollInterval: { value: '45s', arg: '--poll-interval=45s' },
    workers: { value: '17', arg: '--workers=17' },
    cloudRate: { value: '33', arg: '--cloud-rate=33' },
    cloudBurst: { value: '44', arg: '--cloud-burst=44' },
    metricsBindAddress: { value: '0.0.0.0:9443', arg: '--metrics-bind-address=0.0.0.0:9443' },
    leaderElect: { value: 'true', arg: '--leader-elect' },
    leaderElectionNamespace: { value: 'elsewhere', arg: '--leader-election-namespace=elsewhere' },
    leaderElectionId: { value: 'my-lease', arg: '--leader-election-id=my-lease' },
    logLevel: { value: 'debug', arg: '--log-level=debug' },
    uiBindAddress: { value: '0.0.0.0:8081', arg: '--ui-bind-address=0.0.0.0:8081' },
    uiAuth: { value: 'token', arg: '--ui-auth=token' },
  };
  // In a pod the ServiceAccount is the cluster's identity; a kubeconfig file would have to be mounted (run.extraArgs).
  const notValues: Record<string, string> = { kubeconfig: 'in a pod Pledge uses its ServiceAccount' };
  const flags = run.options.map((o) => o.attributeName()).filter((name) => !(name in notValues));
  for (const name of flags) {
    assert.ok(name in values.run, `--${name} of pledge run has no run.${name} in helm/pledge/values.yaml (and values.schema.json, templates/deployment.yaml)`);
    assert.ok(name in samples, `run.${name}: add a sample to this test`);
  }
  const c = container(await render(...Object.entries(samples).map(([k, s]) => `run.${k}=${s.value}`), 'run.extraArgs[0]=--future-flag=1'));
  for (const [name, s] of Object.entries(samples)) assert.ok(c.args.includes(s.arg), `run.${name} renders ${s.arg}: ${c.args.join(' ')}`);
  assert.equal(c.args.at(-1), '--future-flag=1');
  assert.deepEqual(c.ports[0], { name: 'metrics', containerPort: 9443, protocol: 'TCP' }, 'the port follows run.metricsBindAddress');
  assert.ok(!container(await render('run.leaderElect=false', 'replicas=1')).args.some((a) => a.startsWith('--leader-elect')));
});

test('the schema refuses a wrong type, an unknown key and 0 replicas, naming the field', async () => {
  const cases = [
    { set: 'replicas=two', field: '/replicas', reason: 'wrong type' },
    { set: 'replicas=0', field: '/replicas', reason: 'no controller at all' },
    { set: 'replica=2', field: "additional properties 'replica'", reason: 'a misspelt key is not silently ignored' },
    { set: 'run.workers=many', field: '/run/workers', reason: 'wrong type one level down' },
    { set: 'run.logLevel=loud', field: '/run/logLevel', reason: 'not a level pledge run knows' },
    { set: 'run.pollIntervall=1m', field: "additional properties 'pollIntervall'", reason: 'unknown flag value' },
    { set: 'providerConfigs[0].cloud=oracle', field: '/providerConfigs/0/cloud', reason: 'no such provider' },
    { set: 'image.pullPolicy=Sometimes', field: '/image/pullPolicy', reason: 'not a pull policy' },
    { set: 'run.leaderElect=false', field: 'replicas > 1 needs run.leaderElect=true', reason: 'two replicas without a Lease would both write' },
  ];
  for (const c of cases) {
    const r = await helm(['template', RELEASE, CHART, '--set', c.set]);
    assert.notEqual(r.code, 0, `${c.set} (${c.reason}) must be refused`);
    assert.ok(r.stderr.includes(c.field), `${c.set}: the error names ${c.field}: ${r.stderr}`);
  }
});

test('keyless set-up: ServiceAccount annotations and pod labels', async () => {
  const sets = ['serviceAccount.annotations.azure\\.workload\\.identity/client-id=00000000-0000-0000-0000-000000000001', 'podLabels.azure\\.workload\\.identity/use=true'];
  // A label value is a string: --set would make it a boolean, which the schema refuses, naming the label.
  const asBoolean = await helm(['template', RELEASE, CHART, ...sets.flatMap((s) => ['--set', s])]);
  assert.match(asBoolean.stderr, /podLabels\/azure\.workload\.identity~1use': got boolean, want string/);
  const out = await mustHelm(['template', RELEASE, CHART, '-n', NS, ...sets.flatMap((s) => ['--set-string', s])]);
  const objs = parseAllDocuments(out).map((d) => d.toJSON() as Obj).filter((o) => o !== null);
  assert.equal(one(objs, 'ServiceAccount').metadata.annotations?.['azure.workload.identity/client-id'], '00000000-0000-0000-0000-000000000001');
  const labels = (one(objs, 'Deployment').spec as { template: { metadata: { labels: Record<string, string> } } }).template.metadata.labels;
  assert.equal(labels['azure.workload.identity/use'], 'true');
});

test('serviceMonitor.enabled=true renders a ServiceMonitor scraping the metrics port', async () => {
  const sm = one(await render('serviceMonitor.enabled=true', 'serviceMonitor.interval=15s'), 'ServiceMonitor');
  assert.equal(sm.apiVersion, 'monitoring.coreos.com/v1');
  assert.deepEqual((sm.spec as { endpoints: unknown[] }).endpoints, [{ port: 'metrics', path: '/metrics', interval: '15s', scrapeTimeout: '10s' }]);
  assert.deepEqual((sm.spec as { namespaceSelector: unknown }).namespaceSelector, { matchNames: [NS] });
});

const PROVIDER_CONFIG_VALUES = [
  'providerConfigs[0].cloud=aws',
  'providerConfigs[0].name=chart-aws',
  'providerConfigs[0].spec.region=eu-west-1',
  'providerConfigs[0].spec.credentials.source=Secret',
  'providerConfigs[0].spec.credentials.secretRef.name=aws-creds',
  `providerConfigs[0].spec.credentials.secretRef.namespace=${NS}`,
  'providerConfigs[1].cloud=gcp',
  'providerConfigs[1].name=chart-gcp',
  'providerConfigs[1].spec.projectId=my-project-123',
  'providerConfigs[1].spec.credentialsSecretRef.name=gcp-key',
  `providerConfigs[1].spec.credentialsSecretRef.namespace=${NS}`,
  'providerConfigs[2].cloud=azure',
  'providerConfigs[2].name=chart-azure',
  'providerConfigs[2].spec.tenantId=00000000-0000-0000-0000-000000000002',
  'providerConfigs[2].spec.clientId=00000000-0000-0000-0000-000000000003',
  'providerConfigs[2].spec.subscriptionId=00000000-0000-0000-0000-000000000004',
  'providerConfigs[2].spec.clientSecretSecretRef.name=azure-sp',
  `providerConfigs[2].spec.clientSecretSecretRef.namespace=${NS}`,
  'providerConfigs[2].spec.clientSecretSecretRef.key=clientSecret',
];

test('the CRDs applied for real, then every rendered object (ProviderConfigs from values too) passes a server-side dry run', async () => {
  await mustKubectl(['apply', '--server-side', '-f', join(CHART, 'crds')]);
  await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(CHART, 'crds')]);
  const ns = await kubectl(['create', 'namespace', NS]);
  assert.ok(ns.code === 0 || ns.stderr.includes('AlreadyExists'), ns.stderr);
  const objs = await render(...PROVIDER_CONFIG_VALUES);
  assert.deepEqual(
    objs.filter((o) => o.kind === 'ProviderConfig').map((o) => `${o.apiVersion} ${o.metadata.name}`),
    ['aws.pledge.dev/v1 chart-aws', 'gcp.pledge.dev/v1 chart-gcp', 'azure.pledge.dev/v1 chart-azure'],
  );
  const manifest = await mustHelm(['template', RELEASE, CHART, '-n', NS, ...PROVIDER_CONFIG_VALUES.flatMap((s) => ['--set', s])]);
  const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: manifest });
  assert.equal(r.code, 0, r.stderr);
  for (const o of objs) assert.ok(r.stdout.includes(`${o.metadata.name} created (server dry run)`), `${o.kind} ${o.metadata.name}: ${r.stdout}`);
  // The API server really validates: a ProviderConfig its CRD refuses fails the same dry run.
  const bad = await mustHelm(['template', RELEASE, CHART, '-n', NS, '--set', 'providerConfigs[0].cloud=aws', '--set', 'providerConfigs[0].name=bad', '--set', 'providerConfigs[0].spec.region=Mars']);
  const refused = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: bad });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /spec\.region/);
});

test('the pod passes the restricted Pod Security Standard (enforced by the API server on a dry-run Pod)', async () => {
  const ns = 'pledge-pss-restricted';
  const created = await kubectl(['create', 'namespace', ns]);
  assert.ok(created.code === 0 || created.stderr.includes('AlreadyExists'), created.stderr);
  await mustKubectl(['label', '--overwrite', 'namespace', ns, 'pod-security.kubernetes.io/enforce=restricted']);
  const template = (one(await render(), 'Deployment').spec as { template: { metadata: unknown; spec: Record<string, unknown> } }).template;
  const pod = (spec: Record<string, unknown>) => JSON.stringify({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'pledge-pss', namespace: ns }, spec });
  // serviceAccountName is dropped: the dry run is about the pod's security, and that ServiceAccount is not in this namespace.
  const { serviceAccountName: _sa, ...spec } = template.spec;
  const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: pod(spec) });
  assert.equal(r.code, 0, r.stderr);
  // The check is real: the same pod with privilege escalation allowed is refused.
  const [c] = spec.containers as Array<{ securityContext: Record<string, unknown> }>;
  assert.ok(c);
  const loose = { ...spec, containers: [{ ...c, securityContext: { ...c.securityContext, allowPrivilegeEscalation: true } }] };
  const refused = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: pod(loose) });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /violates PodSecurity "restricted:latest": allowPrivilegeEscalation != false/);
});

test('each keyless example in helm/pledge/examples renders and passes a server-side dry run', async () => {
  await mustKubectl(['apply', '--server-side', '-f', join(CHART, 'crds')]);
  await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(CHART, 'crds')]);
  const ns = await kubectl(['create', 'namespace', NS]);
  assert.ok(ns.code === 0 || ns.stderr.includes('AlreadyExists'), ns.stderr);
  const examples = (await readdir(join(CHART, 'examples'))).filter((f) => f.endsWith('.yaml'));
  assert.deepEqual(examples.sort(), ['aws-irsa.yaml', 'azure-workload-identity.yaml', 'gcp-external-account.yaml']);
  for (const file of examples) {
    const manifest = await mustHelm(['template', RELEASE, CHART, '-n', NS, '-f', join(CHART, 'examples', file)]);
    const kinds = parseAllDocuments(manifest).map((d) => (d.toJSON() as Obj | null)?.kind);
    assert.ok(kinds.includes('ProviderConfig'), `${file} renders a ProviderConfig`);
    const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: manifest });
    assert.equal(r.code, 0, `${file}: ${r.stderr}`);
    // Another test in the lane may own a `default` ProviderConfig already: configured, then.
    assert.match(r.stdout, /providerconfig\.\w+\.pledge\.dev\/default (created|configured|unchanged) \(server dry run\)/, file);
  }
});

test("the chart's appVersion (the default image tag) is package.json's version, the tag image/build.sh gives the image", async () => {
  const chart = parse(await readFile(join(CHART, 'Chart.yaml'), 'utf8')) as { appVersion: string };
  const pkg = JSON.parse(await readFile(join(CHART, '../../package.json'), 'utf8')) as { version: string };
  assert.equal(chart.appVersion, pkg.version);
  assert.equal(container(await render()).args[0], 'run', 'args after the image entrypoint `node /app/bin/pledge.ts`');
  assert.match(JSON.stringify(one(await render(), 'Deployment')), new RegExp(`"image":"pledge:${pkg.version}"`));
});

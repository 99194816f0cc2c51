// One runtime, measured on the real API server: every resource type Pledge reads is watched exactly once
// (managed kinds, ProviderConfigs, XRDs, Compositions, revisions, composites, claims), and a composite
// with 20 composed resources reconciles from the informer caches with no GET of a composed resource.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl } from '../env/index.ts';
import { eventually, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { installCloudsimProviderConfigs, removeCloudsimProviderConfigs } from './support/cloudsim-provider-configs.ts';

const suffix = randomBytes(2).toString('hex');
const GROUP = `rt${suffix}.test.pledge.dev`;
const COMPOSED = 20;

/** Samples of one metric from a Prometheus text page, labels parsed. */
function samples(page: string, metric: string): Array<{ labels: Record<string, string>; value: number }> {
  const out: Array<{ labels: Record<string, string>; value: number }> = [];
  for (const line of page.split('\n')) {
    if (!line.startsWith(`${metric}{`)) continue;
    const close = line.lastIndexOf('}');
    const labels = Object.fromEntries([...line.slice(metric.length + 1, close).matchAll(/(\w+)="([^"]*)"/g)].map((m) => [m[1] ?? '', m[2] ?? '']));
    out.push({ labels, value: Number(line.slice(close + 1).trim()) });
  }
  return out;
}

const apiServerMetrics = () => mustKubectl(['get', '--raw', '/metrics']);

type AuditLine = { auditID: string; stage?: string; verb?: string; userAgent?: string; objectRef?: { apiGroup?: string; resource?: string } };

/**
 * Watches of the Pledge-served groups open now (audit ID → `resource.group`) that Pledge (by its user agent) started after
 * `fromByte` of the API server's audit log, where a watch is logged when it starts and again when it ends. Not the API
 * server's gauge of open watches: kube-controller-manager (garbage collector, quota) watches every new kind too.
 */
async function pledgeWatches(auditLog: string, fromByte: number): Promise<Map<string, string>> {
  const open = new Map<string, string>();
  const text = (await readFile(auditLog)).subarray(fromByte).toString('utf8');
  // The last line may be half written.
  for (const line of text.split('\n').slice(0, -1)) {
    if (!line.includes('"pledge/')) continue;
    const e = JSON.parse(line) as AuditLine;
    const group = e.objectRef?.apiGroup ?? '';
    if (e.verb !== 'watch' || !e.userAgent?.startsWith('pledge/') || !group.endsWith('pledge.dev')) continue;
    if (e.stage === 'ResponseComplete') open.delete(e.auditID);
    else open.set(e.auditID, `${e.objectRef?.resource}.${group}`);
  }
  return open;
}

function perType(watches: Map<string, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const type of watches.values()) out.set(type, (out.get(type) ?? 0) + 1);
  return out;
}

async function composedGets(): Promise<number> {
  return samples(await apiServerMetrics(), 'apiserver_request_total')
    .filter((s) => s.labels.verb === 'GET' && s.labels.group === 'storage.gcp.pledge.dev' && s.labels.resource === 'buckets')
    .reduce((sum, s) => sum + s.value, 0);
}

async function compositeReconciles(controller: ControllerProcess): Promise<number> {
  const page = await (await fetch(`${controller.metricsUrl}/metrics`)).text();
  return samples(page, 'pledge_reconcile_total').filter((s) => s.labels.kind === 'XTwenty').reduce((sum, s) => sum + s.value, 0);
}

const definition = `
apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: xtwenties.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: XTwenty, plural: xtwenties}
  claimNames: {kind: Twenty, plural: twenties}
  versions:
  - name: v1
    served: true
    referenceable: true
    schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {location: {type: string}}}}}}
`;

const composition = `
apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: twenty-${suffix}}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1, kind: XTwenty}
  resources:
${Array.from({ length: COMPOSED }, (_, i) => `  - name: b${i}
    base:
      apiVersion: storage.gcp.pledge.dev/v1
      kind: Bucket
      spec: {providerConfigRef: {name: rt-${suffix}}, forProvider: {location: EU}}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.location, toFieldPath: spec.forProvider.location}`).join('\n')}
`;

describe('one runtime', () => {
  let controller: ControllerProcess;
  const auditLog = process.env.PLEDGE_TEST_AUDIT_LOG ?? '';
  let auditFrom = 0;
  let firstWatches: { at: number; ids: Map<string, string> } | undefined;

  before(async () => {
    await installCrds();
    await installCloudsimProviderConfigs(`rt-${suffix}`);
    await mustKubectl(['apply', '-f', '-'], definition);
    assert.ok(auditLog, 'the API server writes no audit log (PLEDGE_TEST_AUDIT_LOG): run under make test or test/env/run.ts');
    auditFrom = (await stat(auditLog)).size;
    // Its group is made up per run (so it never meets an earlier file's kind): no chart grants it.
    controller = await startController({ identity: 'admin' });
  });

  after(async () => {
    await kubectl(['delete', `twenties.${GROUP}`, '--all', '-n', 'default', '--timeout=60s']);
    await kubectl(['delete', `xtwenties.${GROUP}`, '--all', '--timeout=60s']);
    await kubectl(['delete', 'compositeresourcedefinition', `xtwenties.${GROUP}`, `--timeout=60s`]);
    await kubectl(['delete', 'composition', `twenty-${suffix}`, '--ignore-not-found']);
    await controller?.stop();
    await removeCloudsimProviderConfigs(`rt-${suffix}`);
  });

  test('every type is watched once: managed kinds, ProviderConfigs, XRDs, Compositions, revisions, composites and claims', async () => {
    await eventually(async () => (await kubectl(['get', `xtwenties.${GROUP}`])).code === 0, 'the XRD to be served');
    const expected = ['buckets.s3.aws.pledge.dev', 'buckets.storage.gcp.pledge.dev', 'providerconfigs.aws.pledge.dev', 'compositeresourcedefinitions.pledge.dev', 'compositions.pledge.dev', 'compositionrevisions.pledge.dev', `xtwenties.${GROUP}`, `twenties.${GROUP}`];
    let watches = new Map<string, number>();
    await eventually(async () => {
      const open = await pledgeWatches(auditLog, auditFrom);
      watches = perType(open);
      firstWatches = { at: Date.now(), ids: open };
      return expected.every((t) => (watches.get(t) ?? 0) >= 1);
    }, 'the controller to watch every type');
    for (const [type, count] of watches) assert.equal(count, 1, `${type} is watched ${count} times by one controller`);
  });

  test(`a composite with ${COMPOSED} composed resources reconciles with no GET of a composed resource`, async () => {
    await mustKubectl(['apply', '-f', '-'], composition);
    await mustKubectl(['apply', '-f', '-'], `apiVersion: ${GROUP}/v1\nkind: Twenty\nmetadata: {name: t-${suffix}, namespace: default}\nspec: {location: EU, compositionRef: {name: twenty-${suffix}}}\n`);
    await mustKubectl(['wait', `twenties.${GROUP}/t-${suffix}`, '-n', 'default', '--for=condition=Ready', '--timeout=120s']);
    const gets = await composedGets();
    const reconciles = await compositeReconciles(controller);
    // The composite polls every 2 s (it follows --poll-interval): three more reconciles, each reading 20 composed resources.
    await eventually(async () => (await compositeReconciles(controller)) >= reconciles + 3, 'three more composite reconciles', 60_000);
    assert.equal((await composedGets()) - gets, 0, 'composed resources are read from the cache, never fetched');
  });

  test('a quiet kind keeps its watch: not ended and reopened within 35 s (client-node alone ends a watch silent for 30 s)', async () => {
    assert.ok(firstWatches, 'the first test saw the watches');
    const { at, ids } = firstWatches;
    const quiet = [...ids].filter(([, type]) => type.startsWith('providerconfigs.') || type.startsWith('compositeresourcedefinitions.'));
    assert.ok(quiet.length >= 2, `quiet kinds watched: ${quiet.map(([, t]) => t).join(', ')}`);
    await sleep(Math.max(0, at + 35_000 - Date.now()));
    const open = await pledgeWatches(auditLog, auditFrom);
    for (const [id, type] of quiet) assert.equal(open.get(id), type, `the watch of ${type} was ended within 35 s`);
  });
});

// Core behaviour on the real kube-apiserver with an in-memory provider: references, late-init,
// connection secrets (written, owner-referenced, deleted with the resource), paused, Observe-only.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { KubeClient } from '../../core/kube/index.ts';
import { managedCrd, providerConfigCrd } from '../../core/crd/index.ts';
import { runManager } from '../../core/manager/index.ts';
import { createMetrics } from '../../core/runtime/metrics/index.ts';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, mustKubectl } from './harness.ts';
import { memoryCloud, memoryProvider, widget } from './support/memory-provider.ts';
import { memoryLog, reconcileEvidence } from './support/reconcile-evidence.ts';

const suffix = randomBytes(3).toString('hex');
/** The manager's log, kept for evidence that it reconciled a resource (reconcile-evidence.ts). */
const managerLog = memoryLog();
const polls = (name: string) => reconcileEvidence(managerLog.text, { kind: 'Widget', name, msg: 'observed, requeue' });

/** kubectl apply that must succeed; says why when it does not. */
async function applied(yaml: string): Promise<void> {
  let res = await kubectlApply(yaml);
  // apply is idempotent: an API server too busy to answer in time (2 loaded cores) gets one more try.
  for (let i = 0; i < 2 && res.code !== 0 && /timeout|timed out|unable to return a response|connection refused/i.test(res.stderr); i++) {
    res = await kubectlApply(yaml);
  }
  assert.equal(res.code, 0, `kubectl apply failed: ${res.stderr}`);
}
const widgetYaml = (name: string, forProvider: string, extra = '', metadata = '') => `
apiVersion: memory.test.pledge.dev/v1
kind: Widget
metadata:
  name: ${name}
${metadata.replace(/^/gm, '  ')}
spec:
  forProvider:
${forProvider.replace(/^/gm, '    ')}
${extra.replace(/^/gm, '  ')}
`;

describe('core policies with an in-memory provider', () => {
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    const crds = [managedCrd(widget, 'memory'), providerConfigCrd(memoryProvider.providerConfig, 'memory')];
    await mustKubectl(['apply', '--server-side', '-f', '-'], crds.map((c) => stringify(c)).join('---\n'));
    await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]);
    await mustKubectl(['apply', '-f', '-'], 'apiVersion: memory.test.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: default}\nspec: {}\n');
    await mustKubectl(['create', 'namespace', 'apps', '--dry-run=client', '-o', 'yaml']).then((y) => mustKubectl(['apply', '-f', '-'], y));
    const client = KubeClient.fromDefault(testEnv().kubeconfigPath);
    const logger = pino({ level: 'debug' }, managerLog.stream);
    running = runManager({ client, providers: [memoryProvider], logger, metrics: createMetrics({ defaultMetrics: false }), pollIntervalMs: 1_000, baseBackoffMs: 200 }, stop.signal);
  });

  after(async () => {
    stop.abort();
    await running;
  });

  test('connection details land in the Secret, owner-referenced, and go with the resource; values never in status', async () => {
    const name = `conn-${suffix}`;
    await applied(widgetYaml(name, 'size: 2', `writeConnectionSecretToRef: {name: ${name}, namespace: apps}`));
    await eventually(async () => (await condition('widgets.memory.test.pledge.dev', name, 'Ready'))?.status === 'True', 'Ready');
    const secret = await getJson<{ data: Record<string, string>; type: string; metadata: { ownerReferences: Array<{ kind: string; name: string; controller: boolean }> } }>('secret', name, 'apps');
    const decoded = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    assert.deepEqual(decoded, { password: `generated-secret-${name}`, endpoint: `mem://${name}`, token: `token-of-${name}` }, 'create and observe details are merged, none lost');
    assert.equal(secret?.type, 'connection.pledge.dev/v1');
    assert.deepEqual(secret?.metadata.ownerReferences.map((o) => [o.kind, o.name, o.controller]), [['Widget', name, true]]);
    const obj = JSON.stringify(await getJson('widgets.memory.test.pledge.dev', name));
    assert.ok(!obj.includes('generated-secret'), 'the password is not in the object');
    assert.equal((await kubectl(['delete', 'widgets.memory.test.pledge.dev', name, '--timeout=30s'])).code, 0);
    assert.equal(await getJson('secret', name, 'apps'), undefined, 'the connection secret is deleted with the resource');
    assert.equal(memoryCloud.has(name), false);
  });

  test('late-initialization fills unset forProvider fields from the cloud; set fields are never overwritten', async () => {
    const name = `late-${suffix}`;
    await applied(widgetYaml(name, 'size: 1'));
    await eventually(async () => (await getJson<{ spec: { forProvider: { color?: string } } }>('widgets.memory.test.pledge.dev', name))?.spec.forProvider.color === 'blue', 'color late-initialized');
    const without = `nolate-${suffix}`;
    await applied(widgetYaml(without, 'size: 1', 'managementPolicies: [Observe, Create, Update, Delete]'));
    await eventually(async () => (await condition('widgets.memory.test.pledge.dev', without, 'Ready'))?.status === 'True', 'Ready');
    await polls(without).waitSince(Date.now(), 2, 'observed the Widget without LateInitialize twice after it was Ready');
    const spec = await getJson<{ spec: { forProvider: { color?: string } } }>('widgets.memory.test.pledge.dev', without);
    assert.equal(spec?.spec.forProvider.color, undefined, 'without LateInitialize the spec is left alone');
    await kubectl(['delete', 'widgets.memory.test.pledge.dev', name, without]);
  });

  test('a reference resolves to the referenced resource\'s external name once it is Ready; a selector by labels too', async () => {
    const parent = `parent-${suffix}`;
    const child = `child-${suffix}`;
    const viaSelector = `sel-${suffix}`;
    await applied(widgetYaml(child, `size: 1\nparentRef: {name: ${parent}}`));
    await eventually(async () => /waiting|not found/.test((await condition('widgets.memory.test.pledge.dev', child, 'Synced'))?.message ?? ''), 'child to wait for its parent');
    const waiting = await condition('widgets.memory.test.pledge.dev', child, 'Synced');
    assert.match(waiting?.message ?? '', new RegExp(`spec\\.forProvider\\.parentRef: Widget "${parent}" not found`));
    assert.equal(memoryCloud.has(child), false, 'nothing is created while a reference is unresolved');

    await applied(widgetYaml(parent, 'size: 3', '', `labels: {tier: "${suffix}"}`));
    await eventually(async () => (await condition('widgets.memory.test.pledge.dev', child, 'Ready'))?.status === 'True', 'child Ready after parent');
    const resolved = await getJson<{ spec: { forProvider: { parent?: string } } }>('widgets.memory.test.pledge.dev', child);
    assert.equal(resolved?.spec.forProvider.parent, parent);
    assert.equal(memoryCloud.get(child)?.parent, parent);

    await applied(widgetYaml(viaSelector, `size: 1\nparentSelector: {matchLabels: {tier: "${suffix}"}}`));
    await eventually(async () => (await getJson<{ spec: { forProvider: { parent?: string } } }>('widgets.memory.test.pledge.dev', viaSelector))?.spec.forProvider.parent === parent, 'selector resolved');
    await kubectl(['delete', 'widgets.memory.test.pledge.dev', parent, child, viaSelector]);
  });

  test('paused stops reconciling: drift stays until the annotation goes', async () => {
    const name = `paused-${suffix}`;
    await applied(widgetYaml(name, 'size: 4\ncolor: red'));
    await eventually(async () => (await condition('widgets.memory.test.pledge.dev', name, 'Ready'))?.status === 'True', 'Ready');
    await mustKubectl(['annotate', 'widgets.memory.test.pledge.dev', name, 'pledge.dev/paused=true']);
    await eventually(async () => (await condition('widgets.memory.test.pledge.dev', name, 'Synced'))?.reason === 'ReconcilePaused', 'Synced reports paused');
    const cloud = memoryCloud.get(name);
    assert.ok(cloud);
    cloud.size = 99;
    // A paused resource is not polled: two edits wake it. The first reconcile began after the drift ("paused"
    // is logged at its start), the second only once the first had ended: a broken pause had corrected it.
    const paused = reconcileEvidence(managerLog.text, { kind: 'Widget', name, msg: 'paused' });
    const drifted = Date.now();
    for (const nudge of [1, 2]) {
      await mustKubectl(['annotate', '--overwrite', 'widgets.memory.test.pledge.dev', name, `test.pledge.dev/nudge=${nudge}`]);
      await paused.waitSince(drifted, nudge, `reconciled the paused Widget after the drift and edit ${nudge}`);
    }
    assert.equal(memoryCloud.get(name)?.size, 99, 'paused: drift is not corrected');
    await mustKubectl(['annotate', 'widgets.memory.test.pledge.dev', name, 'pledge.dev/paused-']);
    await eventually(async () => memoryCloud.get(name)?.size === 4, 'drift corrected after unpausing');
    await kubectl(['delete', 'widgets.memory.test.pledge.dev', name]);
  });

  test('Observe-only adopts an existing object: atProvider filled, never written, never deleted', async () => {
    const name = `observe-${suffix}`;
    memoryCloud.set(name, { size: 7, color: 'green', writes: 0 });
    await applied(widgetYaml(name, 'size: 1', 'managementPolicies: [Observe]'));
    await eventually(async () => (await getJson<{ status?: { atProvider?: { size?: number } } }>('widgets.memory.test.pledge.dev', name))?.status?.atProvider?.size === 7, 'atProvider from the cloud');
    await polls(name).waitSince(Date.now(), 2, 'observed the Observe-only Widget twice after adopting it');
    assert.deepEqual(memoryCloud.get(name), { size: 7, color: 'green', writes: 0 }, 'never written although spec differs');
    const absent = `observe-absent-${suffix}`;
    await applied(widgetYaml(absent, 'size: 1', 'managementPolicies: [Observe]'));
    await eventually(async () => (await condition('widgets.memory.test.pledge.dev', absent, 'Ready'))?.reason === 'Unavailable', 'absent and not created');
    assert.equal(memoryCloud.has(absent), false);
    assert.equal((await kubectl(['delete', 'widgets.memory.test.pledge.dev', name, absent, '--timeout=30s'])).code, 0);
    assert.ok(memoryCloud.has(name), 'Observe-only never deletes');
  });
});

// A kind whose CRD is not installed (a provider added to the binary before its CRDs were applied) must
// not hold every other controller back: the served kinds reconcile, and the missing kind starts working
// as soon as its CRD appears.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { pino } from 'pino';
import { stringify } from 'yaml';
import { managedCrd, providerConfigCrd } from '../../core/crd/index.ts';
import { KubeClient } from '../../core/kube/index.ts';
import type { ManagedKind, Provider } from '../../core/managed/types.ts';
import { runManager } from '../../core/manager/index.ts';
import { createMetrics } from '../../core/runtime/metrics/index.ts';
import { kubectl, testEnv } from '../env/index.ts';
import { condition, eventually, mustKubectl } from './harness.ts';
import { memoryCloud, memoryProvider, widget } from './support/memory-provider.ts';

const suffix = randomBytes(3).toString('hex');
const group = `unserved${suffix}.test.pledge.dev`;
const gadget: ManagedKind = { ...(widget as ManagedKind), gvk: { group, version: 'v1', kind: 'Gadget' }, plural: 'gadgets', references: [] };
const later: Provider = {
  name: `unserved${suffix}`,
  providerConfig: { gvk: { group, version: 'v1', kind: 'ProviderConfig' }, plural: 'providerconfigs', spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
  kinds: [gadget],
};
const crdsOf = (p: Provider) => [providerConfigCrd(p.providerConfig, p.name), ...p.kinds.map((k) => managedCrd(k, p.name))];
const applyCrds = async (p: Provider) => {
  const crds = crdsOf(p);
  await mustKubectl(['apply', '--server-side', '-f', '-'], crds.map((c) => stringify(c)).join('---\n'));
  await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', ...crds.map((c) => `crd/${c.metadata.name}`)]);
};

describe('a kind whose CRD is not installed', () => {
  const stop = new AbortController();
  let running: Promise<void>;

  before(async () => {
    await applyCrds(memoryProvider);
    await mustKubectl(['apply', '-f', '-'], 'apiVersion: memory.test.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: default}\nspec: {}\n');
    const client = KubeClient.fromDefault(testEnv().kubeconfigPath);
    running = runManager({ client, providers: [memoryProvider, later], logger: pino({ level: 'silent' }), metrics: createMetrics({ defaultMetrics: false }), pollIntervalMs: 1_000, baseBackoffMs: 200 }, stop.signal);
  });

  after(async () => {
    await kubectl(['delete', `gadgets.${group}`, '--all', '--timeout=30s']);
    await kubectl(['delete', 'widgets.memory.test.pledge.dev', `served-${suffix}`, '--timeout=30s']);
    stop.abort();
    await running;
    await kubectl(['delete', 'crd', ...crdsOf(later).map((c) => c.metadata.name), '--ignore-not-found']);
  });

  test('does not hold the served kinds back; its own resources reconcile once its CRD is applied', async () => {
    const name = `served-${suffix}`;
    await mustKubectl(['apply', '-f', '-'], `apiVersion: memory.test.pledge.dev/v1\nkind: Widget\nmetadata: {name: ${name}}\nspec: {forProvider: {size: 2}}\n`);
    await eventually(async () => (await condition('widgets.memory.test.pledge.dev', name, 'Ready'))?.status === 'True', 'a served kind to reconcile while another kind has no CRD');
    assert.equal(memoryCloud.get(name)?.size, 2);

    await applyCrds(later);
    await mustKubectl(['apply', '-f', '-'], `apiVersion: ${group}/v1\nkind: ProviderConfig\nmetadata: {name: default}\nspec: {}\n---\napiVersion: ${group}/v1\nkind: Gadget\nmetadata: {name: g-${suffix}}\nspec: {forProvider: {size: 5}}\n`);
    await eventually(async () => (await condition(`gadgets.${group}`, `g-${suffix}`, 'Ready'))?.status === 'True', 'the late kind to reconcile once its CRD exists', 60_000);
    assert.equal(memoryCloud.get(`g-${suffix}`)?.size, 5);
  });
});

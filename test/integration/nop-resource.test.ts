// The nop provider on the real kube-apiserver with `pledge run`: conditions at their time (not at the next
// poll), connection details, arbitrary fields kept, deletion, and a composition of NopResources whose claim
// becomes Ready, one of them through a condition type of its own (a MatchCondition readiness check).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeClient, type ResourceType } from '../../core/kube/index.ts';
import type { Condition, ManagedResource } from '../../core/managed/types.ts';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { getJson, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { reconcileEvidence } from './support/reconcile-evidence.ts';

const suffix = randomBytes(3).toString('hex');
const NOPS: ResourceType = { group: 'nop.pledge.dev', version: 'v1', plural: 'nopresources' };
const FIELDS = { integerField: 42, stringField: 'cool', objectField: { stringField: 'cool', nested: { list: [1, 'two', true] } }, arrayField: [{ stringField: 'cool' }] };

const readyOf = (mr: ManagedResource | undefined): Condition | undefined => mr?.status?.conditions?.find((c) => c.type === 'Ready');

describe('nop provider: NopResource', () => {
  let controller: ControllerProcess;
  let client: KubeClient;

  before(async () => {
    await installCrds();
    // No spec at all: it defaults to {}.
    await mustKubectl(['apply', '-f', '-'], 'apiVersion: nop.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: default}\n');
    // Where compositions write their composed resources' connection secrets.
    await mustKubectl(['create', 'namespace', 'pledge-system', '--dry-run=client', '-o', 'yaml']).then((y) => mustKubectl(['apply', '-f', '-'], y));
    client = KubeClient.fromDefault(testEnv().kubeconfigPath);
    // A long poll: only the resource's own "due in N ms" can make it Ready near its time (the not-ready poll is 10 s).
    controller = await startController({ pollInterval: '60s' });
  });
  after(async () => {
    await controller?.stop();
  });

  const name = `nop-${suffix}`;

  test('Ready after 2 s: not Ready before 2 s from creationTimestamp, Ready by 4 s, checked again at its time rather than at the 10 s not-ready poll', async () => {
    const applied = await kubectlApply(`
apiVersion: nop.pledge.dev/v1
kind: NopResource
metadata: {name: ${name}}
spec:
  forProvider:
    conditionAfter:
    - {time: 2s, conditionType: Ready, conditionStatus: "True"}
    connectionDetails:
    - {name: username, value: fakeuser}
    - {name: endpoint, value: 127.0.0.1}
    fields: ${JSON.stringify(FIELDS)}
  writeConnectionSecretToRef: {name: ${name}-conn, namespace: default}
`);
    assert.equal(applied.code, 0, applied.stderr);
    const first = await client.get<ManagedResource>(NOPS, name);
    const created = Date.parse(first?.metadata.creationTimestamp ?? '');
    assert.ok(!Number.isNaN(created), 'creationTimestamp');
    let seenNotReady = false;
    let seenReadyAt: number | undefined;
    const deadline = created + 8_000;
    while (seenReadyAt === undefined && Date.now() < deadline) {
      const ready = readyOf(await client.get<ManagedResource>(NOPS, name));
      if (ready?.status === 'True') seenReadyAt = Date.now();
      else if (ready?.status === 'False') seenNotReady = true;
      await sleep(100);
    }
    const mr = await client.get<ManagedResource>(NOPS, name);
    const ready = readyOf(mr);
    assert.ok(seenReadyAt !== undefined, `Ready by ${deadline - created} ms after creation; conditions ${JSON.stringify(mr?.status?.conditions)}\n${(await controller.log()).slice(-3000)}`);
    assert.ok(seenNotReady, 'the controller first reported it not Ready (it looked before its time)');
    const readyAfterMs = Date.parse(ready?.lastTransitionTime ?? '') - created;
    assert.ok(readyAfterMs >= 2_000, `Ready=True written ${readyAfterMs} ms after creationTimestamp: not before 2 s`);
    assert.ok(readyAfterMs <= 4_000, `Ready=True written ${readyAfterMs} ms after creationTimestamp: near 2 s, not at a 10 s poll`);
    assert.ok(seenReadyAt - created <= 4_500, `seen Ready ${seenReadyAt - created} ms after creationTimestamp`);
    assert.deepEqual(
      mr?.status?.conditions?.filter((c) => c.type === 'Synced').map((c) => [c.status, c.reason]),
      [['True', 'ReconcileSuccess']],
    );
    // The first reconcile asked to come back when Ready is due (under 2 s), not at the not-ready poll.
    const requeues = await reconcileEvidence(controller.log, { kind: 'NopResource', name, msg: 'observed, requeue' }).lines();
    const firstWait = requeues[0]?.waitMs;
    assert.ok(typeof firstWait === 'number' && firstWait > 0 && firstWait <= 2_000, `first requeue after ${String(firstWait)} ms`);
  });

  test('its connection secret holds the given details, owned by the NopResource', async () => {
    const secret = await getJson<{ type: string; data: Record<string, string>; metadata: { ownerReferences: Array<{ kind: string; name: string }> } }>('secret', `${name}-conn`, 'default');
    const decoded = Object.fromEntries(Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()]));
    assert.deepEqual(decoded, { username: 'fakeuser', endpoint: '127.0.0.1' });
    assert.deepEqual(secret?.metadata.ownerReferences.map((o) => [o.kind, o.name]), [['NopResource', name]]);
  });

  test('arbitrary fields are accepted and kept as given; a bad time is refused at admission, naming the field', async () => {
    const mr = await client.get<ManagedResource<{ fields?: unknown }>>(NOPS, name);
    assert.deepEqual(mr?.spec.forProvider.fields, FIELDS);
    const bad = await kubectlApply(`apiVersion: nop.pledge.dev/v1\nkind: NopResource\nmetadata: {name: bad-${suffix}}\nspec: {forProvider: {conditionAfter: [{time: "30", conditionType: Ready, conditionStatus: "True"}]}}\n`);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /spec\.forProvider\.conditionAfter\[0\]\.time/);
  });

  test('deleting it removes it and its secret at once', async () => {
    const started = Date.now();
    const res = await kubectl(['delete', 'nopresources.nop.pledge.dev', name, '--timeout=20s'], { timeoutMs: 25_000 });
    assert.equal(res.code, 0, res.stderr);
    assert.equal(await client.get(NOPS, name), undefined);
    assert.equal(await getJson('secret', `${name}-conn`, 'default'), undefined);
    assert.ok(Date.now() - started < 10_000, `deleted in ${Date.now() - started} ms`);
  });

  test('a composition of 3 NopResources makes its claim Ready, with fields patched in and details passed up', async () => {
    // One of the groups the suite's chart identity may serve (test/env/controller-identity.ts).
    const group = 'nop.example.org';
    await mustKubectl(['apply', '-f', '-'], `
apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: xnoptests.${group}}
spec:
  group: ${group}
  names: {kind: XNopTest, plural: xnoptests}
  claimNames: {kind: NopTest, plural: noptests}
  connectionSecretKeys: [username]
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec:
            type: object
            properties:
              color: {type: string}
---
apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: noptest-${suffix}}
spec:
  compositeTypeRef: {apiVersion: ${group}/v1alpha1, kind: XNopTest}
  resources:
  - name: first
    base:
      apiVersion: nop.pledge.dev/v1
      kind: NopResource
      spec:
        forProvider:
          conditionAfter: [{time: 1s, conditionType: Ready, conditionStatus: "True"}]
          connectionDetails: [{name: username, value: composed-user}]
          fields: {color: none}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.color, toFieldPath: spec.forProvider.fields.color}
    connectionDetails:
    - {name: username, type: FromConnectionSecretKey, fromConnectionSecretKey: username}
  - name: second
    base:
      apiVersion: nop.pledge.dev/v1
      kind: NopResource
      spec: {forProvider: {conditionAfter: [{time: 2s, conditionType: Ready, conditionStatus: "True"}]}}
  - name: third
    base:
      apiVersion: nop.pledge.dev/v1
      kind: NopResource
      spec: {forProvider: {conditionAfter: [{time: 1s, conditionType: Green, conditionStatus: "True"}]}}
    readinessChecks:
    - type: MatchCondition
      matchCondition: {type: Green, status: "True"}
`);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=30s', `compositeresourcedefinitions.pledge.dev/xnoptests.${group}`]);
    const claim = `claim-${suffix}`;
    const applied = await kubectlApply(`apiVersion: ${group}/v1alpha1\nkind: NopTest\nmetadata: {name: ${claim}, namespace: default}\nspec: {color: teal, compositionRef: {name: noptest-${suffix}}, writeConnectionSecretToRef: {name: ${claim}-conn}}\n`);
    assert.equal(applied.code, 0, applied.stderr);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=20s', `noptests.${group}/${claim}`, '-n', 'default'], { timeoutMs: 25_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-3000)}`);

    const c = await getJson<{ spec: { resourceRef?: { name: string } } }>(`noptests.${group}`, claim, 'default');
    const xr = await getJson<{ spec: { resourceRefs?: Array<{ kind: string; name: string }> } }>(`xnoptests.${group}`, c?.spec.resourceRef?.name ?? '');
    const refs = xr?.spec.resourceRefs ?? [];
    assert.deepEqual(refs.map((r) => r.kind), ['NopResource', 'NopResource', 'NopResource']);
    const composed = await Promise.all(refs.map((r) => client.get<ManagedResource<{ fields?: { color?: string } }>>(NOPS, r.name)));
    assert.deepEqual(composed.map((mr) => mr?.spec.forProvider.fields?.color), ['teal', undefined, undefined], 'the claim\'s color patched into fields');
    // The third is never Ready itself: its Green condition, reported beside Ready, is what its readiness check reads.
    assert.deepEqual(
      composed.map((mr) => [readyOf(mr)?.status, mr?.status?.conditions?.find((x) => x.type === 'Green')?.status]),
      [['True', undefined], ['True', undefined], ['False', 'True']],
    );
    const secret = await getJson<{ data: Record<string, string> }>('secret', `${claim}-conn`, 'default');
    assert.equal(Buffer.from(secret?.data.username ?? '', 'base64').toString(), 'composed-user');

    const deleted = await kubectl(['delete', `noptests.${group}`, claim, '-n', 'default', '--timeout=20s'], { timeoutMs: 25_000 });
    assert.equal(deleted.code, 0, deleted.stderr);
    for (const r of refs) assert.equal(await client.get(NOPS, r.name), undefined, `${r.name} deleted with the claim`);
  });
});

// Composing ordinary Kubernetes objects: a namespaced composite whose Composition asks for auto-readiness
// (spec.autoReady) composes a ConfigMap into its own namespace, patched from the composite, and becomes Ready by
// function-auto-ready's rule for ConfigMaps (it exists). A Deployment composed next to it gets no pods here, so it
// is not available and the composite stays not Ready, naming it. A Secret is refused by name. Deleting the
// composite removes what it composed.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kubectl, kubectlApply } from '../env/index.ts';
import { condition, eventually, getJson, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const GROUP = 'platform.example.org';
const KIND = `XSettings${suffix}`;
const PLURAL = `${KIND.toLowerCase()}s`;
const ns = `team-cfg-${suffix}`;

const configMap = `
  - name: settings
    base: {apiVersion: v1, kind: ConfigMap, data: {size: unset}}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.size, toFieldPath: data.size}`;
const deployment = `
  - name: web
    base:
      apiVersion: apps/v1
      kind: Deployment
      spec:
        replicas: 1
        selector: {matchLabels: {app: web-${suffix}}}
        template:
          metadata: {labels: {app: web-${suffix}}}
          spec: {containers: [{name: web, image: registry.invalid/web:1}]}`;
const secret = `
  - name: token
    base: {apiVersion: v1, kind: Secret, stringData: {token: x}}`;

const composition = (name: string, resources: string) => `apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: ${name}}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1alpha1, kind: ${KIND}}
  autoReady: true
  resources: ${resources}
`;

const composite = (name: string, compositionName: string) =>
  `apiVersion: ${GROUP}/v1alpha1\nkind: ${KIND}\nmetadata: {name: ${name}, namespace: ${ns}}\nspec: {size: small, crossplane: {compositionRef: {name: ${compositionName}}}}\n`;

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: Array<{ name: string; controller?: boolean }> };
  data?: Record<string, string>;
  spec?: { crossplane?: { resourceRefs?: Array<{ apiVersion: string; kind: string; name: string }> } };
}

const composedOf = async (resource: string, owner: string) => {
  const list = JSON.parse(await mustKubectl(['get', resource, '-n', ns, '-l', `crossplane.io/composite=${owner}`, '-o', 'json'])) as { items: Obj[] };
  return list.items;
};

/**
 * On failure: the composite's status, and the controller's lines about its kind, its namespace or ConfigMaps
 * (debug ones included: a failed reconcile is logged at debug with its key) — other files' objects in the lane
 * fill the rest of the log.
 */
async function whyNotReady(controller: ControllerProcess, name: string): Promise<string> {
  const xr = await getJson<{ status?: unknown }>(PLURAL, name, ns).catch((err: unknown) => ({ status: String(err) }));
  const lines = (await controller.log()).split('\n').filter((l) => l.includes(KIND) || l.includes(PLURAL) || l.includes(ns) || l.includes('configmaps'));
  return `status: ${JSON.stringify(xr?.status)}\ncontroller (${lines.length} lines about it):\n${lines.slice(-40).join('\n')}`;
}

describe('a composition composing a ConfigMap and a Deployment (auto-readiness)', () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    controller = await startController();
    await mustKubectl(['create', 'namespace', ns]);
    await mustKubectl(['apply', '-f', '-'], [
      `apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: ${PLURAL}.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: ${KIND}, plural: ${PLURAL}}
  scope: Namespaced
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: string}}}
`,
      composition(`settings-${suffix}`, configMap),
      composition(`settings-web-${suffix}`, configMap + deployment),
      composition(`token-${suffix}`, secret),
    ].join('---\n'));
    await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', `compositeresourcedefinitions.pledge.dev/${PLURAL}.${GROUP}`]);
  });
  after(async () => {
    await kubectl(['delete', PLURAL, '--all', '-n', ns, '--timeout=60s']);
    await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', `${PLURAL}.${GROUP}`, '--timeout=60s']);
    await kubectl(['delete', 'compositions.pledge.dev', `settings-${suffix}`, `settings-web-${suffix}`, `token-${suffix}`]);
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
    await controller?.stop();
  });

  test('a ConfigMap composed into the composite\'s namespace, patched; the composite Ready by auto-readiness; deleted with it', async () => {
    assert.deepEqual(await composedOf('configmaps', 'plain'), [], 'nothing composed before the composite exists');
    assert.equal((await kubectlApply(composite('plain', `settings-${suffix}`))).code, 0);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${PLURAL}/plain`, '-n', ns], { timeoutMs: 70_000 });
    if (wait.code !== 0) assert.fail(`${wait.stderr}\n${await whyNotReady(controller, 'plain')}`);
    const xr = await getJson<Obj>(PLURAL, 'plain', ns);
    const ref = xr?.spec?.crossplane?.resourceRefs?.[0];
    assert.deepEqual({ apiVersion: ref?.apiVersion, kind: ref?.kind }, { apiVersion: 'v1', kind: 'ConfigMap' });
    const cm = await getJson<Obj>('configmap', ref?.name ?? '', ns);
    assert.equal(cm?.metadata.namespace, ns);
    assert.deepEqual(cm?.data, { size: 'small' }, 'the patch from the composite');
    assert.equal(cm?.metadata.ownerReferences?.find((o) => o.controller)?.name, 'plain');

    // A change of the composite reaches the ConfigMap (its informer is watching it now).
    await mustKubectl(['patch', PLURAL, 'plain', '-n', ns, '--type=merge', '-p', '{"spec":{"size":"large"}}']);
    await eventually(async () => (await getJson<Obj>('configmap', ref?.name ?? '', ns))?.data?.size === 'large', 'the ConfigMap patched to large');

    // A controller started after the ConfigMap exists learns of it from a list, whose items of a built-in kind
    // come without apiVersion and kind, and reconciles the composite before its ConfigMap cache has listed:
    // the composite is still Ready, with no not-Ready in between.
    await controller.stop();
    const marker = { type: 'Ready', status: 'Unknown', reason: 'ControllerRestarted', lastTransitionTime: new Date().toISOString() };
    await mustKubectl(['patch', PLURAL, 'plain', '-n', ns, '--subresource=status', '--type=merge', '-p', JSON.stringify({ status: { conditions: [marker] } })]);
    // Every Ready the composite goes through while the controller starts (kubectl's watch, ended by its timeout).
    const readyPath = 'jsonpath={.status.conditions[?(@.type=="Ready")].status}{"/"}{.status.conditions[?(@.type=="Ready")].reason}{"\\n"}';
    const watched = kubectl(['get', PLURAL, 'plain', '-n', ns, '--watch', '-o', readyPath], { timeoutMs: 15_000 });
    controller = await startController();
    await eventually(async () => (await condition(PLURAL, 'plain', 'Ready', ns))?.reason !== marker.reason, 'the restarted controller to report Ready');
    const afterRestart = await condition(PLURAL, 'plain', 'Ready', ns);
    assert.equal(afterRestart?.status, 'True', `after a restart: ${JSON.stringify(afterRestart)}\n${await whyNotReady(controller, 'plain')}`);
    const seen = (await watched).stdout.split('\n').filter((l) => l !== '');
    assert.deepEqual([seen[0], seen.at(-1)], [`Unknown/${marker.reason}`, 'True/Available'], 'the watch saw the restart');
    assert.deepEqual(seen.filter((l) => l.startsWith('False')), [], `never not Ready after the restart: ${seen.join(', ')}`);

    const deleted = await kubectl(['delete', PLURAL, 'plain', '-n', ns, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.equal(await getJson<Obj>('configmap', ref?.name ?? '', ns), undefined, 'the ConfigMap is deleted with its composite');
  });

  test('a Deployment without available replicas keeps the composite not Ready, naming it', async () => {
    assert.equal((await kubectlApply(composite('web', `settings-web-${suffix}`))).code, 0);
    await eventually(async () => (await composedOf('deployments.apps', 'web')).length === 1 && (await composedOf('configmaps', 'web')).length === 1, 'the Deployment and the ConfigMap composed');
    await eventually(async () => /waiting for web\b/.test((await condition(PLURAL, 'web', 'Ready', ns))?.message ?? ''), 'Ready=False waiting for the Deployment');
    const ready = await condition(PLURAL, 'web', 'Ready', ns);
    assert.equal(ready?.status, 'False');
    assert.doesNotMatch(ready?.message ?? '', /settings/, 'the ConfigMap is ready: only the Deployment is waited for');
    const deleted = await kubectl(['delete', PLURAL, 'web', '-n', ns, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(deleted.code, 0, deleted.stderr);
    assert.deepEqual(await composedOf('deployments.apps', 'web'), [], 'the Deployment is deleted with its composite');
  });

  test('a Secret is refused by name, nothing applied', async () => {
    assert.equal((await kubectlApply(composite('token', `token-${suffix}`))).code, 0);
    await eventually(async () => /Secret \(v1\) is a built-in Kubernetes kind Pledge does not compose/.test((await condition(PLURAL, 'token', 'Synced', ns))?.message ?? ''), 'Synced=False naming the Secret');
    assert.equal((await condition(PLURAL, 'token', 'Synced', ns))?.status, 'False');
    assert.deepEqual(await composedOf('secrets', 'token'), [], 'no Secret composed');
  });
});

// An XRD in an API group the chart does not grant (rbac.compositionGroups): Pledge, running as the chart's
// ServiceAccount, says so on the XRD (Established=False, MissingPermission, naming what it may not do and the value
// to set) instead of serving kinds whose every request would be refused; it makes no CRD and holds no finalizer.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { SUITE_COMPOSITION_GROUPS } from '../env/controller-identity.ts';
import { kubectl } from '../env/index.ts';
import { condition, eventually, getJson, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const GROUP = `unlisted-${suffix}.example.org`;
const XRD = `xwidgets.${GROUP}`;

describe('an XRD in a group Pledge may not use', () => {
  let controller: ControllerProcess;

  before(async () => {
    assert.ok(!SUITE_COMPOSITION_GROUPS.includes(GROUP));
    await installCrds();
    controller = await startController({ pollInterval: '5s' });
  });

  after(async () => {
    await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', XRD, '--ignore-not-found', '--timeout=30s']);
    await controller?.stop();
  });

  test('Established=False, MissingPermission, naming the permissions and rbac.compositionGroups; nothing made', async () => {
    await mustKubectl(['apply', '-f', '-'], `apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: ${XRD}}
spec:
  group: ${GROUP}
  names: {kind: XWidget, plural: xwidgets}
  claimNames: {kind: Widget, plural: widgets}
  versions:
  - {name: v1, served: true, referenceable: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object}}}}}
`);
    await eventually(async () => (await condition('compositeresourcedefinitions.pledge.dev', XRD, 'Established'))?.reason === 'MissingPermission', 'the MissingPermission condition');
    const established = await condition('compositeresourcedefinitions.pledge.dev', XRD, 'Established');
    assert.equal(established?.status, 'False');
    assert.match(established?.message ?? '', new RegExp(`may not list xwidgets\\.${GROUP.replaceAll('.', '\\.')}`));
    assert.match(established?.message ?? '', new RegExp(`widgets/status\\.${GROUP.replaceAll('.', '\\.')}`));
    assert.match(established?.message ?? '', new RegExp(`add ${GROUP.replaceAll('.', '\\.')} to rbac\\.compositionGroups`));
    for (const crd of [`xwidgets.${GROUP}`, `widgets.${GROUP}`]) assert.equal(await getJson('crd', crd), undefined, `no CRD ${crd}`);
    const xrd = await getJson<{ metadata: { finalizers?: string[] } }>('compositeresourcedefinitions.pledge.dev', XRD);
    assert.equal(xrd?.metadata.finalizers, undefined);
    const deleted = await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', XRD, '--timeout=10s']);
    assert.equal(deleted.code, 0, deleted.stderr);
  });
});

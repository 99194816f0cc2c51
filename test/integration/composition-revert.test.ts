// A Composition edited back to an earlier spec: Pledge renumbers that spec's revision as the newest (a patch of the
// existing CompositionRevision) instead of making a copy, so composites on the Automatic policy go back to it.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kubectl } from '../env/index.ts';
import { eventually, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const NAME = `revert-${suffix}`;

const composition = (color: string) => `apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: ${NAME}}
spec:
  compositeTypeRef: {apiVersion: nop.example.org/v1alpha1, kind: XNopTest}
  resources:
  - name: only
    base:
      apiVersion: nop.pledge.dev/v1
      kind: NopResource
      spec: {forProvider: {fields: {color: ${color}}}}
`;

type Revision = { metadata: { name: string }; spec: { revision: number; resources: Array<{ base: { spec: { forProvider: { fields: { color: string } } } } }> } };

async function revisions(): Promise<Revision[]> {
  const list = JSON.parse(await mustKubectl(['get', 'compositionrevisions.pledge.dev', '-l', `pledge.dev/composition-name=${NAME}`, '-o', 'json'])) as { items: Revision[] };
  return list.items.sort((a, b) => a.spec.revision - b.spec.revision);
}

const colorOf = (r: Revision | undefined) => r?.spec.resources[0]?.base.spec.forProvider.fields.color;

describe('Composition reverted to an earlier spec', () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    controller = await startController({ pollInterval: '5s' });
  });

  after(async () => {
    await kubectl(['delete', 'compositions.pledge.dev', NAME, '--ignore-not-found']);
    await controller?.stop();
  });

  test('red, blue, red again: two revisions, the red one renumbered 3', async () => {
    await mustKubectl(['apply', '-f', '-'], composition('red'));
    await eventually(async () => (await revisions()).length === 1, 'the first revision');
    const [first] = await revisions();
    assert.equal(first?.spec.revision, 1);
    assert.equal(colorOf(first), 'red');

    await mustKubectl(['apply', '-f', '-'], composition('blue'));
    await eventually(async () => (await revisions()).length === 2, 'a second revision for blue');
    assert.deepEqual((await revisions()).map((r) => [r.spec.revision, colorOf(r)]), [[1, 'red'], [2, 'blue']]);

    await mustKubectl(['apply', '-f', '-'], composition('red'));
    await eventually(async () => (await revisions()).at(-1)?.metadata.name === first?.metadata.name, 'the red revision to be the newest again');
    const after = await revisions();
    assert.deepEqual(after.map((r) => [r.spec.revision, colorOf(r)]), [[2, 'blue'], [3, 'red']], 'renumbered, not copied');
    assert.equal(after.length, 2);
    assert.match(await controller.log(), /composition revision current/, 'the controller reconciled the Composition');
  });
});

// An object deleted while its create is in flight. The API server lets a delete that read the object before the
// controller wrote its finalizer remove it anyway (seen in throttle-fairness: a resource group left in cloudsim).
// A proxy in front of the API server makes that happen on purpose: just before the write of the create's outcome
// goes on, the object is deleted (its finalizer stripped). Nothing will reconcile it again, so the controller deletes
// the resource group it has just made — or keeps it under deletionPolicy Orphan — and says so.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';
import { cloudsimAdmin } from './support/cloudsim-admin.ts';
import { installCloudsimProviderConfigs, removeCloudsimProviderConfigs } from './support/cloudsim-provider-configs.ts';
import { proxyTestApiServer, type ConflictProxy } from './support/conflict-proxy.ts';

const suffix = randomBytes(3).toString('hex');
const CONFIG = `gone-${suffix}`;
const SUCCEEDED = 'pledge.dev/external-create-succeeded';
const RG = 'resourcegroups.resources.azure.pledge.dev';
const deleted = `gone-del-${suffix}`;
const kept = `gone-keep-${suffix}`;
const group = (name: string, policy = '') =>
  `apiVersion: resources.azure.pledge.dev/v1\nkind: ResourceGroup\nmetadata: {name: ${name}}\nspec: {providerConfigRef: {name: ${CONFIG}}, forProvider: {location: westeurope}${policy ? `, ${policy}` : ''}}\n`;

function cloudsim() {
  const sim = testEnv().cloudsim;
  if (!sim) throw new Error('cloudsim is not running: run under test/env/run.ts');
  return cloudsimAdmin(sim.adminUrl);
}

describe('an object deleted while its create is in flight', () => {
  let proxy: ConflictProxy;
  let controller: ControllerProcess;
  /** The objects the proxy deleted just before their outcome write went on. */
  const removed: string[] = [];
  const removing = new Set<string>();
  const held = async () => (await cloudsim().held()).arm;
  const lines = async (name: string, msg: RegExp) => (await controller.log()).split('\n').filter((l) => l.includes(`"name":"${name}"`) && msg.test(l));

  before(async () => {
    await installCrds();
    await installCloudsimProviderConfigs(CONFIG);
    let kubeconfig: string;
    ({ proxy, kubeconfig } = await proxyTestApiServer(
      {
        conflict: () => false,
        beforePassing: async ({ method, path, body }) => {
          const name = [deleted, kept].find((n) => path.endsWith(`/resourcegroups/${n}`));
          if (method !== 'PUT' || !name || !body.includes(SUCCEEDED) || removing.has(name)) return;
          removing.add(name);
          await mustKubectl(['patch', RG, name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
          await mustKubectl(['delete', RG, name, '--wait=false']);
          removed.push(name);
        },
      },
      `kubeconfig-gone-${suffix}`,
    ));
    controller = await startController({ pollInterval: '2s', extraArgs: [`--kubeconfig=${kubeconfig}`] });
  });

  after(async () => {
    await kubectl(['delete', RG, deleted, kept, '--ignore-not-found', '--timeout=60s'], { timeoutMs: 70_000 });
    await removeCloudsimProviderConfigs(CONFIG);
    await controller?.stop();
    await proxy?.close();
  });

  test('the resource group just made is deleted; under deletionPolicy Orphan it is kept, and a new object adopts it', async () => {
    assert.deepEqual((await held()).filter((n) => n === deleted || n === kept), [], 'neither group exists before');
    const applied = await kubectlApply([group(deleted), group(kept, 'deletionPolicy: Orphan')].join('---\n'));
    assert.equal(applied.code, 0, applied.stderr);
    await eventually(async () => removed.length === 2, 'both objects deleted by the proxy just before their outcome was written', 60_000);
    assert.equal(await getJson(RG, deleted), undefined);
    assert.equal(await getJson(RG, kept), undefined);

    await eventually(async () => (await lines(deleted, /deleting the external resource/)).length === 1, `the controller to undo the create of ${deleted}`);
    await eventually(async () => !(await held()).includes(deleted), `${deleted} deleted from cloudsim`);
    await eventually(async () => (await lines(kept, /external resource kept \(deletionPolicy Orphan/)).length === 1, `the controller to keep ${kept}`);
    assert.ok((await held()).includes(kept), `${kept} is kept in cloudsim`);

    // A new object of the kept group's name (deletionPolicy Delete) finds it and is Ready; deleting it deletes the group.
    assert.equal((await kubectlApply(group(kept))).code, 0);
    await eventually(async () => (await condition(RG, kept, 'Ready'))?.status === 'True', `a new ${kept} to be Ready`);
    assert.equal((await lines(kept, /created external resource/)).length, 0, 'adopted, not created again');
    const gone = await kubectl(['delete', RG, kept, '--timeout=60s'], { timeoutMs: 70_000 });
    assert.equal(gone.code, 0, gone.stderr);
    await eventually(async () => !(await held()).includes(kept), `${kept} deleted from cloudsim`);
  });
});

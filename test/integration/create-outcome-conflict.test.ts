// Crash-safe create when another writer got there first: the API server answers the write of the create's outcome
// (external-create-succeeded) with a 409 Conflict, for one object of every managed kind that creates something. The
// controller reads the object again, records the outcome on the fresh copy, and never creates twice. A proxy in front
// of the API server answers exactly that first write with the 409; the controller runs as the chart's ServiceAccount,
// so the re-read also proves the chart's `get` on each of these kinds (test/zz-after-all/least-privilege.test.ts).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kubectl, kubectlApply } from '../env/index.ts';
import { eventually, getJson, installCrds, startController, type ControllerProcess } from './harness.ts';
import { installCloudsimProviderConfigs, removeCloudsimProviderConfigs } from './support/cloudsim-provider-configs.ts';
import { proxyTestApiServer, type ConflictProxy } from './support/conflict-proxy.ts';

const suffix = randomBytes(3).toString('hex');
const CONFIG = `conflict-${suffix}`;
const SUCCEEDED = 'pledge.dev/external-create-succeeded';

/** One object of every managed kind Pledge creates in a cloud, by `<plural>.<group>` (a NopResource is never created). */
const OBJECTS: Record<string, { name: string; yaml: string }> = (() => {
  const ref = `providerConfigRef: {name: ${CONFIG}}`;
  const group = `conflict-rg-${suffix}`;
  const doc = (apiVersion: string, kind: string, name: string, spec: string) => ({ name, yaml: `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata: {name: ${name}}\nspec: ${spec}\n` });
  return {
    'buckets.s3.aws.pledge.dev': doc('s3.aws.pledge.dev/v1', 'Bucket', `conflict-s3-${suffix}`, `{${ref}, forProvider: {region: us-east-1}}`),
    'dbinstances.rds.aws.pledge.dev': doc('rds.aws.pledge.dev/v1', 'DBInstance', `conflict-db-${suffix}`, `{${ref}, forProvider: {region: us-east-1, engine: postgres, dbInstanceClass: db.t3.micro, masterUsername: pledge, allocatedStorage: 20, skipFinalSnapshot: true}, writeConnectionSecretToRef: {name: conflict-db-${suffix}-conn, namespace: default}}`),
    'resourcegroups.resources.azure.pledge.dev': doc('resources.azure.pledge.dev/v1', 'ResourceGroup', group, `{${ref}, forProvider: {location: westeurope}}`),
    'accounts.storage.azure.pledge.dev': doc('storage.azure.pledge.dev/v1', 'Account', `pledgecf${suffix}`, `{${ref}, forProvider: {resourceGroupNameRef: {name: ${group}}, location: westeurope, sku: Standard_LRS, kind: StorageV2}}`),
    'buckets.storage.gcp.pledge.dev': doc('storage.gcp.pledge.dev/v1', 'Bucket', `conflict-gcs-${suffix}`, `{${ref}, forProvider: {location: EU}}`),
  };
})();

const createdLines = (log: string, name: string) => log.split('\n').filter((l) => l.includes('"msg":"created external resource"') && l.includes(`"name":"${name}"`));

describe('a conflict on the write of a create\'s outcome, for every managed kind', () => {
  let proxy: ConflictProxy;
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    await installCloudsimProviderConfigs(CONFIG);
    const answered = new Set<string>();
    let kubeconfig: string;
    ({ proxy, kubeconfig } = await proxyTestApiServer(
      {
        // The first update of each object that records its create's outcome (not a status write).
        conflict: ({ method, path, body }) => {
          if (method !== 'PUT' || path.endsWith('/status') || !body.includes(SUCCEEDED) || answered.has(path)) return false;
          answered.add(path);
          return true;
        },
      },
      `kubeconfig-conflict-${suffix}`,
    ));
    controller = await startController({ pollInterval: '2s', extraArgs: [`--kubeconfig=${kubeconfig}`] });
  });

  after(async () => {
    const resources = Object.entries(OBJECTS).map(([resource, o]) => `${resource}/${o.name}`);
    await kubectl(['delete', ...resources, '--ignore-not-found', '--timeout=90s'], { timeoutMs: 100_000 });
    await removeCloudsimProviderConfigs(CONFIG);
    await controller?.stop();
    await proxy?.close();
  });

  test('each object is re-read, its outcome recorded, and it is created once', async () => {
    const applied = await kubectlApply(Object.values(OBJECTS).map((o) => o.yaml).join('---\n'));
    assert.equal(applied.code, 0, applied.stderr);
    for (const [resource, { name }] of Object.entries(OBJECTS)) {
      await eventually(
        async () => Boolean((await getJson<{ metadata: { annotations?: Record<string, string> } }>(resource, name))?.metadata.annotations?.[SUCCEEDED]),
        `${resource}/${name} to record its create's outcome`,
        90_000,
      );
    }
    // The proxy answered one outcome write of each object with a 409: the conflict really happened, once each.
    for (const [resource, { name }] of Object.entries(OBJECTS)) {
      const plural = resource.split('.')[0];
      assert.equal(proxy.conflicts.filter((p) => p.endsWith(`/${plural}/${name}`)).length, 1, `one conflict for ${resource}/${name}: ${proxy.conflicts.join(', ')}`);
    }
    const log = await controller.log();
    for (const { name } of Object.values(OBJECTS)) assert.equal(createdLines(log, name).length, 1, `${name} created exactly once`);
  });
});

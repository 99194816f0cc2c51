// pledge up --sim survives a restart: claims on AWS and Azure made Ready, Ctrl-C, pledge up again -> the claims, XRs,
// managed resources, CompositionRevisions and cloudsim's objects are all still there and Ready, and the controllers,
// having observed each cloud object again, created nothing (cloudsim's counters of the new run).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isAlive, type RunState } from '../../core/up/run-state.ts';
import { waitUntil } from '../../core/up/wait-until.ts';
import { interrupt, mustKubectl, REPO, removeDataDir, simAdmin, startUp, tempDataDir, type UpProcess } from './up-process.ts';

type Counters = Record<string, Record<string, { ok?: number; error?: number }>>;
type SimState = { s3: { buckets: Record<string, unknown> }; arm: Record<string, unknown> };
type Obj = { metadata: { name: string }; status?: { conditions?: { type: string; status: string; lastTransitionTime?: string }[] } };

const CLAIMS = ['photos-aws', 'photos-azure'];
const ready = (o: Obj) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;
const CREATE_CALLS: [string, string][] = [['s3', 'CreateBucket'], ['arm', 'ResourceGroups_CreateOrUpdate'], ['arm', 'StorageAccounts_Create']];
const created = (counters: Counters) => CREATE_CALLS.map(([svc, op]) => counters[svc]?.[op]?.ok ?? 0).reduce((a, b) => a + b, 0);

async function items(up: UpProcess, kind: string): Promise<Obj[]> {
  return (JSON.parse(await mustKubectl(up, ['get', kind, '-A', '-o', 'json'])) as { items: Obj[] }).items;
}

describe('pledge up --sim: stop and start again', () => {
  let dataDir: string;
  let up: UpProcess;
  const port = { value: 0 };

  before(async () => {
    dataDir = await tempDataDir();
  });
  after(async () => {
    await up?.child.stop();
    await removeDataDir(dataDir);
  });

  test('first run: the object-storage claims on AWS and Azure become Ready on cloudsim', async () => {
    up = await startUp({ dataDir, args: ['--sim'], run: 1 });
    port.value = up.port;
    await up.ready();
    await mustKubectl(up, ['apply', '-f', join(REPO, 'compositions/examples/object-storage/')]);
    await mustKubectl(up, ['apply', '-f', join(REPO, 'examples/claims/object-storage-aws.yaml'), '-f', join(REPO, 'examples/claims/object-storage-azure.yaml')]);
    await mustKubectl(up, ['wait', '--for=condition=Ready', '--timeout=120s', ...CLAIMS.map((c) => `objectstorage/${c}`)]);
    const counters = await simAdmin<Counters>(dataDir, 'counters');
    assert.equal(created(counters), 3, `one bucket, one resource group, one storage account created: ${JSON.stringify(counters)}`);
  });

  test('Ctrl-C stops everything with exit code 0 and leaves no process behind', async () => {
    const state = JSON.parse(await readFile(join(dataDir, 'up.json'), 'utf8')) as RunState;
    assert.deepEqual(state.children.map((c) => c.name).sort(), ['kine', 'kube-apiserver', 'kube-controller-manager']);
    assert.ok(state.children.every((c) => isAlive(c.pid)));
    const exit = await interrupt(up);
    assert.deepEqual(exit, { code: 0, signal: null }, await up.log());
    assert.match(await up.log(), /"signal":"SIGINT","msg":"stopping"/);
    assert.deepEqual(state.children.filter((c) => isAlive(c.pid)), [], 'every child stopped');
    assert.equal(existsSync(join(dataDir, 'up.json')), false, 'the run state is removed on a clean stop');
  });

  test('second run: everything is still there and Ready, observed again, and nothing was created', async () => {
    up = await startUp({ dataDir, port: port.value, args: ['--sim'], run: 2 });
    await up.ready();
    // The controllers looked: every cloud object was observed again by this run (the counters are the new process's).
    await waitUntil(
      async () => {
        const c = await simAdmin<Counters>(dataDir, 'counters');
        return (c.s3?.HeadBucket?.ok ?? 0) >= 1 && (c.arm?.StorageAccounts_GetProperties?.ok ?? 0) >= 1 && (c.arm?.ResourceGroups_Get?.ok ?? 0) >= 1;
      },
      { what: 'the controllers to observe the bucket, resource group and storage account again', timeoutMs: 60_000, child: up.child },
    );
    const counters = await simAdmin<Counters>(dataDir, 'counters');
    assert.equal(created(counters), 0, `no create after the restart: ${JSON.stringify(counters)}`);

    const claims = await items(up, 'objectstorages.platform.example.org');
    assert.deepEqual(claims.map((c) => c.metadata.name).sort(), CLAIMS);
    for (const kind of ['objectstorages.platform.example.org', 'xobjectstorages.platform.example.org', 'buckets.s3.aws.pledge.dev', 'resourcegroups.resources.azure.pledge.dev', 'accounts.storage.azure.pledge.dev']) {
      const found = await items(up, kind);
      assert.ok(found.length > 0, `${kind} survived`);
      for (const o of found) assert.ok(ready(o), `${kind} ${o.metadata.name} Ready after the restart: ${JSON.stringify(o.status)}`);
    }
    const revisions = await items(up, 'compositionrevisions.pledge.dev');
    assert.equal(revisions.length, 3, 'one CompositionRevision per Composition, none new');
    const state = await simAdmin<SimState>(dataDir, 'state');
    assert.equal(Object.keys(state.s3.buckets).length, 1, 'cloudsim kept the bucket');
    assert.match(JSON.stringify(state.arm), /Microsoft\.Storage\/storageAccounts/i, 'cloudsim kept the storage account');
    assert.equal((await interrupt(up)).code, 0);
  });

  test('no secret value in any log: the Azure client secret cloudsim issued appears only in its own state', async () => {
    const sim = JSON.parse(await readFile(join(dataDir, 'cloudsim', 'state.json'), 'utf8')) as { identities: { azure: { clientSecret: string }[] } };
    const secret = sim.identities.azure[0]?.clientSecret ?? '';
    assert.ok(secret.length >= 20);
    const logs = [...(await readdir(join(dataDir, 'logs'))).map((f) => join(dataDir, 'logs', f)), join(dataDir, 'test-up-1.log'), join(dataDir, 'test-up-2.log'), join(dataDir, 'kube-apiserver', 'kube-apiserver.log')];
    let read = 0;
    for (const file of logs) {
      const text = await readFile(file, 'utf8').catch(() => '');
      if (text.length > 0) read++;
      assert.ok(!text.includes(secret), `${file} holds no secret`);
    }
    assert.ok(read >= 5, `pledge up's two logs, kine's, kube-controller-manager's and kube-apiserver's were read (${read})`);
  });
});

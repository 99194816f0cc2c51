// A namespaced kind through the real reconciler on the in-memory store: which ProviderConfig it connects with,
// which Secrets it may read, where its connection secret goes, what cloud name it gets, what its references find.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pino } from 'pino';
import type { ResourceType } from '../kube/index.ts';
import { createMemoryStore, type MemoryStore } from '../kube/memory-store.ts';
import { createMetrics } from '../runtime/metrics/index.ts';
import { ANNOTATIONS } from './annotations.ts';
import { getCondition } from './conditions.ts';
import { namespacedExternalName, namespacedKind } from './namespaced.ts';
import { createManagedReconciler } from './reconciler.ts';
import type { ConnectContext, KubeObject, ManagedKind, ManagedResource, SecretKeySelector } from './types.ts';

const CLUSTER_KIND: ManagedKind = {
  gvk: { group: 'widgets.test.pledge.dev', version: 'v1', kind: 'Widget' },
  plural: 'widgets',
  deterministicExternalName: true,
  schema: { forProvider: { type: 'object' }, atProvider: { type: 'object' } },
  references: [{ field: 'parent', to: { gvk: { group: 'widgets.test.pledge.dev', version: 'v1', kind: 'Widget' }, plural: 'widgets' } }],
  connect: async () => {
    throw new Error('replaced per test');
  },
};
const KIND = namespacedKind(CLUSTER_KIND);
const TYPE: ResourceType = { group: KIND.gvk.group, version: 'v1', plural: 'widgets', namespaced: true };

const secret = (namespace: string, name: string, data: Record<string, string>) => ({
  metadata: { namespace, name },
  data: Object.fromEntries(Object.entries(data).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
});

const CONFIGS: Record<string, KubeObject> = {
  'team-a/team': { kind: 'ProviderConfig', metadata: { name: 'team', namespace: 'team-a' }, spec: { secretRef: { name: 'creds' } } },
  shared: { kind: 'ClusterProviderConfig', metadata: { name: 'shared' }, spec: { credentials: { secretRef: { name: 'platform-creds', namespace: 'pledge-system' } } } },
};

interface Seen {
  config?: KubeObject;
  reads: Array<string>;
}

async function reconcile(store: MemoryStore, mr: ManagedResource, secretsToRead: (ctx: ConnectContext) => SecretKeySelector[], seen: Seen) {
  const kind: ManagedKind = {
    ...KIND,
    connect: async (_mr, ctx) => {
      seen.config = ctx.providerConfig;
      for (const ref of secretsToRead(ctx)) seen.reads.push(await ctx.readSecret(ref, ctx.signal));
      return {
        observe: async () => ({ exists: true, upToDate: true, connectionDetails: { token: 't' } }),
        create: async () => ({}),
        update: async () => ({}),
        delete: async () => {},
      };
    },
  };
  const reconciler = createManagedReconciler({
    kind,
    type: TYPE,
    store,
    cache: store.view<ManagedResource>(TYPE),
    cacheOf: (type) => store.view<ManagedResource>(type),
    getProviderConfig: (name, namespace) => CONFIGS[namespace ? `${namespace}/${name}` : name],
    cloudCalls: () => ({ acquire: async () => {}, record: () => {} }),
    recorder: { normal() {}, warning() {} },
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
  });
  await reconciler.reconcile(`${mr.metadata.namespace}/${mr.metadata.name}`, AbortSignal.timeout(5_000));
  return store.view<ManagedResource>(TYPE).get(mr.metadata.name, mr.metadata.namespace);
}

function widget(namespace: string, spec: Partial<ManagedResource['spec']> = {}): ManagedResource {
  return { apiVersion: `${KIND.gvk.group}/v1`, kind: 'Widget', metadata: { name: 'w', namespace, uid: `uid-${namespace}` }, spec: { forProvider: {}, ...spec } };
}

function seeded(): MemoryStore {
  const store = createMemoryStore();
  store.seedSecret(secret('team-a', 'creds', { key: 'a-key' }));
  store.seedSecret(secret('team-a', 'password', { value: 'a-password' }));
  store.seedSecret(secret('pledge-system', 'platform-creds', { key: 'platform-key' }));
  store.seedSecret(secret('pledge-system', 'other', { key: 'not-yours' }));
  return store;
}

test("a namespaced ProviderConfig is its namespace's: found in team-a with its Secret there; not found from team-b", async () => {
  const store = seeded();
  const seen: Seen = { reads: [] };
  const a = widget('team-a', { providerConfigRef: { kind: 'ProviderConfig', name: 'team' }, writeConnectionSecretToRef: { name: 'w-conn' } });
  store.seed(TYPE, a);
  const read = (ctx: ConnectContext) => [{ ...(ctx.providerConfig.spec as { secretRef: { name: string; namespace: string } }).secretRef, key: 'key' }];
  const got = await reconcile(store, a, read, seen);
  assert.equal(seen.config?.metadata?.namespace, 'team-a');
  assert.deepEqual(seen.reads, ['a-key'], "the ProviderConfig's secretRef, naming no namespace, is read in team-a");
  assert.equal(getCondition(got?.status?.conditions, 'Ready')?.status, 'True');
  assert.ok(await store.getSecret('team-a', 'w-conn'), "the connection secret is in the resource's namespace");
  assert.equal(got?.metadata.annotations?.[ANNOTATIONS.externalName], namespacedExternalName('team-a', 'w'));

  const b = widget('team-b', { providerConfigRef: { kind: 'ProviderConfig', name: 'team' } });
  store.seed(TYPE, b);
  const seenB: Seen = { reads: [] };
  const gotB = await reconcile(store, b, read, seenB);
  assert.equal(seenB.config, undefined, 'never connected');
  const synced = getCondition(gotB?.status?.conditions, 'Synced');
  assert.equal(synced?.status, 'False');
  assert.match(synced?.message ?? '', /ProviderConfig "team" in namespace team-b \(spec\.providerConfigRef\.name\) not found/);
});

test("a ClusterProviderConfig's own Secret may be read from another namespace; no other Secret there", async () => {
  const store = seeded();
  const a = widget('team-a', { providerConfigRef: { kind: 'ClusterProviderConfig', name: 'shared' } });
  store.seed(TYPE, a);
  const seen: Seen = { reads: [] };
  await reconcile(store, a, () => [{ name: 'platform-creds', namespace: 'pledge-system', key: 'key' }, { name: 'password', key: 'value' } as SecretKeySelector], seen);
  assert.deepEqual(seen.reads, ['platform-key', 'a-password'], "the ClusterProviderConfig's credentials, and a password Secret of team-a");

  const seenOther: Seen = { reads: [] };
  const got = await reconcile(store, a, () => [{ name: 'other', namespace: 'pledge-system', key: 'key' }], seenOther);
  assert.deepEqual(seenOther.reads, []);
  const synced = getCondition(got?.status?.conditions, 'Synced');
  assert.match(synced?.message ?? '', /Secret pledge-system\/other: a namespaced Widget reads Secrets in its own namespace \(team-a\) only/);
  assert.doesNotMatch(synced?.message ?? '', /not-yours/);
});

test('references find a resource of the same namespace only', async () => {
  const store = seeded();
  const parentB: ManagedResource = {
    ...widget('team-b'),
    metadata: { name: 'parent', namespace: 'team-b', annotations: { [ANNOTATIONS.externalName]: 'parent-b' } },
    status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Available' }] },
  };
  store.seed(TYPE, parentB);
  const child = widget('team-a', { forProvider: { parentRef: { name: 'parent' } }, providerConfigRef: { kind: 'ClusterProviderConfig', name: 'shared' } });
  store.seed(TYPE, child);
  const got = await reconcile(store, child, () => [], { reads: [] });
  assert.equal(((got?.spec.forProvider ?? {}) as { parent?: string }).parent, undefined, "team-b's parent is not team-a's");
  assert.match(getCondition(got?.status?.conditions, 'Synced')?.message ?? '', /Widget "parent" not found in namespace team-a/);

  store.seed(TYPE, { ...parentB, metadata: { ...parentB.metadata, namespace: 'team-a', annotations: { [ANNOTATIONS.externalName]: 'parent-a' } } });
  const resolved = await reconcile(store, child, () => [], { reads: [] });
  assert.equal(((resolved?.spec.forProvider ?? {}) as { parent?: string }).parent, 'parent-a');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ManagedKind, Provider } from '../managed/types.ts';
import { adoptingResource, kubeName, resolveKind, uniqueNames } from './manifest.ts';

const kind = (group: string, name: string, plural: string): ManagedKind =>
  ({ gvk: { group, version: 'v1', kind: name }, plural, schema: { forProvider: {}, atProvider: {} }, deterministicExternalName: true, connect: async () => { throw new Error('unused'); } }) as ManagedKind;
const providers: Provider[] = [
  { name: 'aws', providerConfig: { gvk: { group: 'aws.pledge.dev', version: 'v1', kind: 'ProviderConfig' }, plural: 'providerconfigs', spec: {} }, kinds: [kind('s3.aws.pledge.dev', 'Bucket', 'buckets'), kind('rds.aws.pledge.dev', 'DBInstance', 'dbinstances')] },
  { name: 'gcp', providerConfig: { gvk: { group: 'gcp.pledge.dev', version: 'v1', kind: 'ProviderConfig' }, plural: 'providerconfigs', spec: {} }, kinds: [kind('storage.gcp.pledge.dev', 'Bucket', 'buckets')] },
];

test('a kind is named as kubectl names it: Kind, plural, either qualified by group, any case', () => {
  for (const text of ['DBInstance', 'dbinstances', 'dbinstance', 'DBInstance.rds.aws.pledge.dev', 'dbinstances.rds.aws.pledge.dev']) {
    assert.equal(resolveKind(providers, text).kind.gvk.kind, 'DBInstance', text);
  }
  assert.equal(resolveKind(providers, 'Bucket.storage.gcp.pledge.dev').kind.gvk.group, 'storage.gcp.pledge.dev');
  assert.throws(() => resolveKind(providers, 'Bucket'), /kind "Bucket" is ambiguous: say which, one of buckets\.s3\.aws\.pledge\.dev, buckets\.storage\.gcp\.pledge\.dev/);
  assert.throws(() => resolveKind(providers, 'Topic'), /unknown kind "Topic": Pledge imports buckets\.s3\.aws\.pledge\.dev, dbinstances\.rds\.aws\.pledge\.dev, buckets\.storage\.gcp\.pledge\.dev/);
});

test('metadata.name is the cloud name when Kubernetes takes it, else cleaned; repeats and names in use get a suffix', () => {
  assert.equal(kubeName('logs.example.com'), 'logs.example.com');
  assert.equal(kubeName('My_Resource_Group (prod)'), 'my-resource-group-prod');
  assert.equal(kubeName('___'), 'imported');
  assert.deepEqual(uniqueNames(['RG_A', 'rg-a', 'rg-b'], new Set(['rg-b'])), ['rg-a', 'rg-a-2', 'rg-b-2']);
});

test('the adopting resource: external-name annotation, Observe only unless managed, the ProviderConfig, forProvider as found', () => {
  const k = resolveKind(providers, 'dbinstances');
  const found = { externalName: 'orders', forProvider: { region: 'eu-west-1', engine: 'postgres' } };
  assert.deepEqual(adoptingResource(k, found, { name: 'orders', providerConfig: 'prod', manage: false }), {
    apiVersion: 'rds.aws.pledge.dev/v1',
    kind: 'DBInstance',
    metadata: { name: 'orders', annotations: { 'pledge.dev/external-name': 'orders' } },
    spec: { managementPolicies: ['Observe'], providerConfigRef: { name: 'prod' }, forProvider: { region: 'eu-west-1', engine: 'postgres' } },
  });
  const managed = adoptingResource(k, found, { name: 'orders', providerConfig: 'prod', manage: true }) as { spec: { managementPolicies: string[] } };
  assert.deepEqual(managed.spec.managementPolicies, ['*']);
});

test('with a namespace, the namespaced variant (.m. group); a kind of the other scope is refused saying what to do', () => {
  assert.equal(resolveKind(providers, 'dbinstances', { namespaced: true }).kind.gvk.group, 'rds.aws.m.pledge.dev');
  assert.equal(resolveKind(providers, 'dbinstances').kind.gvk.group, 'rds.aws.pledge.dev', 'without one, the cluster-scoped kind as before');
  assert.throws(() => resolveKind(providers, 'buckets.s3.aws.m.pledge.dev'), /buckets\.s3\.aws\.m\.pledge\.dev is namespaced: give the namespace to import into with -n\/--namespace/);
  assert.throws(() => resolveKind(providers, 'buckets.s3.aws.pledge.dev', { namespaced: true }), /buckets\.s3\.aws\.pledge\.dev is cluster-scoped: leave out -n\/--namespace/);
});

test('a namespaced adopting resource: in its namespace, the ProviderConfig kind named, its Secret references local', () => {
  const k = resolveKind(providers, 'dbinstances', { namespaced: true });
  const found = { externalName: 'orders', forProvider: { region: 'eu-west-1', masterUserPasswordSecretRef: { name: 'orders-pw', namespace: 'team-a', key: 'password' } } };
  assert.deepEqual(adoptingResource(k, found, { name: 'orders', providerConfig: 'team', providerConfigKind: 'ProviderConfig', namespace: 'team-a', manage: false }), {
    apiVersion: 'rds.aws.m.pledge.dev/v1',
    kind: 'DBInstance',
    metadata: { name: 'orders', namespace: 'team-a', annotations: { 'pledge.dev/external-name': 'orders' } },
    spec: {
      managementPolicies: ['Observe'],
      providerConfigRef: { name: 'team', kind: 'ProviderConfig' },
      forProvider: { region: 'eu-west-1', masterUserPasswordSecretRef: { name: 'orders-pw', key: 'password' } },
    },
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { namespacedExternalName, namespacedGroup, namespacedKind, withLocalSecretRefs } from './namespaced.ts';
import type { ManagedKind } from './types.ts';

test('the .m. group sits before pledge.dev', () => {
  assert.equal(namespacedGroup('s3.aws.pledge.dev'), 's3.aws.m.pledge.dev');
  assert.equal(namespacedGroup('nop.pledge.dev'), 'nop.m.pledge.dev');
  assert.throws(() => namespacedGroup('example.org'), /not under \.pledge\.dev/);
});

test('a namespaced cloud name carries the namespace, a hash keeps it unique, and it fits the kind', () => {
  const a = namespacedExternalName('team-a', 'assets');
  assert.match(a, /^team-a-assets-[0-9a-f]{8}$/);
  assert.notEqual(a, namespacedExternalName('team-b', 'assets'));
  // The readable parts alone are equal here; the hash is not.
  assert.notEqual(namespacedExternalName('team-a', 'x-y'), namespacedExternalName('team-a-x', 'y'));
  assert.equal(namespacedExternalName('team-a', 'assets'), a, 'the same inputs give the same name (it is chosen again after a crash)');
  const long = namespacedExternalName('n'.repeat(60), 'm'.repeat(60));
  assert.equal(long.length, 63);
  assert.match(long, /^n+-[0-9a-f]{8}$/);
  const account = namespacedExternalName('team-a', 'store', { maxLength: 24, alphanumeric: true });
  assert.match(account, /^teamastore[0-9a-f]{8}$/);
  assert.ok(namespacedExternalName('team-a'.repeat(5), 'store', { maxLength: 24, alphanumeric: true }).length <= 24);
});

test('Secret references of a namespaced schema name no namespace; other fields keep theirs', () => {
  const schema = withLocalSecretRefs({
    type: 'object',
    properties: {
      namespace: { type: 'string' },
      passwordSecretRef: { type: 'object', required: ['name', 'namespace', 'key'], properties: { name: { type: 'string' }, namespace: { type: 'string' }, key: { type: 'string' } } },
      credentials: { type: 'object', properties: { secretRef: { type: 'object', properties: { name: { type: 'string' }, namespace: { type: 'string' } } } } },
    },
  });
  assert.deepEqual(Object.keys(schema.properties?.passwordSecretRef?.properties ?? {}), ['name', 'key']);
  assert.deepEqual(schema.properties?.passwordSecretRef?.required, ['name', 'key']);
  assert.deepEqual(Object.keys(schema.properties?.credentials?.properties?.secretRef?.properties ?? {}), ['name']);
  assert.ok(schema.properties?.namespace, 'a field merely named namespace stays');
});

test("a namespaced kind's references point at the namespaced kinds", () => {
  const kind = {
    gvk: { group: 'storage.azure.pledge.dev', version: 'v1', kind: 'Account' },
    plural: 'accounts',
    deterministicExternalName: true,
    schema: { forProvider: { type: 'object' }, atProvider: { type: 'object' } },
    references: [{ field: 'resourceGroupName', to: { gvk: { group: 'resources.azure.pledge.dev', version: 'v1', kind: 'ResourceGroup' }, plural: 'resourcegroups' } }],
    connect: async () => {
      throw new Error('not called');
    },
  } as ManagedKind;
  const namespaced = namespacedKind(kind);
  assert.equal(namespaced.gvk.group, 'storage.azure.m.pledge.dev');
  assert.equal(namespaced.namespaced, true);
  assert.equal(namespaced.references?.[0]?.to.gvk.group, 'resources.azure.m.pledge.dev');
  assert.equal(kind.gvk.group, 'storage.azure.pledge.dev', 'the cluster-scoped kind is left as it was');
});

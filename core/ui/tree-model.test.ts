import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { KubeObject } from '../managed/types.ts';
import type { KindInfo } from './catalog.ts';
import { parseAddress, addressPath } from './paths.ts';
import { buildUiTree, nodesOf, nodeState, type TreeLookup } from './tree-model.ts';

const claimKind: KindInfo = { type: { group: 'ex.org', version: 'v1', plural: 'apps', namespaced: true }, kind: 'App', role: 'claim' };
const xrKind: KindInfo = { type: { group: 'ex.org', version: 'v1', plural: 'xapps' }, kind: 'XApp', role: 'composite' };
const mrKind: KindInfo = { type: { group: 'nop.pledge.dev', version: 'v1', plural: 'nopresources' }, kind: 'NopResource', role: 'managed' };
const kinds = [claimKind, xrKind, mrKind];

const ready = (status: string, message?: string) => ({ conditions: [{ type: 'Synced', status: 'True' }, { type: 'Ready', status, reason: status === 'True' ? 'Available' : 'Creating', message }] });
const objects: Array<{ info: KindInfo; object: KubeObject }> = [
  { info: claimKind, object: { metadata: { name: 'web', namespace: 'team', uid: 'c1' }, spec: { resourceRef: { apiVersion: 'ex.org/v1', kind: 'XApp', name: 'web-x' }, writeConnectionSecretToRef: { name: 'web-conn' } }, status: ready('False') } },
  { info: xrKind, object: { metadata: { name: 'web-x', uid: 'x1' }, spec: { resourceRefs: [{ apiVersion: 'nop.pledge.dev/v1', kind: 'NopResource', name: 'a' }, { apiVersion: 'nop.pledge.dev/v1', kind: 'NopResource', name: 'gone' }, { apiVersion: 'other.io/v1', kind: 'Thing', name: 't' }] }, status: ready('False') } },
  { info: mrKind, object: { metadata: { name: 'a', uid: 'm1', ownerReferences: [{ uid: 'x1', controller: true }] }, status: ready('True') } },
  { info: mrKind, object: { metadata: { name: 'b', uid: 'm2', ownerReferences: [{ uid: 'x1', controller: true }] }, status: ready('False', 'bucket name taken') } },
];

const lookup: TreeLookup = {
  byKind: (apiVersion, kind) => kinds.find((k) => apiVersion.startsWith(`${k.type.group}/`) && k.kind === kind),
  get: (type, name, namespace) => objects.find((o) => o.info.type.plural === type.plural && o.object.metadata?.name === name && o.object.metadata?.namespace === namespace)?.object,
  ownedBy: (uid) => objects.filter((o) => o.object.metadata?.ownerReferences?.some((r) => r.uid === uid)),
};

test('claim → composite → composed: refs in order, a missing ref named, an unwatched kind named, an owned object refs miss, the Secret by name only', () => {
  const root = objects[0] as { info: KindInfo; object: KubeObject };
  const tree = buildUiTree(lookup, root.info, root.object);
  const rows = nodesOf(tree).map((n) => `${n.kind}/${n.name}:${n.problem ?? nodeState(n).ready}`);
  assert.deepEqual(rows, ['App/web:False', 'XApp/web-x:False', 'NopResource/a:True', 'NopResource/gone:not found', 'Thing/t:Thing of other.io/v1 is not watched by this controller', 'NopResource/b:False', 'Secret/web-conn:values never shown']);
  const secret = tree.children.at(-1);
  assert.equal(secret?.namespace, 'team', 'a claim\'s connection Secret is in its namespace');
  assert.equal(secret?.object, undefined, 'never read');
  const b = nodesOf(tree).find((n) => n.name === 'b');
  assert.ok(b && nodeState(b).message.includes('bucket name taken'));
});

test('addresses: core group and cluster scope spelled out, names encoded, and parsed back', () => {
  const path = addressPath({ group: '', version: 'v1', plural: 'configmaps', namespaced: true }, 'ns', 'a b');
  assert.equal(path, 'core/v1/configmaps/ns/a%20b');
  assert.deepEqual(parseAddress(path), { group: '', version: 'v1', plural: 'configmaps', namespace: 'ns', name: 'a b' });
  assert.deepEqual(parseAddress('ex.org/v1/xapps/_/web-x'), { group: 'ex.org', version: 'v1', plural: 'xapps', namespace: undefined, name: 'web-x' });
  assert.equal(parseAddress('ex.org/v1/xapps/web-x'), undefined);
  assert.equal(parseAddress('ex.org/v1/xapps/_/%E0%A4%A'), undefined);
});

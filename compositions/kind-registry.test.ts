import { test } from 'node:test';
import assert from 'node:assert/strict';
import { collectionPath } from '../core/kube/index.ts';
import { KindRegistry } from './kind-registry.ts';

test('the built-in kinds a composition composes: their plural, group and scope, under /api for the core group', () => {
  const kinds = new KindRegistry();
  const configMap = kinds.resolve('v1', 'ConfigMap');
  assert.deepEqual(configMap, { group: '', version: 'v1', plural: 'configmaps', namespaced: true });
  assert.equal(collectionPath(configMap), '/api/v1/configmaps');
  const deployment = kinds.resolve('apps/v1', 'Deployment');
  assert.deepEqual(deployment, { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true });
  assert.equal(collectionPath(deployment), '/apis/apps/v1/deployments');
  assert.equal(kinds.refusal('v1', 'ConfigMap'), undefined);
  assert.equal(kinds.refusal('apps/v1', 'Deployment'), undefined);
  assert.deepEqual(kinds.types(), [], 'not among the kinds watched from the start');
});

test('other built-in kinds are refused by name; managed and composite kinds are not', () => {
  const kinds = new KindRegistry();
  kinds.add('platform.example.org/v1alpha1', 'XApp', { group: 'platform.example.org', version: 'v1alpha1', plural: 'xapps', namespaced: true });
  for (const [apiVersion, kind] of [['v1', 'Secret'], ['v1', 'Pod'], ['rbac.authorization.k8s.io/v1', 'Role'], ['batch/v1', 'Job']] as const) {
    assert.match(kinds.refusal(apiVersion, kind) ?? '', new RegExp(`^${kind} \\(${apiVersion.replace('.', '\\.')}\\) is a built-in Kubernetes kind Pledge does not compose \\(it composes ConfigMap v1, Deployment apps/v1,`));
  }
  assert.equal(kinds.refusal('platform.example.org/v1alpha1', 'XApp'), undefined);
  assert.equal(kinds.refusal('s3.aws.pledge.dev/v1', 'Bucket'), undefined);
});

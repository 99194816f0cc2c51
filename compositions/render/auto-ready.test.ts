import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isAutoReady } from './auto-ready.ts';
import type { JsonObject } from './json-value.ts';
import { render } from './render.ts';
import type { CompositionSpec } from './types.ts';

const deployment = (replicas: number | undefined, status: JsonObject | undefined): JsonObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', generation: 2 },
  spec: { ...(replicas === undefined ? {} : { replicas }), selector: { matchLabels: { app: 'web' } } },
  ...(status ? { status } : {}),
});
const available = (s: string) => ({ type: 'Available', status: s, reason: 'MinimumReplicasAvailable' });

describe('auto-readiness rules (function-auto-ready)', () => {
  const cases: Array<[string, JsonObject, boolean]> = [
    ['a Deployment just created, no status yet', deployment(3, undefined), false],
    ['a Deployment rolling out: 1 of 3 available', deployment(3, { observedGeneration: 2, replicas: 3, updatedReplicas: 3, availableReplicas: 1, conditions: [available('False')] }), false],
    ['a Deployment with every replica updated and available but Available=False', deployment(3, { updatedReplicas: 3, availableReplicas: 3, conditions: [available('False')] }), false],
    ['a Deployment mid-update: 2 of 3 updated', deployment(3, { updatedReplicas: 2, availableReplicas: 3, conditions: [available('True')] }), false],
    ['a Deployment complete: 3 updated, 3 available, Available=True', deployment(3, { observedGeneration: 2, updatedReplicas: 3, availableReplicas: 3, conditions: [available('True')] }), true],
    ['a Deployment without spec.replicas wants 1', deployment(undefined, { updatedReplicas: 1, availableReplicas: 1, conditions: [available('True')] }), true],
    ['a Deployment scaled to 0 with no availableReplicas field (the controller omits zeros)', deployment(0, { updatedReplicas: 0, conditions: [available('True')] }), false],
    ['a ConfigMap is ready once it exists', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: 'b' } }, true],
    ['a Secret is ready once it exists', { apiVersion: 'v1', kind: 'Secret', metadata: { name: 's' } }, true],
    ['a ClusterIP Service is ready at once', { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 80 }] } }, true],
    ['a LoadBalancer Service waits for an ingress', { apiVersion: 'v1', kind: 'Service', spec: { type: 'LoadBalancer' }, status: { loadBalancer: {} } }, false],
    ['a LoadBalancer Service with an ingress', { apiVersion: 'v1', kind: 'Service', spec: { type: 'LoadBalancer' }, status: { loadBalancer: { ingress: [{ ip: '10.0.0.1' }] } } }, true],
    ['a StatefulSet on its update revision', { apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { replicas: 2 }, status: { readyReplicas: 2, currentReplicas: 2, currentRevision: 'r1', updateRevision: 'r1' } }, true],
    ['a StatefulSet between revisions', { apiVersion: 'apps/v1', kind: 'StatefulSet', spec: { replicas: 2 }, status: { readyReplicas: 2, currentReplicas: 2, currentRevision: 'r1', updateRevision: 'r2' } }, false],
    ['a Job that failed', { apiVersion: 'batch/v1', kind: 'Job', status: { conditions: [{ type: 'Failed', status: 'True' }] } }, false],
    ['a Job complete', { apiVersion: 'batch/v1', kind: 'Job', status: { conditions: [{ type: 'Complete', status: 'True' }] } }, true],
    ['a managed resource with Ready=True', { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', status: { conditions: [{ type: 'Ready', status: 'True' }] } }, true],
    ['a managed resource with Ready=False', { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', status: { conditions: [{ type: 'Ready', status: 'False' }] } }, false],
    ['a Deployment of another apiVersion has no health rule: its Ready condition decides', { apiVersion: 'apps/v1beta1', kind: 'Deployment', spec: { replicas: 1 }, status: { updatedReplicas: 1, availableReplicas: 1, conditions: [available('True')] } }, false],
    ['a failing health rule still falls back to the Ready condition', { apiVersion: 'v1', kind: 'Service', spec: { type: 'LoadBalancer' }, status: { conditions: [{ type: 'Ready', status: 'True' }] } }, true],
  ];
  for (const [name, object, want] of cases) {
    it(name, () => assert.equal(isAutoReady(object), want));
  }
});

describe('render with autoReady: a ConfigMap and a Deployment-shaped object', () => {
  const xr = { apiVersion: 'example.org/v1', kind: 'XApp', metadata: { name: 'app' }, spec: { replicas: 2 } };
  const spec = (autoReady: boolean | undefined): CompositionSpec => ({
    compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'XApp' },
    resources: [
      { name: 'config', base: { apiVersion: 'v1', kind: 'ConfigMap', data: { greeting: 'hello' } } },
      {
        name: 'web',
        base: { apiVersion: 'apps/v1', kind: 'Deployment', spec: { selector: { matchLabels: { app: 'web' } } } },
        patches: [{ fromFieldPath: 'spec.replicas', toFieldPath: 'spec.replicas' }],
      },
    ],
    ...(autoReady === undefined ? {} : { autoReady }),
  });
  const observed = (web: JsonObject | undefined) => ({
    config: { resource: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-config', annotations: { 'pledge.dev/composition-resource-name': 'config' } }, data: { greeting: 'hello' } }, connectionDetails: {} },
    ...(web ? { web: { resource: { ...web, metadata: { name: 'app-web', annotations: { 'pledge.dev/composition-resource-name': 'web' } } }, connectionDetails: {} } } : {}),
  });
  const readiness = (s: CompositionSpec, web: JsonObject | undefined) =>
    Object.fromEntries(render({ composite: xr, composition: s, observed: observed(web) as never }).resources.map((r) => [r.name, r.ready]));

  it('without autoReady neither is ready (no Ready condition: P&T alone never marks them)', () => {
    assert.deepEqual(readiness(spec(undefined), deployment(2, { updatedReplicas: 2, availableReplicas: 2, conditions: [available('True')] })), { config: false, web: false });
  });
  it('with autoReady the ConfigMap is ready on existence and the Deployment waits for its replicas', () => {
    assert.deepEqual(readiness(spec(true), deployment(2, { updatedReplicas: 2, availableReplicas: 1, conditions: [available('True')] })), { config: true, web: false });
    assert.deepEqual(readiness(spec(true), undefined), { config: true, web: false });
  });
  it('with autoReady both are ready once the Deployment has every replica available', () => {
    assert.deepEqual(readiness(spec(true), deployment(2, { updatedReplicas: 2, availableReplicas: 2, conditions: [available('True')] })), { config: true, web: true });
  });
});

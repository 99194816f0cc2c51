// An XRD whose CRD the API server refuses fails the same way on every try: Pledge backs off between tries (the
// controller's per-key backoff) instead of retrying at once, woken by its own status write (193 tries in 15 s when the
// condition held client-node's error text, whose audit-id and date change with every request).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { kubectl } from '../env/index.ts';
import { condition, eventually, installCrds, mustKubectl, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const GROUP = 'platform.example.org';
const PLURAL = `xrefused${suffix}s`;
const XRD = `${PLURAL}.${GROUP}`;
const WATCH_MS = 15_000;

async function xrdReconciles(metricsUrl: string): Promise<number> {
  const text = await (await fetch(`${metricsUrl}/metrics`)).text();
  return [...text.matchAll(/^pledge_reconcile_total\{[^}]*kind="CompositeResourceDefinition"[^}]*\} (\d+)/gm)].reduce((n, m) => n + Number(m[1]), 0);
}

describe('an XRD whose CRD the API server refuses', () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    controller = await startController({ pollInterval: '5s' });
  });

  after(async () => {
    await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', XRD, '--ignore-not-found', '--timeout=30s']);
    await controller?.stop();
  });

  test('says why on the XRD, and backs off between tries', async () => {
    const before = await xrdReconciles(controller.metricsUrl);
    await mustKubectl(['apply', '-f', '-'], `apiVersion: pledge.dev/v1
kind: CompositeResourceDefinition
metadata: {name: ${XRD}}
spec:
  group: ${GROUP}
  names: {kind: XRefused${suffix}, plural: ${PLURAL}}
  versions:
  - {name: v1, served: true, referenceable: true, schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {tags: {type: array}}}}}}}
`);
    await eventually(async () => (await condition('compositeresourcedefinitions.pledge.dev', XRD, 'Established'))?.reason === 'ReconcileError', 'the XRD to say it cannot be served');
    const established = await condition('compositeresourcedefinitions.pledge.dev', XRD, 'Established');
    assert.match(established?.message ?? '', /^cannot serve the composite resource: CustomResourceDefinition.apiextensions.k8s.io ".*" is invalid: spec.validation.openAPIV3Schema.properties\[spec\].properties\[tags\].items: Required value: must be specified$/);
    const start = await xrdReconciles(controller.metricsUrl);
    assert.ok(start > before, 'the XRD controller reconciled it');
    await new Promise((resolve) => setTimeout(resolve, WATCH_MS));
    const tries = (await xrdReconciles(controller.metricsUrl)) - start;
    // Backoff from 1 s doubling gives about 4 tries in 15 s; a retry woken by each status write gives hundreds.
    assert.ok(tries <= 8, `${tries} XRD reconciles in ${WATCH_MS / 1000} s while nothing changed`);
  });
});

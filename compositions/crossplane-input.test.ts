import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compositionSpecOf } from './crossplane-input.ts';

const pt = { apiVersion: 'pt.fn.crossplane.io/v1beta1', kind: 'Resources', resources: [{ name: 'config', base: { apiVersion: 'v1', kind: 'ConfigMap' } }] };
const composition = (pipeline: unknown[]) => ({
  apiVersion: 'apiextensions.crossplane.io/v1',
  kind: 'Composition',
  metadata: { name: 'c' },
  spec: { compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'XApp' }, mode: 'Pipeline', pipeline },
});
const ptStep = { step: 'patch-and-transform', functionRef: { name: 'function-patch-and-transform' }, input: pt };
const autoStep = { step: 'automatically-detect-ready-composed-resources', functionRef: { name: 'function-auto-ready' } };

describe('Crossplane Pipeline input: function-auto-ready', () => {
  it('a P&T step followed by function-auto-ready reads as autoReady', () => {
    const out = compositionSpecOf(composition([ptStep, autoStep]));
    assert.ok('spec' in out, JSON.stringify(out));
    assert.equal(out.spec.autoReady, true);
    assert.deepEqual(out.spec.resources, pt.resources);
  });
  it('P&T alone does not ask for auto-readiness', () => {
    const out = compositionSpecOf(composition([ptStep]));
    assert.ok('spec' in out);
    assert.equal(out.spec.autoReady, undefined);
  });
  it('auto-ready is recognised by its package in a functions file, whatever the Function is called', () => {
    const functions = new Map([
      ['pt', 'xpkg.crossplane.io/crossplane-contrib/function-patch-and-transform:v0.10.7'],
      ['ready', 'xpkg.crossplane.io/crossplane-contrib/function-auto-ready:v0.6.0'],
    ]);
    const out = compositionSpecOf(composition([{ ...ptStep, functionRef: { name: 'pt' } }, { ...autoStep, functionRef: { name: 'ready' } }]), functions);
    assert.ok('spec' in out, JSON.stringify(out));
    assert.equal(out.spec.autoReady, true);
  });
  it('any other second step is still refused by name', () => {
    const out = compositionSpecOf(composition([ptStep, { step: 'templates', functionRef: { name: 'function-go-templating' }, input: { apiVersion: 'gotemplating.fn.crossplane.io/v1beta1', kind: 'GoTemplate' } }]));
    assert.ok('error' in out);
    assert.match(out.error, /optionally followed by function-auto-ready; this pipeline has 2 steps/);
  });
});

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { painter } from '../output/index.ts';
import { resolveKind, type ApiResource } from './discovery.ts';
import { renderDot, renderTable } from './render.ts';
import { humanAge } from './summary.ts';
import type { TraceNode } from './tree.ts';

const created = '2026-01-01T00:00:00Z';
const now = Date.parse(created) + 90_000;
const cond = (type: string, status: string, reason: string, message?: string) => ({ type, status, reason, ...(message ? { message } : {}) });

const tree: TraceNode = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'XThing',
  name: 'x',
  object: { metadata: { name: 'x', creationTimestamp: created }, status: { conditions: [cond('Synced', 'True', 'ReconcileSuccess'), cond('Ready', 'False', 'Creating', 'waiting for bucket')] } },
  children: [
    {
      apiVersion: 's3.aws.pledge.dev/v1',
      kind: 'Bucket',
      name: 'b',
      object: {
        metadata: { name: 'b', creationTimestamp: created, annotations: { 'pledge.dev/external-name': 'b-ext' } },
        spec: { providerConfigRef: { name: 'default' } },
        status: { conditions: [cond('Synced', 'False', 'TerminalError', 'create failed: AccessDenied'), cond('Ready', 'Unknown', 'Creating')] },
      },
      children: [],
    },
    { apiVersion: 'v1', kind: 'Secret', name: 's', namespace: 'ns', problem: 'not written yet', children: [] },
  ],
};

test('the table draws the tree, puts the first False condition in STATUS and colours True/False/Unknown', () => {
  const out = renderTable(tree, { wide: false, paint: painter(true), now });
  const red = (s: string) => `\x1b[31m${s}\x1b[0m`;
  assert.ok(out.includes(red('False')) && out.includes(`\x1b[32mTrue\x1b[0m`) && out.includes(`\x1b[33mUnknown\x1b[0m`));
  const plain = renderTable(tree, { wide: false, paint: painter(false), now }).split('\n');
  assert.match(plain[1] ?? '', /^XThing\/x\s+True\s+False\s+Creating: waiting for bucket\s+90s$/);
  assert.match(plain[2] ?? '', /^├─ Bucket\/b\s+False\s+Unknown\s+TerminalError: create failed: AccessDenied\s+b-ext\s+default\s+90s$/);
  assert.match(plain[3] ?? '', /^└─ Secret\/s \(ns\)\s+-\s+-\s+NotFound: not written yet$/);
});

test('dot: a red node for a failing object, one edge per child', () => {
  const dot = renderDot(tree, now);
  assert.equal((dot.match(/ -> /g) ?? []).length, 2);
  assert.match(dot, /n1 \[label="Bucket.s3.aws.pledge.dev\\nb\\nSynced: False {2}Ready: Unknown\\nTerminalError: create failed: AccessDenied", color=red\]/);
});

test('ages as kubectl prints them', () => {
  assert.deepEqual([5e3, 119e3, 200e3, 25 * 60e3, 5.5 * 3600e3, 30 * 3600e3, 76 * 3600e3, 40 * 86400e3].map(humanAge), ['5s', '119s', '3m20s', '25m', '5h30m', '30h', '3d4h', '40d']);
});

test('KIND resolves as kubectl resolves it; ambiguity and unknown names are refused by name', () => {
  const r = (group: string, kind: string, plural: string, shortNames: string[] = []): ApiResource => ({ group, version: 'v1', kind, plural, singular: kind.toLowerCase(), shortNames, categories: [], namespaced: false });
  const all = [r('s3.aws.pledge.dev', 'Bucket', 'buckets'), r('storage.gcp.pledge.dev', 'Bucket', 'buckets'), r('pledge.dev', 'Composition', 'compositions', ['comp'])];
  assert.equal(resolveKind('comp', all).kind, 'Composition');
  assert.equal(resolveKind('Composition.pledge.dev', all).plural, 'compositions');
  assert.equal(resolveKind('bucket.s3', all).group, 's3.aws.pledge.dev');
  assert.equal(resolveKind('buckets.storage.gcp.pledge.dev', all).group, 'storage.gcp.pledge.dev');
  assert.throws(() => resolveKind('Bucket', all), /ambiguous: buckets.s3.aws.pledge.dev, buckets.storage.gcp.pledge.dev/);
  assert.throws(() => resolveKind('widgets', all), /unknown kind "widgets"/);
});

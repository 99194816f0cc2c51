import assert from 'node:assert/strict';
import { test } from 'node:test';
import { graphSvg, layout } from './graph.ts';
import type { UiNode } from './tree-model.ts';

const type = { group: 'g.example', version: 'v1', plural: 'things' };
const node = (name: string, ready: string, children: UiNode[] = []): UiNode => ({
  apiVersion: 'g.example/v1',
  kind: 'Thing',
  name,
  type,
  object: { metadata: { name }, status: { conditions: [{ type: 'Ready', status: ready }] } },
  children,
});

test('layout: leaves take consecutive rows, a parent sits at the middle of its children, depth is the column', () => {
  const tree = node('root', 'False', [node('a', 'True'), node('b', 'True', [node('b1', 'True'), node('b2', 'True')]), node('c', 'False')]);
  const rows = Object.fromEntries(layout(tree).map((p) => [p.node.name, [p.depth, p.row]]));
  assert.deepEqual(rows, { root: [0, 1.5], a: [1, 0], b: [1, 1.5], b1: [2, 1], b2: [2, 2], c: [1, 3] });
});

test('graph: one group per node with its Ready state in an attribute and in words, escaped names, an edge per child', () => {
  const svg = graphSvg(node('root<x>', 'False', [node('a', 'True')])).text;
  assert.match(svg, /^<svg data-testid="graph"/);
  assert.equal((svg.match(/<g data-key=/g) ?? []).length, 2);
  assert.equal((svg.match(/<clipPath id="node-clip-\d"/g) ?? []).length, 2, 'each node clips its text to its box');
  assert.equal((svg.match(/class="edge"/g) ?? []).length, 1);
  assert.ok(svg.includes('data-ready="False"') && svg.includes('>Not ready<') && svg.includes('>Ready<'));
  assert.ok(svg.includes('root&lt;x&gt;') && !svg.includes('root<x>'));
});

import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { observedByTemplate, readCase } from './case-files.ts';
import { crossplaneComposition } from './crossplane-inputs.ts';
import { fatalMessage, normalFormFromRender, probeConnectionDetails, readinessFromComposite, splitRenderOutput } from './expected-from-render.ts';
import { deepMerge, type NormalForm, normaliseComposed, serialiseNormalForm, toNormalForm } from './normal-form.ts';

const CASES = join(import.meta.dirname, '..', 'cases');

function readyCondition(status: string, message?: string): { status: { conditions: object[] } } {
  return { status: { conditions: [{ type: 'Ready', status, reason: status === 'True' ? 'Available' : 'Creating', ...(message ? { message } : {}) }] } };
}

describe('deepMerge', () => {
  it('merges maps key by key and replaces arrays and scalars', () => {
    const merged = deepMerge({ a: { x: 1, y: [1, 2] }, b: 'base', keep: true }, { a: { y: [3], z: 2 }, b: 'over' });
    assert.deepEqual(merged, { a: { x: 1, y: [3], z: 2 }, b: 'over', keep: true });
  });
});

describe('normaliseComposed', () => {
  const rendered = {
    apiVersion: 'v1',
    kind: 'Bucket',
    metadata: {
      name: 'xr-abc',
      generateName: 'xr-',
      annotations: { 'crossplane.io/composition-resource-name': 'bucket' },
      labels: { 'crossplane.io/composite': 'xr', team: 'a' },
      ownerReferences: [{ kind: 'X', name: 'xr' }],
    },
    spec: { forProvider: {} },
  };

  it('removes what the renderer adds and keeps the template content', () => {
    const out = normaliseComposed(rendered, { compositeName: 'xr', observedName: 'xr-abc' });
    assert.deepEqual(out, { apiVersion: 'v1', kind: 'Bucket', metadata: { labels: { team: 'a' } }, spec: { forProvider: {} } });
  });

  it('keeps a name that is not the observed one, and a generateName of its own', () => {
    const own = { ...rendered, metadata: { name: 'fixed', generateName: 'own-' } };
    assert.deepEqual(normaliseComposed(own, { compositeName: 'xr' }).metadata, { name: 'fixed', generateName: 'own-' });
  });

  it('drops metadata left empty, as from a base with metadata: {}', () => {
    assert.deepEqual(normaliseComposed({ apiVersion: 'v1', kind: 'K', metadata: { labels: {} } }, { compositeName: 'xr' }), { apiVersion: 'v1', kind: 'K' });
  });
});

describe('readinessFromComposite', () => {
  it('reads Available as every resource ready', () => {
    assert.deepEqual(readinessFromComposite(readyCondition('True')), { compositeReady: true, unready: new Set() });
  });

  it('reads the unready list in its one-, two- and three-name forms', () => {
    assert.deepEqual(readinessFromComposite(readyCondition('False', 'Unready resources: a')).unready, new Set(['a']));
    assert.deepEqual(readinessFromComposite(readyCondition('False', 'Unready resources: a, b')).unready, new Set(['a', 'b']));
    assert.deepEqual(readinessFromComposite(readyCondition('False', 'Unready resources: a, b, and c')).unready, new Set(['a', 'b', 'c']));
  });

  it('refuses a truncated list, and reports no per-resource readiness without a message', () => {
    assert.throws(() => readinessFromComposite(readyCondition('False', 'Unready resources: a, b, c, and 2 more')), /three or fewer/);
    assert.deepEqual(readinessFromComposite(readyCondition('False')), { compositeReady: false });
  });
});

describe('fatalMessage', () => {
  it('extracts the function message from render stderr, and nothing from other failures', () => {
    const stderr = 'crossplane: error: cannot render composite resource: pipeline step "patch-and-transform" returned a fatal result: key huge is not found in map\n';
    assert.equal(fatalMessage(stderr), 'key huge is not found in map');
    assert.equal(fatalMessage('crossplane: error: cannot load composite resource\n'), undefined);
  });
});

describe('observed connection details', () => {
  it('gives each observed resource its details, and {} to the others', () => {
    const observed = [
      { apiVersion: 'k/v1', kind: 'K', metadata: { annotations: { 'crossplane.io/composition-resource-name': 'db' } } },
      { apiVersion: 'k/v1', kind: 'K', metadata: { annotations: { 'crossplane.io/composition-resource-name': 'bucket' } } },
    ];
    const byName = observedByTemplate(observed, { db: { password: 'p' } });
    assert.deepEqual(byName.db?.connectionDetails, { password: 'p' });
    assert.deepEqual(byName.bucket?.connectionDetails, {});
  });

  it('reads the probe answer and refuses a malformed one', () => {
    assert.deepEqual(probeConnectionDetails('{"connectionDetails": {"host": "h"}, "results": []}'), { host: 'h' });
    assert.throws(() => probeConnectionDetails('{"results": []}'), /no connectionDetails/);
  });
});

describe('normalFormFromRender', () => {
  it('merges the XR, reads readiness, takes connection details from the composed Secret', () => {
    const render = splitRenderOutput(
      [
        'apiVersion: x/v1\nkind: XR\nmetadata: {name: xr}\nstatus: {arn: a, conditions: [{type: Ready, status: "False", reason: Creating, message: "Unready resources: b"}]}',
        'apiVersion: v1\nkind: Secret\nmetadata: {name: xr-connection, annotations: {crossplane.io/composition-resource-name: xr-connection-secret}}\ndata: {host: aG9zdA==}',
        'apiVersion: k/v1\nkind: K\nmetadata: {generateName: xr-, annotations: {crossplane.io/composition-resource-name: b}, labels: {crossplane.io/composite: xr}}',
        'apiVersion: k/v1\nkind: K\nmetadata: {name: xr-a1, annotations: {crossplane.io/composition-resource-name: a}, labels: {crossplane.io/composite: xr}}',
        'apiVersion: render.crossplane.io/v1beta1\nkind: Result\nseverity: SEVERITY_WARNING\nmessage: careful',
      ].join('\n---\n'),
    );
    const observed = [{ apiVersion: 'k/v1', kind: 'K', metadata: { name: 'xr-a1', annotations: { 'crossplane.io/composition-resource-name': 'a' } } }];
    const form = normalFormFromRender({ composite: { apiVersion: 'x/v1', kind: 'XR', metadata: { name: 'xr' }, spec: { s: 1 } }, observed }, render);
    const expected: NormalForm = {
      composite: { apiVersion: 'x/v1', kind: 'XR', metadata: { name: 'xr' }, spec: { s: 1 }, status: { arn: 'a' } },
      compositeReady: false,
      connectionDetails: { host: 'host' },
      resources: [
        { name: 'b', ready: false, resource: { apiVersion: 'k/v1', kind: 'K' } },
        { name: 'a', ready: true, resource: { apiVersion: 'k/v1', kind: 'K' } },
      ],
    };
    assert.deepEqual(form, expected);
    assert.equal(render.results.length, 1);
    assert.match(serialiseNormalForm(form), /resources:\n {2}- name: a\n/);
  });
});

describe('committed cases', () => {
  const names = readdirSync(CASES).sort();

  it('has at least fifteen cases', () => {
    assert.ok(names.length >= 15, `${names.length} cases`);
  });

  for (const name of names) {
    it(`${name}: inputs load, the composition converts, expected.yaml is in canonical form`, () => {
      const files = readCase(join(CASES, name), name);
      const xp = crossplaneComposition(name, files.composition);
      assert.equal((xp.spec as { mode: string }).mode, 'Pipeline');
      const text = readFileSync(join(CASES, name, 'expected.yaml'), 'utf8');
      const expected = parse(text) as NormalForm | { fatal: true };
      if ('fatal' in expected) return;
      assert.equal(serialiseNormalForm(expected), text, 'serialising the parsed golden gives the same bytes');
      // Every observed resource belongs to a template of the composition.
      const templates = ((files.composition.spec as { resources: Array<{ name: string }> }).resources ?? []).map((t) => t.name);
      for (const observedName of Object.keys(observedByTemplate(files.observed))) assert.ok(templates.includes(observedName), observedName);
      // A renderer returning exactly the golden's content normalises to the golden.
      const output = {
        composite: expected.composite,
        connectionDetails: expected.connectionDetails,
        resources: expected.resources.map((r) => ({ name: r.name, ready: r.ready ?? false, resource: r.resource })),
      };
      const withReady = expected.resources.every((r) => r.ready !== undefined);
      assert.equal(serialiseNormalForm(toNormalForm(files, output, expected.compositeReady, withReady)), text);
    });
  }
});

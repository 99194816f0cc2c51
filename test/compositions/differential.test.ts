// Differential test of the composition render engine: every case under
// compositions/testdata/cases/ was rendered by Crossplane's own `crossplane render` v2.2.1 with
// function-patch-and-transform v0.10.7 (see compositions/testdata/README.md). Pledge's render()
// must produce the same normal form, byte for byte, the same warnings, and fail where Crossplane
// fails, with the same message. Deliberate divergences are listed in DIVERGENCES, each with its
// reason and an assertion of what Pledge does instead.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { crossplaneMetadata } from '../../compositions/composed-object.ts';
import { render } from '../../compositions/render/index.ts';
import type { Composite } from '../../compositions/types.ts';
import type { CompositionSpec, KubeResource, RenderResult } from '../../compositions/render/index.ts';
import { type CaseFiles, type JsonObject, observedByTemplate, readCase } from '../../compositions/testdata/tools/case-files.ts';
import { serialiseFatal, serialiseNormalForm, toNormalForm } from '../../compositions/testdata/tools/normal-form.ts';

const CASES_DIR = join(import.meta.dirname, '../../compositions/testdata/cases');

interface Result {
  severity: string;
  message: string;
}

function renderCase(files: CaseFiles): RenderResult {
  const observed = observedByTemplate(files.observed, files.observedConnectionDetails);
  const before = structuredClone(files);
  const result = render({
    composite: files.composite as KubeResource,
    composition: files.composition.spec as CompositionSpec,
    observed: observed as unknown as Parameters<typeof render>[0]['observed'],
  });
  assert.deepEqual(files, before, 'render() must not mutate its inputs');
  return result;
}

function expectedResults(dir: string): Result[] {
  const path = join(dir, 'results.yaml');
  return existsSync(path) ? (parse(readFileSync(path, 'utf8')) as Result[]) : [];
}

/**
 * What the controller adds to every composed resource that Crossplane adds too (desiredObject): the namespaced XR's
 * namespace, the crossplane.io/ labels. Pledge's own labels, annotations and owner reference are not compared.
 */
function withCrossplaneMetadata(xr: JsonObject, resource: KubeResource): JsonObject {
  const { namespace, labels } = crossplaneMetadata(xr as unknown as Composite);
  return { ...resource, metadata: { ...resource.metadata, ...(namespace ? { namespace } : {}), labels: { ...resource.metadata?.labels, ...labels } } } as unknown as JsonObject;
}

/** Pledge's result in the cases' normal form. */
function normalForm(files: CaseFiles, result: RenderResult, withReady: boolean): string {
  const skipped = result.skipped ?? [];
  const compositeReady = skipped.length === 0 && result.resources.every((r) => r.ready);
  const output = { ...result, composite: result.composite as JsonObject, resources: result.resources.map((r) => ({ ...r, resource: withCrossplaneMetadata(files.composite, r.resource) })) };
  return serialiseNormalForm(toNormalForm(files, output, compositeReady, withReady));
}

/** Cases where Pledge departs from Crossplane on purpose: why, and what Pledge does instead. */
const DIVERGENCES: Record<string, { reason: string; check: (result: RenderResult) => void }> = {
  'fatal-connection-detail-without-type': {
    reason:
      'function-patch-and-transform requires connection details to have a type; classic Crossplane inferred it from the field that is set, ' +
      'and so does Pledge (compositions/examples/postgres relies on it). Pledge renders what Crossplane refuses.',
    check: (result) => {
      assert.deepEqual(result.errors, []);
      assert.ok(result.resources.length > 0, 'the templates render');
    },
  },
};

const cases = existsSync(CASES_DIR) ? readdirSync(CASES_DIR).filter((n) => existsSync(join(CASES_DIR, n, 'expected.yaml'))).sort() : [];

describe('render() against crossplane render + function-patch-and-transform', () => {
  it('has golden cases to compare against', () => {
    assert.ok(cases.length > 0, `no cases with expected.yaml under ${CASES_DIR}`);
  });

  for (const name of cases) {
    it(name, () => {
      const dir = join(CASES_DIR, name);
      const files = readCase(dir, name);
      const result = renderCase(files);
      const expected = readFileSync(join(dir, 'expected.yaml'), 'utf8');
      const results = expectedResults(dir);
      const divergence = DIVERGENCES[name];
      if (divergence) {
        assert.equal(expected, serialiseFatal(), 'this divergence is from a case Crossplane refuses');
        divergence.check(result);
        return;
      }
      if (expected === serialiseFatal()) {
        // Crossplane stops at the first fatal problem; Pledge reports every template's.
        const fatal = results.find((r) => r.severity === 'SEVERITY_FATAL');
        assert.ok(fatal, 'a fatal case has its fatal message in results.yaml');
        assert.ok(result.errors.length > 0, 'Crossplane failed this render, so must Pledge');
        assert.equal(result.errors[0]?.message, fatal.message);
        return;
      }
      assert.deepEqual(result.errors, [], 'Crossplane rendered this case, so Pledge must report no fatal error');
      const withReady = (result.skipped ?? []).length === 0;
      assert.equal(normalForm(files, result, withReady), expected);
      const warnings = (result.warnings ?? []).map((w) => ({ severity: 'SEVERITY_WARNING', message: w.message }));
      assert.deepEqual(warnings, results);
    });
  }

  it('lists no divergence for a case that no longer exists', () => {
    for (const name of Object.keys(DIVERGENCES)) assert.ok(cases.includes(name), `${name} is not a case`);
  });
});

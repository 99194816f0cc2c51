// Differential test of the composition render engine: every case under
// compositions/testdata/cases/ was rendered by Crossplane's own `crossplane render` with
// function-patch-and-transform (see compositions/testdata/regenerate.sh); Pledge's render() must
// produce the same normal form, byte for byte, and the same warnings.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { render } from '../../compositions/render/index.ts';
import type { CompositionSpec, KubeResource, ObservedComposed, RenderResult } from '../../compositions/render/index.ts';
import { type JsonObject, objectAt, readCase, templateNameOf, type CaseFiles } from '../../compositions/testdata/tools/case-files.ts';
import { type NormalForm, normaliseComposed, serialiseNormalForm } from '../../compositions/testdata/tools/normal-form.ts';

const CASES_DIR = join(import.meta.dirname, '../../compositions/testdata/cases');

function renderCase(files: CaseFiles): RenderResult {
  const observed: Record<string, ObservedComposed> = {};
  for (const o of files.observed) {
    // crossplane render passes no observed connection secrets, so neither do we.
    observed[templateNameOf(o) as string] = { resource: o as KubeResource, connectionDetails: {} };
  }
  const before = structuredClone(files);
  const result = render({ composite: files.composite as KubeResource, composition: files.composition.spec as CompositionSpec, observed });
  assert.deepEqual(files, before, 'render() must not mutate its inputs');
  return result;
}

/** Pledge's result in the cases' normal form (compositions/testdata/tools/normal-form.ts). */
function normalForm(files: CaseFiles, result: RenderResult): NormalForm {
  const compositeName = String(objectAt(files.composite, 'metadata')?.name ?? '');
  const skipped = result.skipped ?? [];
  const compositeReady = skipped.length === 0 && result.resources.every((r) => r.ready);
  return {
    composite: result.composite as JsonObject,
    compositeReady,
    // When a Required patch holds a resource back, render reports the XR unready without naming
    // resources, so the cases carry no per-resource readiness then.
    resources: result.resources.map((r) => ({
      name: r.name,
      ...(skipped.length === 0 ? { ready: r.ready } : {}),
      resource: normaliseComposed(r.resource as JsonObject, { compositeName }),
    })),
    connectionDetails: result.connectionDetails,
  };
}

function expectedResults(dir: string): Array<{ severity: string; message: string }> {
  const path = join(dir, 'results.yaml');
  if (!existsSync(path)) return [];
  return parse(readFileSync(path, 'utf8')) as Array<{ severity: string; message: string }>;
}

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
      assert.deepEqual(result.errors, [], 'crossplane render succeeded on this case, so render() must report no fatal error');
      assert.equal(serialiseNormalForm(normalForm(files, result)), readFileSync(join(dir, 'expected.yaml'), 'utf8'));
      const warnings = (result.warnings ?? []).map((w) => ({ severity: 'SEVERITY_WARNING', message: w.message }));
      assert.deepEqual(warnings, expectedResults(dir));
    });
  }
});

// `pledge render` through the real binary, offline. Every differential golden
// (compositions/testdata/cases/*, rendered by crossplane render v2.2.1 + function-patch-and-transform
// v0.10.7) is reproduced from the very files crossplane render was given — the Crossplane Pipeline
// Composition, the functions file, the XR and observed resources, as tools/crossplane-inputs.ts writes
// them for regenerate.sh — and brought to the goldens' normal form as the differential test does.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { composedName } from '../../compositions/composed-names.ts';
import { type JsonObject, objectAt, readCase } from '../../compositions/testdata/tools/case-files.ts';
import { serialiseFatal, serialiseNormalForm, toNormalForm } from '../../compositions/testdata/tools/normal-form.ts';
import { ANNOTATION_RESOURCE_NAME, LABELS } from '../../compositions/types.ts';

const REPO = join(import.meta.dirname, '../..');
const CASES_DIR = join(REPO, 'compositions/testdata/cases');
const TOOLS = join(REPO, 'compositions/testdata/tools');
const work = mkdtempSync(join(tmpdir(), 'pledge-render-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

function pledge(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/pledge.ts'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

/** The files crossplane render was given for this case (regenerate.sh's own step); the function target is never dialled. */
function crossplaneInputs(caseDir: string, name: string): string {
  const out = join(work, name);
  const r = spawnSync(process.execPath, [join(TOOLS, 'crossplane-inputs.ts'), caseDir, out, '127.0.0.1:1', '127.0.0.1:2'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return out;
}

/** What the composite controller adds around a template's own content (desiredObject), taken off again. */
function undecorate(resource: JsonObject, template: string, xrName: string, observed: boolean, templateSpec: JsonObject | undefined): JsonObject {
  const out = structuredClone(resource);
  const meta = objectAt(out, 'metadata') ?? {};
  const labels = objectAt(meta, 'labels') ?? {};
  assert.equal(labels[LABELS.composite], xrName, `${template} carries the composite label`);
  for (const l of [LABELS.composite, LABELS.claimName, LABELS.claimNamespace]) delete labels[l];
  const annotations = objectAt(meta, 'annotations') ?? {};
  assert.equal(annotations[ANNOTATION_RESOURCE_NAME], template);
  delete annotations[ANNOTATION_RESOURCE_NAME];
  delete meta.ownerReferences;
  if (!observed && meta.name === composedName(xrName, template)) delete meta.name;
  const spec = objectAt(out, 'spec');
  const wantsSecret = (templateSpec?.connectionDetails as JsonObject[] | undefined)?.some((d) => d.type === 'FromConnectionSecretKey');
  const ref = spec ? objectAt(spec, 'writeConnectionSecretToRef') : undefined;
  const baseRef = objectAt(objectAt(templateSpec?.base as JsonObject, 'spec') ?? {}, 'writeConnectionSecretToRef');
  if (spec && wantsSecret && !baseRef && ref?.namespace === 'pledge-system' && (ref.name === meta.name || ref.name === composedName(xrName, template))) delete spec.writeConnectionSecretToRef;
  return out;
}

const cases = readdirSync(CASES_DIR).filter((n) => existsSync(join(CASES_DIR, n, 'expected.yaml'))).sort();

describe('pledge render on the differential cases, from the Crossplane-format inputs', () => {
  it('has every case', () => assert.ok(cases.length >= 20, `only ${cases.length} cases`));

  for (const name of cases) {
    it(name, () => {
      const caseDir = join(CASES_DIR, name);
      const files = readCase(caseDir, name);
      const inputs = crossplaneInputs(caseDir, name);
      const composition = parse(readFileSync(join(inputs, 'composition.yaml'), 'utf8')) as JsonObject;
      assert.equal(composition.apiVersion, 'apiextensions.crossplane.io/v1', 'the Crossplane Composition, not Pledge\'s');
      const args = ['render', join(inputs, 'xr.yaml'), join(inputs, 'composition.yaml'), join(inputs, 'functions.yaml'), '--include-full-xr', '--include-connection-secret'];
      if (existsSync(join(caseDir, 'observed.yaml'))) {
        // Observed connection details, which crossplane render cannot take (the golden's came from the probe):
        // each as a Secret annotated with its template name, as `pledge render --observed-resources` reads them.
        for (const [template, details] of Object.entries(files.observedConnectionDetails)) {
          const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: `${template}-conn`, annotations: { [ANNOTATION_RESOURCE_NAME]: template } }, stringData: details };
          appendFileSync(join(inputs, 'observed.yaml'), `---\n${stringify(secret)}`);
        }
        args.push('--observed-resources', join(inputs, 'observed.yaml'));
      }
      const run = pledge(args);
      const expected = readFileSync(join(caseDir, 'expected.yaml'), 'utf8');
      const resultsPath = join(caseDir, 'results.yaml');
      const results = existsSync(resultsPath) ? (parse(readFileSync(resultsPath, 'utf8')) as Array<{ severity: string; message: string }>) : [];
      if (name === 'fatal-connection-detail-without-type') {
        // The differential test's one divergence: Pledge infers the type, as classic Crossplane did.
        assert.equal(expected, serialiseFatal());
        assert.equal(run.status, 0, run.stderr);
        return;
      }
      if (expected === serialiseFatal()) {
        const fatal = results.find((r) => r.severity === 'SEVERITY_FATAL');
        assert.ok(fatal);
        assert.equal(run.status, 1, 'Crossplane failed this render, so must pledge render');
        assert.equal(run.stdout, '', 'nothing rendered');
        assert.ok(run.stderr.includes(fatal.message), `stderr names the problem: ${run.stderr}`);
        assert.match(run.stderr, /^error: .*composition\.yaml: Composition /m, 'and the file and object');
        return;
      }
      assert.equal(run.status, 0, run.stderr);
      const docs = parseAllDocuments(run.stdout).map((d) => d.toJS() as JsonObject);
      const [xr, ...rest] = docs;
      assert.ok(xr);
      const xrName = String(objectAt(files.composite, 'metadata')?.name);
      const status = objectAt(xr, 'status') ?? {};
      const ready = (status.conditions as JsonObject[]).find((c) => c.type === 'Ready');
      assert.ok(ready, 'the XR has the Ready condition the controller would write');
      delete status.conditions;
      if (Object.keys(status).length === 0) delete xr.status;
      const templates = new Map(((objectAt(files.composition, 'spec')?.resources ?? []) as JsonObject[]).map((t) => [String(t.name), t]));
      const observedNames = new Set(files.observed.map((o) => String(objectAt(objectAt(o, 'metadata') ?? {}, 'annotations')?.['crossplane.io/composition-resource-name'])));
      const secret = rest.find((d) => d.kind === 'Secret' && objectAt(objectAt(d, 'metadata') ?? {}, 'annotations')?.[ANNOTATION_RESOURCE_NAME] === undefined);
      const composed = rest.filter((d) => d !== secret);
      const unready = ready.status === 'True' ? [] : String(ready.message).replace(/^waiting for /, '').split(' (not composed yet')[0]?.split(', ') ?? [];
      const rendered = composed.map((d) => String(objectAt(objectAt(d, 'metadata') ?? {}, 'annotations')?.[ANNOTATION_RESOURCE_NAME]));
      const skipped = unready.filter((n) => !rendered.includes(n));
      const output = {
        composite: xr,
        resources: composed.map((d, i) => {
          const template = rendered[i] ?? '';
          return { name: template, ready: !unready.includes(template), resource: undecorate(d, template, xrName, observedNames.has(template), templates.get(template)) };
        }),
        connectionDetails: Object.fromEntries(Object.entries((secret?.data ?? {}) as Record<string, string>).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')])),
      };
      const form = serialiseNormalForm(toNormalForm(files, output, ready.status === 'True', skipped.length === 0));
      assert.equal(form, expected);
      const warnings = run.stderr.split('\n').filter((l) => l.startsWith('warning: ')).map((l) => l.replace(/^warning: resource "[^"]*": /, ''));
      assert.deepEqual(warnings, results.map((r) => r.message));
    });
  }
});

describe('pledge render: bad input', () => {
  const caseDir = join(CASES_DIR, 'example-object-storage-aws');
  const write = (file: string, text: string) => {
    writeFileSync(join(work, file), text);
    return join(work, file);
  };

  it('a missing file is named', () => {
    const r = pledge(['render', join(work, 'nope.yaml'), join(caseDir, 'composition.yaml')]);
    assert.equal(r.status, 1);
    assert.equal(r.stderr, `error: ${join(work, 'nope.yaml')}: no such file or directory\n`);
  });

  it('a YAML syntax error names the file and line', () => {
    const bad = write('bad-xr.yaml', 'apiVersion: platform.example.org/v1alpha1\nkind: XObjectStorage\nmetadata:\n  name: x\n bad: y\nspec: {}\n');
    const r = pledge(['render', bad, join(caseDir, 'composition.yaml')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, new RegExp(`^error: ${bad}:5: YAML syntax error`));
  });

  it('another function than patch-and-transform is refused by name', () => {
    const inputs = crossplaneInputs(caseDir, 'refuse-function');
    const composition = parse(readFileSync(join(inputs, 'composition.yaml'), 'utf8')) as JsonObject;
    const step = ((composition.spec as JsonObject).pipeline as JsonObject[])[0] as JsonObject;
    step.functionRef = { name: 'function-go-templating' };
    step.input = { apiVersion: 'gotemplating.fn.crossplane.io/v1beta1', kind: 'GoTemplate', source: 'Inline' };
    const file = write('go-templating.yaml', stringify(composition));
    const r = pledge(['render', join(inputs, 'xr.yaml'), file]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /go-templating\.yaml:\d+: Composition example-object-storage-aws: spec\.pipeline\[0\]\.input: step "patch-and-transform" runs function "function-go-templating": Pledge renders only function-patch-and-transform/);
    const withFunctions = pledge(['render', join(inputs, 'xr.yaml'), file, join(inputs, 'functions.yaml')]);
    assert.match(withFunctions.stderr, /runs function "function-go-templating", which no Function in the functions file defines/);
  });

  it('an unknown kind of XR for the Composition is named', () => {
    const xr = write('other-xr.yaml', 'apiVersion: platform.example.org/v1alpha1\nkind: XSomethingElse\nmetadata:\n  name: x\nspec: {}\n');
    const r = pledge(['render', xr, join(caseDir, 'composition.yaml')]);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /spec\.compositeTypeRef is platform\.example\.org\/v1alpha1\/XObjectStorage, but .*other-xr\.yaml is a platform\.example\.org\/v1alpha1\/XSomethingElse/);
  });

  it('with --validate, a field path that does not exist in the composed kind, or an unknown kind, fails the render naming template and field', () => {
    const composition = parse(readFileSync(join(caseDir, 'composition.yaml'), 'utf8')) as JsonObject;
    const template = ((composition.spec as JsonObject).resources as JsonObject[])[0] as JsonObject;
    (template.patches as JsonObject[]).push({ fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.regoin' });
    const file = write('typo.yaml', stringify(composition));
    const plain = pledge(['render', join(caseDir, 'xr.yaml'), file, '--observed-resources', join(caseDir, 'observed.yaml')]);
    assert.equal(plain.status, 0, 'without --validate render prints what it renders');
    assert.match(plain.stdout, /regoin: eu-west-1/);
    const r = pledge(['render', join(caseDir, 'xr.yaml'), file, '--observed-resources', join(caseDir, 'observed.yaml'), '--validate']);
    assert.equal(r.status, 1, r.stdout);
    assert.equal(r.stdout, '');
    template.base = { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bukket', spec: {} };
    const unknown = pledge(['render', join(caseDir, 'xr.yaml'), write('unknown-kind.yaml', stringify(composition)), '--validate']);
    assert.equal(unknown.status, 1);
    assert.match(unknown.stderr, /composed resource "bucket" \(Bukket [^)]+\): kind: unknown kind Bukket \(apiVersion s3\.aws\.pledge\.dev\/v1\)/);
    assert.match(r.stderr, /composed resource "bucket" \(Bucket [^)]+\): spec\.forProvider\.regoin: field not declared in the schema/);
  });
});

it('pledge render --help has an example', () => {
  const r = pledge(['render', '--help']);
  assert.equal(r.status, 0);
  assert.match(r.stdout, /Examples:\n {2}pledge render xr\.yaml composition\.yaml/);
});

// `pledge validate` through the real binary, offline: managed resources, claims and XRs against their
// CRD schemas (ajv), Compositions further; every problem with file, line, object and field; exit 1.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parse, stringify } from 'yaml';
import { crossplaneComposition } from '../../compositions/testdata/tools/crossplane-inputs.ts';

const REPO = join(import.meta.dirname, '../..');
const OBJECT_STORAGE = join(REPO, 'compositions/examples/object-storage');
const work = mkdtempSync(join(tmpdir(), 'pledge-validate-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

interface Problem {
  file: string;
  line: number;
  object: string;
  field: string;
  message: string;
}

function pledge(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/pledge.ts'), ...args], { cwd: REPO, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

function problems(args: string[]): Problem[] {
  const r = pledge(['validate', ...args, '-o', 'json']);
  const found = JSON.parse(r.stdout) as Problem[];
  assert.equal(r.status, found.length > 0 ? 1 : 0, r.stderr);
  return found;
}

function write(name: string, text: string): string {
  const path = join(work, name);
  writeFileSync(path, text);
  return path;
}

/** The line of the first line of text that contains needle (1-based). */
function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  const i = lines.findIndex((l, n) => n >= from && l.includes(needle));
  assert.ok(i >= 0, `${needle} not in the file`);
  return i + 1;
}

describe('pledge validate', () => {
  it('the repository examples are valid: managed resources, claims against their XRDs, Compositions', () => {
    const r = pledge(['validate', 'examples/s3-bucket.yaml', 'examples/rds-db-instance.yaml', 'examples/gcs-bucket.yaml', 'examples/azure-storage-account.yaml', 'examples/claims', 'compositions/examples']);
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.equal(r.stdout, '');
    // On a loaded machine the progress line (after a second) comes first; the summary is the last line.
    assert.match(r.stderr, /(^|\n)\d+ object\(s\) in \d+ file\(s\): valid\n$/);
  });

  it('a managed resource: wrong type, undeclared field, missing required field, bad pattern — each with its line', () => {
    const text = [
      'apiVersion: s3.aws.pledge.dev/v1',
      'kind: Bucket',
      'metadata:',
      '  name: logs',
      'spec:',
      '  forProvider:',
      '    region: 42',
      '    versoning: Enabled',
      '---',
      'apiVersion: rds.aws.pledge.dev/v1',
      'kind: DBInstance',
      'metadata: {name: db}',
      'spec:',
      '  forProvider:',
      '    region: Not-A-Region',
      '',
    ].join('\n');
    const file = write('managed.yaml', text);
    const found = problems([file]);
    const at = (field: string) => found.find((p) => p.field === field);
    assert.deepEqual(at('spec.forProvider.region'), { file, line: 7, object: 'Bucket logs', field: 'spec.forProvider.region', message: 'must be string' });
    assert.deepEqual(at('spec.forProvider.versoning'), { file, line: 8, object: 'Bucket logs', field: 'spec.forProvider.versoning', message: 'field not declared in the schema' });
    const db = found.filter((p) => p.object === 'DBInstance db');
    assert.ok(db.some((p) => p.line === 15 && p.field === 'spec.forProvider.region' && /must match pattern/.test(p.message)), JSON.stringify(db));
    assert.ok(db.some((p) => p.field.startsWith('spec.forProvider.') && p.message === 'required field is missing' && p.line === 14), JSON.stringify(db));
    const table = pledge(['validate', file]);
    assert.equal(table.status, 1);
    assert.match(table.stdout, /^FILE:LINE\s+OBJECT\s+FIELD\s+PROBLEM\n/);
    assert.match(table.stdout, new RegExp(`${file}:8\\s+Bucket logs\\s+spec\\.forProvider\\.versoning\\s+field not declared in the schema`));
    assert.match(table.stderr, /^error: \d+ problem\(s\) in 2 object\(s\) in 1 file\(s\)\n$/);
  });

  it('a claim against the schema its XRD defines (the XRD from --crds or among the files)', () => {
    const text = 'apiVersion: platform.example.org/v1alpha1\nkind: ObjectStorage\nmetadata: {name: photos, namespace: default}\nspec:\n  region: us-east-1\n  sizeClass: huge\n';
    const file = write('claim.yaml', text);
    const expected = [{ file, line: 6, object: 'ObjectStorage photos', field: 'spec.sizeClass', message: 'must be one of "small", "medium", "large"' }];
    assert.deepEqual(problems([file, '--crds', OBJECT_STORAGE]), expected);
    assert.deepEqual(problems([file, join(OBJECT_STORAGE, 'definition.yaml')]), expected);
  });

  it('a Composition: field paths on each side, a malformed transform, an invalid base, an unknown kind', () => {
    const composition = parse(readFileSync(join(OBJECT_STORAGE, 'composition-aws.yaml'), 'utf8'));
    const [bucket] = composition.spec.resources;
    bucket.base.spec.forProvider.versioning = 7;
    bucket.patches.push({ fromFieldPath: 'spec.regoin', toFieldPath: 'spec.forProvider.region' });
    bucket.patches.push({ fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.tags.region', transforms: [{ type: 'map' }] });
    bucket.patches.push({ type: 'ToCompositeFieldPath', fromFieldPath: 'status.atProvider.arn', toFieldPath: 'status.bucketArn' });
    composition.spec.resources.push({ name: 'queue', base: { apiVersion: 'sqs.aws.pledge.dev/v1', kind: 'Queue', spec: {} } });
    const text = stringify(composition);
    const file = write('composition.yaml', text);
    const found = problems([file, '--crds', OBJECT_STORAGE]);
    const object = 'Composition objectstorage-aws';
    const n = bucket.patches.length;
    const expect = (field: string, message: RegExp | string, needle: string, from = 0) => {
      const p = found.find((x) => x.field === field);
      assert.ok(p, `no problem at ${field}: ${JSON.stringify(found, null, 1)}`);
      assert.equal(p.object, object);
      assert.equal(p.file, file);
      if (typeof message === 'string') assert.equal(p.message, message);
      else assert.match(p.message, message);
      assert.equal(p.line, lineOf(text, needle, from), `line of ${field}`);
    };
    const base = found.filter((x) => x.field === 'spec.resources[0].base.spec.forProvider.versioning').map((x) => x.message);
    assert.deepEqual(base, ['spec.forProvider.versioning: must be string', 'spec.forProvider.versioning: must be one of "Enabled", "Suspended"']);
    expect('spec.resources[0].base.spec.forProvider.versioning', 'spec.forProvider.versioning: must be string', 'versioning: 7');
    expect(`spec.resources[0].patches[${n - 3}].fromFieldPath`, 'spec.regoin is not in the schema of XObjectStorage (platform.example.org/v1alpha1)', 'fromFieldPath: spec.regoin');
    expect(`spec.resources[0].patches[${n - 2}].transforms[0].map`, /^invalid Function input: resources\[0\]\.patches\[\d+\]\.transforms\[0\]\.map: Required value/, '- type: map', lineOf(text, 'fromFieldPath: spec.regoin'));
    expect(`spec.resources[0].patches[${n - 1}].toFieldPath`, 'status.bucketArn is not in the schema of XObjectStorage (platform.example.org/v1alpha1)', 'toFieldPath: status.bucketArn');
    expect('spec.resources[1].base.kind', /^unknown kind Queue \(apiVersion sqs\.aws\.pledge\.dev\/v1\)/, 'kind: Queue');
    assert.equal(found.length, 6, JSON.stringify(found, null, 1));
  });

  it("a Crossplane Pipeline Composition: the step input's templates are checked the same way", () => {
    const pledgeFormat = parse(readFileSync(join(OBJECT_STORAGE, 'composition-aws.yaml'), 'utf8'));
    pledgeFormat.spec.resources[0].patches.push({ fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.regoin' });
    const text = stringify(crossplaneComposition('objectstorage-aws', pledgeFormat));
    const file = write('crossplane-composition.yaml', text);
    const found = problems([file, '--crds', OBJECT_STORAGE]);
    assert.equal(found.length, 1, JSON.stringify(found));
    assert.match(found[0]?.field ?? '', /^spec\.pipeline\[0\]\.input\.resources\[0\]\.patches\[\d+\]\.toFieldPath$/);
    assert.equal(found[0]?.message, 'spec.forProvider.regoin is not in the schema of Bucket (s3.aws.pledge.dev/v1)');
    assert.equal(found[0]?.line, lineOf(text, 'toFieldPath: spec.forProvider.regoin'));
  });

  it('bad input: a missing file, a YAML syntax error (its line), an unknown kind', () => {
    const missing = pledge(['validate', join(work, 'nope.yaml')]);
    assert.equal(missing.status, 1);
    assert.equal(missing.stderr, `error: ${join(work, 'nope.yaml')}: no such file or directory\n`);
    const broken = write('broken.yaml', 'apiVersion: v1\nkind: X\nmetadata:\n  name: x\n bad: y\n');
    const syntax = pledge(['validate', broken]);
    assert.equal(syntax.status, 1);
    assert.match(syntax.stderr, new RegExp(`^error: ${broken}:5: YAML syntax error: All mapping items must start at the same column\\n$`));
    const unknown = write('unknown.yaml', 'apiVersion: s3.aws.pledge.dev/v1\nkind: Bukket\nmetadata: {name: x}\n');
    assert.deepEqual(problems([unknown]), [
      { file: unknown, line: 2, object: 'Bukket x', field: 'kind', message: "unknown kind Bukket (apiVersion s3.aws.pledge.dev/v1): no CRD for it among Pledge's kinds, the XRDs in the files, or --crds" },
    ]);
  });

  it('ajv loads only when something is validated: not with the CLI wiring that pledge run starts from', () => {
    const loaded = (args: string[]) => {
      const log = join(work, `resolved-${args[0]}.log`);
      spawnSync(process.execPath, ['--import', './test/resolved-modules.ts', 'bin/pledge.ts', ...args], { cwd: REPO, env: { ...process.env, PLEDGE_RESOLVED_LOG: log } });
      return readFileSync(log, 'utf8').split('\n');
    };
    const wiring = loaded(['crds', '--out', join(work, 'crds')]);
    assert.ok(wiring.some((u) => u.endsWith('/compositions/cli/validate-command.ts')), 'the verbs were wired');
    assert.ok(wiring.some((u) => u.endsWith('/compositions/composed-validation.ts')), 'and the reconciler check');
    assert.ok(!wiring.some((u) => u.includes('/node_modules/ajv/')), 'but not ajv');
    assert.ok(loaded(['validate', 'examples/s3-bucket.yaml']).some((u) => u.includes('/node_modules/ajv/')), 'validate loads it');
  });

  it('--help has an example', () => {
    const r = pledge(['validate', '--help']);
    assert.equal(r.status, 0);
    assert.match(r.stdout, /Examples:\n {2}pledge validate /);
  });
});

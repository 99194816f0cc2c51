// The Argo CD health checks and Flux's kstatus on the fixtures pledge run wrote (test/health/capture-fixtures.ts):
// every health_test.yaml case in gopher-lua, every kstatus verdict with the real library, both from small Go
// programs built once into the cache; the generated Lua copies and argocd-cm snippets are current; the
// fixtures still match the CRD schemas.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { parse, stringify } from 'yaml';
import { allCrds } from '../../core/cli/index.ts';
import type { CustomResourceDefinition, JSONSchema } from '../../core/crd/index.ts';
import { compositionsModule } from '../../compositions/index.ts';
import type { CompositeResourceDefinition } from '../../compositions/types.ts';
import { claimCrd, compositeCrd } from '../../compositions/xrd-to-crd.ts';
import { providers } from '../../providers/index.ts';
import { check, harness } from './harnesses.ts';

const run = promisify(execFile);
const REPO = new URL('../../', import.meta.url).pathname;
const TREE = join(REPO, 'health/argocd/resource_customizations');
const CLAIM_GROUP = 'platform.example.org';
const PLEDGE = [join(REPO, 'bin/pledge.ts'), 'argocd-health'];

async function pledge(args: string[]): Promise<string> {
  return (await run(process.execPath, [...PLEDGE, ...args], { cwd: REPO })).stdout;
}

async function filesUnder(dir: string, name: (f: string) => boolean): Promise<string[]> {
  return (await readdir(dir, { recursive: true })).filter(name).map((f) => join(dir, f)).sort();
}

type Case = { healthStatus: { status: string; message: string }; inputPath: string };
async function casesOf(kindDir: string): Promise<Case[]> {
  return (parse(await readFile(join(TREE, kindDir, 'health_test.yaml'), 'utf8')) as { tests: Case[] }).tests;
}

const luaBin = harness('lua-harness');
const kstatusBin = harness('kstatus-harness');

test('every health_test.yaml case passes in gopher-lua, and the harness fails a wrong expectation', async () => {
  const bin = await luaBin;
  const tests = await filesUnder(TREE, (f) => f.endsWith('health_test.yaml'));
  let want = 0;
  for (const t of tests) want += (await casesOf(relative(TREE, join(t, '..')))).length;
  const got = await check(bin, ['-tree', TREE]);
  assert.ok(got.ok, got.out);
  assert.equal(got.summary.cases, want, 'every case ran');
  assert.equal(got.summary.passed, want);
  console.log(`# gopher-lua: ${got.summary.passed} cases in ${tests.length} health_test.yaml files: ${JSON.stringify(got.summary.byStatus)}`);

  // The harness looked: the same fixture with another expected verdict fails, naming what it got.
  const copy = await mkdtemp(join(tmpdir(), 'pledge-health-'));
  await cp(join(TREE, 's3.aws.pledge.dev'), join(copy, 's3.aws.pledge.dev'), { recursive: true });
  const file = join(copy, 's3.aws.pledge.dev/Bucket/health_test.yaml');
  const cases = parse(await readFile(file, 'utf8')) as { tests: Case[] };
  const terminal = cases.tests.find((c) => c.inputPath === 'testdata/terminal-error.yaml');
  assert.ok(terminal);
  terminal.healthStatus.status = 'Progressing';
  await writeFile(file, stringify(cases));
  const wrong = await check(bin, ['-tree', copy]);
  assert.equal(wrong.ok, false);
  assert.match(wrong.out, /FAIL .*terminal-error\.yaml: got Degraded "create failed: BucketAlreadyExists/);
});

test('the verdict classes are covered for managed resources and claims', async () => {
  const verdict = async (kindDir: string) => new Map((await casesOf(kindDir)).map((c) => [c.inputPath.replace(/^testdata\/|\.yaml$/g, ''), c.healthStatus]));
  const managed = new Map([...(await verdict('s3.aws.pledge.dev/Bucket')), ...(await verdict('nop.pledge.dev/NopResource')), ...(await verdict('storage.azure.pledge.dev/Account'))]);
  const claims = await verdict(`${CLAIM_GROUP}/ObjectStorage`);
  for (const [what, verdicts] of [['managed resources', managed], ['claims', claims]] as const) {
    const expect = (fixture: string, status: string, message: RegExp) => {
      const v = verdicts.get(fixture);
      assert.equal(v?.status, status, `${what}: ${fixture}`);
      assert.match(v?.message ?? '', message, `${what}: ${fixture} message`);
    };
    expect('ready', 'Healthy', /^Ready$/);
    expect('creating', 'Progressing', /^creating/);
    expect('terminal-error', 'Degraded', /BucketAlreadyExists: The requested bucket name is not available/);
    expect('throttled', 'Progressing', /^throttled by the cloud, retrying: .*HTTP 503/);
    expect('references-not-ready', 'Progressing', /^waiting for a reference: .*ResourceGroup "health-missing-rg" not found/);
    expect('paused', 'Suspended', /pledge\.dev\/paused/);
    expect('deleting', 'Progressing', /^deleting/);
    expect('spec-changed', 'Progressing', /not observed yet/);
  }
});

test('kstatus (sigs.k8s.io/cli-utils) gives the expected verdict on every fixture, and a wrong expectation fails', async () => {
  const bin = await kstatusBin;
  const cases = join(REPO, 'health/flux/kstatus_test.yaml');
  const got = await check(bin, ['-cases', cases, '-root', TREE]);
  assert.ok(got.ok, got.out);
  const fixtures = await filesUnder(TREE, (f) => f.includes('/testdata/'));
  const listed = (parse(await readFile(cases, 'utf8')) as { tests: Array<{ inputPath: string }> }).tests.map((t) => join(TREE, t.inputPath)).sort();
  assert.deepEqual(listed, fixtures, 'every fixture has a kstatus verdict');
  assert.ok((got.summary.byStatus.Failed ?? 0) >= 3 && (got.summary.byStatus.InProgress ?? 0) >= 8 && (got.summary.byStatus.Current ?? 0) >= 4, JSON.stringify(got.summary.byStatus));
  console.log(`# kstatus: ${got.summary.passed} fixtures: ${JSON.stringify(got.summary.byStatus)}`);

  const copy = join(await mkdtemp(join(tmpdir(), 'pledge-kstatus-')), 'cases.yaml');
  await writeFile(copy, stringify({ tests: [{ inputPath: 's3.aws.pledge.dev/Bucket/testdata/terminal-error.yaml', status: 'Current' }] }));
  const wrong = await check(bin, ['-cases', copy, '-root', TREE]);
  assert.equal(wrong.ok, false);
  assert.match(wrong.out, /got Failed "create failed: BucketAlreadyExists/);
});

test('the health.lua copies and health/argocd/argocd-cm.yaml are what pledge argocd-health writes from health/lua', async () => {
  const fresh = await mkdtemp(join(tmpdir(), 'pledge-health-tree-'));
  await pledge(['--tree', fresh]);
  await pledge(['--tree', fresh, '--group', CLAIM_GROUP, '--kind', 'ObjectStorage', '--kind', 'XObjectStorage']);
  const generated = await filesUnder(fresh, (f) => f.endsWith('health.lua'));
  const committed = await filesUnder(TREE, (f) => f.endsWith('health.lua'));
  assert.deepEqual(committed.map((f) => relative(TREE, f)), generated.map((f) => relative(fresh, f)), 'one health.lua per kind');
  for (const f of generated) assert.equal(await readFile(join(TREE, relative(fresh, f)), 'utf8'), await readFile(f, 'utf8'), `${relative(fresh, f)} is stale`);
  assert.equal(await readFile(join(REPO, 'health/argocd/argocd-cm.yaml'), 'utf8'), await pledge([]), 'health/argocd/argocd-cm.yaml is stale');
});

test("argocd-cm snippets pass the same cases: Pledge's kinds, and pledge argocd-health --group in both forms", async () => {
  const bin = await luaBin;
  const dirs = (await readdir(TREE)).filter((d) => d !== CLAIM_GROUP).map((d) => join(TREE, d));
  const own = await check(bin, ['-cm', join(REPO, 'health/argocd/argocd-cm.yaml'), '-tests', dirs.join(',')]);
  assert.ok(own.ok, own.out);
  assert.ok(own.summary.cases >= 15, `${own.summary.cases} cases`);

  const dir = await mkdtemp(join(tmpdir(), 'pledge-argocd-cm-'));
  const claims = join(TREE, CLAIM_GROUP);
  for (const [file, args] of [
    ['wildcard.yaml', ['--group', CLAIM_GROUP]],
    ['named.yaml', ['--group', CLAIM_GROUP, '--kind', 'ObjectStorage', '--kind', 'XObjectStorage']],
  ] as const) {
    const out = await pledge([...args]);
    const cm = parse(out) as { kind: string; data: Record<string, string> };
    assert.equal(cm.kind, 'ConfigMap');
    if (file === 'wildcard.yaml') assert.deepEqual(Object.keys(cm.data), ['resource.customizations']);
    else assert.deepEqual(Object.keys(cm.data).sort(), [`resource.customizations.health.${CLAIM_GROUP}_ObjectStorage`, `resource.customizations.health.${CLAIM_GROUP}_XObjectStorage`]);
    await writeFile(join(dir, file), out);
    const got = await check(bin, ['-cm', join(dir, file), '-tests', claims]);
    assert.ok(got.ok, `${file}: ${got.out}`);
    assert.equal(got.summary.cases, (await casesOf(`${CLAIM_GROUP}/ObjectStorage`)).length + (await casesOf(`${CLAIM_GROUP}/XObjectStorage`)).length);
  }
  // The lookup is Argo CD's: the group's snippet has nothing for a Bucket.
  const other = await check(bin, ['-cm', join(dir, 'wildcard.yaml'), '-tests', join(TREE, 's3.aws.pledge.dev')]);
  assert.equal(other.ok, false);
  assert.match(other.out, /argocd-cm has no health check for s3\.aws\.pledge\.dev\/Bucket/);
});

/** Where value has something schema does not declare or allow: a fixture Pledge would no longer produce. */
function schemaProblems(value: unknown, schema: JSONSchema, path: string): string[] {
  const s = schema as JSONSchema & { 'x-kubernetes-preserve-unknown-fields'?: boolean; additionalProperties?: JSONSchema | boolean; enum?: unknown[] };
  if (s['x-kubernetes-preserve-unknown-fields']) return [];
  if (s.enum && !s.enum.includes(value)) return [`${path}: ${JSON.stringify(value)} not in ${JSON.stringify(s.enum)}`];
  switch (s.type) {
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path}: not an object`];
      const out: string[] = [];
      for (const r of s.required ?? []) if (!(r in value)) out.push(`${path}.${r}: required`);
      for (const [k, v] of Object.entries(value)) {
        const sub = s.properties?.[k] ?? (typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined);
        if (sub) out.push(...schemaProblems(v, sub, `${path}.${k}`));
        else if (s.properties || s.additionalProperties === false) out.push(`${path}.${k}: not in the schema`);
      }
      return out;
    }
    case 'array':
      return Array.isArray(value) ? value.flatMap((v, i) => (s.items ? schemaProblems(v, s.items as JSONSchema, `${path}[${i}]`) : [])) : [`${path}: not an array`];
    case 'integer':
      return Number.isInteger(value) ? [] : [`${path}: not an integer`];
    case 'string':
      return typeof value === 'string' ? [] : [`${path}: not a string`];
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${path}: not a boolean`];
    default:
      return [];
  }
}

test('every fixture matches the schema of its CRD as Pledge generates it today (spec and status)', async () => {
  const xrd = parse(await readFile(join(REPO, 'compositions/examples/object-storage/definition.yaml'), 'utf8')) as CompositeResourceDefinition;
  const crds: CustomResourceDefinition[] = [...allCrds(providers, [compositionsModule()]).values(), compositeCrd(xrd), ...[claimCrd(xrd)].filter((c) => c !== undefined)];
  const schemaOf = (group: string, kind: string): JSONSchema | undefined => {
    const crd = crds.find((c) => (c.spec as { group: string }).group === group && (c.spec as { names: { kind: string } }).names.kind === kind);
    const versions = (crd?.spec as { versions?: Array<{ schema: { openAPIV3Schema: JSONSchema } }> } | undefined)?.versions;
    return versions?.[0]?.schema.openAPIV3Schema;
  };
  const fixtures = await filesUnder(TREE, (f) => f.includes('/testdata/'));
  assert.ok(fixtures.length >= 30, `${fixtures.length} fixtures`);
  for (const file of fixtures) {
    const obj = parse(await readFile(file, 'utf8')) as { apiVersion: string; kind: string; metadata: unknown; status?: unknown };
    const [group = ''] = obj.apiVersion.split('/');
    const schema = schemaOf(group, obj.kind);
    assert.ok(schema, `${relative(TREE, file)}: no CRD for ${group}/${obj.kind}`);
    const { metadata: _m, ...rest } = obj;
    assert.deepEqual(schemaProblems(rest, schema, obj.kind), [], relative(TREE, file));
  }
  // The check looks: a status field the CRD does not have, or a condition status outside its enum, is named.
  const ready = parse(await readFile(join(TREE, 's3.aws.pledge.dev/Bucket/testdata/ready.yaml'), 'utf8')) as { status: { conditions: Array<{ status: string }> } & Record<string, unknown> };
  ready.status.phase = 'Ready';
  const first = ready.status.conditions[0];
  if (first) first.status = 'Yes';
  const bucketSchema = schemaOf('s3.aws.pledge.dev', 'Bucket');
  assert.ok(bucketSchema);
  assert.deepEqual(schemaProblems({ ...ready, metadata: undefined }, bucketSchema, 'Bucket').sort(), ['Bucket.metadata: not an object', 'Bucket.status.conditions[0].status: "Yes" not in ["True","False","Unknown"]', 'Bucket.status.phase: not in the schema'].sort());
});

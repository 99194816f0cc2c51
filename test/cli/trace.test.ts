// `pledge trace` through the real binary against the test API server: a claim made Ready on moto, a managed resource
// stopped by the cloud's error, one alone, --watch off a terminal, and bad input.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { parse } from 'yaml';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO, startController, type ControllerProcess } from '../integration/harness.ts';

const suffix = randomBytes(3).toString('hex');
const examples = join(REPO, 'compositions/examples');
const PLEDGE = join(REPO, 'bin/pledge.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function pledge(args: string[]): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [PLEDGE, ...args], { env: { ...process.env, KUBECONFIG: testEnv().kubeconfigPath }, timeout: 60_000 });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (stdout += c));
    child.stderr.setEncoding('utf8').on('data', (c: string) => (stderr += c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

interface JsonNode {
  kind: string;
  name: string;
  namespace?: string;
  exists: boolean;
  synced: string;
  ready: string;
  status: string;
  externalName?: string;
  providerConfig?: string;
  object?: Record<string, unknown> & { data?: unknown; metadata?: Record<string, unknown> };
  children: JsonNode[];
}

const bucketYaml = (name: string, providerConfig = 'default', extra = '') => `
apiVersion: s3.aws.pledge.dev/v1
kind: Bucket
metadata: {name: ${name}}
spec:
  providerConfigRef: {name: ${providerConfig}}
  forProvider: {region: us-east-1}
${extra}`;

describe('pledge trace', () => {
  let controller: ControllerProcess;
  const claim = `traced-${suffix}`;
  let xrName = '';
  let bucketName = '';

  before(async () => {
    await installCrds();
    await installAwsProviderConfig();
    controller = await startController({ pollInterval: '2s' });
    await mustKubectl(['apply', '-f', join(examples, 'object-storage/definition.yaml'), '-f', join(examples, 'object-storage/composition-aws.yaml')]);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', 'compositeresourcedefinitions.pledge.dev/xobjectstorages.platform.example.org']);
    const applied = await kubectlApply(`
apiVersion: platform.example.org/v1alpha1
kind: ObjectStorage
metadata: {name: ${claim}, namespace: default}
spec:
  region: us-east-1
  compositionSelector: {matchLabels: {provider: aws}}
  writeConnectionSecretToRef: {name: ${claim}-conn}
`);
    assert.equal(applied.code, 0, applied.stderr);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', `objectstorage/${claim}`, '-n', 'default'], { timeoutMs: 100_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-3000)}`);
    xrName = (await getJson<{ spec: { resourceRef: { name: string } } }>('objectstorage', claim, 'default'))?.spec.resourceRef.name ?? '';
    const xr = await getJson<{ spec: { resourceRefs: Array<{ kind: string; name: string }> } }>('xobjectstorage', xrName);
    bucketName = xr?.spec.resourceRefs.find((r) => r.kind === 'Bucket')?.name ?? '';
    assert.ok(xrName && bucketName, 'the claim has its composite, the composite its Bucket');
  });
  after(async () => {
    await kubectl(['delete', 'objectstorage', claim, '-n', 'default', '--wait=false']);
    await controller?.stop();
  });

  test('a Ready claim: the tree claim → composite → Bucket → Secrets, all True, with the external name and provider config', async () => {
    const run = await pledge(['trace', 'objectstorage', claim, '-n', 'default']);
    assert.equal(run.code, 0, run.stderr);
    process.stdout.write(`# pledge trace objectstorage ${claim} -n default\n${run.stdout}`);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+SYNCED\s+READY\s+STATUS\s+EXTERNAL-NAME\s+PROVIDERCONFIG\s+AGE$/);
    assert.match(lines[1] ?? '', new RegExp(`^ObjectStorage/${claim} \\(default\\)\\s+True\\s+True\\s+Available\\s+\\d+s`));
    assert.match(lines[2] ?? '', new RegExp(`^├─ XObjectStorage/${xrName}\\s+True\\s+True\\s+Available`));
    const bucketLine = lines.find((l) => l.includes(`Bucket/${bucketName}`)) ?? '';
    assert.match(bucketLine, /^│ {2}├─ Bucket\//, 'the Bucket is drawn under the composite');
    assert.match(bucketLine, new RegExp(`True\\s+True\\s+Available\\s+${bucketName}\\s+default\\s+\\d+[smh]`));
    // The claim's connection Secret is there; only its existence shows.
    const secret = await getJson<{ data: Record<string, string> }>('secret', `${claim}-conn`, 'default');
    assert.ok(secret, 'the claim secret exists');
    assert.match(lines.at(-1) ?? '', new RegExp(`^└─ Secret/${claim}-conn \\(default\\)\\s+-\\s+-\\s+Found \\(values not shown\\)`), 'the claim secret, last child of the claim');
    for (const value of Object.values(secret.data)) assert.ok(!run.stdout.includes(value), 'no secret value (base64) in the output');
  });

  test('the same tree from the composite, by kind.group and KIND/NAME; -o wide names groups and the composition', async () => {
    const run = await pledge(['trace', `XObjectStorage.platform.example.org/${xrName}`, '-o', 'wide']);
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^NAME\s+SYNCED\s+READY\s+EXTERNAL-NAME\s+PROVIDERCONFIG\s+AGE\s+COMPOSITION\s+STATUS$/);
    assert.match(lines[1] ?? '', new RegExp(`^XObjectStorage.platform.example.org/${xrName}\\s+True\\s+True\\s+\\d+[smh]\\s+objectstorage-aws @ objectstorage-aws-\\w+\\s+Available$`));
    assert.ok(lines.some((l) => l.includes(`Bucket.s3.aws.pledge.dev/${bucketName}`)), run.stdout);
    assert.ok(!lines.some((l) => l.includes('ObjectStorage/') && !l.includes('XObjectStorage')), 'a composite alone has no claim above it');
  });

  test('on a terminal (a pseudo-terminal from util-linux script): True in green (False red, Unknown yellow: unit test); NO_COLOR turns colour off', async () => {
    const onTty = (env: NodeJS.ProcessEnv) =>
      spawnSync('script', ['-qec', `${process.execPath} ${PLEDGE} trace objectstorage ${claim} -n default`, '/dev/null'], {
        encoding: 'utf8',
        env: { ...process.env, KUBECONFIG: testEnv().kubeconfigPath, TERM: 'xterm', ...env },
        timeout: 60_000,
      });
    const coloured = onTty({});
    assert.equal(coloured.status, 0, coloured.stderr);
    assert.ok(coloured.stdout.includes('\u001b[32mTrue\u001b[0m'), JSON.stringify(coloured.stdout.slice(0, 400)));
    const plain = onTty({ NO_COLOR: '1' });
    assert.equal(plain.status, 0, plain.stderr);
    assert.ok(plain.stdout.includes(`ObjectStorage/${claim}`) && !plain.stdout.includes('\u001b['), 'NO_COLOR: no codes');
    // --watch on a terminal draws in place (cursor home, clear screen) and ends with 0 on Ctrl-C (SIGINT here).
    const watched = spawnSync('script', ['-qec', `timeout --preserve-status -s INT 10 ${process.execPath} ${PLEDGE} trace objectstorage ${claim} -n default --watch`, '/dev/null'], {
      encoding: 'utf8',
      env: { ...process.env, KUBECONFIG: testEnv().kubeconfigPath, TERM: 'xterm' },
      timeout: 60_000,
    });
    assert.equal(watched.status, 0, watched.stdout);
    assert.ok(watched.stdout.includes(`\u001b[H\u001b[2JNAME`), JSON.stringify(watched.stdout.slice(0, 200)));
  });

  test('-o json is the tree as data; a Secret appears as metadata only', async () => {
    const run = await pledge(['trace', 'objectstorages', claim, '-n', 'default', '-o', 'json']);
    assert.equal(run.code, 0, run.stderr);
    const root = JSON.parse(run.stdout) as JsonNode;
    assert.equal(root.kind, 'ObjectStorage');
    assert.equal(root.ready, 'True');
    const xr = root.children.find((c) => c.kind === 'XObjectStorage');
    assert.equal(xr?.name, xrName);
    const bucket = xr?.children.find((c) => c.kind === 'Bucket');
    assert.deepEqual([bucket?.name, bucket?.externalName, bucket?.providerConfig, bucket?.synced, bucket?.ready], [bucketName, bucketName, 'default', 'True', 'True']);
    const secret = root.children.find((c) => c.kind === 'Secret');
    assert.equal(secret?.exists, true);
    assert.equal(secret?.object?.data, undefined, 'no data field');
    assert.deepEqual(Object.keys(secret?.object ?? {}), ['metadata']);
    const yamlRun = await pledge(['trace', 'objectstorages', claim, '-n', 'default', '-o', 'yaml']);
    assert.equal(yamlRun.code, 0, yamlRun.stderr);
    const fromYaml = parse(yamlRun.stdout) as JsonNode;
    assert.deepEqual([fromYaml.kind, fromYaml.children[0]?.kind, fromYaml.children[0]?.children[0]?.name], ['ObjectStorage', 'XObjectStorage', bucketName]);
    // A Secret traced by itself is read as metadata too.
    const alone = await pledge(['trace', 'secret', `${claim}-conn`, '-n', 'default', '-o', 'json']);
    assert.equal(alone.code, 0, alone.stderr);
    assert.deepEqual(Object.keys((JSON.parse(alone.stdout) as JsonNode).object ?? {}), ['metadata']);
  });

  test('--help shows examples and the exit codes', async () => {
    const help = await pledge(['trace', '--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Examples:\n {2}# a claim, its composite/);
    assert.match(help.stdout, /pledge trace objectstorage photos -n team-a/);
    assert.match(help.stdout, /Exit codes: 0 the tree was printed/);
  });

  test('a resource the composite owns but does not list in spec.resourceRefs is still in its tree (label and owner reference)', async () => {
    const xr = await getJson<{ apiVersion: string; kind: string; metadata: { uid: string } }>('xobjectstorage', xrName);
    const stray = `trace-stray-${suffix}`;
    const applied = await kubectlApply(`
apiVersion: nop.pledge.dev/v1
kind: NopResource
metadata:
  name: ${stray}
  labels: {pledge.dev/composite: ${xrName}}
  ownerReferences: [{apiVersion: ${xr?.apiVersion}, kind: ${xr?.kind}, name: ${xrName}, uid: ${xr?.metadata.uid}}]
spec:
  forProvider:
    conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "True"}]
`);
    assert.equal(applied.code, 0, applied.stderr);
    try {
      const listed = await getJson<{ spec: { resourceRefs: Array<{ name: string }> } }>('xobjectstorage', xrName);
      assert.ok(!listed?.spec.resourceRefs.some((r) => r.name === stray), 'not in resourceRefs');
      const run = await pledge(['trace', 'objectstorage', claim, '-n', 'default']);
      assert.equal(run.code, 0, run.stderr);
      assert.match(run.stdout, new RegExp(`^│ {2}[├└]─ NopResource/${stray}\\s`, 'm'), run.stdout);
    } finally {
      await kubectl(['delete', 'nopresources.nop.pledge.dev', stray, '--timeout=30s'], { timeoutMs: 40_000 });
    }
  });

  test('-o dot is a graph Graphviz reads: a node per object, an edge per parent → child', async () => {
    const run = await pledge(['trace', 'objectstorage', claim, '-n', 'default', '-o', 'dot']);
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^digraph trace \{\n[\s\S]*\}\n$/);
    const nodes = [...run.stdout.matchAll(/^ {2}(n\d+) \[label="([^"\\]|\\.)*", color=(\w+)\];$/gm)];
    const edges = [...run.stdout.matchAll(/^ {2}(n\d+) -> (n\d+);$/gm)];
    assert.ok(nodes.length >= 4, run.stdout);
    assert.equal(edges.length, nodes.length - 1, 'a tree: one edge into every node but the root');
    // Every line is a statement of these shapes: the graph is the whole output, nothing else slipped in.
    const lines = run.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 3 + nodes.length + edges.length + 1, run.stdout);
    assert.deepEqual(lines.slice(1, 3), ['  rankdir=TB;', '  node [shape=box, style="rounded,filled", fillcolor=white, fontname="Helvetica"];']);
    assert.ok(new Set(edges.flatMap((e) => [e[1], e[2]])).size === nodes.length, 'every node is on an edge');
    assert.ok(run.stdout.includes(`Bucket.s3.aws.pledge.dev\\n${bucketName}`));
    assert.ok(nodes.every((n) => n[3] === 'green'), 'all Ready: all green');
    // Graphviz itself, when the machine has it (Debian package graphviz).
    const dot = spawnSync('dot', ['-Tsvg'], { input: run.stdout, encoding: 'utf8' });
    if (!dot.error) {
      assert.equal(dot.status, 0, dot.stderr);
      assert.match(dot.stdout, /<svg/);
    }
  });

  test("a managed resource alone, stopped by the cloud's error: STATUS carries the cloud's message", async () => {
    const taken = `pledge-trace-taken-${suffix}`;
    await motoS3({ account: '111111111111' }).send(new CreateBucketCommand({ Bucket: taken }));
    assert.equal((await kubectlApply(bucketYaml(taken))).code, 0);
    await eventually(async () => (await condition('bucket.s3.aws.pledge.dev', taken, 'Synced'))?.status === 'False', 'Synced=False');
    const synced = await condition('bucket.s3.aws.pledge.dev', taken, 'Synced');
    assert.match(synced?.message ?? '', /BucketAlreadyExists/);
    const run = await pledge(['trace', 'bucket.s3.aws.pledge.dev', taken]);
    assert.equal(run.code, 0, run.stderr);
    process.stdout.write(`# pledge trace bucket.s3.aws.pledge.dev ${taken}\n${run.stdout}`);
    const row = run.stdout.split('\n')[1] ?? '';
    assert.match(row, new RegExp(`^Bucket/${taken}\\s+False\\s+\\S*\\s+TerminalError: create failed: BucketAlreadyExists`));
    assert.ok(row.includes('...'), 'the default table cuts a long message');
    const wide = await pledge(['trace', 'buckets.s3.aws.pledge.dev', taken, '-o', 'wide']);
    assert.ok(wide.stdout.includes(`TerminalError: ${synced?.message}`), `the whole message in -o wide:\n${wide.stdout}`);
    process.stdout.write(`# pledge trace buckets.s3.aws.pledge.dev ${taken} -o wide\n${wide.stdout}`);
    await kubectl(['delete', 'bucket.s3.aws.pledge.dev', taken, '--wait=false']);
  });

  test('--watch off a terminal prints a new frame when a condition changes', async () => {
    const late = `trace-late-${suffix}`;
    const name = `pledge-trace-watch-${suffix}`;
    assert.equal((await kubectlApply(bucketYaml(name, late))).code, 0);
    await eventually(async () => (await condition('bucket.s3.aws.pledge.dev', name, 'Synced'))?.status === 'False', 'Synced=False: no ProviderConfig yet');
    const child = spawn(process.execPath, [PLEDGE, 'trace', 'buckets.s3.aws.pledge.dev', name, '--watch'], { env: { ...process.env, KUBECONFIG: testEnv().kubeconfigPath } });
    let out = '';
    child.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const frames = () => out.split(/^NAME\s+SYNCED/m).slice(1);
      await eventually(async () => frames().length >= 1, 'the first frame');
      assert.match(frames()[0] ?? '', new RegExp(`Bucket/${name}\\s+False`));
      assert.ok(!out.includes('\u001b'), 'no colour or cursor codes off a terminal');
      await installAwsProviderConfig(late);
      await eventually(async () => frames().some((f) => new RegExp(`Bucket/${name}\\s+True\\s+True\\s+Available`).test(f)), 'a frame with the Bucket Synced and Ready', 60_000);
      process.stdout.write(`# pledge trace buckets.s3.aws.pledge.dev ${name} --watch\n${out}`);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0, 'Ctrl-C ends the watch cleanly');
    await kubectl(['delete', 'bucket.s3.aws.pledge.dev', name, '--wait=false']);
    await kubectl(['delete', 'providerconfigs.aws.pledge.dev', late, '--wait=false']);
  });

  test('bad input: unknown kind, missing object, ambiguous kind, bad -o, no name — exit 1 naming what', async () => {
    const unknown = await pledge(['trace', 'frobnicators', 'x']);
    assert.equal(unknown.code, 1);
    assert.equal(unknown.stderr, 'error: unknown kind "frobnicators": the API server serves no resource by that name (kubectl api-resources lists them)\n');
    const missing = await pledge(['trace', 'objectstorage', `nope-${suffix}`, '-n', 'default']);
    assert.equal(missing.code, 1);
    assert.equal(missing.stderr, `error: ObjectStorage "nope-${suffix}" not found in namespace "default" (objectstorages.platform.example.org)\n`);
    const ambiguous = await pledge(['trace', 'bucket', 'x']);
    assert.equal(ambiguous.code, 1);
    assert.match(ambiguous.stderr, /kind "bucket" is ambiguous: buckets\.s3\.aws\.m\.pledge\.dev, buckets\.s3\.aws\.pledge\.dev, buckets\.storage\.gcp\.m\.pledge\.dev, buckets\.storage\.gcp\.pledge\.dev/);
    const badOutput = await pledge(['trace', 'objectstorage', claim, '-o', 'xml']);
    assert.equal(badOutput.code, 1);
    assert.match(badOutput.stderr, /expected one of table, wide, json, yaml, dot/);
    const noName = await pledge(['trace', 'objectstorage']);
    assert.equal(noName.code, 1);
    assert.match(noName.stderr, /give its name/);
    for (const r of [unknown, missing, ambiguous, badOutput, noName]) assert.equal(r.stdout, '');
  });
});

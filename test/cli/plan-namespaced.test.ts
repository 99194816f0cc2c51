// `pledge plan` on Crossplane v2's model: a namespaced managed resource (`.m.` group) with a namespaced
// ProviderConfig, and a Namespaced composite (its composition fields under spec.crossplane) composing one. Before
// anything is applied, both plan `create` under the cloud names the controller would give; once Ready, `no change`;
// a tag changed in the files plans an `update` of exactly that field. Real binary, real moto, zero cloud writes.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { namespacedExternalName } from '../../core/managed/namespaced.ts';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { eventually, installCrds, REPO, startController, type ControllerProcess } from '../integration/harness.ts';
import { teamNamespaceYaml } from '../integration/support/team-namespace.ts';

const suffix = randomBytes(3).toString('hex');
const NS = `plan-team-${suffix}`;
const GROUP = 'platform.example.org';
const KIND = `XPlanStore${suffix}`;
const PLURAL = `xplanstore${suffix}s`;

interface Planned {
  action: string;
  kind: string;
  name: string;
  externalName?: string;
  composedBy?: string;
  fields: Array<{ path: string; from?: unknown; to?: unknown }>;
}

function plan(file: string): Promise<{ code: number; plan: { resources: Planned[] }; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [join(REPO, 'bin/pledge.ts'), 'plan', file, '-o', 'json', `--kubeconfig=${testEnv().kubeconfigPath}`], { timeout: 120_000 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, plan: stdout ? (JSON.parse(stdout) as { resources: Planned[] }) : { resources: [] }, stderr });
    });
  });
}

const setup = () => `
${teamNamespaceYaml(NS)}---
apiVersion: pledge.dev/v2
kind: CompositeResourceDefinition
metadata: {name: ${PLURAL}.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: ${KIND}, plural: ${PLURAL}}
  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {team: {type: string}}}
---
apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: plan-store-${suffix}}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1alpha1, kind: ${KIND}}
  resources:
  - name: bucket
    base:
      apiVersion: s3.aws.m.pledge.dev/v1
      kind: Bucket
      spec:
        forProvider: {region: us-east-1, tags: {team: unset}}
        providerConfigRef: {kind: ProviderConfig, name: team}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.team, toFieldPath: spec.forProvider.tags.team}
`;

// The files a team plans: a Bucket of its own and a composite; no namespace on the composite (kubectl's "default"
// would apply, so it names one).
const manifests = (tag: string) => `
apiVersion: s3.aws.m.pledge.dev/v1
kind: Bucket
metadata: {name: assets, namespace: ${NS}}
spec:
  forProvider: {region: us-east-1, tags: {owner: ${tag}}}
  providerConfigRef: {kind: ProviderConfig, name: team}
---
apiVersion: ${GROUP}/v1alpha1
kind: ${KIND}
metadata: {name: store, namespace: ${NS}}
spec:
  team: ${tag}
  crossplane: {compositionRef: {name: plan-store-${suffix}}}
`;

describe('pledge plan: namespaced managed resources and Namespaced composites', () => {
  let controller: ControllerProcess | undefined;
  let dir = '';

  before(async () => {
    await installCrds();
    dir = await mkdtemp(join(tmpdir(), 'pledge-plan-ns-'));
    const applied = await kubectlApply(setup());
    assert.equal(applied.code, 0, applied.stderr);
  });

  after(async () => {
    await kubectl(['delete', PLURAL, '--all', '-n', NS, '--timeout=60s']);
    await kubectl(['delete', 'buckets.s3.aws.m.pledge.dev', '--all', '-n', NS, '--timeout=60s']);
    await controller?.stop();
    await kubectl(['delete', 'namespace', NS, '--wait=false']);
    await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', `${PLURAL}.${GROUP}`, '--wait=false']);
  });

  test('before anything is applied: both plan create, under the names the controller would give, in the namespace', async () => {
    const file = join(dir, 'first.yaml');
    await writeFile(file, manifests('alpha'));
    const run = await plan(file);
    assert.equal(run.code, 2, `changes: exit 2\n${run.stderr}`);
    const bucket = run.plan.resources.find((r) => r.name === 'assets');
    assert.equal(bucket?.action, 'create', run.stderr);
    assert.equal(bucket?.externalName, namespacedExternalName(NS, 'assets'), 'the namespace is part of the cloud name');
    const composed = run.plan.resources.find((r) => r.composedBy !== undefined);
    assert.equal(composed?.action, 'create', run.stderr);
    assert.equal(composed?.composedBy, `${KIND} ${NS}/store`);
    assert.ok(composed?.fields.some((f) => f.path === 'tags.team' && f.to === 'alpha'), JSON.stringify(composed?.fields));
  });

  test('once applied and Ready: no change (exit 0); a tag changed in the files plans an update of that field only', async () => {
    controller = await startController({ pollInterval: '2s' });
    // The controller serves the composite's CRD from the XRD.
    await eventually(async () => (await kubectl(['wait', '--for=condition=Established', '--timeout=5s', `crd/${PLURAL}.${GROUP}`])).code === 0, `the CRD of ${KIND} served`);
    const applied = await kubectlApply(manifests('alpha'));
    assert.equal(applied.code, 0, applied.stderr);
    for (const target of ['buckets.s3.aws.m.pledge.dev/assets', `${PLURAL}/store`]) {
      const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=90s', target, '-n', NS], { timeoutMs: 100_000 });
      assert.equal(wait.code, 0, `${target}: ${wait.stderr}\n${(await controller.log()).slice(-3000)}`);
    }
    const same = join(dir, 'same.yaml');
    await writeFile(same, manifests('alpha'));
    const unchanged = await plan(same);
    assert.deepEqual(unchanged.plan.resources.map((r) => r.action), ['no change', 'no change'], unchanged.stderr);
    assert.equal(unchanged.code, 0);

    const changed = join(dir, 'changed.yaml');
    await writeFile(changed, manifests('beta'));
    const run = await plan(changed);
    assert.equal(run.code, 2, run.stderr);
    for (const r of run.plan.resources) {
      assert.equal(r.action, 'update', `${r.kind} ${r.name}: ${run.stderr}`);
      const path = r.composedBy ? 'tags.team' : 'tags.owner';
      assert.deepEqual(r.fields.map((f) => [f.path, f.from, f.to]), [[path, 'alpha', 'beta']]);
    }
  });
});

// XRD scopes (Crossplane v2): a Namespaced composite composes into its own namespace only, the same names in two
// namespaces stay apart, a template naming another namespace or a cluster-scoped kind is refused with a condition;
// a Cluster composite may compose a namespaced resource in any namespace; v2-style composites keep their composition
// fields under spec.crossplane; a claim's composed resources carry Crossplane's claim labels.
//
// The namespaced composite (App) composes another namespaced composite (Part: a pledge.dev/v2 XRD without scope, so
// Namespaced by v2's default), which composes a namespaced
// NopResource (nop.m.pledge.dev): Ready at once, with a connection secret in its own namespace, whose value comes back
// as the Part's connection secret, in the same namespace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { kubectl, kubectlApply, testEnv } from '../env/index.ts';
import { condition, eventually, getJson, installCrds, mustKubectl, REPO, startController, type ControllerProcess } from './harness.ts';

const suffix = randomBytes(3).toString('hex');
const GROUP = 'platform.example.org';
const teamA = `team-a-${suffix}`;
const teamB = `team-b-${suffix}`;

interface Obj {
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; ownerReferences?: Array<{ kind: string; name: string; controller?: boolean }> };
  spec: Record<string, unknown> & { crossplane?: { compositionRef?: { name: string }; compositionRevisionRef?: { name: string }; resourceRefs?: Array<{ kind: string; name: string; namespace?: string }> }; resourceRef?: { name: string }; resourceRefs?: Array<{ kind: string; name: string }> };
  status?: Record<string, unknown>;
}

const xrd = (kind: string, plural: string, scope: string | undefined, extra = '', version = 'v1') => `apiVersion: pledge.dev/${version}
kind: CompositeResourceDefinition
metadata: {name: ${plural}.${GROUP}}
spec:
  group: ${GROUP}
  names: {kind: ${kind}, plural: ${plural}}
${scope ? `  scope: ${scope}\n` : ''}${extra}  versions:
  - name: v1alpha1
    served: true
    referenceable: true
    schema:
      openAPIV3Schema:
        type: object
        properties:
          spec: {type: object, properties: {size: {type: string}}}
          status: {type: object, properties: {size: {type: string}}}
`;

const composition = (name: string, kind: string, resources: string) => `apiVersion: pledge.dev/v1
kind: Composition
metadata: {name: ${name}}
spec:
  compositeTypeRef: {apiVersion: ${GROUP}/v1alpha1, kind: ${kind}}
  resources: ${resources}
`;

// A Part (namespaced) composes a NopResource publishing spec.size; an App composes a Part, copying spec.size, and reads it
// back into status.
const PART = `XScopePart${suffix}`;
const APP = `XScopeApp${suffix}`;
const HOST = `XScopeHost${suffix}`;
const LEGACY = `XScopeLegacy${suffix}`;
const plural = (kind: string) => `${kind.toLowerCase()}s`;
const nop = (apiVersion: string) => `
  - name: marker
    base:
      apiVersion: ${apiVersion}
      kind: NopResource
      spec: {forProvider: {conditionAfter: [{time: 0s, conditionType: Ready, conditionStatus: "True"}], connectionDetails: [{name: size, value: unset}]}}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.size, toFieldPath: "spec.forProvider.connectionDetails[0].value"}
    connectionDetails:
    - {type: FromConnectionSecretKey, name: size, fromConnectionSecretKey: size}`;
const partTemplate = (namespace?: string) => `
  - name: part
    base: {apiVersion: ${GROUP}/v1alpha1, kind: ${PART}, metadata: {${namespace ? `namespace: ${namespace}` : ''}}, spec: {crossplane: {compositionRef: {name: part-${suffix}}}}}
    patches:
    - {type: FromCompositeFieldPath, fromFieldPath: spec.size, toFieldPath: spec.size}
    - {type: FromCompositeFieldPath, fromFieldPath: metadata.name, toFieldPath: spec.writeConnectionSecretToRef.name, transforms: [{type: string, string: {type: Format, fmt: "%s-conn"}}]}
    - {type: ToCompositeFieldPath, fromFieldPath: spec.size, toFieldPath: status.size}`;

describe('XRD scope: Namespaced, Cluster, LegacyCluster', () => {
  let controller: ControllerProcess;

  before(async () => {
    await installCrds();
    controller = await startController();
    await mustKubectl(['create', 'namespace', teamA]);
    await mustKubectl(['create', 'namespace', teamB]);
    await mustKubectl(['apply', '-f', '-'], [
      // pledge.dev/v2, as Crossplane v2's XRDs: no scope means Namespaced.
      xrd(PART, plural(PART), undefined, '', 'v2'),
      xrd(APP, plural(APP), 'Namespaced'),
      xrd(HOST, plural(HOST), 'Cluster'),
      xrd(LEGACY, plural(LEGACY), undefined, `  claimNames: {kind: ScopeLegacyClaim${suffix}, plural: scopelegacyclaim${suffix}s}\n`),
      'apiVersion: nop.m.pledge.dev/v1\nkind: ClusterProviderConfig\nmetadata: {name: default}\nspec: {}\n',
      'apiVersion: nop.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: default}\nspec: {}\n',
      composition(`part-${suffix}`, PART, nop('nop.m.pledge.dev/v1')),
      composition(`app-${suffix}`, APP, partTemplate()),
      composition(`app-elsewhere-${suffix}`, APP, partTemplate(teamB)),
      composition(`app-cluster-kind-${suffix}`, APP, nop('nop.pledge.dev/v1')),
      composition(`host-${suffix}`, HOST, partTemplate(teamA)),
      composition(`host-nowhere-${suffix}`, HOST, partTemplate()),
      composition(`legacy-${suffix}`, LEGACY, nop('nop.pledge.dev/v1')),
    ].join('---\n'));
    for (const kind of [PART, APP, HOST, LEGACY]) {
      await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', `compositeresourcedefinitions.pledge.dev/${plural(kind)}.${GROUP}`]);
    }
  });
  after(async () => {
    for (const ns of [teamA, teamB]) await kubectl(['delete', plural(APP), '--all', '-n', ns, '--timeout=60s']);
    await kubectl(['delete', `scopelegacyclaim${suffix}s`, '--all', '-n', teamA, '--timeout=60s']);
    await kubectl(['delete', plural(HOST), `host-${suffix}`, `nowhere-${suffix}`, '--timeout=60s']);
    for (const ns of [teamA, teamB]) await kubectl(['delete', plural(PART), '--all', '-n', ns, '--timeout=60s']);
    await kubectl(['delete', 'compositeresourcedefinitions.pledge.dev', ...[PART, APP, HOST, LEGACY].map((k) => `${plural(k)}.${GROUP}`), '--timeout=60s']);
    await controller?.stop();
  });

  test('the CRDs: Namespaced and Cluster composites with spec.crossplane, no claim for them; LegacyCluster as before', async () => {
    const crd = async (kind: string) => JSON.parse(await mustKubectl(['get', 'crd', `${plural(kind)}.${GROUP}`, '-o', 'json'])) as { spec: { scope: string; versions: Array<{ schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } } }> } };
    const app = await crd(APP);
    assert.equal(app.spec.scope, 'Namespaced');
    assert.ok(app.spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties.crossplane);
    assert.equal(app.spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties.compositionRef, undefined);
    assert.equal((await crd(HOST)).spec.scope, 'Cluster');
    const legacy = await crd(LEGACY);
    assert.equal(legacy.spec.scope, 'Cluster');
    assert.ok(legacy.spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties.compositionRef, 'an XRD without scope keeps the v1 layout');
    // The v2 XRD without scope is stored Namespaced, the v1 one LegacyCluster: read back through v1 (the controller's) and v2.
    const storedScope = async (kind: string, version: string) =>
      (await getJson<{ spec: { scope?: string } }>(`compositeresourcedefinitions.${version}.pledge.dev`, `${plural(kind)}.${GROUP}`))?.spec.scope;
    assert.equal(await storedScope(PART, 'v1'), 'Namespaced');
    assert.equal(await storedScope(PART, 'v2'), 'Namespaced');
    assert.equal(await storedScope(LEGACY, 'v1'), 'LegacyCluster');
    assert.equal(await storedScope(LEGACY, 'v2'), 'LegacyCluster', 'read through v2, a v1 XRD keeps its scope (not v2\'s default)');
    assert.equal((await crd(PART)).spec.scope, 'Namespaced', 'the v2 XRD without scope defines a namespaced composite');
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', `compositeresourcedefinitions.pledge.dev/${plural(LEGACY)}.${GROUP}`]);
  });

  test('claims only with LegacyCluster: the API server refuses claimNames on a Namespaced XRD', async () => {
    const refused = await kubectlApply(xrd(`XScopeBad${suffix}`, `xscopebad${suffix}s`, 'Namespaced', `  claimNames: {kind: ScopeBad${suffix}, plural: scopebad${suffix}s}\n`));
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /spec\.claimNames needs spec\.scope LegacyCluster/);
    const refusedV2 = await kubectlApply(xrd(`XScopeBadV2${suffix}`, `xscopebadv2${suffix}s`, undefined, `  claimNames: {kind: ScopeBadV2${suffix}, plural: scopebadv2${suffix}s}\n`, 'v2'));
    assert.notEqual(refusedV2.code, 0, 'a pledge.dev/v2 XRD without scope is Namespaced: no claims');
    assert.match(refusedV2.stderr, /spec\.claimNames needs spec\.scope LegacyCluster/);
  });

  const app = (namespace: string, size: string, compositionName = `app-${suffix}`) =>
    `apiVersion: ${GROUP}/v1alpha1\nkind: ${APP}\nmetadata: {name: shop, namespace: ${namespace}}\nspec: {size: ${size}, crossplane: {compositionRef: {name: ${compositionName}}}}\n`;

  test('a namespaced composite composes into its own namespace; the same names in two namespaces stay apart', async () => {
    assert.equal((await kubectlApply(app(teamA, 'small'))).code, 0);
    assert.equal((await kubectlApply(app(teamB, 'large'))).code, 0);
    for (const [ns, size] of [[teamA, 'small'], [teamB, 'large']] as const) {
      const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${plural(APP)}/shop`, '-n', ns], { timeoutMs: 70_000 });
      assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-4000)}`);
      const xr = await getJson<Obj>(plural(APP), 'shop', ns);
      assert.equal(xr?.spec.crossplane?.compositionRef?.name, `app-${suffix}`);
      assert.ok(xr?.spec.crossplane?.compositionRevisionRef?.name, 'the revision is recorded under spec.crossplane');
      assert.equal(xr?.spec.compositionRevisionRef, undefined, 'nothing written at the top of spec');
      const ref = xr?.spec.crossplane?.resourceRefs?.[0];
      assert.equal(ref?.kind, PART);
      assert.equal(ref?.namespace, undefined, "a namespaced composite's resources are in its namespace");
      const part = await getJson<Obj>(plural(PART), ref?.name ?? '', ns);
      assert.equal(part?.metadata.namespace, ns);
      assert.equal(part?.spec.size, size, 'the patch from this namespace\'s composite');
      assert.equal(part?.metadata.labels?.['crossplane.io/composite'], 'shop');
      assert.equal(part?.metadata.ownerReferences?.find((o) => o.controller)?.name, 'shop');
      assert.equal(xr?.status?.size, size, 'read back from the composed resource');
      const marker = (await getJson<Obj>(plural(PART), ref?.name ?? '', ns))?.spec.crossplane?.resourceRefs?.[0];
      assert.equal(marker?.kind, 'NopResource');
      const nopResource = await getJson<Obj>('nopresources.nop.m.pledge.dev', marker?.name ?? '', ns);
      assert.deepEqual(nopResource?.spec.writeConnectionSecretToRef, { name: marker?.name }, 'a namespaced resource\'s secret in its own namespace');
      // The NopResource's secret, read by the Part, becomes the Part's connection secret, both in this namespace.
      await eventually(async () => {
        const secret = await getJson<{ data?: Record<string, string> }>('secret', 'shop-conn', ns);
        return Buffer.from(secret?.data?.size ?? '', 'base64').toString() === size;
      }, `${ns}/shop-conn holding size ${size}`);
    }
  });

  test('a template naming another namespace is refused with a condition, nothing composed there', async () => {
    assert.equal((await kubectlApply(app(teamA, 'small', `app-elsewhere-${suffix}`).replace('name: shop,', 'name: stray,'))).code, 0);
    await eventually(async () => /names namespace "team-b-[0-9a-f]+": a namespaced composite composes into its own namespace/.test((await condition(plural(APP), 'stray', 'Synced', teamA))?.message ?? ''), 'Synced=False naming the other namespace');
    const synced = await condition(plural(APP), 'stray', 'Synced', teamA);
    assert.equal(synced?.status, 'False');
    const inB = JSON.parse(await mustKubectl(['get', plural(PART), '-n', teamB, '-o', 'json'])) as { items: Obj[] };
    assert.ok(!inB.items.some((p) => p.metadata.ownerReferences?.some((o) => o.name === 'stray')), 'nothing composed in the other namespace');
  });

  test('a cluster-scoped kind is refused for a namespaced composite', async () => {
    assert.equal((await kubectlApply(app(teamA, 'small', `app-cluster-kind-${suffix}`).replace('name: shop,', 'name: wide,'))).code, 0);
    await eventually(async () => /is cluster-scoped; a namespaced composite composes namespaced resources only/.test((await condition(plural(APP), 'wide', 'Synced', teamA))?.message ?? ''), 'Synced=False naming the cluster-scoped kind');
    const nops = JSON.parse(await mustKubectl(['get', 'nopresources.nop.pledge.dev', '-o', 'json'])) as { items: Obj[] };
    assert.ok(!nops.items.some((n) => n.metadata.ownerReferences?.some((o) => o.name === 'wide')), 'nothing composed');
  });

  test('a Cluster composite composes a namespaced resource in the namespace its template names', async () => {
    assert.equal((await kubectlApply(`apiVersion: ${GROUP}/v1alpha1\nkind: ${HOST}\nmetadata: {name: host-${suffix}}\nspec: {size: medium, crossplane: {compositionRef: {name: host-${suffix}}}}\n`)).code, 0);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${plural(HOST)}/host-${suffix}`], { timeoutMs: 70_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-4000)}`);
    const host = await getJson<Obj>(plural(HOST), `host-${suffix}`);
    const ref = host?.spec.crossplane?.resourceRefs?.[0];
    assert.equal(ref?.namespace, teamA, "a cluster composite's namespaced resource is recorded with its namespace");
    assert.equal((await getJson<Obj>(plural(PART), ref?.name ?? '', teamA))?.spec.size, 'medium');
    await eventually(async () => Buffer.from((await getJson<{ data?: Record<string, string> }>('secret', `host-${suffix}-conn`, teamA))?.data?.size ?? '', 'base64').toString() === 'medium', 'the Part\'s secret in its namespace');
  });

  test('pledge trace follows v2 composites: refs under spec.crossplane, a Cluster composite\'s namespaced resource in its namespace, .m. kinds', async () => {
    interface Node { kind: string; name: string; namespace?: string; exists: boolean; ready: string; children: Node[] }
    const trace = (args: string[]): Node => {
      const run = spawnSync(process.execPath, [join(REPO, 'bin/pledge.ts'), 'trace', ...args, '-o', 'json'], { env: { ...process.env, KUBECONFIG: testEnv().kubeconfigPath }, encoding: 'utf8', timeout: 60_000 });
      assert.equal(run.status, 0, run.stderr);
      return JSON.parse(run.stdout) as Node;
    };
    const flat = (n: Node): Node[] => [n, ...n.children.flatMap(flat)];
    const host = flat(trace([`${plural(HOST)}.${GROUP}`, `host-${suffix}`]));
    const part = host.find((n) => n.kind === PART);
    assert.equal(part?.namespace, teamA, "the Cluster composite's Part, read in the namespace its ref names");
    assert.equal(part?.exists, true);
    const nop = host.find((n) => n.kind === 'NopResource');
    assert.equal(nop?.namespace, teamA, 'the Part\'s namespaced NopResource (nop.m.pledge.dev), under spec.crossplane.resourceRefs');
    assert.equal(nop?.ready, 'True');
    const shop = flat(trace([`${plural(APP)}.${GROUP}`, 'shop', '-n', teamB]));
    assert.deepEqual(shop.filter((n) => n.kind !== 'Secret').map((n) => [n.kind, n.namespace, n.exists, n.ready]), [
      [APP, teamB, true, 'True'],
      [PART, teamB, true, 'True'],
      ['NopResource', teamB, true, 'True'],
    ]);
  });

  test('a Cluster composite composing a namespaced kind without a namespace is refused with a condition', async () => {
    assert.equal((await kubectlApply(`apiVersion: ${GROUP}/v1alpha1\nkind: ${HOST}\nmetadata: {name: nowhere-${suffix}}\nspec: {size: medium, crossplane: {compositionRef: {name: host-nowhere-${suffix}}}}\n`)).code, 0);
    await eventually(async () => /is namespaced; a cluster-scoped composite must give it metadata\.namespace/.test((await condition(plural(HOST), `nowhere-${suffix}`, 'Synced'))?.message ?? ''), 'Synced=False naming the template');
    assert.equal((await getJson<Obj>(plural(HOST), `nowhere-${suffix}`))?.spec.crossplane?.resourceRefs, undefined, 'nothing composed');
  });

  test("a claim's composed resources carry Crossplane's claim labels as well as Pledge's", async () => {
    const claimKind = `scopelegacyclaim${suffix}s`;
    assert.equal((await kubectlApply(`apiVersion: ${GROUP}/v1alpha1\nkind: ScopeLegacyClaim${suffix}\nmetadata: {name: orders, namespace: ${teamA}}\nspec: {compositionRef: {name: legacy-${suffix}}}\n`)).code, 0);
    const wait = await kubectl(['wait', '--for=condition=Ready', '--timeout=60s', `${claimKind}/orders`, '-n', teamA], { timeoutMs: 70_000 });
    assert.equal(wait.code, 0, `${wait.stderr}\n${(await controller.log()).slice(-4000)}`);
    const xrName = (await getJson<Obj>(claimKind, 'orders', teamA))?.spec.resourceRef?.name ?? '';
    const xr = await getJson<Obj>(plural(LEGACY), xrName);
    assert.equal(xr?.metadata.labels?.['crossplane.io/claim-name'], 'orders');
    const ref = xr?.spec.resourceRefs?.[0];
    const composed = await getJson<Obj>('nopresources.nop.pledge.dev', ref?.name ?? '');
    assert.deepEqual(
      Object.fromEntries(Object.entries(composed?.metadata.labels ?? {}).filter(([k]) => /claim|composite/.test(k))),
      {
        'crossplane.io/claim-name': 'orders',
        'crossplane.io/claim-namespace': teamA,
        'crossplane.io/composite': xrName,
        'pledge.dev/claim-name': 'orders',
        'pledge.dev/claim-namespace': teamA,
        'pledge.dev/composite': xrName,
      },
    );
    const selected = JSON.parse(await mustKubectl(['get', 'nopresources.nop.pledge.dev', '-l', `crossplane.io/claim-name=orders,crossplane.io/claim-namespace=${teamA}`, '-o', 'json'])) as { items: Obj[] };
    assert.deepEqual(selected.items.map((i) => i.metadata.name), [ref?.name], "a selector written for Crossplane's labels finds it");
  });
});

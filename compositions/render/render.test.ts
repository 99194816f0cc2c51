import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { render } from './render.ts';
import type { ComposedTemplate, CompositionSpec, KubeResource, ObservedComposed, RenderInput } from './types.ts';

const XR: KubeResource = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'XObjectStorage',
  metadata: { name: 'media' },
  spec: { region: 'eu-west-1', tier: 'gold' },
  status: { kept: 'yes', endpoint: { old: 'x' } },
};
const bucket = (extra: Partial<ComposedTemplate> = {}): ComposedTemplate => ({
  name: 'bucket',
  base: { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', spec: { forProvider: { region: 'us-east-1' } } },
  ...extra,
});
const observedBucket = (status: Record<string, unknown> = {}): ObservedComposed => ({
  resource: { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', metadata: { name: 'media-abc' }, spec: { forProvider: { region: 'eu-west-1' } }, status },
  connectionDetails: { password: 'pw' },
});
/** The first rendered resource's spec.forProvider; fails the test when nothing was rendered. */
function forProviderOf(result: ReturnType<typeof render>): { region: string } {
  const first = result.resources[0];
  assert.ok(first, 'no resource was rendered');
  return (first.resource.spec as { forProvider: { region: string } }).forProvider;
}
const input = (resources: ComposedTemplate[], observed: Record<string, ObservedComposed> = {}, patchSets?: CompositionSpec['patchSets']): RenderInput => ({
  composite: structuredClone(XR),
  composition: { compositeTypeRef: { apiVersion: XR.apiVersion, kind: XR.kind }, resources, ...(patchSets ? { patchSets } : {}) },
  observed,
});

describe('render', () => {
  it('renders the base with From patches and leaves metadata.name to the caller', () => {
    const result = render(input([bucket({ patches: [{ fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.region' }] })]));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.resources, [{ name: 'bucket', ready: false, resource: { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', spec: { forProvider: { region: 'eu-west-1' } } } }]);
  });

  it('keeps the name of an existing composed resource, even against a patch to metadata.name', () => {
    const result = render(input([bucket({ patches: [{ fromFieldPath: 'spec.tier', toFieldPath: 'metadata.name' }] })], { bucket: observedBucket() }));
    assert.deepEqual(result.resources[0]?.resource.metadata, { name: 'media-abc' });
    const fresh = render(input([bucket({ patches: [{ fromFieldPath: 'spec.tier', toFieldPath: 'metadata.name' }] })]));
    assert.deepEqual(fresh.resources[0]?.resource.metadata, { name: 'gold' }, 'a new resource takes the patched name');
  });

  it('lets a later template of the same name replace an earlier one, as P&T’s desired state is keyed by name', () => {
    const later = bucket({ base: { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', spec: { later: true } } });
    const result = render(input([bucket(), later]));
    assert.deepEqual(result.resources.map((r) => r.resource.spec), [{ later: true }]);
  });

  it('never mutates its input', () => {
    const i = input(
      [bucket({ patches: [{ fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.region' }, { type: 'ToCompositeFieldPath', fromFieldPath: 'status.arn', toFieldPath: 'status.endpoint.arn' }] })],
      { bucket: observedBucket({ arn: 'a' }) },
    );
    const before = structuredClone(i);
    const result = render(i);
    assert.deepEqual(i, before);
    forProviderOf(result).region = 'changed';
    (result.composite.status as Record<string, unknown>).kept = 'changed';
    assert.deepEqual(i, before, 'the result shares nothing with the input');
  });

  it('merges ToComposite results into the XR status, keeping what the XR had', () => {
    const result = render(input([bucket({ patches: [{ type: 'ToCompositeFieldPath', fromFieldPath: 'status.arn', toFieldPath: 'status.endpoint.arn' }] })], { bucket: observedBucket({ arn: 'arn:x' }) }));
    assert.deepEqual(result.composite.status, { kept: 'yes', endpoint: { old: 'x', arn: 'arn:x' } });
    assert.deepEqual(result.desiredComposite, { apiVersion: XR.apiVersion, kind: XR.kind, status: { endpoint: { arn: 'arn:x' } } });
  });

  it('drops ToComposite writes into spec from the XR, as Crossplane does, but shows them in desiredComposite', () => {
    const result = render(input([bucket({ patches: [{ type: 'ToCompositeFieldPath', fromFieldPath: 'status.arn', toFieldPath: 'spec.arn' }] })], { bucket: observedBucket({ arn: 'arn:x' }) }));
    assert.deepEqual(result.composite.spec, XR.spec);
    assert.deepEqual((result.desiredComposite as Record<string, unknown>).spec, { arn: 'arn:x' });
  });

  it('runs no To patch and reports not ready while the composed resource does not exist', () => {
    const result = render(input([bucket({ patches: [{ type: 'ToCompositeFieldPath', fromFieldPath: 'status.arn', toFieldPath: 'status.arn' }], readinessChecks: [{ type: 'None' }] })]));
    assert.deepEqual(result.composite.status, XR.status);
    assert.equal(result.resources[0]?.ready, false);
  });

  it('checks readiness and extracts connection details from the observed resource', () => {
    const template = bucket({
      readinessChecks: [{ type: 'MatchString', fieldPath: 'status.state', matchString: 'ok' }],
      connectionDetails: [
        { name: 'pw', type: 'FromConnectionSecretKey', fromConnectionSecretKey: 'password' },
        { name: 'name', type: 'FromFieldPath', fromFieldPath: 'metadata.name' },
      ],
    });
    const result = render(input([template], { bucket: observedBucket({ state: 'ok' }) }));
    assert.equal(result.resources[0]?.ready, true);
    assert.deepEqual(result.connectionDetails, { pw: 'pw', name: 'media-abc' });
  });

  it('lets a later template’s connection detail win', () => {
    const first = bucket({ connectionDetails: [{ name: 'k', type: 'FromValue', value: 'first' }] });
    const second = { ...bucket(), name: 'second', connectionDetails: [{ name: 'k', type: 'FromValue', value: 'second' }] } as ComposedTemplate;
    const result = render(input([first, second], { bucket: observedBucket(), second: observedBucket() }));
    assert.deepEqual(result.connectionDetails, { k: 'second' });
  });

  it('skips an optional patch whose source is missing', () => {
    const result = render(input([bucket({ patches: [{ fromFieldPath: 'spec.missing', toFieldPath: 'spec.forProvider.region' }] })]));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.warnings, []);
    assert.equal(forProviderOf(result).region, 'us-east-1');
  });

  it('holds back a new resource whose Required source is missing, with P&T’s warning', () => {
    const result = render(input([bucket({ patches: [{ fromFieldPath: 'spec.kms', toFieldPath: 'spec.forProvider.kms', policy: { fromFieldPath: 'Required' } }] })]));
    assert.deepEqual(result.errors, []);
    assert.deepEqual(result.resources, []);
    assert.deepEqual(result.skipped, ['bucket']);
    assert.deepEqual(result.warnings, [
      {
        resource: 'bucket',
        fatal: false,
        message: `not adding new composed resource "bucket" to desired state because "FromCompositeFieldPath" patch at index 0 has 'policy.fromFieldPath: Required': spec.kms: no such field`,
      },
    ]);
  });

  it('keeps an existing resource when a Required source is missing, ignoring that patch with a warning', () => {
    const result = render(input([bucket({ patches: [{ fromFieldPath: 'spec.kms', toFieldPath: 'spec.forProvider.kms', policy: { fromFieldPath: 'Required' } }] })], { bucket: observedBucket() }));
    assert.equal(result.resources.length, 1);
    assert.deepEqual(result.skipped, []);
    assert.match(result.warnings?.[0]?.message ?? '', /ignoring 'policy.fromFieldPath: Required' because 'to' resource already exists: spec.kms: no such field$/);
  });

  it('reports a failing transform as fatal, naming the template and the patch index after PatchSets are inlined', () => {
    const patchSets = [{ name: 'common', patches: [{ fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.region' }, { fromFieldPath: 'spec.region', toFieldPath: 'metadata.labels.region' }] }];
    const broken = bucket({ patches: [{ type: 'PatchSet', patchSetName: 'common' }, { fromFieldPath: 'spec.tier', toFieldPath: 'spec.forProvider.class', transforms: [{ type: 'map', map: { silver: 'S' } }] }] });
    const result = render(input([broken], {}, patchSets));
    assert.deepEqual(result.errors, [
      {
        resource: 'bucket',
        fatal: true,
        message: 'cannot render composed resource "bucket" "FromCompositeFieldPath" patch at index 2: transform at index 0 returned error: map transform could not resolve: key gold is not found in map',
      },
    ]);
    assert.deepEqual(result.resources, [], 'a failed template is not rendered');
  });

  it('collects one fatal error per broken template and still renders the others', () => {
    const bad = (name: string): ComposedTemplate => ({ ...bucket(), name, patches: [{ fromFieldPath: 'spec.region', toFieldPath: 'spec.x', transforms: [{ type: 'convert', convert: { toType: 'int64' } }] }] }) as ComposedTemplate;
    const result = render(input([bad('a'), bucket(), bad('c')]));
    assert.deepEqual(
      result.errors.map((e) => [e.resource, e.message]),
      [
        ['a', 'cannot render composed resource "a" "FromCompositeFieldPath" patch at index 0: transform at index 0 returned error: convert transform could not resolve: strconv.ParseInt: parsing "eu-west-1": invalid syntax'],
        ['c', 'cannot render composed resource "c" "FromCompositeFieldPath" patch at index 0: transform at index 0 returned error: convert transform could not resolve: strconv.ParseInt: parsing "eu-west-1": invalid syntax'],
      ],
    );
    assert.deepEqual(result.resources.map((r) => r.name), ['bucket']);
  });

  it('reports invalid input per template, as P&T words it', () => {
    const result = render(input([bucket(), { ...bucket(), name: 'two', patches: [{ type: 'CombineFromComposite', toFieldPath: 'x' }] } as ComposedTemplate]));
    assert.deepEqual(result.errors, [{ resource: 'two', fatal: true, message: 'invalid Function input: resources[1].patches[0].combine: Required value: combine must be set for patch type CombineFromComposite' }]);
  });

  it('refuses a reference to a PatchSet that does not exist', () => {
    const result = render(input([bucket({ patches: [{ type: 'PatchSet', patchSetName: 'nope' }] })]));
    assert.deepEqual(result.errors, [{ resource: 'bucket', fatal: true, message: 'cannot resolve PatchSets: cannot find PatchSet by name nope' }]);
  });

  it('refuses a composition without resources', () => {
    assert.equal(render(input([])).errors[0]?.message, 'invalid Function input: resources: Required value: resources or environment patches are required');
  });

  it('refuses a template whose base has no kind', () => {
    const result = render(input([{ name: 'x', base: { apiVersion: 'v1' } } as unknown as ComposedTemplate]));
    assert.match(result.errors[0]?.message ?? '', /^cannot parse base template of composed resource "x": Object 'Kind' is missing/);
  });

  it('reports a readiness check that cannot run as a warning and the resource as not ready', () => {
    const result = render(input([bucket({ readinessChecks: [{ type: 'MatchTrue', fieldPath: 'status.ok' }] })], { bucket: observedBucket({ ok: 'yes' }) }));
    assert.deepEqual(result.errors, []);
    assert.equal(result.resources[0]?.ready, false);
    assert.deepEqual(result.warnings?.map((w) => w.message), ['cannot check readiness of composed resource "bucket": cannot run readiness check at index 0: status.ok: not a bool']);
  });
});

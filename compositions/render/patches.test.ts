import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isNotFound } from './field-path.ts';
import type { JsonObject } from './json-value.ts';
import { applyComposedPatch, resolvePatchSets, type PatchTargets } from './patches.ts';
import type { Patch } from './types.ts';

const XR: JsonObject = {
  apiVersion: 'platform.example.org/v1alpha1',
  kind: 'XObjectStorage',
  metadata: { name: 'media', labels: { 'team.example.org/name': 'a' } },
  spec: { region: 'eu-west-1', size: 20, tags: { env: 'prod' }, list: ['x'], names: ['a', 'b'] },
};
const OBSERVED: JsonObject = {
  apiVersion: 's3.aws.pledge.dev/v1',
  kind: 'Bucket',
  metadata: { name: 'media-x7k2p', annotations: { 'pledge.dev/external-name': 'media-x7k2p' } },
  status: { atProvider: { arn: 'arn:aws:s3:::media-x7k2p', region: 'eu-west-1' } },
};
const BASE: JsonObject = { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', spec: { forProvider: { region: 'us-east-1', tags: { managed: 'pledge' }, rules: [{ id: 'r1' }, { id: 'r2' }] } } };

function targets(observed: JsonObject | undefined): PatchTargets {
  return {
    observedComposite: structuredClone(XR),
    desiredComposite: { apiVersion: XR.apiVersion as string, kind: XR.kind as string },
    observedComposed: observed && structuredClone(observed),
    desiredComposed: structuredClone(BASE),
    environment: { apiVersion: 'internal.crossplane.io/v1alpha1', kind: 'Environment' },
  };
}

interface Case {
  reason: string;
  patch: Patch;
  observed?: JsonObject | null;
  /** [path, value] pairs expected in the desired composed resource / desired XR afterwards. */
  composed?: JsonObject;
  composite?: JsonObject;
  err?: string;
  notFound?: boolean;
}

const cases: Case[] = [
  {
    reason: 'FromCompositeFieldPath copies from the XR into the composed resource',
    patch: { type: 'FromCompositeFieldPath', fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.region' },
    composed: { ...BASE, spec: { forProvider: { ...(BASE.spec as { forProvider: JsonObject }).forProvider, region: 'eu-west-1' } } },
  },
  {
    reason: 'the type defaults to FromCompositeFieldPath and toFieldPath to fromFieldPath',
    patch: { fromFieldPath: 'spec.region' },
    composed: { ...BASE, spec: { ...(BASE.spec as JsonObject), region: 'eu-west-1' } },
  },
  {
    reason: 'a key with dots in brackets',
    patch: { fromFieldPath: 'metadata.labels[team.example.org/name]', toFieldPath: 'metadata.labels[team.example.org/name]' },
    composed: { ...BASE, metadata: { labels: { 'team.example.org/name': 'a' } } },
  },
  {
    reason: 'a missing source is reported as not found (the caller skips the patch)',
    patch: { fromFieldPath: 'spec.missing', toFieldPath: 'spec.forProvider.x' },
    err: 'spec.missing: no such field',
    notFound: true,
  },
  {
    reason: 'a transform failure is a real error',
    patch: { fromFieldPath: 'spec.region', toFieldPath: 'spec.x', transforms: [{ type: 'map', map: { a: 'b' } }] },
    err: 'transform at index 0 returned error: map transform could not resolve: key eu-west-1 is not found in map',
    notFound: false,
  },
  {
    reason: 'writing through a string is an error wrapped as P&T does',
    patch: { fromFieldPath: 'spec.region', toFieldPath: 'apiVersion.x' },
    err: 'cannot patch to object: apiVersion is not an object',
  },
  {
    reason: 'MergeObjects merges into the base',
    patch: { fromFieldPath: 'spec.tags', toFieldPath: 'spec.forProvider.tags', policy: { toFieldPath: 'MergeObjects' } },
    composed: { ...BASE, spec: { forProvider: { ...(BASE.spec as { forProvider: JsonObject }).forProvider, tags: { managed: 'pledge', env: 'prod' } } } },
  },
  {
    reason: 'a [*] toFieldPath overwrites that field in every element of an existing array',
    patch: { fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.rules[*].id' },
    composed: { ...BASE, spec: { forProvider: { ...(BASE.spec as { forProvider: JsonObject }).forProvider, rules: [{ id: 'eu-west-1' }, { id: 'eu-west-1' }] } } },
  },
  {
    reason: 'a [*] toFieldPath only reaches fields that exist already (crossplane-runtime expands existing paths only)',
    patch: { fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.rules[*].region' },
    err: 'cannot expand ToFieldPath spec.forProvider.rules[*].region',
    notFound: false,
  },
  {
    reason: 'a [*] toFieldPath over a missing array is an error (P&T cannot expand it)',
    patch: { fromFieldPath: 'spec.region', toFieldPath: 'spec.forProvider.missing[*].region' },
    err: 'cannot expand ToFieldPath spec.forProvider.missing[*].region',
    notFound: false,
  },
  {
    reason: 'ToCompositeFieldPath copies from the observed composed resource into the desired XR',
    patch: { type: 'ToCompositeFieldPath', fromFieldPath: 'status.atProvider.arn', toFieldPath: 'status.arn' },
    composite: { apiVersion: XR.apiVersion as string, kind: XR.kind as string, status: { arn: 'arn:aws:s3:::media-x7k2p' } },
  },
  {
    reason: 'ToCompositeFieldPath does nothing until the composed resource exists',
    patch: { type: 'ToCompositeFieldPath', fromFieldPath: 'status.atProvider.arn', toFieldPath: 'status.arn' },
    observed: null,
    composite: { apiVersion: XR.apiVersion as string, kind: XR.kind as string },
  },
  {
    reason: 'CombineFromComposite formats several XR fields',
    patch: { type: 'CombineFromComposite', combine: { variables: [{ fromFieldPath: 'metadata.name' }, { fromFieldPath: 'spec.region' }], strategy: 'string', string: { fmt: '%s-%s' } }, toFieldPath: 'metadata.annotations[name]' },
    composed: { ...BASE, metadata: { annotations: { name: 'media-eu-west-1' } } },
  },
  {
    reason: 'CombineFromComposite formats numbers as float64, as P&T does',
    patch: { type: 'CombineFromComposite', combine: { variables: [{ fromFieldPath: 'spec.size' }], strategy: 'string', string: { fmt: '%d-%v' } }, toFieldPath: 'spec.label' },
    composed: { ...BASE, spec: { ...(BASE.spec as JsonObject), label: '%!d(float64=20)-%!v(MISSING)' } },
  },
  {
    reason: 'CombineFromComposite with any variable missing is not found',
    patch: { type: 'CombineFromComposite', combine: { variables: [{ fromFieldPath: 'spec.region' }, { fromFieldPath: 'spec.zone' }], strategy: 'string', string: { fmt: '%s-%s' } }, toFieldPath: 'spec.x' },
    err: 'spec.zone: no such field',
    notFound: true,
  },
  {
    reason: 'CombineToComposite reads the observed composed resource',
    patch: { type: 'CombineToComposite', combine: { variables: [{ fromFieldPath: 'status.atProvider.region' }, { fromFieldPath: 'metadata.name' }], strategy: 'string', string: { fmt: 'https://%s/%s' } }, toFieldPath: 'status.url' },
    composite: { apiVersion: XR.apiVersion as string, kind: XR.kind as string, status: { url: 'https://eu-west-1/media-x7k2p' } },
  },
  {
    reason: 'an unsupported combine strategy',
    patch: { type: 'CombineFromComposite', combine: { variables: [{ fromFieldPath: 'spec.region' }], strategy: 'concat' as 'string' }, toFieldPath: 'spec.x' },
    err: 'combine strategy concat is not supported',
  },
  {
    reason: 'FromEnvironmentFieldPath reads an empty environment: not found',
    patch: { type: 'FromEnvironmentFieldPath', fromFieldPath: 'region', toFieldPath: 'spec.region' },
    err: 'region: no such field',
    notFound: true,
  },
];

describe('applyComposedPatch', () => {
  for (const c of cases) {
    it(c.reason, () => {
      const t = targets(c.observed === null ? undefined : (c.observed ?? OBSERVED));
      if (c.err !== undefined) {
        let caught: unknown;
        try {
          applyComposedPatch(c.patch, t);
        } catch (err: unknown) {
          caught = err;
        }
        assert.ok(caught instanceof Error, 'expected an error');
        assert.equal(caught.message, c.err);
        if (c.notFound !== undefined) assert.equal(isNotFound(caught), c.notFound);
        return;
      }
      applyComposedPatch(c.patch, t);
      if (c.composed) assert.deepEqual(t.desiredComposed, c.composed);
      if (c.composite) assert.deepEqual(t.desiredComposite, c.composite);
      assert.deepEqual(t.observedComposite, XR, 'the observed XR must not change');
      if (t.observedComposed) assert.deepEqual(t.observedComposed, OBSERVED, 'the observed composed resource must not change');
    });
  }
});

describe('resolvePatchSets', () => {
  const sets = new Map<string, Patch[]>([['common', [{ fromFieldPath: 'spec.region' }, { type: 'ToCompositeFieldPath', fromFieldPath: 'status.x' }]]]);
  it('inlines a patch set where it is referenced, defaulting its patch types', () => {
    const got = resolvePatchSets([{ fromFieldPath: 'a' }, { type: 'PatchSet', patchSetName: 'common' }, { fromFieldPath: 'b' }], sets);
    assert.deepEqual(
      got.map((p) => [p.type, p.fromFieldPath]),
      [
        [undefined, 'a'],
        ['FromCompositeFieldPath', 'spec.region'],
        ['ToCompositeFieldPath', 'status.x'],
        [undefined, 'b'],
      ],
    );
  });
  it('refuses an unknown patch set', () => {
    assert.throws(() => resolvePatchSets([{ type: 'PatchSet', patchSetName: 'nope' }], sets), { message: 'cannot resolve PatchSets: cannot find PatchSet by name nope' });
  });
});

// Input validation, with P&T's messages (Kubernetes field errors under "invalid Function input").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ComposedTemplate } from './types.ts';
import { patchSetProblem, templateProblem } from './validate.ts';

const base = { apiVersion: 'v1', kind: 'ConfigMap' };
const withPatch = (patch: Record<string, unknown>): ComposedTemplate => ({ name: 'r', base, patches: [patch] }) as ComposedTemplate;
const withTransform = (transform: Record<string, unknown>): ComposedTemplate => withPatch({ fromFieldPath: 'spec.a', transforms: [transform] });

const PREFIX = 'invalid Function input: resources[0]';

const cases: Array<{ reason: string; template: ComposedTemplate; want?: string }> = [
  { reason: 'a valid template', template: withPatch({ fromFieldPath: 'spec.a', toFieldPath: 'spec.b', policy: { fromFieldPath: 'Required', toFieldPath: 'MergeObjects' } }) },
  { reason: 'a template needs a name', template: { base } as unknown as ComposedTemplate, want: `${PREFIX}.name: Required value: name is required` },
  { reason: 'a FromCompositeFieldPath patch needs fromFieldPath', template: withPatch({ toFieldPath: 'spec.b' }), want: `${PREFIX}.patches[0].fromFieldPath: Required value: fromFieldPath must be set for patch type FromCompositeFieldPath` },
  { reason: 'an unknown patch type', template: withPatch({ type: 'FromSecret' }), want: `${PREFIX}.patches[0].type: Invalid value: "FromSecret": unknown patch type` },
  { reason: 'a PatchSet reference needs a name', template: withPatch({ type: 'PatchSet' }), want: `${PREFIX}.patches[0].patchSetName: Required value: patchSetName must be set for patch type PatchSet` },
  { reason: 'a combine patch needs combine', template: withPatch({ type: 'CombineFromComposite', toFieldPath: 'x' }), want: `${PREFIX}.patches[0].combine: Required value: combine must be set for patch type CombineFromComposite` },
  {
    reason: 'a combine patch needs toFieldPath',
    template: withPatch({ type: 'CombineToComposite', combine: { strategy: 'string', string: { fmt: '%s' }, variables: [{ fromFieldPath: 'a' }] } }),
    want: `${PREFIX}.patches[0].toFieldPath: Required value: toFieldPath must be set for patch type CombineToComposite`,
  },
  {
    reason: 'a combine needs variables',
    template: withPatch({ type: 'CombineFromComposite', toFieldPath: 'x', combine: { strategy: 'string', string: { fmt: '%s' }, variables: [] } }),
    want: `${PREFIX}.patches[0].combine.variables: Required value: at least one variable must be provided`,
  },
  {
    reason: 'a combine variable needs fromFieldPath',
    template: withPatch({ type: 'CombineFromComposite', toFieldPath: 'x', combine: { strategy: 'string', string: { fmt: '%s' }, variables: [{}] } }),
    want: `${PREFIX}.patches[0].combine.variables[0].fromFieldPath: Required value: fromFieldPath must be set for each combine variable`,
  },
  {
    reason: 'an unknown combine strategy',
    template: withPatch({ type: 'CombineFromComposite', toFieldPath: 'x', combine: { strategy: 'concat', variables: [{ fromFieldPath: 'a' }] } }),
    want: `${PREFIX}.patches[0].combine.strategy: Invalid value: "concat": unknown strategy type`,
  },
  { reason: 'an unknown toFieldPath policy', template: withPatch({ fromFieldPath: 'a', policy: { toFieldPath: 'Overlay' } }), want: `${PREFIX}.patches[0].policy.toFieldPathPolicy: Invalid value: "Overlay": unknown toFieldPathPolicy` },
  { reason: 'an unknown fromFieldPath policy', template: withPatch({ fromFieldPath: 'a', policy: { fromFieldPath: 'Maybe' } }), want: `${PREFIX}.patches[0].policy.fromFieldPathPolicy: Invalid value: "Maybe": unknown fromFieldPathPolicy` },
  { reason: 'an unknown transform type', template: withTransform({ type: 'lookup' }), want: `${PREFIX}.patches[0].transforms[0].type: Invalid value: "lookup": unknown transform type` },
  { reason: 'a math transform needs a type', template: withTransform({ type: 'math', math: { multiply: 2 } }), want: `${PREFIX}.patches[0].transforms[0].math.type: Required value: math transform type is required` },
  {
    reason: 'a Multiply needs multiply',
    template: withTransform({ type: 'math', math: { type: 'Multiply' } }),
    want: `${PREFIX}.patches[0].transforms[0].math.multiply: Required value: must specify a value if a multiply math transform is specified`,
  },
  { reason: 'a map needs pairs', template: withTransform({ type: 'map', map: {} }), want: `${PREFIX}.patches[0].transforms[0].map.pairs: Required value: at least one pair must be specified if a map transform is specified` },
  {
    reason: 'a match needs patterns',
    template: withTransform({ type: 'match', match: { patterns: [] } }),
    want: `${PREFIX}.patches[0].transforms[0].match.patterns: Required value: at least one pattern must be specified if a match transform is specified`,
  },
  {
    reason: 'a regexp pattern must compile (as RE2: no look-ahead)',
    template: withTransform({ type: 'match', match: { patterns: [{ type: 'regexp', regexp: 'a(?=b)', result: 1 }] } }),
    want: `${PREFIX}.patches[0].transforms[0].match.patterns[0].regexp: Invalid value: "a(?=b)": invalid regexp`,
  },
  { reason: 'a string transform needs a type', template: withTransform({ type: 'string', string: { fmt: '%s' } }), want: `${PREFIX}.patches[0].transforms[0].string.type: Required value: string transform type is required` },
  { reason: 'a Format needs fmt', template: withTransform({ type: 'string', string: { type: 'Format' } }), want: `${PREFIX}.patches[0].transforms[0].string.fmt: Required value: format transform requires a format` },
  {
    reason: 'a Replace needs a search string',
    template: withTransform({ type: 'string', string: { type: 'Replace', replace: { search: '', replace: 'x' } } }),
    want: `${PREFIX}.patches[0].transforms[0].string.replace.search: Required value: replace transform requires a search`,
  },
  { reason: 'a convert needs a known type', template: withTransform({ type: 'convert', convert: { toType: 'uint' } }), want: `${PREFIX}.patches[0].transforms[0].convert.toType: Invalid value: "uint": invalid type` },
  { reason: 'a convert needs a known format', template: withTransform({ type: 'convert', convert: { toType: 'string', format: 'yaml' } }), want: `${PREFIX}.patches[0].transforms[0].convert.format: Invalid value: "yaml": invalid format` },
  {
    reason: 'an unknown readiness check type',
    template: { name: 'r', base, readinessChecks: [{ type: 'MatchFloat' }] } as unknown as ComposedTemplate,
    want: `${PREFIX}.readinessChecks[0].type: Invalid value: "MatchFloat": unknown readiness check type`,
  },
  {
    reason: 'a MatchString check needs matchString',
    template: { name: 'r', base, readinessChecks: [{ type: 'MatchString', fieldPath: 'a' }] } as unknown as ComposedTemplate,
    want: `${PREFIX}.readinessChecks[0].matchString: Required value: cannot be nil for type MatchString`,
  },
  {
    reason: 'a NonEmpty check needs fieldPath',
    template: { name: 'r', base, readinessChecks: [{ type: 'NonEmpty' }] } as unknown as ComposedTemplate,
    want: `${PREFIX}.readinessChecks[0].fieldPath: Required value: cannot be empty`,
  },
  {
    reason: 'a MatchCondition check needs a status',
    template: { name: 'r', base, readinessChecks: [{ type: 'MatchCondition', matchCondition: { type: 'Ready' } }] } as unknown as ComposedTemplate,
    want: `${PREFIX}.readinessChecks[0].matchCondition.status: Required value: cannot be empty for type MatchCondition`,
  },
  {
    reason: 'a connection detail whose type cannot be inferred',
    template: { name: 'r', base, connectionDetails: [{ name: 'x' }] } as unknown as ComposedTemplate,
    want: `${PREFIX}.connectionDetails[0].type: Required value: connection detail type is required`,
  },
  {
    reason: 'a FromValue detail needs a value',
    template: { name: 'r', base, connectionDetails: [{ name: 'x', type: 'FromValue' }] } as unknown as ComposedTemplate,
    want: `${PREFIX}.connectionDetails[0].value: Required value: value connection detail requires a value`,
  },
  {
    reason: 'a detail needs a name unless its secret key gives one',
    template: { name: 'r', base, connectionDetails: [{ type: 'FromFieldPath', fromFieldPath: 'a' }] } as unknown as ComposedTemplate,
    want: `${PREFIX}.connectionDetails[0].name: Required value: name is required`,
  },
];

describe('templateProblem', () => {
  for (const c of cases) {
    it(c.reason, () => {
      assert.equal(templateProblem(c.template, 0), c.want);
    });
  }
});

describe('patchSetProblem', () => {
  it('refuses a PatchSet inside a PatchSet', () => {
    assert.equal(
      patchSetProblem({ name: 'ps', patches: [{ type: 'PatchSet', patchSetName: 'other' }] }),
      'invalid Function input: patches[0].type: Invalid value: "PatchSet": patch type *v1beta1.PatchSetPatch does not support patch of type PatchSet',
    );
  });
  it('needs a name', () => {
    assert.equal(patchSetProblem({ patches: [] }), 'invalid Function input: name: Required value: name is required');
  });
  it('accepts a valid patch set', () => {
    assert.equal(patchSetProblem({ name: 'ps', patches: [{ fromFieldPath: 'a' }] }), undefined);
  });
});

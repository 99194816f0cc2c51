import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { policiesEqual, policyProblem } from './bucket-policy.ts';

const doc = (statement: unknown, extra: Record<string, unknown> = {}) => JSON.stringify({ Version: '2012-10-17', ...extra, Statement: statement });
const read = { Sid: 'Read', Effect: 'Allow', Principal: '*', Action: 's3:GetObject', Resource: 'arn:aws:s3:::b/*' };

describe('policiesEqual', () => {
  const cases: Array<{ reason: string; desired: string; observed: string; want: boolean }> = [
    { reason: 'the same text is equal', desired: doc([read]), observed: doc([read]), want: true },
    { reason: 'whitespace is not meaning: S3 strips it', desired: JSON.stringify(JSON.parse(doc([read])), null, 2), observed: doc([read]), want: true },
    {
      reason: 'key order is not meaning',
      desired: JSON.stringify({ Statement: [{ Resource: read.Resource, Action: read.Action, Principal: '*', Effect: 'Allow', Sid: 'Read' }], Version: '2012-10-17' }),
      observed: doc([read]),
      want: true,
    },
    { reason: 'a one-element Action list is what S3 stores as a scalar', desired: doc([{ ...read, Action: ['s3:GetObject'] }]), observed: doc([read]), want: true },
    { reason: 'a one-element Resource list is what S3 stores as a scalar', desired: doc([{ ...read, Resource: ['arn:aws:s3:::b/*'] }]), observed: doc([read]), want: true },
    {
      reason: 'a one-element principal list is what S3 stores as a scalar',
      desired: doc([{ ...read, Principal: { AWS: ['arn:aws:iam::123456789012:role/app'] } }]),
      observed: doc([{ ...read, Principal: { AWS: 'arn:aws:iam::123456789012:role/app' } }]),
      want: true,
    },
    {
      reason: 'S3 rewrites a bare account id principal as the account root ARN',
      desired: doc([{ ...read, Principal: { AWS: '123456789012' } }]),
      observed: doc([{ ...read, Principal: { AWS: 'arn:aws:iam::123456789012:root' } }]),
      want: true,
    },
    {
      reason: 'the order of actions in a list has no meaning',
      desired: doc([{ ...read, Action: ['s3:GetObject', 's3:ListBucket'] }]),
      observed: doc([{ ...read, Action: ['s3:ListBucket', 's3:GetObject'] }]),
      want: true,
    },
    { reason: 'a single Statement object is a one-statement list', desired: doc(read), observed: doc([read]), want: true },
    {
      reason: 'the order of statements has no meaning',
      desired: doc([read, { ...read, Sid: 'List', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }]),
      observed: doc([{ ...read, Sid: 'List', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::b' }, read]),
      want: true,
    },
    {
      reason: 'condition values are stored as strings, one-element lists as scalars',
      desired: doc([{ ...read, Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': [false] } } }]),
      observed: doc([{ ...read, Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }]),
      want: true,
    },
    { reason: 'another action is drift', desired: doc([read]), observed: doc([{ ...read, Action: 's3:PutObject' }]), want: false },
    { reason: 'an extra action is drift', desired: doc([read]), observed: doc([{ ...read, Action: ['s3:GetObject', 's3:PutObject'] }]), want: false },
    { reason: 'Allow against Deny is drift', desired: doc([read]), observed: doc([{ ...read, Effect: 'Deny' }]), want: false },
    { reason: 'an extra statement is drift', desired: doc([read]), observed: doc([read, { ...read, Sid: 'Two' }]), want: false },
    { reason: 'another Sid is drift (Sids are part of the document)', desired: doc([read]), observed: doc([{ ...read, Sid: 'Other' }]), want: false },
    {
      reason: 'Principal "*" and {AWS: "*"} are kept apart: S3 does not rewrite one as the other',
      desired: doc([read]),
      observed: doc([{ ...read, Principal: { AWS: '*' } }]),
      want: false,
    },
    { reason: 'another condition value is drift', desired: doc([{ ...read, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } }]), observed: doc([{ ...read, Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/16' } } }]), want: false },
    { reason: 'a missing Version is drift: it changes how variables are read', desired: doc([read]), observed: JSON.stringify({ Statement: [read] }), want: false },
    { reason: 'text that does not parse equals only itself', desired: '{not json', observed: '{not json', want: true },
    { reason: 'text that does not parse differs from any policy', desired: '{not json', observed: doc([read]), want: false },
  ];
  for (const c of cases) it(c.reason, () => assert.equal(policiesEqual(c.desired, c.observed), c.want));

  it('is symmetric over every case above', () => {
    for (const c of cases) assert.equal(policiesEqual(c.observed, c.desired), c.want, c.reason);
  });
});

describe('policyProblem', () => {
  it('accepts a policy document', () => assert.equal(policyProblem(doc([read])), undefined));
  it('names the field, never the text (V8 quotes it in its message)', () => {
    const problem = policyProblem('{"Statement": [ secret-looking-text ]}');
    assert.equal(problem, 'spec.forProvider.policy is not valid JSON');
  });
  it('says where parsing stopped when V8 knows', () => {
    assert.match(policyProblem('{"Statement": [], }') ?? '', /^spec\.forProvider\.policy is not valid JSON \(at position \d+/);
  });
  it('refuses JSON that is not an object', () => assert.equal(policyProblem('["a"]'), 'spec.forProvider.policy must be a JSON object with a Statement'));
  it('refuses an object without a Statement', () => assert.equal(policyProblem('{"Version":"2012-10-17"}'), 'spec.forProvider.policy has no Statement'));
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TerminalError } from '../../core/errors/index.ts';
import { nameProblem } from '../../core/crd/index.ts';
import type { ManagedResource } from '../../core/managed/types.ts';
import { externalNameOf, nameValidations, RESOURCE_GROUP_NAME_RULES, STORAGE_ACCOUNT_NAME_RULES } from './names.ts';

describe('storage account names', () => {
  const cases: Array<{ reason: string; name: string; problem?: RegExp }> = [
    { reason: 'lowercase letters and digits', name: 'pledgeacct01' },
    { reason: 'the shortest allowed', name: 'abc' },
    { reason: 'the longest allowed', name: 'a'.repeat(24) },
    { reason: 'too short', name: 'ab', problem: /3 to 24 characters/ },
    { reason: 'too long', name: 'a'.repeat(25), problem: /3 to 24 characters/ },
    { reason: 'a hyphen (fine for Kubernetes, not for Azure)', name: 'pledge-acct', problem: /only lowercase letters and digits/ },
    { reason: 'a dot', name: 'pledge.acct', problem: /only lowercase letters and digits/ },
    { reason: 'upper case (an annotation can hold it)', name: 'PledgeAcct', problem: /only lowercase letters and digits/ },
  ];
  for (const c of cases) {
    it(`${c.problem ? 'refuses' : 'accepts'} ${c.reason}`, () => {
      const problem = nameProblem(STORAGE_ACCOUNT_NAME_RULES, c.name, 'metadata.name');
      if (c.problem) assert.match(problem ?? '', c.problem);
      else assert.equal(problem, undefined);
    });
  }

  it('gives CEL rules on metadata.name that name the field', () => {
    const rules = nameValidations(STORAGE_ACCOUNT_NAME_RULES);
    assert.deepEqual(rules.map((r) => r.rule), ["size(self.metadata.name) >= 3 && size(self.metadata.name) <= 24", "self.metadata.name.matches('^[a-z0-9]*$')"]);
    assert.ok(rules.every((r) => r.message.startsWith('metadata.name ')));
  });
});

describe('resource group names', () => {
  const cases: Array<{ reason: string; name: string; problem?: RegExp }> = [
    { reason: 'a DNS-style name', name: 'pledge-rg.prod' },
    { reason: 'underscores and parentheses (from an annotation)', name: 'My_RG(prod)' },
    { reason: '90 characters', name: 'r'.repeat(90) },
    { reason: '91 characters', name: 'r'.repeat(91), problem: /1 to 90 characters/ },
    { reason: 'a trailing period', name: 'rg.', problem: /must not end with a period/ },
    { reason: 'a slash', name: 'rg/x', problem: /only letters, digits/ },
  ];
  for (const c of cases) {
    it(`${c.problem ? 'refuses' : 'accepts'} ${c.reason}`, () => {
      const problem = nameProblem(RESOURCE_GROUP_NAME_RULES, c.name, 'metadata.name');
      if (c.problem) assert.match(problem ?? '', c.problem);
      else assert.equal(problem, undefined);
    });
  }

  it('checks only the length in CEL: Kubernetes names already satisfy the rest', () => {
    assert.deepEqual(nameValidations(RESOURCE_GROUP_NAME_RULES).map((r) => r.rule), ['size(self.metadata.name) <= 90']);
  });
});

describe('externalNameOf', () => {
  const mr = (name: string, annotation?: string): ManagedResource<unknown, unknown> => ({
    metadata: { name, ...(annotation ? { annotations: { 'pledge.dev/external-name': annotation } } : {}) },
    spec: { forProvider: {} },
  });
  it('prefers the annotation over metadata.name', () => assert.equal(externalNameOf(mr('k8sname', 'imported01'), STORAGE_ACCOUNT_NAME_RULES), 'imported01'));
  it('refuses an annotation Azure would refuse, naming the annotation', () => {
    assert.throws(() => externalNameOf(mr('k8sname', 'Not-Valid'), STORAGE_ACCOUNT_NAME_RULES), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.match(err.message, /^annotation pledge\.dev\/external-name may contain only lowercase letters and digits .*\(got "Not-Valid"\)$/);
      return true;
    });
  });
});

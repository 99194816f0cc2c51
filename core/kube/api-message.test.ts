import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiErrorMessage } from './api-message.ts';
import { apiError } from './memory-store.ts';

test("a refused request reads as the API server's message, with nothing that changes per request", () => {
  const err = apiError(422, 'Invalid', 'CustomResourceDefinition "x" is invalid: spec.names.plural: Invalid value');
  assert.equal(apiErrorMessage(err), 'CustomResourceDefinition "x" is invalid: spec.names.plural: Invalid value');
});

test('anything else reads as its error message', () => {
  assert.equal(apiErrorMessage(new Error('socket hang up')), 'socket hang up');
});

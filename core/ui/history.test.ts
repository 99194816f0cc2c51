import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createConditionHistory } from './history.ts';

const obj = (...conds: Array<[string, string, string]>) => ({ status: { conditions: conds.map(([type, status, at]) => ({ type, status, reason: `${type}${status}`, lastTransitionTime: at })) } });

test('a change records the status left (from when it began) and the one entered; unchanged conditions and the first sight record nothing', () => {
  const h = createConditionHistory();
  h.observe('k', obj(['Ready', 'False', 't1'], ['Synced', 'True', 't1']));
  assert.deepEqual(h.of('k'), []);
  h.observe('k', obj(['Ready', 'False', 't1'], ['Synced', 'True', 't1']));
  h.observe('k', obj(['Ready', 'True', 't2'], ['Synced', 'True', 't1']));
  h.observe('k', obj(['Ready', 'False', 't3'], ['Synced', 'False', 't3']));
  assert.deepEqual(
    h.of('k').map((t) => `${t.type}=${t.status}@${t.at}`),
    ['Ready=False@t1', 'Ready=True@t2', 'Ready=False@t3', 'Synced=True@t1', 'Synced=False@t3'],
  );
  h.forget('k');
  assert.deepEqual(h.of('k'), []);
});

test('bounded: transitions per object, and objects tracked', () => {
  const h = createConditionHistory({ maxPerObject: 3, maxObjects: 1 });
  h.observe('a', obj(['Ready', 'False', 't0']));
  for (let i = 1; i <= 5; i++) h.observe('a', obj(['Ready', i % 2 ? 'True' : 'False', `t${i}`]));
  assert.deepEqual(h.of('a').map((t) => t.at), ['t3', 't4', 't5']);
  h.observe('b', obj(['Ready', 'False', 't0']));
  h.observe('b', obj(['Ready', 'True', 't1']));
  assert.deepEqual(h.of('b'), [], 'over maxObjects: not tracked');
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { allowedOnly, createAccess, type GetAttributes, type Reviewer, type UserInfo } from './access.ts';

function reviewer(rules: Record<string, (a: GetAttributes) => boolean>) {
  const calls = { authenticate: 0, mayGet: 0 };
  const r: Reviewer = {
    async authenticate(token) {
      calls.authenticate++;
      return rules[token] ? { username: token } : undefined;
    },
    async mayGet(user: UserInfo, a) {
      calls.mayGet++;
      return rules[user.username]?.(a) ?? false;
    },
  };
  return { r, calls };
}

test('a token the API server does not know has no viewer; a known one gets decisions per namespace', async () => {
  const { r } = reviewer({ alice: (a) => a.namespace === 'team-a' });
  const access = createAccess({ reviewer: r });
  assert.equal(await access.viewerFor('nobody'), undefined);
  const alice = await access.viewerFor('alice');
  assert.ok(alice && !alice.open);
  assert.equal(await alice.mayGet({ group: 'g', resource: 'things', namespace: 'team-a' }), true);
  assert.equal(await alice.mayGet({ group: 'g', resource: 'things', namespace: 'team-b' }), false);
  assert.equal(await alice.mayGet({ group: 'g', resource: 'clusterthings' }), false);
});

test('answers are cached for ttlMs, then asked again', async () => {
  let t = 0;
  const { r, calls } = reviewer({ bob: () => true });
  const access = createAccess({ reviewer: r, ttlMs: 10_000, now: () => t });
  const a = { group: 'g', resource: 'things', namespace: 'n' };
  await (await access.viewerFor('bob'))?.mayGet(a);
  await (await access.viewerFor('bob'))?.mayGet(a);
  assert.deepEqual(calls, { authenticate: 1, mayGet: 1 });
  t = 10_001;
  await (await access.viewerFor('bob'))?.mayGet(a);
  assert.deepEqual(calls, { authenticate: 2, mayGet: 2 });
});

test('a failed review is not cached and allowedOnly treats it as denied', async () => {
  let fail = true;
  const r: Reviewer = {
    authenticate: async (token) => ({ username: token }),
    mayGet: async () => {
      if (fail) throw new Error('API server unreachable');
      return true;
    },
  };
  const viewer = await createAccess({ reviewer: r }).viewerFor('carol');
  assert.ok(viewer);
  const items = [{ ns: 'a' }, { ns: 'a' }, { ns: 'b' }];
  assert.deepEqual(await allowedOnly(viewer, items, (i) => ({ group: 'g', resource: 'things', namespace: i.ns })), []);
  fail = false;
  assert.equal((await allowedOnly(viewer, items, (i) => ({ group: 'g', resource: 'things', namespace: i.ns }))).length, 3);
});

test('allowedOnly asks once per distinct (group, resource, namespace)', async () => {
  const { r, calls } = reviewer({ dave: (a) => a.namespace !== 'x' });
  const viewer = await createAccess({ reviewer: r }).viewerFor('dave');
  assert.ok(viewer);
  const items = ['a', 'a', 'x', 'a', 'x'].map((ns) => ({ ns }));
  const allowed = await allowedOnly(viewer, items, (i) => ({ group: 'g', resource: 'things', namespace: i.ns }));
  assert.equal(allowed.length, 3);
  assert.equal(calls.mayGet, 2);
});

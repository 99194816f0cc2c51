import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { TerminalError } from '../../core/errors/index.ts';
import { managedCrd } from '../../core/crd/index.ts';
import type { ConnectContext } from '../../core/managed/types.ts';
import { parseGoDuration } from './go-duration.ts';
import { nopProvider } from './index.ts';
import { nopResourceKind, nopResourceSchema, observeNop, type ConditionAfter, type NopParameters, type NopResource } from './nop-resource.ts';

const CREATED = Date.parse('2026-03-01T12:00:00Z');

function nop(forProvider: NopParameters, extra: { deleting?: boolean; writeConnectionSecretToRef?: boolean } = {}): NopResource {
  return {
    apiVersion: 'nop.pledge.dev/v1',
    kind: 'NopResource',
    metadata: { name: 'n', generation: 1, creationTimestamp: new Date(CREATED).toISOString(), ...(extra.deleting ? { deletionTimestamp: new Date(CREATED + 5_000).toISOString() } : {}) },
    spec: { forProvider },
  };
}

const after = (time: string, conditionType: string, conditionStatus: ConditionAfter['conditionStatus'], conditionReason?: string): ConditionAfter => ({
  time,
  conditionType,
  conditionStatus,
  ...(conditionReason ? { conditionReason } : {}),
});

/** provider-nop's own example: Ready at 30 s, not at 60 s, again at 90 s, Green at 90 s. */
const EXAMPLE = [after('30s', 'Ready', 'True'), after('60s', 'Ready', 'False'), after('90s', 'Ready', 'True'), after('90s', 'Green', 'True')];

describe('observeNop: Ready per conditionAfter, measured from creationTimestamp', () => {
  const cases: Array<{ reason: string; conditionAfter?: ConditionAfter[]; ageMs: number; ready: boolean; recheckAfterMs?: number; conditions?: Array<[string, string, string]> }> = [
    { reason: 'Ready after 2 s, at creation: not Ready, checked again in 2 s', conditionAfter: [after('2s', 'Ready', 'True')], ageMs: 0, ready: false, recheckAfterMs: 2_000 },
    { reason: 'Ready after 2 s, 1 ms early: still not Ready, checked again in 1 ms', conditionAfter: [after('2s', 'Ready', 'True')], ageMs: 1_999, ready: false, recheckAfterMs: 1 },
    { reason: 'Ready after 2 s, at 2 s: Ready, nothing more due', conditionAfter: [after('2s', 'Ready', 'True')], ageMs: 2_000, ready: true },
    { reason: 'no conditionAfter: never Ready (provider-nop sets no Ready condition), nothing due', ageMs: 3_600_000, ready: false },
    { reason: 'only other types: never Ready', conditionAfter: [after('0s', 'Green', 'True')], ageMs: 1_000, ready: false, conditions: [['Green', 'True', 'ConditionAfter']] },
    { reason: 'time 0: Ready at the first observe', conditionAfter: [after('0', 'Ready', 'True')], ageMs: 0, ready: true },
    { reason: 'Ready=Unknown counts as not Ready', conditionAfter: [after('1s', 'Ready', 'Unknown')], ageMs: 5_000, ready: false },
    { reason: "provider-nop's example at 45 s: Ready, back at 60 s when it turns False", conditionAfter: EXAMPLE, ageMs: 45_000, ready: true, recheckAfterMs: 15_000 },
    { reason: "provider-nop's example at 75 s: the later False entry wins, back at 90 s", conditionAfter: EXAMPLE, ageMs: 75_000, ready: false, recheckAfterMs: 15_000 },
    {
      reason: "provider-nop's example at 90 s: Ready again, and Green (a type of its own) reported beside it",
      conditionAfter: EXAMPLE,
      ageMs: 90_000,
      ready: true,
      conditions: [['Green', 'True', 'ConditionAfter']],
    },
    {
      reason: 'listed out of order: the latest time passed wins, not the last listed',
      conditionAfter: [after('10s', 'Ready', 'False'), after('1s', 'Ready', 'True')],
      ageMs: 20_000,
      ready: false,
    },
    {
      reason: 'equal times: the first listed wins (provider-nop sorts latest first with a stable sort)',
      conditionAfter: [after('1s', 'Ready', 'True'), after('1000ms', 'Ready', 'False')],
      ageMs: 2_000,
      ready: true,
    },
    {
      reason: 'a reason is kept for other types; Synced is the controller\'s and is not taken from conditionAfter',
      conditionAfter: [after('1s', 'Healthy', 'False', 'Degraded'), after('1s', 'Synced', 'False', 'Nope')],
      ageMs: 1_000,
      ready: false,
      conditions: [['Healthy', 'False', 'Degraded']],
    },
    { reason: 'Go durations: 1m30s', conditionAfter: [after('1m30s', 'Ready', 'True')], ageMs: 60_000, ready: false, recheckAfterMs: 30_000 },
    { reason: 'Go durations: 1.5s', conditionAfter: [after('1.5s', 'Ready', 'True')], ageMs: 1_500, ready: true },
  ];
  for (const c of cases) {
    it(c.reason, () => {
      const got = observeNop(nop(c.conditionAfter ? { conditionAfter: c.conditionAfter } : {}), CREATED + c.ageMs);
      assert.equal(got.exists, true);
      assert.equal(got.upToDate, true);
      assert.equal(got.ready, c.ready, 'ready');
      assert.equal(got.recheckAfterMs, c.recheckAfterMs, 'recheckAfterMs');
      assert.deepEqual((got.conditions ?? []).map((x) => [x.type, x.status, x.reason]), c.conditions ?? [], 'conditions of its own');
    });
  }

  it('a resource being deleted no longer exists, so the core lets it go at once', () => {
    assert.deepEqual(observeNop(nop({ conditionAfter: [after('0s', 'Ready', 'True')] }, { deleting: true }), CREATED + 10_000), { exists: false });
  });

  it('a time that slipped past admission is a terminal error naming the entry', () => {
    assert.throws(() => observeNop(nop({ conditionAfter: [after('1s', 'Ready', 'True'), after('30', 'Green', 'True')] }), CREATED), (err: unknown) => {
      assert.ok(err instanceof TerminalError);
      assert.match(err.message, /spec\.forProvider\.conditionAfter\[1\]\.time "30"/);
      return true;
    });
  });
});

describe('observeNop: connection details and fields', () => {
  it('connection details are forProvider.connectionDetails, the last of a repeated name winning (as provider-nop\'s map)', () => {
    const got = observeNop(nop({ connectionDetails: [{ name: 'username', value: 'fakeuser' }, { name: 'password', value: 'one' }, { name: 'password', value: 'two' }] }), CREATED);
    assert.deepEqual(got.connectionDetails, { username: 'fakeuser', password: 'two' });
  });

  it('arbitrary fields never make it drift, are never late-initialized or copied to atProvider: the object keeps exactly what was applied', () => {
    const fields = { integerField: 42, objectField: { stringField: 'cool' }, arrayField: [{ stringField: 'cool' }] };
    const got = observeNop(nop({ fields }), CREATED);
    assert.equal(got.upToDate, true);
    assert.equal(got.lateInit, undefined);
    assert.equal(got.atProvider, undefined);
  });

  it('the CRD keeps fields as given (x-kubernetes-preserve-unknown-fields) and checks time, status and secret keys at admission', () => {
    const crd = managedCrd(nopResourceKind(), 'nop');
    const fp = nopResourceSchema.forProvider.properties ?? {};
    assert.equal(fp.fields?.['x-kubernetes-preserve-unknown-fields'], true);
    const item = fp.conditionAfter?.items?.properties ?? {};
    const durations = new RegExp(item.time?.pattern ?? '^$');
    for (const ok of ['30s', '1m30s', '500ms', '0', '1.5s', '.5s', '2h', '10us', '-1s']) assert.ok(durations.test(ok), `${ok} is admitted`);
    for (const bad of ['30', '1d', '', 's', '1 s', '.s']) assert.ok(!durations.test(bad), `${bad} is refused`);
    assert.deepEqual(item.conditionStatus?.enum, ['True', 'False', 'Unknown']);
    assert.equal(crd.metadata.name, 'nopresources.nop.pledge.dev');
    assert.equal(crd.spec.scope, 'Cluster');
  });
});

describe('parseGoDuration', () => {
  it('reads Go durations in ms, and refuses what Go refuses', () => {
    const cases: Array<[string, number | undefined]> = [
      ['30s', 30_000], ['1m30s', 90_000], ['500ms', 500], ['1.5s', 1_500], ['.5s', 500], ['2h', 7_200_000],
      ['10us', 0.01], ['10µs', 0.01], ['0', 0], ['-1s', -1_000], ['+2s', 2_000],
      ['30', undefined], ['1d', undefined], ['', undefined], ['.s', undefined], ['1s ', undefined],
    ];
    for (const [text, ms] of cases) assert.equal(parseGoDuration(text), ms, text);
  });
});

describe('the nop provider', () => {
  it('serves nop.pledge.dev/v1 NopResource (nopresources), named by the resource, with a ProviderConfig whose spec may be left out', () => {
    const [kind] = nopProvider.kinds;
    assert.equal(nopProvider.name, 'nop');
    assert.deepEqual(kind?.gvk, { group: 'nop.pledge.dev', version: 'v1', kind: 'NopResource' });
    assert.equal(kind?.plural, 'nopresources');
    assert.equal(kind?.deterministicExternalName, true);
    assert.deepEqual(nopProvider.providerConfig.gvk, { group: 'nop.pledge.dev', version: 'v1', kind: 'ProviderConfig' });
    assert.deepEqual(nopProvider.providerConfig.spec.default, {});
  });

  it('makes no cloud call: a connected client observes while the call gate refuses everything, and create, update, delete do nothing', async () => {
    let clock = CREATED + 1_000;
    const refuse = async () => {
      throw new Error('the call gate was used');
    };
    const ctx: ConnectContext = {
      providerConfig: { apiVersion: 'nop.pledge.dev/v1', kind: 'ProviderConfig', metadata: { name: 'default' } },
      readSecret: refuse,
      connectionDetails: {},
      calls: { acquire: refuse, record: () => assert.fail('the call gate was used') },
      signal: AbortSignal.timeout(5_000),
    };
    const mr = nop({ conditionAfter: [after('3s', 'Ready', 'True')] });
    const client = await nopResourceKind({ now: () => clock }).connect(mr, ctx);
    const signal = AbortSignal.timeout(5_000);
    assert.deepEqual(await client.observe(mr, signal), { exists: true, upToDate: true, ready: false, connectionDetails: {}, recheckAfterMs: 2_000 });
    clock = CREATED + 3_000;
    assert.equal((await client.observe(mr, signal)).ready, true, 'the injected clock decides');
    assert.deepEqual(await client.create(mr, signal), {});
    assert.deepEqual(await client.update(mr, signal), {});
    assert.equal(await client.delete(mr, signal), undefined);
  });
});

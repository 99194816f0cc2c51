// The GCS Bucket behaviour suite, run against every endpoint that speaks the JSON API (fake-gcs-server,
// cloudsim): hono's common.case.test.ts pattern. Each endpoint file describes what it implements; a case it
// does not run is listed in its `notRun` with the reason, and the suite checks that every listed case exists.
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import type { Storage } from '@google-cloud/storage';
import { describeError, NotFoundError, PledgeError, TerminalError, ThrottledError } from '../../core/errors/index.ts';
import type { CloudCallGate, ConnectContext, ExternalClient, SecretKeySelector } from '../../core/managed/types.ts';
import { bucket, type BucketObservation, type BucketParameters, type BucketResource } from '../../providers/gcp/bucket.ts';

export const CASES = [
  'create-observe-delete',
  'every-field-on-create',
  'drift-versioning',
  'drift-every-field',
  'update-only-what-differs',
  'empty-labels-and-rules-remove-all',
  'ignored-field-is-reported-not-looped',
  'not-empty-is-not-deleted',
  'location-mismatch',
  'other-projects-bucket',
  'one-call-per-steady-poll',
  'token-fetched-once',
  'unknown-key-refused',
  'throttled',
  'abort',
] as const;
export type CaseName = (typeof CASES)[number];

export interface GcsEndpoint {
  /** For test names: "fake-gcs-server", "cloudsim". */
  name: string;
  /** The ProviderConfig's spec (projectId, endpoint, credentialsSecretRef). */
  providerConfigSpec: Record<string, unknown>;
  /** Secret values by `namespace/name/key`, for readSecret. */
  secrets: Record<string, string>;
  /** A location the endpoint reports buckets in, and another one. */
  location: string;
  otherLocation: string;
  /** An SDK client of the test's own, to change buckets behind Pledge's back. */
  raw(): Promise<Storage>;
  /** A client acting for another project; undefined when the endpoint has no notion of projects. */
  otherProject?: () => Promise<Storage>;
  /** Turns throttling of every GCS call on (1) or off (0); only endpoints with fault injection. */
  setThrottle?: (rate: number) => Promise<void>;
  /** Cases this endpoint does not run, each with the reason. */
  notRun: Partial<Record<CaseName, string>>;
}

const signal = AbortSignal.timeout(120_000);

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(5).toString('hex')}`;
}

/** The core's call gate, counting: every GCS request must wait on it and report back. */
export function countingGate() {
  const gate = {
    acquired: 0,
    recorded: [] as Array<{ operation: string; err?: unknown }>,
    async acquire(sig: AbortSignal) {
      sig.throwIfAborted();
      gate.acquired++;
    },
    record(operation: string, err?: unknown) {
      gate.recorded.push(err === undefined ? { operation } : { operation, err });
    },
    operations: () => gate.recorded.map((r) => r.operation),
    reset() {
      gate.acquired = 0;
      gate.recorded.length = 0;
    },
  };
  return gate;
}

function connectContext(endpoint: GcsEndpoint, calls: CloudCallGate, spec = endpoint.providerConfigSpec, secrets = endpoint.secrets): ConnectContext {
  return {
    providerConfig: { apiVersion: 'gcp.pledge.dev/v1', kind: 'ProviderConfig', metadata: { name: 'default' }, spec },
    async readSecret(ref: SecretKeySelector) {
      const value = secrets[`${ref.namespace}/${ref.name}/${ref.key}`];
      if (value === undefined) throw new Error(`unexpected secret read ${ref.namespace}/${ref.name}/${ref.key}`);
      return value;
    },
    connectionDetails: {},
    calls,
    signal,
  };
}

export function managed(name: string, forProvider: BucketParameters): BucketResource {
  return { apiVersion: 'storage.gcp.pledge.dev/v1', kind: 'Bucket', metadata: { name, generation: 1 }, spec: { forProvider } };
}

type External = ExternalClient<BucketParameters, BucketObservation>;

/** Observes as the reconciler would, recording atProvider in status as it does. */
async function observe(external: External, mr: BucketResource) {
  const observation = await external.observe(mr, signal);
  if (observation.atProvider) mr.status = { ...mr.status, atProvider: observation.atProvider };
  return observation;
}

/** Runs update as the core does after an observe that found drift. */
async function reconcileUpdate(external: External, mr: BucketResource) {
  const observation = await observe(external, mr);
  assert.equal(observation.exists, true);
  if (observation.upToDate === false) await external.update(mr, signal);
  return observation;
}

async function cloudMetadata(raw: Storage, name: string) {
  const [metadata] = await raw.bucket(name).getMetadata();
  return metadata;
}

async function gone(raw: Storage, name: string): Promise<boolean> {
  const [exists] = await raw.bucket(name).exists();
  return !exists;
}

function isTerminal(pattern: RegExp) {
  return (err: unknown) => err instanceof TerminalError && pattern.test(describeError(err));
}

export function gcsBucketSuite(endpoint: GcsEndpoint): void {
  const runs = (name: CaseName) => endpoint.notRun[name] === undefined;
  const connect = async (mr: BucketResource, calls: CloudCallGate = countingGate()) => bucket.connect(mr, connectContext(endpoint, calls));
  const { location } = endpoint;

  describe(`GCS Bucket against ${endpoint.name}`, () => {
    it('every case it does not run is a real case and says why', () => {
      for (const [name, reason] of Object.entries(endpoint.notRun)) {
        assert.ok((CASES as readonly string[]).includes(name), `unknown case ${name}`);
        assert.ok(typeof reason === 'string' && reason.length > 10, `${name} needs a reason`);
      }
    });

    if (runs('create-observe-delete')) {
      it('creates, observes, deletes (twice: delete is idempotent), then sees it gone', async () => {
        const name = uniqueName('pledge-life');
        const mr = managed(name, { location });
        const external = await connect(mr);
        assert.deepEqual(await observe(external, mr), { exists: false }, 'absent before create');
        assert.deepEqual(await external.create(mr, signal), {});
        const seen = await observe(external, mr);
        assert.equal(seen.exists, true);
        assert.equal(seen.upToDate, true);
        assert.equal(seen.atProvider?.id, name);
        assert.equal(seen.atProvider?.location, location.toUpperCase());
        assert.match(seen.atProvider?.timeCreated ?? '', /^\d{4}-\d\d-\d\dT/);
        assert.ok(seen.atProvider?.selfLink?.endsWith(`/storage/v1/b/${name}`), seen.atProvider?.selfLink);
        assert.deepEqual(Object.keys(seen.lateInit ?? {}).sort(), ['publicAccessPrevention', 'storageClass', 'uniformBucketLevelAccess', 'versioning']);
        await external.delete(mr, signal);
        await external.delete(mr, signal);
        assert.ok(await gone(await endpoint.raw(), name));
        assert.deepEqual(await observe(external, mr), { exists: false });
      });
    }

    if (runs('every-field-on-create')) {
      it('creates with every field set, and the cloud has them all', async () => {
        const name = uniqueName('pledge-every');
        const mr = managed(name, {
          location,
          storageClass: 'NEARLINE',
          versioning: true,
          labels: { team: 'storage', env: 'test' },
          uniformBucketLevelAccess: true,
          publicAccessPrevention: 'enforced',
          lifecycleRules: [{ deleteAfterDays: 30 }, { deleteAfterDays: 365 }],
        });
        const external = await connect(mr);
        await external.create(mr, signal);
        const seen = await observe(external, mr);
        assert.equal(seen.upToDate, true, seen.diff);
        assert.equal(seen.lateInit, undefined, 'nothing left unset');
        const cloud = await cloudMetadata(await endpoint.raw(), name);
        assert.equal(cloud.storageClass, 'NEARLINE');
        assert.equal(cloud.versioning?.enabled, true);
        assert.deepEqual(cloud.labels, { team: 'storage', env: 'test' });
        assert.equal(cloud.iamConfiguration?.uniformBucketLevelAccess?.enabled, true);
        assert.equal(cloud.iamConfiguration?.publicAccessPrevention, 'enforced');
        assert.deepEqual(
          (cloud.lifecycle?.rule ?? []).map((r) => [r.action.type, r.condition.age]).sort(),
          [['Delete', 30], ['Delete', 365]],
        );
        await external.delete(mr, signal);
      });
    }

    if (runs('drift-versioning')) {
      it('versioning turned off behind Pledge\'s back is noticed and turned back on', async () => {
        const name = uniqueName('pledge-drift-v');
        const mr = managed(name, { location, versioning: true });
        const external = await connect(mr);
        await external.create(mr, signal);
        assert.equal((await observe(external, mr)).upToDate, true);
        const raw = await endpoint.raw();
        await raw.bucket(name).setMetadata({ versioning: { enabled: false } });
        const drifted = await observe(external, mr);
        assert.equal(drifted.upToDate, false);
        assert.equal(drifted.diff, 'versioning: false → true');
        await external.update(mr, signal);
        assert.equal((await cloudMetadata(raw, name)).versioning?.enabled, true);
        assert.equal((await observe(external, mr)).upToDate, true);
        await external.delete(mr, signal);
      });
    }

    if (runs('drift-every-field')) {
      it('drift in every field, made through the SDK, is noticed and put back', async () => {
        const name = uniqueName('pledge-drift-all');
        const forProvider: BucketParameters = {
          location,
          storageClass: 'STANDARD',
          versioning: true,
          labels: { team: 'storage' },
          uniformBucketLevelAccess: false,
          publicAccessPrevention: 'inherited',
          lifecycleRules: [{ deleteAfterDays: 7 }],
        };
        const mr = managed(name, forProvider);
        const external = await connect(mr);
        await external.create(mr, signal);
        assert.equal((await observe(external, mr)).upToDate, true);
        const raw = await endpoint.raw();
        await raw.bucket(name).setMetadata({
          storageClass: 'COLDLINE',
          versioning: { enabled: false },
          labels: { team: 'hacker', extra: 'x' },
          iamConfiguration: { uniformBucketLevelAccess: { enabled: true }, publicAccessPrevention: 'enforced' },
          lifecycle: { rule: [{ action: { type: 'Delete' }, condition: { age: 1 } }] },
        });
        const drifted = await observe(external, mr);
        assert.equal(drifted.upToDate, false);
        for (const field of ['storageClass', 'versioning', 'labels', 'uniformBucketLevelAccess', 'publicAccessPrevention', 'lifecycleRules']) {
          assert.ok(drifted.diff?.includes(`${field}:`), `${field} in ${drifted.diff}`);
        }
        await external.update(mr, signal);
        const cloud = await cloudMetadata(raw, name);
        assert.equal(cloud.storageClass, 'STANDARD');
        assert.equal(cloud.versioning?.enabled, true);
        assert.deepEqual(cloud.labels, { team: 'storage' });
        assert.equal(cloud.iamConfiguration?.uniformBucketLevelAccess?.enabled, false);
        assert.equal(cloud.iamConfiguration?.publicAccessPrevention, 'inherited');
        assert.deepEqual(cloud.lifecycle?.rule?.map((r) => r.condition.age), [7]);
        assert.equal((await observe(external, mr)).upToDate, true);
        await external.delete(mr, signal);
      });
    }

    if (runs('update-only-what-differs')) {
      it('a spec change patches only the fields that differ, then reads back once', async () => {
        const name = uniqueName('pledge-update');
        const mr = managed(name, { location, versioning: true, labels: { team: 'a', old: 'x' }, storageClass: 'STANDARD' });
        const gate = countingGate();
        const external = await connect(mr, gate);
        await external.create(mr, signal);
        await observe(external, mr);
        mr.spec.forProvider = { ...mr.spec.forProvider, labels: { team: 'b' }, storageClass: 'ARCHIVE' };
        gate.reset();
        const seen = await reconcileUpdate(external, mr);
        assert.equal(seen.diff, 'storageClass: "STANDARD" → "ARCHIVE"; labels: {"old":"x","team":"a"} → {"team":"b"}');
        assert.deepEqual(gate.operations(), ['GetBucket', 'PatchBucket', 'GetBucket'], 'observe, patch, read back: nothing more');
        const cloud = await cloudMetadata(await endpoint.raw(), name);
        assert.deepEqual(cloud.labels, { team: 'b' });
        assert.equal(cloud.storageClass, 'ARCHIVE');
        assert.equal(cloud.versioning?.enabled, true, 'versioning, not sent, is untouched');
        await external.delete(mr, signal);
      });
    }

    if (runs('empty-labels-and-rules-remove-all')) {
      it('labels {} and lifecycleRules [] remove every label and rule; unset leaves them alone', async () => {
        const name = uniqueName('pledge-empty');
        const mr = managed(name, { location, labels: { a: '1', b: '2' }, lifecycleRules: [{ deleteAfterDays: 3 }] });
        const external = await connect(mr);
        await external.create(mr, signal);
        mr.spec.forProvider = { location, labels: { a: '1', b: '2' } };
        assert.equal((await observe(external, mr)).upToDate, true, 'lifecycleRules unset: the rules stay, and count as in sync');
        mr.spec.forProvider = { location, labels: {}, lifecycleRules: [] };
        await reconcileUpdate(external, mr);
        const cloud = await cloudMetadata(await endpoint.raw(), name);
        assert.deepEqual(cloud.labels ?? {}, {});
        assert.deepEqual(cloud.lifecycle?.rule ?? [], []);
        assert.equal((await observe(external, mr)).upToDate, true);
        await external.delete(mr, signal);
      });
    }

    if (runs('ignored-field-is-reported-not-looped')) {
      it('a field the endpoint accepts but ignores is reported as Terminal after one patch, not patched in a loop', async () => {
        const name = uniqueName('pledge-ignored');
        const mr = managed(name, { location, labels: { team: 'storage' }, storageClass: 'NEARLINE' });
        const gate = countingGate();
        const external = await connect(mr, gate);
        await external.create(mr, signal);
        await observe(external, mr); // the first observe also confirms ownership
        for (let round = 1; round <= 2; round++) {
          gate.reset();
          const seen = await observe(external, mr);
          assert.equal(seen.upToDate, false);
          await assert.rejects(
            external.update(mr, signal),
            isTerminal(/^the endpoint accepted but did not apply: storageClass, labels \(still storageClass: "STANDARD" → "NEARLINE"; labels: \{\} → \{"team":"storage"\}\); checked again at the poll interval$/),
          );
          // Each reconcile does one patch and one read back, whatever the endpoint does; the core then waits a poll interval.
          assert.deepEqual(gate.operations(), ['GetBucket', 'PatchBucket', 'GetBucket'], `round ${round}`);
        }
        await external.delete(mr, signal);
      });
    }

    if (runs('not-empty-is-not-deleted')) {
      it('a bucket that holds objects is not deleted: Terminal, saying what to do', async () => {
        const name = uniqueName('pledge-full');
        const mr = managed(name, { location });
        const external = await connect(mr);
        await external.create(mr, signal);
        const raw = await endpoint.raw();
        await raw.bucket(name).file('data.txt').save('keep me', { resumable: false });
        await assert.rejects(
          external.delete(mr, signal),
          isTerminal(new RegExp(`^delete failed: bucket ${name} still holds objects and Pledge never deletes data: empty it, or set spec\\.deletionPolicy to Orphan to keep it: `)),
        );
        assert.equal(await gone(raw, name), false);
        await raw.bucket(name).file('data.txt').delete();
        await external.delete(mr, signal);
        assert.ok(await gone(raw, name));
      });
    }

    if (runs('location-mismatch')) {
      it('a bucket in another location than the spec is Terminal (it cannot move), yet can still be deleted', async () => {
        const name = uniqueName('pledge-where');
        const raw = await endpoint.raw();
        await raw.createBucket(name, { location });
        const mr = managed(name, { location: endpoint.otherLocation });
        const external = await connect(mr);
        await assert.rejects(
          observe(external, mr),
          isTerminal(new RegExp(`^bucket ${name} exists in location ${location.toUpperCase()} but spec\\.forProvider\\.location is ${endpoint.otherLocation}: a bucket cannot move$`)),
        );
        mr.metadata.deletionTimestamp = new Date().toISOString();
        assert.equal((await observe(external, mr)).exists, true, 'the delete path sees it');
        await external.delete(mr, signal);
        assert.ok(await gone(raw, name));
      });
    }

    if (runs('other-projects-bucket')) {
      it('a bucket of another project is not claimed: observe finds nothing of ours, create says the name is taken', async () => {
        const other = endpoint.otherProject;
        assert.ok(other, 'the endpoint must describe another project');
        const name = uniqueName('pledge-theirs');
        await (await other()).createBucket(name, { location });
        const mr = managed(name, { location });
        const external = await connect(mr);
        assert.deepEqual(await observe(external, mr), { exists: false });
        await assert.rejects(
          external.create(mr, signal),
          isTerminal(new RegExp(`^create failed: bucket name ${name} is taken by another project \\(names are global\\): choose another metadata\\.name: conflict: `)),
        );
        await (await other()).bucket(name).delete();
      });
    }

    if (runs('one-call-per-steady-poll')) {
      it('every request passes the call gate; once verified, a steady observe is one GET', async () => {
        const name = uniqueName('pledge-gate');
        const mr = managed(name, { location, versioning: false });
        const gate = countingGate();
        const external = await connect(mr, gate);
        await observe(external, mr);
        await external.create(mr, signal);
        await observe(external, mr);
        assert.deepEqual(gate.operations().filter((o) => o !== 'OAuthToken'), ['GetBucket', 'InsertBucket', 'GetBucket', 'ListBuckets'], 'the first observe after create confirms ownership once');
        assert.ok(gate.recorded[0]?.err instanceof NotFoundError, 'the 404 is recorded as NotFound');
        gate.reset();
        for (let i = 0; i < 3; i++) assert.equal((await observe(external, mr)).upToDate, true);
        assert.deepEqual(gate.operations(), ['GetBucket', 'GetBucket', 'GetBucket']);
        assert.equal(gate.acquired, gate.recorded.length, 'each call acquired once and recorded once');
        await external.delete(mr, signal);
      });
    }

    if (runs('token-fetched-once')) {
      it('authenticates with an access token from the key\'s token_uri, fetched once and reused', async () => {
        const gate = countingGate();
        const names = [uniqueName('pledge-tok'), uniqueName('pledge-tok')];
        for (const name of names) {
          const mr = managed(name, { location });
          // A new connect per reconcile, as the core does: the token outlives it.
          const external = await connect(mr, gate);
          await external.create(mr, signal);
          await observe(external, mr);
          await external.delete(mr, signal);
        }
        const tokens = gate.operations().filter((o) => o === 'OAuthToken');
        assert.ok(tokens.length <= 1, `token requests: ${tokens.length} (${gate.operations().join(' ')})`);
        assert.ok(gate.recorded.every((r) => r.err === undefined || r.err instanceof NotFoundError), 'every call was accepted');
      });
    }

    if (runs('unknown-key-refused')) {
      it('a key the token endpoint does not know is refused: Terminal, with the OAuth error, and no bucket call is made', async () => {
        const spec = endpoint.providerConfigSpec;
        const ref = spec.credentialsSecretRef as { name: string; namespace: string; key?: string };
        const secretKey = `${ref.namespace}/${ref.name}/${ref.key ?? 'credentials.json'}`;
        const key = JSON.parse(endpoint.secrets[secretKey] ?? '{}') as Record<string, unknown>;
        const { generateKeyPairSync } = await import('node:crypto');
        const stranger = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
        const secrets = { ...endpoint.secrets, [secretKey]: JSON.stringify({ ...key, private_key: stranger, private_key_id: 'unknown-key' }) };
        const mr = managed(uniqueName('pledge-badkey'), { location });
        const gate = countingGate();
        const external = await bucket.connect(mr, connectContext(endpoint, gate, spec, secrets));
        await assert.rejects(external.observe(mr, signal), isTerminal(/invalid_grant: /));
        assert.deepEqual(gate.operations(), ['OAuthToken']);
      });
    }

    if (runs('throttled')) {
      it('a throttled call is ThrottledError with the endpoint\'s Retry-After, and the gate hears of it', async () => {
        const setThrottle = endpoint.setThrottle;
        assert.ok(setThrottle, 'the endpoint must offer fault injection');
        const mr = managed(uniqueName('pledge-slow'), { location });
        const gate = countingGate();
        const external = await connect(mr, gate);
        await external.observe(mr, signal); // fetch the token before throttling
        await setThrottle(1);
        try {
          const err = await external.observe(mr, signal).then(() => undefined, (e: unknown) => e);
          assert.ok(err instanceof ThrottledError, describeError(err));
          assert.match(describeError(err), /^observe failed: rateLimitExceeded: /);
          assert.equal(err.retryAfterMs, 1_000);
          assert.ok(gate.recorded.at(-1)?.err instanceof ThrottledError);
        } finally {
          await setThrottle(0);
        }
      });
    }

    if (runs('abort')) {
      it('an aborted reconcile makes no call and says why', async () => {
        const mr = managed(uniqueName('pledge-abort'), { location });
        const gate = countingGate();
        const external = await connect(mr, gate);
        const aborter = new AbortController();
        aborter.abort(new Error('reconcile timed out'));
        await assert.rejects(external.observe(mr, aborter.signal), (err: unknown) => err instanceof PledgeError && describeError(err).endsWith('reconcile timed out'));
        assert.equal(gate.acquired, 0);
      });
    }
  });
}

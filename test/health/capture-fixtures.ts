// Produces the health fixtures (health/argocd/resource_customizations/*/*/testdata/*.yaml) by running the real
// `pledge run` against the test environment and reading back what it wrote, one object per verdict class:
//   node test/env/run.ts -- node test/health/capture-fixtures.ts
// Objects are written as kubectl returns them, less metadata.managedFields (noise no health check reads).
// test/health/live-fixtures.test.ts runs the same capture into a temporary directory and checks the verdicts.
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { parse, stringify } from 'yaml';
import { composedName, compositeNameForClaim } from '../../compositions/composed-names.ts';
import { kubectlApply, testEnv } from '../env/index.ts';
import { FINALIZER } from '../../core/managed/finalizer.ts';
import { eventually, getJson, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO, startController } from '../integration/harness.ts';
import { startThrottlingProxy } from '../integration/support/throttling-proxy.ts';
import { awsCompositionOn, bucket, claim, EXAMPLES, extraCompositions, GROUP } from './fixture-objects.ts';

export const FIXTURE_ROOT = join(REPO, 'health/argocd/resource_customizations');
let out = FIXTURE_ROOT;
const OTHER_ACCOUNT = '111111111111';

type Obj = { apiVersion: string; kind: string; metadata: Record<string, unknown> & { name: string; finalizers?: string[] }; status?: { conditions?: Array<{ type: string; status: string; reason: string }> } };

function dirOf(obj: Obj): string {
  const group = obj.apiVersion.includes('/') ? obj.apiVersion.split('/')[0] : '';
  return join(out, `${group}/${obj.kind}/testdata`);
}

async function save(resource: string, name: string, file: string, namespace?: string): Promise<Obj> {
  const obj = await getJson<Obj>(resource, name, namespace);
  if (!obj) throw new Error(`${resource} ${name} not found`);
  delete obj.metadata.managedFields;
  const path = join(dirOf(obj), `${file}.yaml`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, stringify(obj, { lineWidth: 0 }));
  console.log(`captured ${obj.kind} ${name} -> ${path}`);
  return obj;
}

const cond = async (resource: string, name: string, type: string, namespace?: string) =>
  (await getJson<Obj>(resource, name, namespace))?.status?.conditions?.find((c) => c.type === type);

/** Waits for the condition; on a timeout says what the object shows instead, and fails the run. */
async function waitFor(resource: string, name: string, type: string, status: string, reason?: string, namespace?: string): Promise<void> {
  try {
    await eventually(
      async () => {
        const c = await cond(resource, name, type, namespace);
        return c?.status === status && (reason === undefined || c.reason === reason);
      },
      `${resource} ${name} ${type}=${status}${reason ? ` ${reason}` : ''}`,
      90_000,
    );
  } catch (err: unknown) {
    console.error(JSON.stringify((await getJson<Obj>(resource, name, namespace))?.status, null, 1));
    failures.push(err instanceof Error ? err.message : String(err));
  }
}
const failures: string[] = [];

const BUCKET = 'buckets.s3.aws.pledge.dev';
const CLAIM = `objectstorages.${GROUP}`;
const XR = `xobjectstorages.${GROUP}`;
const HOLD = 'health.pledge.dev/hold';

/** Captures every fixture into dir (<group>/<kind>/testdata/<state>.yaml), then deletes what it made. */
export async function captureFixtures(dir: string = FIXTURE_ROOT): Promise<void> {
  out = dir;
  failures.length = 0;
  await installCrds();
  await installAwsProviderConfig('default');
  const proxy = await startThrottlingProxy({ upstream: testEnv().motoUrl, throttleShare: 1 });
  const pcs = parse(await mustKubectl(['get', 'providerconfigs.aws.pledge.dev', 'default', '-o', 'json']));
  const pcOn = (name: string, endpoint: string) =>
    `apiVersion: aws.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: ${name}}\nspec: ${JSON.stringify({ ...pcs.spec, endpoint })}\n`;
  await mustKubectl(
    ['apply', '-f', '-'],
    `${pcOn('throttled', proxy.url)}---\n${pcOn('unreachable', 'http://127.0.0.1:9')}---\napiVersion: nop.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: default}\n---\n` +
      `apiVersion: gcp.pledge.dev/v1\nkind: ProviderConfig\nmetadata: {name: health-gcs}\nspec: {projectId: pledge-test, endpoint: "${testEnv().fakeGcsUrl}"}\n`,
  );
  const controller = await startController({ pollInterval: '5s', identity: 'admin' });
  try {
    await mustKubectl(['apply', '-f', join(EXAMPLES, 'definition.yaml'), '-f', join(EXAMPLES, 'composition-aws.yaml')]);
    await mustKubectl(['wait', '--for=condition=Offered', '--timeout=60s', `compositeresourcedefinitions.pledge.dev/xobjectstorages.${GROUP}`]);
    await mustKubectl(['apply', '-f', '-'], `${await awsCompositionOn('throttled', 'aws-throttled')}---\n${extraCompositions}`);

    // Names another account holds: the create is refused for good (BucketAlreadyExists).
    const claimTaken = composedName(compositeNameForClaim('default', 'health-terminal'), 'bucket');
    for (const taken of ['health-taken', claimTaken]) {
      // Already there from an earlier capture in the same environment: as good.
      await motoS3({ account: OTHER_ACCOUNT })
        .send(new CreateBucketCommand({ Bucket: taken }))
        .catch((err: unknown) => console.log(`bucket ${taken}: ${err instanceof Error ? err.name : String(err)}`));
    }

    const mrs = [
      bucket('health-ready'),
      bucket('health-taken'),
      bucket('health-throttled', { providerConfig: 'throttled' }),
      bucket('health-unreachable', { providerConfig: 'unreachable' }),
      bucket('health-no-config', { providerConfig: 'missing' }),
      bucket('health-paused', { annotations: { 'pledge.dev/paused': 'true' } }),
      bucket('health-deleting', { finalizers: [HOLD] }),
      `apiVersion: nop.pledge.dev/v1\nkind: NopResource\nmetadata: {name: health-creating}\nspec:\n  forProvider:\n    conditionAfter:\n    - {time: 1h, conditionType: Ready, conditionStatus: "True"}\n`,
      `apiVersion: storage.gcp.pledge.dev/v1\nkind: Bucket\nmetadata: {name: health-gcs-ready}\nspec:\n  providerConfigRef: {name: health-gcs}\n  forProvider: {location: US-CENTRAL1}\n`,
      `apiVersion: rds.aws.pledge.dev/v1\nkind: DBInstance\nmetadata: {name: health-db}\nspec:\n  forProvider: {region: us-east-1, engine: postgres, dbInstanceClass: db.t3.micro, masterUsername: app, allocatedStorage: 20}\n  writeConnectionSecretToRef: {name: health-db-conn, namespace: default}\n`,
      `apiVersion: storage.azure.pledge.dev/v1\nkind: Account\nmetadata: {name: healthwaiting}\nspec:\n  forProvider: {location: westeurope, resourceGroupNameRef: {name: health-missing-rg}}\n`,
      claim('health-ready', 'aws'),
      claim('health-terminal', 'aws'),
      claim('health-throttled', 'aws-throttled'),
      claim('health-creating', 'nop-slow'),
      claim('health-waiting', 'azure-waiting'),
      claim('health-paused', 'aws', { annotations: { 'pledge.dev/paused': 'true' } }),
      claim('health-deleting', 'aws', { finalizers: [HOLD] }),
    ];
    const applied = await kubectlApply(mrs.join('\n---\n'));
    if (applied.code !== 0) throw new Error(applied.stderr);

    // Managed resources.
    await waitFor(BUCKET, 'health-ready', 'Ready', 'True');
    await waitFor(BUCKET, 'health-deleting', 'Ready', 'True');
    await waitFor(BUCKET, 'health-taken', 'Stalled', 'True', 'TerminalError');
    await waitFor(BUCKET, 'health-throttled', 'Reconciling', 'True', 'Throttled');
    await waitFor(BUCKET, 'health-unreachable', 'Reconciling', 'True', 'ReconcileError');
    await waitFor(BUCKET, 'health-no-config', 'Reconciling', 'True', 'ConfigNotReady');
    await waitFor(BUCKET, 'health-paused', 'Synced', 'False', 'ReconcilePaused');
    await waitFor('nopresources.nop.pledge.dev', 'health-creating', 'Reconciling', 'True', 'Creating');
    await waitFor('accounts.storage.azure.pledge.dev', 'healthwaiting', 'Reconciling', 'True', 'ReferencesNotReady');
    await waitFor('buckets.storage.gcp.pledge.dev', 'health-gcs-ready', 'Ready', 'True');
    await waitFor('dbinstances.rds.aws.pledge.dev', 'health-db', 'Ready', 'True');
    await save('buckets.storage.gcp.pledge.dev', 'health-gcs-ready', 'ready');
    await save('dbinstances.rds.aws.pledge.dev', 'health-db', 'ready');
    await save(BUCKET, 'health-ready', 'ready');
    await save(BUCKET, 'health-taken', 'terminal-error');
    await save(BUCKET, 'health-throttled', 'throttled');
    await save(BUCKET, 'health-unreachable', 'transient-error');
    await save(BUCKET, 'health-no-config', 'config-not-ready');
    await save(BUCKET, 'health-paused', 'paused');
    await save('nopresources.nop.pledge.dev', 'health-creating', 'creating');
    await save('accounts.storage.azure.pledge.dev', 'healthwaiting', 'references-not-ready');

    // Claims and their composites.
    const xrOf = (name: string) => compositeNameForClaim('default', name);
    await waitFor(CLAIM, 'health-ready', 'Ready', 'True', undefined, 'default');
    await waitFor(CLAIM, 'health-deleting', 'Ready', 'True', undefined, 'default');
    await waitFor(CLAIM, 'health-terminal', 'Stalled', 'True', 'ComposedResourceFailed', 'default');
    await waitFor(CLAIM, 'health-throttled', 'Reconciling', 'True', 'Throttled', 'default');
    await waitFor(CLAIM, 'health-creating', 'Reconciling', 'True', 'Creating', 'default');
    await waitFor(CLAIM, 'health-waiting', 'Reconciling', 'True', 'ReferencesNotReady', 'default');
    await waitFor(CLAIM, 'health-paused', 'Synced', 'False', 'ReconcilePaused', 'default');
    for (const [name, file] of [
      ['health-ready', 'ready'],
      ['health-terminal', 'terminal-error'],
      ['health-throttled', 'throttled'],
      ['health-creating', 'creating'],
      ['health-waiting', 'references-not-ready'],
      ['health-paused', 'paused'],
    ] as const) {
      await save(CLAIM, name, file, 'default');
      if (name !== 'health-paused') await save(XR, xrOf(name), file);
    }
    await save('compositeresourcedefinitions.pledge.dev', `xobjectstorages.${GROUP}`, 'established');
    await save('compositions.pledge.dev', 'objectstorage-aws', 'composition');
    const revision = JSON.parse(await mustKubectl(['get', 'compositionrevisions.pledge.dev', '-l', 'pledge.dev/composition-name=objectstorage-aws', '-o', 'json'])).items[0];
    if (revision) await save('compositionrevisions.pledge.dev', revision.metadata.name, 'revision');
    await save('providerconfigs.aws.pledge.dev', 'default', 'providerconfig');

    // Being deleted: another finalizer holds the object once Pledge let go (the managed resource) or while it waits (the claim).
    await mustKubectl(['delete', BUCKET, 'health-deleting', '--wait=false']);
    await mustKubectl(['delete', CLAIM, 'health-deleting', '-n', 'default', '--wait=false']);
    await eventually(async () => !(await getJson<Obj>(BUCKET, 'health-deleting'))?.metadata.finalizers?.includes(FINALIZER), 'Pledge let go of the bucket', 60_000);
    await waitFor(BUCKET, 'health-deleting', 'Ready', 'False', 'Deleting');
    await save(BUCKET, 'health-deleting', 'deleting');
    await eventually(async () => (await getJson<Obj>(XR, xrOf('health-deleting'))) === undefined || (await cond(XR, xrOf('health-deleting'), 'Ready'))?.reason === 'Deleting', 'the composite deleting', 60_000);
    await eventually(async () => (await getJson<Obj>(CLAIM, 'health-deleting', 'default'))?.metadata.finalizers?.join() === HOLD, 'Pledge let go of the claim', 60_000);
    await save(CLAIM, 'health-deleting', 'deleting', 'default');
  } finally {
    await controller.stop();
  }
  // With no controller: a spec change not observed yet, and a resource never reconciled.
  await mustKubectl(['patch', BUCKET, 'health-ready', '--type=merge', '-p', '{"spec":{"forProvider":{"tags":{"team":"storage"}}}}']);
  await save(BUCKET, 'health-ready', 'spec-changed');
  await mustKubectl(['patch', CLAIM, 'health-ready', '-n', 'default', '--type=merge', '-p', '{"spec":{"versioning":true}}']);
  await save(CLAIM, 'health-ready', 'spec-changed', 'default');
  await kubectlApply(bucket('health-new'));
  await save(BUCKET, 'health-new', 'new');
  await proxy.close();
  await removeAll();
  if (failures.length > 0) throw new Error(`not captured as wanted:\n${failures.join('\n')}`);
}

/**
 * Deletes what the capture made, so later tests in the same environment find none of it (compositions.test.ts
 * deletes the same XRD and waits for its instances to go). Needs a controller for Pledge's own finalizers.
 */
async function removeAll(): Promise<void> {
  const controller = await startController({ pollInterval: '5s', identity: 'admin' });
  try {
    const release = async (resource: string, name: string, namespace?: string) => {
      const at = namespace ? ['-n', namespace] : [];
      const obj = await getJson<Obj>(resource, name, namespace);
      const kept = obj?.metadata.finalizers?.filter((f) => f !== HOLD);
      if (obj && kept?.length !== obj.metadata.finalizers?.length) await mustKubectl(['patch', resource, name, ...at, '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: kept } })]);
    };
    await release(BUCKET, 'health-deleting');
    await release(CLAIM, 'health-deleting', 'default');
    // Paused objects would keep their finalizers: unpause them first.
    await mustKubectl(['annotate', BUCKET, 'health-paused', 'pledge.dev/paused-']);
    await mustKubectl(['annotate', CLAIM, 'health-paused', '-n', 'default', 'pledge.dev/paused-']);
    // What cannot be deleted in the cloud (unreachable, throttled, no ProviderConfig, another account's name) is orphaned.
    const orphan = async (resource: string, name: string) =>
      mustKubectl(['patch', resource, name, '--type=merge', '-p', '{"spec":{"deletionPolicy":"Orphan"}}']).catch((err: unknown) => console.log(String(err)));
    const composedBucket = (claimName: string) => composedName(compositeNameForClaim('default', claimName), 'bucket');
    for (const b of ['health-throttled', 'health-unreachable', 'health-no-config', 'health-taken', composedBucket('health-terminal'), composedBucket('health-throttled')]) await orphan(BUCKET, b);
    for (const a of ['healthwaiting', 'healthwaitingacct']) await orphan('accounts.storage.azure.pledge.dev', a);
    const claims = ['health-ready', 'health-terminal', 'health-throttled', 'health-creating', 'health-waiting', 'health-paused', 'health-deleting'];
    await mustKubectl(['delete', CLAIM, '-n', 'default', '--ignore-not-found', '--timeout=120s', ...claims]);
    const buckets = ['health-ready', 'health-taken', 'health-throttled', 'health-unreachable', 'health-no-config', 'health-paused', 'health-deleting', 'health-new'];
    await mustKubectl(['delete', BUCKET, '--ignore-not-found', '--wait=false', ...buckets]);
    await mustKubectl(['delete', 'nopresources.nop.pledge.dev', 'health-creating', '--ignore-not-found', '--wait=false']);
    await mustKubectl(['delete', 'buckets.storage.gcp.pledge.dev', 'health-gcs-ready', '--ignore-not-found', '--timeout=60s']).catch((err: unknown) => console.log(String(err)));
    await mustKubectl(['delete', 'dbinstances.rds.aws.pledge.dev', 'health-db', '--ignore-not-found', '--timeout=120s']).catch((err: unknown) => console.log(String(err)));
    await mustKubectl(['delete', 'accounts.storage.azure.pledge.dev', 'healthwaiting', '--ignore-not-found', '--wait=false']);
    await mustKubectl(['wait', '--for=delete', '--timeout=120s', `${BUCKET}/health-ready`, ...buckets.slice(1).map((b) => `${BUCKET}/${b}`)]).catch(() => undefined);
    await mustKubectl(['delete', 'compositions.pledge.dev', '--ignore-not-found', 'objectstorage-aws-throttled', 'objectstorage-nop-slow', 'objectstorage-azure-waiting']);
    await mustKubectl(['delete', 'providerconfigs.aws.pledge.dev', '--ignore-not-found', 'throttled', 'unreachable']);
    await mustKubectl(['delete', 'providerconfigs.gcp.pledge.dev', '--ignore-not-found', 'health-gcs']);
  } finally {
    await controller.stop();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  captureFixtures().then(
    () => process.exit(0),
    (err: unknown) => {
      console.error(err);
      process.exit(1);
    },
  );
}

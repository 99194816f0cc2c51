// No perpetual OutOfSync: the repository's example manifests, applied the way Argo CD applies them
// (server-side as argocd-controller, or client-side kubectl apply), reconciled by Pledge to Ready
// (late-init included), then diffed with the same manager: `kubectl diff` must show nothing for every
// object. The files are the ones examples/gitops/*-app.yaml select, so the test covers what Argo CD syncs.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { parseAllDocuments, stringify } from 'yaml';
import { GetBucketTaggingCommand, PutBucketEncryptionCommand, PutBucketOwnershipControlsCommand } from '@aws-sdk/client-s3';
import { kubectl, testEnv } from '../env/index.ts';
import { eventually, getJson, installAwsProviderConfig, installCrds, motoS3, mustKubectl, REPO, startController, type ControllerProcess } from './harness.ts';
import { installCloudsimProviderConfigs } from './support/cloudsim-provider-configs.ts';
import { applicationFiles, readApplication } from './support/gitops-sources.ts';
import { reconcileEvidence } from './support/reconcile-evidence.ts';

type Obj = {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string>; finalizers?: string[] };
  spec?: Record<string, unknown>;
};
type Mode = 'server-side' | 'client-side';

const suffix = randomBytes(2).toString('hex');
const GITOPS = join(REPO, 'examples/gitops');
const platformApp = readApplication(join(GITOPS, 'platform-app.yaml'));
const claimsApp = readApplication(join(GITOPS, 'claims-app.yaml'));
const MANAGED_EXAMPLES = ['s3-bucket.yaml', 'rds-db-instance.yaml', 'azure-storage-account.yaml', 'gcs-bucket.yaml', 'nop-resource.yaml'].map((f) => join(REPO, 'examples', f));
const MANAGER = 'argocd-controller';
/** What Argo CD adds to every object it syncs (annotation tracking, plus the informational label). */
const TRACKING_LABEL = 'app.kubernetes.io/instance';
const TRACKING_ANNOTATION = 'argocd.argoproj.io/tracking-id';
const PROBE_LABEL = 'pledge.dev/no-diff-probe';
const run = promisify(execFile);

function docsOf(file: string): Obj[] {
  return parseAllDocuments(readFileSync(file, 'utf8'))
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

const groupOf = (o: Obj) => (o.apiVersion.includes('/') ? o.apiVersion.split('/')[0] : '');
const resourceOf = (o: Obj) => (groupOf(o) ? `${o.kind.toLowerCase()}.${groupOf(o)}` : o.kind.toLowerCase());
const nsArgs = (o: Obj) => (o.metadata.namespace ? ['-n', o.metadata.namespace] : []);
const label = (o: Obj) => `${o.kind}/${o.metadata.name}`;

function applyArgs(mode: Mode, file: string): string[] {
  return mode === 'server-side' ? ['apply', '--server-side', '--force-conflicts', `--field-manager=${MANAGER}`, '-f', file] : ['apply', '-f', file];
}
function diffArgs(mode: Mode, file: string): string[] {
  return mode === 'server-side' ? ['diff', '--server-side', '--force-conflicts', `--field-manager=${MANAGER}`, '-f', file] : ['diff', '-f', file];
}

/** The example objects of one run, renamed so the two runs (and other tests) never share an object. */
function manifests(mode: Mode, namespace: string): { platform: Obj[]; claims: Obj[]; managed: Obj[] } {
  const tag = `${mode === 'server-side' ? 'ssa' : 'csa'}-${suffix}`;
  // XRDs and Compositions are cluster-wide APIs whose names other tests share: applied as they are.
  // The example ProviderConfigs are named `default`, which points at the emulators here: renamed.
  const platform = applicationFiles(platformApp, REPO)
    .flatMap(docsOf)
    .map((o) => (o.kind === 'ProviderConfig' ? { ...o, metadata: { ...o.metadata, name: `gitops-${tag}` } } : o))
    .map((o) => tracked(o, `${platformApp.metadata.name}-${tag}`));
  const claims = applicationFiles(claimsApp, REPO)
    .flatMap(docsOf)
    .map((o) => tracked({ ...o, metadata: { ...o.metadata, namespace } }, `${claimsApp.metadata.name}-${tag}`));
  // Managed resources are cluster-wide and name cloud objects: renamed (a storage account's name takes
  // no dashes), and references between them follow.
  const examples = MANAGED_EXAMPLES.flatMap(docsOf);
  const renamed = new Map(examples.map((o) => [o.metadata.name, o.kind === 'Account' ? `${o.metadata.name}${tag.replace('-', '')}` : `${o.metadata.name}-${tag}`]));
  const managed = examples.map((o) => {
    const spec = structuredClone(o.spec ?? {});
    const secret = spec.writeConnectionSecretToRef as { name: string; namespace: string } | undefined;
    if (secret) spec.writeConnectionSecretToRef = { name: `${secret.name}-${tag}`, namespace };
    for (const value of Object.values((spec.forProvider ?? {}) as Record<string, unknown>)) {
      const ref = value as { name?: unknown } | null;
      if (ref && typeof ref === 'object' && typeof ref.name === 'string' && renamed.has(ref.name)) ref.name = renamed.get(ref.name);
    }
    return tracked({ ...o, metadata: { ...o.metadata, name: renamed.get(o.metadata.name) ?? o.metadata.name }, spec }, `managed-examples-${tag}`);
  });
  return { platform, claims, managed };
}

/** The object as Argo CD applies it: its tracking annotation, and the instance label (label tracking). */
function tracked(o: Obj, app: string): Obj {
  const id = `${app}:${groupOf(o)}/${o.kind}:${o.metadata.namespace ?? ''}/${o.metadata.name}`;
  return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, [TRACKING_LABEL]: app }, annotations: { ...o.metadata.annotations, [TRACKING_ANNOTATION]: id } } };
}

const keyOf = (o: Obj) => `${groupOf(o)}/${o.kind}/${o.metadata.namespace ?? ''}/${o.metadata.name}`;

/**
 * What Argo CD with label tracking takes for an Application's objects: everything carrying its instance
 * label and no owner reference (gitops-engine's cluster cache, GetManagedLiveObjs). Anything beyond what
 * was applied would show OutOfSync and be pruned.
 */
async function labelTracked(app: string): Promise<string[]> {
  for (let attempt = 1; ; attempt++) {
    const types = (await mustKubectl(['api-resources', '--verbs=list', '-o', 'name'])).split('\n').filter((r) => /\.(pledge\.dev|platform\.example\.org)$/.test(r) || r === 'secrets');
    const res = await kubectl(['get', types.join(','), '-A', '-l', `${TRACKING_LABEL}=${app}`, '-o', 'json']);
    // A kind an earlier test's XRD served may go between the two calls: ask again.
    if (res.code !== 0 && attempt < 3 && res.stderr.includes("doesn't have a resource type")) continue;
    assert.equal(res.code, 0, res.stderr);
    const list = JSON.parse(res.stdout) as { items: Array<Obj & { metadata: { ownerReferences?: unknown[] } }> };
    return list.items.filter((o) => !o.metadata.ownerReferences?.length).map(keyOf).sort();
  }
}

async function writeEach(dir: string, objs: Obj[]): Promise<Map<Obj, string>> {
  const files = new Map<Obj, string>();
  for (const [i, o] of objs.entries()) {
    const file = join(dir, `${String(i).padStart(2, '0')}-${o.kind.toLowerCase()}-${o.metadata.name}.yaml`);
    await writeFile(file, stringify(o));
    files.set(o, file);
  }
  return files;
}

async function waitReady(o: Obj, condition = 'Ready', timeoutS = 180): Promise<void> {
  const res = await kubectl(['wait', `--for=condition=${condition}`, `--timeout=${timeoutS}s`, `${resourceOf(o)}/${o.metadata.name}`, ...nsArgs(o)], { timeoutMs: (timeoutS + 10) * 1000 });
  if (res.code !== 0) {
    const live = await getJson(resourceOf(o), o.metadata.name, o.metadata.namespace);
    throw new Error(`${label(o)} not ${condition}: ${res.stderr}\n${JSON.stringify(live?.status)}`);
  }
}

async function live(o: Obj): Promise<Obj & { status?: Record<string, unknown> }> {
  const got = await getJson<Obj & { status?: Record<string, unknown> }>(resourceOf(o), o.metadata.name, o.metadata.namespace);
  assert.ok(got, `${label(o)} exists`);
  return got;
}

/** Waits for two completed reconciles of each resource that began after now. */
async function settled(controller: ControllerProcess, objs: Obj[]): Promise<void> {
  const since = Date.now();
  await Promise.all(
    objs.map((o) => reconcileEvidence(() => controller.log(), { kind: o.kind, name: o.metadata.name, msg: 'observed, requeue' }).waitSince(since, 2, `reconciled ${label(o)} twice more`)),
  );
}

describe('kubectl diff after Pledge reconciles the examples to Ready', { timeout: 900_000 }, () => {
  let controller: ControllerProcess;
  let dir: string;

  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'pledge-no-diff-'));
    await installCrds();
    // Azure and GCP on cloudsim, then AWS's `default` on moto (the second apply replaces the first's endpoint).
    await installCloudsimProviderConfigs('default');
    await installAwsProviderConfig('default');
    // As the chart's ServiceAccount, with only the chart's RBAC, as in a cluster.
    controller = await startController({ pollInterval: '2s', env: { NODE_EXTRA_CA_CERTS: testEnv().cloudsim?.caPath } });
  });
  after(async () => {
    await controller?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  test('the Applications select the example folders: platform APIs apart from the claims; the root app both Applications', () => {
    const rel = (files: string[]) => files.map((f) => f.slice(REPO.length));
    assert.deepEqual(rel(applicationFiles(platformApp, REPO)), [
      'compositions/examples/object-storage/composition-aws.yaml',
      'compositions/examples/object-storage/composition-azure.yaml',
      'compositions/examples/object-storage/composition-gcp.yaml',
      'compositions/examples/object-storage/definition.yaml',
      'compositions/examples/postgres/composition-aws.yaml',
      'compositions/examples/postgres/definition.yaml',
      'examples/gitops/platform/provider-configs.yaml',
    ]);
    assert.deepEqual(rel(applicationFiles(claimsApp, REPO)), [
      'examples/claims/object-storage-aws.yaml',
      'examples/claims/object-storage-azure.yaml',
      'examples/claims/object-storage-gcp.yaml',
      'compositions/examples/postgres/claim.yaml',
    ]);
    assert.deepEqual(rel(applicationFiles(readApplication(join(GITOPS, 'root-app.yaml')), REPO)), ['examples/gitops/claims-app.yaml', 'examples/gitops/platform-app.yaml']);
  });

  for (const mode of ['server-side', 'client-side'] as const) {
    test(`${mode} apply, Ready, then ${mode} diff shows nothing for any object`, async (t) => {
      const started = Date.now();
      const namespace = `nodiff-${mode === 'server-side' ? 'ssa' : 'csa'}-${suffix}`;
      await mustKubectl(['create', 'namespace', namespace]);
      const sub = await mkdtemp(join(dir, `${mode}-`));
      const { platform, claims, managed } = manifests(mode, namespace);
      const files = await writeEach(sub, [...platform, ...claims, ...managed]);
      t.after(async () => {
        const gone = [...claims, ...managed].map((o) => kubectl(['delete', resourceOf(o), o.metadata.name, ...nsArgs(o), '--ignore-not-found', '--timeout=120s'], { timeoutMs: 130_000 }));
        await Promise.all(gone);
        const configs = platform.filter((o) => o.kind === 'ProviderConfig');
        for (const o of configs) await kubectl(['delete', resourceOf(o), o.metadata.name, '--ignore-not-found']);
        await kubectl(['delete', 'namespace', namespace, '--ignore-not-found', '--wait=false']);
      });

      for (const o of platform) await mustKubectl(applyArgs(mode, files.get(o) ?? ''));
      for (const xrd of platform.filter((o) => o.kind === 'CompositeResourceDefinition')) await waitReady(xrd, 'Offered', 60);
      for (const o of [...claims, ...managed]) await mustKubectl(applyArgs(mode, files.get(o) ?? ''));
      for (const o of [...claims, ...managed]) await waitReady(o);
      const readyAt = Date.now();

      // Late-init: AWS gives every new bucket SSE-S3 encryption and BucketOwnerEnforced ownership (since
      // 2023); moto does not, so the test sets them as AWS would. Pledge then fills them into the spec.
      const bucket = managed.find((o) => o.apiVersion === 's3.aws.pledge.dev/v1');
      assert.ok(bucket);
      const s3 = motoS3();
      const bucketName = (await live(bucket)).metadata.annotations?.['pledge.dev/external-name'];
      assert.ok(bucketName, 'the bucket has its external name');
      await s3.send(new PutBucketEncryptionCommand({ Bucket: bucketName, ServerSideEncryptionConfiguration: { Rules: [{ ApplyServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] } }));
      await s3.send(new PutBucketOwnershipControlsCommand({ Bucket: bucketName, OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] } }));
      const given = Object.keys((bucket.spec?.forProvider ?? {}) as object);
      const filledIn = async () => Object.keys(((await live(bucket)).spec?.forProvider ?? {}) as object).filter((k) => !given.includes(k));
      await eventually(async () => (await filledIn()).length === 2, `late-init of ${label(bucket)}`, 60_000);
      const filled = await filledIn();
      const lateInit: string[] = [];
      for (const o of managed) {
        const given = Object.keys((o.spec?.forProvider ?? {}) as object);
        const added = Object.keys(((await live(o)).spec?.forProvider ?? {}) as object).filter((k) => !given.includes(k));
        if (added.length > 0) lateInit.push(`${label(o)}: ${added.join(', ')}`);
        // Every cloud kind here has settings the example leaves to the cloud; a NopResource and a resource group have none.
        if (o.kind !== 'NopResource' && o.kind !== 'ResourceGroup') assert.ok(added.length > 0, `late-init filled nothing in ${label(o)}'s forProvider`);
      }

      // Pledge's own marks are there (finalizers, external name, the claim's resourceRef), and the
      // composite got the claim's labels but not Argo CD's tracking label or annotation.
      for (const o of claims) {
        const got = await live(o);
        assert.ok(got.metadata.finalizers?.includes('claim.pledge.dev'), `${label(o)} has Pledge's finalizer`);
        const ref = got.spec?.resourceRef as { name: string } | undefined;
        assert.ok(ref?.name, `${label(o)} has spec.resourceRef`);
        assert.equal(got.metadata.labels?.[TRACKING_LABEL], o.metadata.labels?.[TRACKING_LABEL], 'the user-set label survives');
        assert.ok(got.metadata.annotations?.[TRACKING_ANNOTATION], 'the user-set annotation survives');
        const xr = await getJson<Obj>(`x${o.kind.toLowerCase()}.${groupOf(o)}`, ref.name);
        assert.ok(xr, `${label(o)}'s composite exists`);
        for (const [k, v] of Object.entries(o.metadata.labels ?? {})) {
          if (k === TRACKING_LABEL) assert.equal(xr.metadata.labels?.[k], undefined, `${label(o)}'s composite carries Argo CD's tracking label: label tracking would prune it`);
          else assert.equal(xr.metadata.labels?.[k], v, `${label(o)}'s label ${k} reaches its composite`);
        }
        assert.equal(xr.metadata.annotations?.[TRACKING_ANNOTATION], undefined);
      }
      for (const o of managed) {
        const got = await live(o);
        assert.ok(got.metadata.finalizers?.includes('finalizer.managed.pledge.dev'), `${label(o)} has Pledge's finalizer`);
      }

      for (const set of [platform, claims, managed]) {
        const app = set[0]?.metadata.labels?.[TRACKING_LABEL] ?? '';
        assert.deepEqual(await labelTracked(app), set.map(keyOf).sort(), `what Argo CD's label tracking would count as ${app}'s`);
      }

      // Two more reconciles of every managed resource from now on (the second began after the first ended):
      // a write Pledge makes at a later poll would show in the diff too.
      await settled(controller, managed);
      const all = [...platform, ...claims, ...managed];
      const diffs: string[] = [];
      for (const o of all) {
        const res = await kubectl(diffArgs(mode, files.get(o) ?? ''));
        if (res.code !== 0 || res.stdout !== '') {
          const owners = await kubectl(['get', resourceOf(o), o.metadata.name, ...nsArgs(o), '-o', 'yaml', '--show-managed-fields']);
          diffs.push(`${label(o)} (exit ${res.code}):\n${res.stdout}${res.stderr}\n--- live with managed fields:\n${owners.stdout}`);
        }
      }
      assert.deepEqual(diffs, [], `kubectl diff (${mode}) shows differences after reconcile:\n${diffs.join('\n')}`);

      // The check can fail: a changed label on any object, and a changed spec field, show as a diff.
      const probeDir = await mkdtemp(join(sub, 'probe-'));
      for (const o of all) {
        const changed = { ...o, metadata: { ...o.metadata, labels: { ...o.metadata.labels, [PROBE_LABEL]: 'changed' } } };
        const [file] = (await writeEach(probeDir, [changed])).values();
        const res = await kubectl(diffArgs(mode, file ?? ''));
        assert.equal(res.code, 1, `${label(o)}: a changed manifest must diff (${res.stderr})`);
        assert.match(res.stdout, new RegExp(PROBE_LABEL));
      }
      const claim = claims.find((o) => o.kind === 'ObjectStorage');
      assert.ok(claim);
      const [specFile] = (await writeEach(probeDir, [{ ...claim, spec: { ...claim.spec, sizeClass: 'large' } }])).values();
      const specDiff = await kubectl(diffArgs(mode, specFile ?? ''));
      assert.equal(specDiff.code, 1, specDiff.stderr);
      assert.match(specDiff.stdout, /sizeClass: large/);

      // A change in git is applied and kept: Pledge acts on it (the composite, the bucket's tags in the
      // cloud) and never puts the old value back, so the changed manifests diff clean too. A field taken
      // out of git (versioning) leaves the object: Pledge holds no share in the user's fields.
      const { versioning, ...forProvider } = (bucket.spec?.forProvider ?? {}) as { tags?: Record<string, string>; versioning?: string };
      assert.ok(versioning, 'the example sets versioning');
      const retagged = { ...bucket, spec: { ...bucket.spec, forProvider: { ...forProvider, tags: { ...forProvider.tags, team: 'storage' } } } };
      const [bucketFile] = (await writeEach(probeDir, [retagged])).values();
      await mustKubectl(applyArgs(mode, specFile ?? ''));
      await mustKubectl(applyArgs(mode, bucketFile ?? ''));
      const claimRef = (await live(claim)).spec?.resourceRef as { name: string };
      await eventually(async () => (await getJson<Obj>(`x${claim.kind.toLowerCase()}.${groupOf(claim)}`, claimRef.name))?.spec?.sizeClass === 'large', 'the composite to take the new sizeClass');
      const tagsInCloud = async () => (await s3.send(new GetBucketTaggingCommand({ Bucket: bucketName }))).TagSet ?? [];
      await eventually(async () => (await tagsInCloud()).some((tag) => tag.Key === 'team' && tag.Value === 'storage'), 'the new tag in S3', 60_000);
      await settled(controller, [bucket]);
      assert.equal((((await live(bucket)).spec?.forProvider ?? {}) as Record<string, unknown>).versioning, undefined, 'versioning left the spec with the manifest');
      for (const file of [specFile, bucketFile]) {
        const res = await kubectl(diffArgs(mode, file ?? ''));
        assert.deepEqual([res.code, res.stdout], [0, ''], `${file}: ${res.stderr}`);
      }
      // Who owns what: the late-initialized fields are Pledge's (its own manager name), not the applier's.
      type Entry = { manager: string; operation: string; subresource?: string; fieldsV1?: { 'f:spec'?: { 'f:forProvider'?: Record<string, unknown> } } };
      const withFields = JSON.parse(await mustKubectl(['get', resourceOf(bucket), bucket.metadata.name, '-o', 'json', '--show-managed-fields'])) as { metadata: { managedFields?: Entry[] } };
      const entries = withFields.metadata.managedFields ?? [];
      const owners = (field: string) => entries.filter((m) => m.fieldsV1?.['f:spec']?.['f:forProvider']?.[`f:${field}`] !== undefined).map((m) => `${m.manager}/${m.operation}`);
      for (const field of filled) assert.deepEqual(owners(field), ['pledge/Update'], `owners of spec.forProvider.${field}`);
      assert.ok(owners('region').length > 0 && !owners('region').includes('pledge/Update'), `region is the applier's: ${owners('region').join(', ')}`);
      t.diagnostic(`${label(bucket)} managers: ${entries.map((m) => `${m.manager}/${m.operation}${m.subresource ? `/${m.subresource}` : ''}`).join(', ')}`);
      t.diagnostic(`${mode}: ${all.length} objects, Ready after ${((readyAt - started) / 1000).toFixed(1)} s, filled in after apply (late-init, references, schema defaults): ${lateInit.join('; ')}; run ${((Date.now() - started) / 1000).toFixed(1)} s`);
    });
  }

  test('the Argo CD Applications are valid against Argo CD\'s Application CRD, and the README\'s argocd-cm patches apply', async () => {
    const crd = join(REPO, 'test/integration/testdata/argocd-application-crd.yaml');
    await mustKubectl(['apply', '--server-side', '--force-conflicts', '-f', crd]);
    // Right after the create the CRD may have no status yet, which kubectl wait takes for an error.
    await eventually(async () => (await kubectl(['wait', '--for=condition=Established', '--timeout=10s', 'crd/applications.argoproj.io'])).code === 0, 'the Application CRD to be Established');
    await kubectl(['create', 'namespace', 'argocd']);
    const apps = ['platform-app.yaml', 'claims-app.yaml', 'root-app.yaml'].map((f) => join(GITOPS, f));
    const dry = await kubectl(['apply', '--dry-run=server', ...apps.flatMap((f) => ['-f', f])]);
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /application.argoproj.io\/pledge-platform created \(server dry run\)/);
    assert.match(dry.stdout, /application.argoproj.io\/team-claims created \(server dry run\)/);
    assert.match(dry.stdout, /application.argoproj.io\/pledge-gitops created \(server dry run\)/);
    // The schema is enforced: syncOptions as a string instead of a list is refused.
    const broken = docsOf(apps[1] ?? '')[0] as Obj & { spec: { syncPolicy: { syncOptions: unknown } } };
    broken.spec.syncPolicy.syncOptions = 'SkipDryRunOnMissingResource=true';
    const refused = await kubectl(['apply', '--dry-run=server', '-f', '-'], { input: stringify(broken) });
    assert.notEqual(refused.code, 0);
    assert.match(refused.stderr, /syncOptions/);

    // README step 1: Pledge's health checks, then the platform group's, patched into argocd-cm.
    await kubectl(['create', 'configmap', 'argocd-cm', '-n', 'argocd']);
    const kinds = ['ObjectStorage', 'XObjectStorage', 'PostgreSQLInstance', 'XPostgreSQLInstance'];
    const generated = await run(process.execPath, [join(REPO, 'bin/pledge.ts'), 'argocd-health', '--group', 'platform.example.org', ...kinds.flatMap((k) => ['--kind', k])]);
    const platformHealth = join(dir, 'platform-health.yaml');
    await writeFile(platformHealth, generated.stdout);
    for (const file of [join(REPO, 'health/argocd/argocd-cm.yaml'), platformHealth]) await mustKubectl(['-n', 'argocd', 'patch', 'configmap', 'argocd-cm', '--patch-file', file]);
    const cm = await getJson<{ data: Record<string, string> }>('configmap', 'argocd-cm', 'argocd');
    for (const key of ['resource.customizations.health.s3.aws.pledge.dev_Bucket', ...kinds.map((k) => `resource.customizations.health.platform.example.org_${k}`)]) {
      assert.ok(cm?.data[key], `argocd-cm has ${key}`);
    }

    assert.equal(platformApp.metadata.annotations?.['argocd.argoproj.io/sync-wave'], '-1');
    assert.ok(claimsApp.spec.syncPolicy?.syncOptions?.includes('SkipDryRunOnMissingResource=true'));
  });
});

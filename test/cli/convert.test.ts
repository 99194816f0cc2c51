// `pledge convert` through the real binary. Crossplane's own getting-started manifests for AWS, Azure
// and GCP (compositions/testdata/crossplane-docs, P&T Pipeline Compositions) are converted; the
// converted Composition, rendered by `pledge render` with the unchanged XR, must give for every
// template of a kind Pledge has exactly the resource `crossplane render` v2.2.1 rendered from the
// original (rendered/<cloud>.yaml, written by render-goldens.sh), after the kind mapping; every other
// template must be named in the report, and the exit code must say something was left out.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllDocuments, stringify } from 'yaml';
import { mappingFor } from '../../compositions/convert/kind-map.ts';
import { convertManaged } from '../../compositions/convert/managed.ts';

type JsonObject = { [key: string]: unknown };
const REPO = join(import.meta.dirname, '../..');
const DOCS = join(REPO, 'compositions/testdata/crossplane-docs');
const work = mkdtempSync(join(tmpdir(), 'pledge-convert-test-'));
after(() => rmSync(work, { recursive: true, force: true }));

function pledge(args: string[]): { status: number; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(REPO, 'bin/pledge.ts'), ...args], { cwd: work, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { status: r.status ?? -1, stdout: r.stdout, stderr: r.stderr };
}

const docs = (text: string): JsonObject[] => parseAllDocuments(text).map((d) => d.toJS() as JsonObject).filter((d) => d !== null);
const meta = (o: JsonObject) => (o.metadata ?? {}) as { name?: string; annotations?: Record<string, string> };
const templateOf = (o: JsonObject, key: string) => meta(o).annotations?.[key];

const CLOUDS = [
  { cloud: 'aws', xr: 'nosql-my-nosql-database.yaml', composition: 'dynamo-with-bucket.yaml', mapped: ['s3Bucket'], unmapped: ['dynamoDB'] },
  { cloud: 'azure', xr: 'virtualmachine-my-vm.yaml', composition: 'crossplane-quickstart-vm-with-network.yaml', mapped: ['crossplane-resourcegroup'], unmapped: ['quickstart-vm', 'quickstart-nic', 'quickstart-subnet', 'quickstart-network'] },
  { cloud: 'gcp', xr: 'pubsub-my-pubsub-queue.yaml', composition: 'topic-with-bucket.yaml', mapped: ['crossplane-quickstart-bucket'], unmapped: ['crossplane-quickstart-topic'] },
];

describe("pledge convert: Crossplane's getting-started compositions", () => {
  for (const c of CLOUDS) {
    it(`${c.cloud}: the converted Composition renders what crossplane render renders from the original, after the kind mapping`, () => {
      const out = join(work, c.cloud);
      const converted = pledge(['convert', join(DOCS, c.cloud), '-o', out]);
      assert.equal(converted.status, 3, `exit 3: templates of kinds Pledge lacks are left out\n${converted.stderr}`);
      for (const t of c.unmapped) assert.match(converted.stderr, new RegExp(`not converted: .*${c.composition}:\\d+: Composition .*template "${t}": Pledge has no `));
      assert.ok(readdirSync(out).includes(c.composition));
      const composition = docs(readFileSync(join(out, c.composition), 'utf8'))[0] ?? {};
      assert.equal(composition.apiVersion, 'pledge.dev/v1');

      const rendered = pledge(['render', join(DOCS, c.cloud, c.xr), join(out, c.composition)]);
      assert.equal(rendered.status, 0, rendered.stderr);
      const pledgeOut = docs(rendered.stdout).slice(1);
      const crossplaneOut = docs(readFileSync(join(DOCS, 'rendered', `${c.cloud}.yaml`), 'utf8')).slice(1);
      assert.deepEqual(pledgeOut.map((o) => templateOf(o, 'pledge.dev/composition-resource-name')).sort(), [...c.mapped].sort());
      assert.deepEqual(crossplaneOut.map((o) => templateOf(o, 'crossplane.io/composition-resource-name')).sort(), [...c.mapped, ...c.unmapped].sort());
      for (const template of c.mapped) {
        const theirs = crossplaneOut.find((o) => templateOf(o, 'crossplane.io/composition-resource-name') === template) ?? {};
        const ours = pledgeOut.find((o) => templateOf(o, 'pledge.dev/composition-resource-name') === template) ?? {};
        const mapping = mappingFor(theirs.apiVersion, theirs.kind);
        assert.ok(mapping, `${template}: a kind Pledge has`);
        const expected = convertManaged({ apiVersion: theirs.apiVersion, kind: theirs.kind, spec: theirs.spec }, mapping);
        assert.deepEqual(expected.problems, [], `${template}: crossplane render's resource maps field by field`);
        assert.deepEqual({ apiVersion: ours.apiVersion, kind: ours.kind, spec: ours.spec }, expected.object, template);
      }
    });
  }

  it('aws: the ProviderConfig and the Function are reported, the XRD and the XR pass', () => {
    const r = pledge(['convert', join(DOCS, 'aws/providerconfig.yaml'), join(DOCS, 'aws/function-patch-and-transform.yaml'), join(DOCS, 'aws/nosqls.database.example.com.yaml')]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /note: .*function-patch-and-transform.yaml:1: Function function-patch-and-transform: dropped/);
    assert.match(r.stderr, /not converted: .*providerconfig.yaml:\d+: ProviderConfig default: spec.credentials.secretRef.key: the Secret holds an AWS credentials file under "creds"/);
    const out = docs(r.stdout);
    assert.deepEqual(out.map((o) => `${o.apiVersion} ${o.kind}`), ['aws.pledge.dev/v1 ProviderConfig', 'pledge.dev/v1 CompositeResourceDefinition']);
    assert.deepEqual(((out[0]?.spec ?? {}) as JsonObject).credentials, { source: 'Secret', secretRef: { name: 'aws-secret', namespace: 'crossplane-system' } });
  });

  it('an S3 Bucket managed resource converts field by field with exit 0; a v2 XRD becomes pledge.dev/v2 with the Namespaced scope written out', () => {
    const xrd = join(work, 'xrd-v2.yaml');
    writeFileSync(xrd, stringify({ apiVersion: 'apiextensions.crossplane.io/v2', kind: 'CompositeResourceDefinition', metadata: { name: 'apps.example.org' }, spec: { group: 'example.org', names: { kind: 'App', plural: 'apps' }, versions: [{ name: 'v1', served: true, referenceable: true }] } }));
    const r = pledge(['convert', join(DOCS, 'aws/bucket.yaml'), xrd]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stderr, '');
    const [bucket, converted] = docs(r.stdout);
    assert.deepEqual(bucket, { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', metadata: { generateName: 'crossplane-bucket-' }, spec: { forProvider: { region: 'us-east-2' }, providerConfigRef: { name: 'default' } } });
    assert.equal(converted?.apiVersion, 'pledge.dev/v2');
    assert.equal(((converted?.spec ?? {}) as JsonObject).scope, 'Namespaced');
  });

  it('a function-go-templating step is reported with its reason, a field Pledge lacks is named, and nothing of either is written', () => {
    const file = join(work, 'go-templating.yaml');
    const composition = {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'Composition',
      metadata: { name: 'templated' },
      spec: {
        compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'XApp' },
        mode: 'Pipeline',
        pipeline: [
          { step: 'render', functionRef: { name: 'function-go-templating' }, input: { apiVersion: 'gotemplating.fn.crossplane.io/v1beta1', kind: 'GoTemplate', source: 'Inline', inline: { template: 'apiVersion: v1' } } },
          { step: 'ready', functionRef: { name: 'function-auto-ready' } },
        ],
      },
    };
    const bucket = { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'b' }, spec: { forProvider: { region: 'eu-west-1', forceDestroy: true } } };
    writeFileSync(file, `${stringify(composition)}---\n${stringify(bucket)}`);
    const r = pledge(['convert', file]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /not converted: .*go-templating.yaml:\d+: Composition templated: spec.pipeline\[0\]\.input: step "render" runs function "function-go-templating": Pledge renders only function-patch-and-transform/);
    assert.match(r.stderr, /not converted: .*go-templating.yaml:1: Composition templated: left out as a whole/);
    assert.match(r.stderr, /not converted: .*go-templating.yaml:\d+: Bucket b: spec.forProvider.forceDestroy: Pledge's s3.aws.pledge.dev\/v1 Bucket has no counterpart of this field/);
    const out = docs(r.stdout);
    assert.deepEqual(out.map((o) => o.kind), ['Bucket'], 'the Composition is left out as a whole');
    assert.deepEqual(((out[0]?.spec ?? {}) as JsonObject).forProvider, { region: 'eu-west-1' });
  });

  it('a P&T pipeline ending in function-auto-ready converts to spec.autoReady', () => {
    const file = join(work, 'auto-ready.yaml');
    const resources = [{ name: 'config', base: { apiVersion: 'v1', kind: 'ConfigMap', data: { a: 'b' } } }];
    writeFileSync(
      file,
      stringify({
        apiVersion: 'apiextensions.crossplane.io/v1',
        kind: 'Composition',
        metadata: { name: 'app' },
        spec: {
          compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'XApp' },
          mode: 'Pipeline',
          pipeline: [
            { step: 'patch-and-transform', functionRef: { name: 'function-patch-and-transform' }, input: { apiVersion: 'pt.fn.crossplane.io/v1beta1', kind: 'Resources', resources } },
            { step: 'automatically-detect-ready-composed-resources', functionRef: { name: 'function-auto-ready' } },
          ],
        },
      }),
    );
    const r = pledge(['convert', file]);
    assert.equal(r.status, 0, r.stderr);
    const [out] = docs(r.stdout);
    assert.deepEqual(out?.spec, { compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'XApp' }, resources, autoReady: true });
  });

  it("an Upbound BucketVersioning folds into its Bucket's forProvider.versioning, standalone and as a composed template", () => {
    const file = join(work, 'versioning.yaml');
    const bucket = { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', metadata: { name: 'logs' }, spec: { forProvider: { region: 'eu-west-1' } } };
    const versioning = { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'BucketVersioning', metadata: { name: 'logs-versioning' }, spec: { forProvider: { region: 'eu-west-1', bucketRef: { name: 'logs' }, versioningConfiguration: [{ status: 'Enabled' }] } } };
    const statusPatch = { fromFieldPath: 'spec.versioning', toFieldPath: 'spec.forProvider.versioningConfiguration[0].status' };
    const composition = {
      apiVersion: 'apiextensions.crossplane.io/v1',
      kind: 'Composition',
      metadata: { name: 'versioned' },
      spec: {
        compositeTypeRef: { apiVersion: 'example.org/v1', kind: 'XBucket' },
        mode: 'Pipeline',
        pipeline: [
          {
            step: 'pt',
            functionRef: { name: 'function-patch-and-transform' },
            input: {
              apiVersion: 'pt.fn.crossplane.io/v1beta1',
              kind: 'Resources',
              resources: [
                { name: 'bucket', base: { apiVersion: 's3.aws.upbound.io/v1beta1', kind: 'Bucket', spec: { forProvider: { region: 'us-east-1' } } } },
                {
                  name: 'versioning',
                  base: { apiVersion: 's3.aws.upbound.io/v1beta2', kind: 'BucketVersioning', spec: { forProvider: { bucketSelector: { matchControllerRef: true }, versioningConfiguration: [{ status: 'Suspended', mfaDelete: 'Disabled' }] } } },
                  patches: [statusPatch],
                },
              ],
            },
          },
        ],
      },
    };
    writeFileSync(file, [bucket, versioning, composition].map((d) => stringify(d)).join('---\n'));
    const r = pledge(['convert', file]);
    assert.equal(r.status, 3, r.stderr);
    assert.match(r.stderr, /note: .*BucketVersioning logs-versioning: folded into Bucket logs as spec.forProvider.versioning: Enabled/);
    assert.match(r.stderr, /not converted: .*Composition versioned: spec.pipeline\[0\].input.resources\[1\].base.spec.forProvider.versioningConfiguration\[0\].mfaDelete: Pledge's Bucket versioning has no counterpart/);
    const [b, c] = docs(r.stdout);
    assert.deepEqual(b?.spec, { forProvider: { region: 'eu-west-1', versioning: 'Enabled' } });
    const resources = ((c?.spec ?? {}) as { resources?: JsonObject[] }).resources ?? [];
    assert.deepEqual(resources.map((t) => t.name), ['bucket']);
    assert.deepEqual(resources[0]?.base, { apiVersion: 's3.aws.pledge.dev/v1', kind: 'Bucket', spec: { forProvider: { region: 'us-east-1', versioning: 'Suspended' } } });
    assert.deepEqual(resources[0]?.patches, [{ ...statusPatch, toFieldPath: 'spec.forProvider.versioning' }]);
  });
});

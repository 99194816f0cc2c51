import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir, readFile } from 'node:fs/promises';
import { allCrds, crdYaml } from '../core/cli/index.ts';
import { providers } from '../providers/index.ts';
import { compositionsModule } from '../compositions/index.ts';

// The same generator writes both copies (make crds): the repository's and the Helm chart's.
for (const where of ['crds/', 'helm/pledge/crds/']) {
  const dir = new URL(`../${where}`, import.meta.url);
  test(`the committed ${where} match the kinds in code (run \`make crds\` when this fails)`, async () => {
    const generated = allCrds(providers, [compositionsModule()]);
    const committed = (await readdir(dir)).filter((f) => f.endsWith('.yaml')).sort();
    assert.deepEqual(committed, [...generated.keys()].sort(), `the set of CRD files in ${where} differs`);
    for (const [file, crd] of generated) {
      assert.equal(await readFile(new URL(file, dir), 'utf8'), crdYaml(crd), `${where}${file} is stale`);
    }
  });
}

test('every managed CRD has the printer columns, the status subresource and the envelope', () => {
  for (const [file, crd] of allCrds(providers)) {
    if (file.startsWith('providerconfigs.') || file.startsWith('clusterproviderconfigs.')) continue;
    const version = (crd.spec.versions as Array<Record<string, unknown>>)[0] ?? {};
    const columns = (version.additionalPrinterColumns as Array<{ name: string }>).map((c) => c.name);
    assert.deepEqual(columns, ['READY', 'SYNCED', 'EXTERNAL-NAME', 'AGE'], file);
    assert.deepEqual(version.subresources, { status: {} }, file);
    const spec = (version.schema as { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } }).openAPIV3Schema.properties.spec;
    for (const field of ['forProvider', 'providerConfigRef', 'deletionPolicy', 'managementPolicies', 'writeConnectionSecretToRef']) {
      assert.ok(field in spec.properties, `${file} spec.${field}`);
    }
  }
});

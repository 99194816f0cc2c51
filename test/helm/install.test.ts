// `helm install` as the README says, against the test API server (no nodes: pods never run, so this checks the
// objects, not the controller), then an upgrade, the documented CRD upgrade, and an uninstall. The CRDs are
// there before (as in every lane of the suite); a first install on an empty cluster, where helm creates crds/
// before a ProviderConfig from values, was checked by hand (see helm/pledge/README.md).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { kubectl, testEnv } from '../env/index.ts';
import { getJson, mustKubectl } from '../integration/harness.ts';
import { CHART, helm, mustHelm } from './helm.ts';

// The README's command is `helm install pledge helm/pledge -n pledge-system`; the suite's environments may already hold
// the chart's identity under that release (test/env/controller-identity.ts), so this release has names of its own.
const NS = 'pledge-helm-install';
const RELEASE = 'pledge-helm-install';
const CRD = 'nopresources.nop.pledge.dev';

type Deployment = { spec: { replicas: number; template: { spec: { serviceAccountName: string; containers: Array<{ args: string[] }> } } } };

test('helm install, upgrade and uninstall on a real API server; crds/ never upgraded by helm, upgraded by kubectl apply, kept on uninstall', { timeout: 180_000 }, async () => {
  const kubeconfig = testEnv().kubeconfigPath;
  // The CRDs as every other test (and the README's kubectl path) installs them: server-side apply, manager "kubectl".
  await mustKubectl(['apply', '--server-side', '-f', join(CHART, 'crds')]);
  await mustKubectl(['wait', '--for=condition=Established', '--timeout=60s', '-f', join(CHART, 'crds')]);
  const values = ['--set', 'providerConfigs[0].cloud=nop', '--set', 'providerConfigs[0].name=from-helm-values'];
  // Helm 4 applies crds/ server-side as manager "helm" even when they exist; CRD versions are an atomic list, so
  // a second manager conflicts and nothing is installed. The README says to add --skip-crds in that case.
  const refused = await helm(['install', RELEASE, CHART, '-n', NS, '--create-namespace', ...values], { kubeconfig });
  assert.notEqual(refused.code, 0);
  assert.match(refused.stderr, /failed to install CRD crds\/.*conflict with "kubectl": \.spec\.versions/);
  assert.notEqual((await helm(['status', RELEASE, '-n', NS], { kubeconfig })).code, 0, 'no release left behind');

  const install = await mustHelm(['install', RELEASE, CHART, '-n', NS, '--create-namespace', '--skip-crds', ...values], { kubeconfig });
  assert.match(install, /STATUS: deployed/);
  assert.match(install, /kubectl get managed/, 'NOTES.txt tells what to do next');
  try {
    const deployment = await getJson<Deployment>('deployment', RELEASE, NS);
    assert.ok(deployment, 'the Deployment exists');
    assert.equal(deployment.spec.replicas, 2);
    const sa = deployment.spec.template.spec.serviceAccountName;
    for (const [kind, name, ns] of [
      ['serviceaccount', sa, NS],
      ['service', `${RELEASE}-metrics`, NS],
      ['poddisruptionbudget', RELEASE, NS],
      ['clusterrole', RELEASE, undefined],
      ['clusterrolebinding', RELEASE, undefined],
      ['providerconfigs.nop.pledge.dev', 'from-helm-values', undefined],
    ] as const) {
      assert.ok(await getJson(kind, name, ns), `${kind} ${name} created by helm install`);
    }

    await mustHelm(['upgrade', RELEASE, CHART, '-n', NS, '--reuse-values', '--set', 'run.workers=8'], { kubeconfig });
    const upgraded = await getJson<Deployment>('deployment', RELEASE, NS);
    assert.ok(upgraded?.spec.template.spec.containers[0]?.args.includes('--workers=8'), 'helm upgrade changed the args');

    // Helm never upgrades crds/: a CRD drifted from the chart stays drifted through `helm upgrade`...
    await mustKubectl(['label', 'crd', CRD, 'app.kubernetes.io/part-of-']);
    await mustHelm(['upgrade', RELEASE, CHART, '-n', NS, '--reuse-values'], { kubeconfig });
    const labels = async () => (await getJson<{ metadata: { labels?: Record<string, string> } }>('crd', CRD))?.metadata.labels?.['app.kubernetes.io/part-of'];
    assert.equal(await labels(), undefined, 'helm upgrade left the CRD alone');
    // ...and the README's command brings every CRD to the chart's version.
    await mustKubectl(['apply', '--server-side', '--force-conflicts', '-f', join(CHART, 'crds')]);
    assert.equal(await labels(), 'pledge');
  } finally {
    const uninstall = await helm(['uninstall', RELEASE, '-n', NS, '--wait', '--timeout=60s'], { kubeconfig });
    assert.equal(uninstall.code, 0, uninstall.stderr);
  }
  assert.equal(await getJson('deployment', RELEASE, NS), undefined, 'uninstall removed the Deployment');
  assert.equal(await getJson('providerconfigs.nop.pledge.dev', 'from-helm-values'), undefined, 'and the ProviderConfig it created');
  assert.ok(await getJson('crd', CRD), 'but never a CRD: deleting one would delete every resource of its kind');
  const left = await kubectl(['get', 'clusterrole', RELEASE]);
  assert.notEqual(left.code, 0, 'the ClusterRole went with the release');
});

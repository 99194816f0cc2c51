// What an informer holds after it lists, against the real API server: a built-in kind's list items (which the
// API server sends without apiVersion and kind) carry them, as watch events do; a kind the identity may not list
// is said once, naming it and the API server's reason, and the informer keeps trying without claiming to be synced.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { KubeConfig } from '@kubernetes/client-node';
import { pino } from 'pino';
import { KubeClient } from '../../core/kube/index.ts';
import type { KubeObject } from '../../core/managed/types.ts';
import { createInformerFactory } from '../../core/runtime/informer/index.ts';
import { kubectl, testEnv } from '../env/index.ts';
import { mustKubectl } from './harness.ts';

const CONFIGMAPS = { group: '', version: 'v1', plural: 'configmaps', namespaced: true } as const;
const APISERVICES = { group: 'apiregistration.k8s.io', version: 'v1', plural: 'apiservices', namespaced: false } as const;

const suffix = randomBytes(3).toString('hex');

/** A ServiceAccount bound to nothing (not the chart's: the suite checks that no request of it is denied). */
async function clientWithoutPermissions(): Promise<KubeClient> {
  const name = `informer-list-${suffix}`;
  await mustKubectl(['create', 'serviceaccount', name, '-n', 'default']);
  const token = (await mustKubectl(['create', 'token', name, '-n', 'default'])).trim();
  const admin = new KubeConfig();
  admin.loadFromFile(testEnv().kubeconfigPath);
  const cluster = admin.getCurrentCluster();
  if (!cluster) throw new Error('the test kubeconfig has no cluster');
  const config = new KubeConfig();
  config.loadFromOptions({ clusters: [cluster], users: [{ name, token }], contexts: [{ name, cluster: cluster.name, user: name }], currentContext: name });
  return new KubeClient(config);
}

function capturedLogger() {
  const lines: Array<Record<string, unknown>> = [];
  const logger = pino({ level: 'debug' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
  return { logger, lines };
}

describe('informer lists', () => {
  test('a built-in kind listed (not watched) carries apiVersion and kind', async () => {
    const ns = `informer-list-${suffix}`;
    await mustKubectl(['create', 'namespace', ns]);
    try {
      await mustKubectl(['create', 'configmap', 'listed', '-n', ns, '--from-literal=a=b']);
      const stop = new AbortController();
      const informers = createInformerFactory({ client: KubeClient.fromDefault(testEnv().kubeconfigPath), logger: pino({ level: 'silent' }) });
      const cache = informers.informerFor<KubeObject>(CONFIGMAPS);
      assert.equal(cache.hasSynced(), false, 'not synced before it starts');
      informers.start(stop.signal);
      await informers.synced(stop.signal);
      stop.abort();
      const listed = cache.get('listed', ns);
      assert.ok(listed, 'the ConfigMap came with the list');
      assert.deepEqual({ apiVersion: listed.apiVersion, kind: listed.kind }, { apiVersion: 'v1', kind: 'ConfigMap' });
      assert.equal(cache.hasSynced(), true);
    } finally {
      await kubectl(['delete', 'namespace', ns, '--wait=false']);
    }
  });

  test('a kind the identity may not list: one warning naming it and the reason; retried; never synced', async () => {
    const { logger, lines } = capturedLogger();
    const stop = new AbortController();
    const informers = createInformerFactory({ client: await clientWithoutPermissions(), logger });
    const cache = informers.informerFor<KubeObject>(APISERVICES);
    informers.start(stop.signal);
    // Retries at 0.5, 1 and 2 s: three more failed lists, still one warning.
    await sleep(4_000);
    stop.abort();
    const failures = lines.filter((l) => l.msg === 'watch failed, restarting');
    const warnings = lines.filter((l) => l.msg === 'cannot list; retrying');
    assert.ok(failures.length >= 3, `the list was retried (${failures.length} failures logged)`);
    assert.equal(warnings.length, 1, JSON.stringify(warnings));
    assert.equal(warnings[0]?.resource, '/apis/apiregistration.k8s.io/v1/apiservices');
    assert.match(String(warnings[0]?.reason), /forbidden/i);
    assert.equal(cache.hasSynced(), false, 'a cache that never listed is not synced');
    await kubectl(['delete', 'serviceaccount', `informer-list-${suffix}`, '-n', 'default']);
  });
});

// Buckets for the end-to-end suites: YAML, readiness, what moto holds, and a cleanup that leaves
// neither Kubernetes objects nor cloud buckets behind even when a test failed half-way.
import { DeleteBucketCommand, ListBucketsCommand } from '@aws-sdk/client-s3';
import { kubectl, kubectlApply } from '../../env/index.ts';
import { condition, eventually, getJson, motoS3, mustKubectl } from '../harness.ts';

export const BUCKETS = 'buckets.s3.aws.pledge.dev';

export function bucketYaml(name: string, options: { providerConfig?: string; labels?: Record<string, string> } = {}): string {
  const labels = Object.entries(options.labels ?? {}).map(([k, v]) => `${k}: ${v}`).join(', ');
  return [
    'apiVersion: s3.aws.pledge.dev/v1',
    'kind: Bucket',
    `metadata: {name: ${name}${labels ? `, labels: {${labels}}` : ''}}`,
    'spec:',
    ...(options.providerConfig ? [`  providerConfigRef: {name: ${options.providerConfig}}`] : []),
    '  forProvider: {region: us-east-1}',
    '',
  ].join('\n');
}

export async function applyBuckets(names: readonly string[], options: Parameters<typeof bucketYaml>[1] = {}): Promise<void> {
  const res = await kubectlApply(names.map((n) => bucketYaml(n, options)).join('---\n'));
  if (res.code !== 0) throw new Error(`kubectl apply of ${names.length} Buckets failed: ${res.stderr}`);
}

export async function isReady(resource: string, name: string): Promise<boolean> {
  return (await condition(resource, name, 'Ready'))?.status === 'True';
}

/** True when exactly `count` objects match the label selector and all are Ready: one kubectl call, however many. */
export async function allReady(resource: string, selector: string, count: number): Promise<boolean> {
  const list = JSON.parse(await mustKubectl(['get', resource, '-l', selector, '-o', 'json'])) as {
    items: Array<{ status?: { conditions?: Array<{ type: string; status: string }> } }>;
  };
  return list.items.length === count && list.items.every((o) => o.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'));
}

/** The names of the buckets in moto's default account. */
export async function motoBucketNames(): Promise<Set<string>> {
  const out = await motoS3().send(new ListBucketsCommand({}));
  return new Set((out.Buckets ?? []).map((b) => b.Name ?? ''));
}

/**
 * Deletes the Buckets through the running controller; whatever is still there after `timeoutMs`
 * loses its finalizers and its cloud bucket is deleted straight in moto. For `after` hooks.
 */
export async function cleanUpBuckets(names: readonly string[], timeoutMs = 30_000): Promise<void> {
  if (names.length === 0) return;
  await kubectl(['delete', BUCKETS, ...names, '--ignore-not-found', '--wait=false']);
  const remaining = async () => {
    const left: string[] = [];
    for (const name of names) if (await getJson(BUCKETS, name)) left.push(name);
    return left;
  };
  try {
    await eventually(async () => (await remaining()).length === 0, 'the Buckets to be deleted', timeoutMs);
    return;
  } catch {
    // Fall through: force it.
  }
  const left = await remaining();
  for (const name of left) {
    await kubectl(['patch', BUCKETS, name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  }
  const inMoto = await motoBucketNames();
  for (const name of names) {
    if (inMoto.has(name)) await motoS3().send(new DeleteBucketCommand({ Bucket: name }));
  }
}

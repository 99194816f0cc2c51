// Cloud API calls per resource per poll at steady state: N up-to-date Buckets, polled for a while,
// counted from pledge_cloud_api_calls_total. Run by `make bench` (inside the test environment).
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { kubectl, kubectlApply } from '../test/env/index.ts';
import { eventually, installAwsProviderConfig, installCrds, startController } from '../test/integration/harness.ts';

const N = Number(process.env.BENCH_RESOURCES ?? 20);
const POLL_S = Number(process.env.BENCH_POLL_SECONDS ?? 5);
const WINDOW_S = Number(process.env.BENCH_WINDOW_SECONDS ?? 30);

function callsByOperation(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^pledge_cloud_api_calls_total\{([^}]*)\} (\d+)/gm)) {
    const op = /operation="([^"]+)"/.exec(m[1] ?? '')?.[1] ?? '?';
    out.set(op, (out.get(op) ?? 0) + Number(m[2]));
  }
  return out;
}

const sum = (m: Map<string, number>) => [...m.values()].reduce((a, b) => a + b, 0);

function reconciles(text: string): number {
  return [...text.matchAll(/^pledge_reconcile_total\{[^}]*kind="Bucket"[^}]*\} (\d+)/gm)].reduce((a, m) => a + Number(m[1]), 0);
}

await installCrds();
await installAwsProviderConfig();
// A generous call budget so the poll interval, not the token bucket, sets the pace being measured.
const controller = await startController({ pollInterval: `${POLL_S}s`, extraArgs: ['--cloud-rate=200', '--cloud-burst=200'] });
const id = randomBytes(3).toString('hex');
const names = Array.from({ length: N }, (_, i) => `bench-${id}-${i}`);
try {
  await kubectlApply(
    names
      .map((n) => `apiVersion: s3.aws.pledge.dev/v1\nkind: Bucket\nmetadata: {name: ${n}}\nspec: {forProvider: {region: us-east-1, versioning: Enabled, tags: {bench: "yes"}}}\n`)
      .join('---\n'),
  );
  await eventually(async () => {
    const res = await kubectl(['get', 'buckets.s3.aws.pledge.dev', '-o', 'jsonpath={range .items[*]}{.status.conditions[?(@.type=="Ready")].status}{"\\n"}{end}']);
    return res.stdout.split('\n').filter((s) => s === 'True').length >= N;
  }, `${N} buckets Ready`, 120_000);
  await sleep(POLL_S * 1500); // let creation-time reconciles drain
  const metricsText = async () => (await fetch(`${controller.metricsUrl}/metrics`)).text();
  const beforeText = await metricsText();
  await sleep(WINDOW_S * 1000);
  const afterText = await metricsText();
  const before = callsByOperation(beforeText);
  const after = callsByOperation(afterText);
  const reconcileCount = reconciles(afterText) - reconciles(beforeText);
  const polls = (N * WINDOW_S) / POLL_S;
  const delta = sum(after) - sum(before);
  console.log(`steady state: ${N} Buckets, poll ${POLL_S}s ±10%, window ${WINDOW_S}s`);
  console.log(`cloud calls: ${delta} in the window = ${(delta / polls).toFixed(2)} calls per resource per poll interval`);
  console.log(`reconciles: ${reconcileCount} = ${(reconcileCount / polls).toFixed(2)} per resource per poll interval; ${(delta / reconcileCount).toFixed(2)} cloud calls per reconcile`);
  for (const [op, n] of [...after].sort()) {
    const d = n - (before.get(op) ?? 0);
    if (d > 0) console.log(`  ${op}: ${(d / polls).toFixed(2)} per resource per poll`);
  }
} finally {
  await kubectl(['delete', 'buckets.s3.aws.pledge.dev', ...names, '--wait=false']);
  await sleep(3_000);
  await controller.stop();
}

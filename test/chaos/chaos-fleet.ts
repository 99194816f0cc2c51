// What a chaos run creates: the fault tests' fleet (S3 Buckets, RDS DBInstances, Azure ResourceGroups, GCS
// Buckets) plus a few Azure storage Accounts, each in one of the fleet's resource groups by reference. All carry
// one run label and use one set of cloudsim ProviderConfigs. The run applies and deletes them a slice at a time.
import { kubectl, kubectlApply } from '../env/index.ts';
import { FLEET_KIND_NAMES, FLEET_KINDS, fleetMetadata, objectYaml, planFleet, type Fleet, type FleetKind } from '../integration/support/fault-fleet.ts';

/** Storage accounts: not part of the fault fleet; their create is a long-running operation in cloudsim. */
export const ACCOUNT_KIND = {
  resource: 'accounts.storage.azure.pledge.dev',
  apiVersion: 'storage.azure.pledge.dev/v1',
  cloud: 'azure',
  service: 'arm',
  create: 'StorageAccounts_Create',
} as const;

export type ChaosKind = FleetKind | 'account';
export const CHAOS_KINDS: readonly ChaosKind[] = [...FLEET_KIND_NAMES, 'account'];

export const CHAOS_KIND_INFO: Record<ChaosKind, { resource: string; apiVersion: string; service: 's3' | 'rds' | 'arm' | 'gcs'; create: string; title: string }> = {
  s3: { ...FLEET_KINDS.s3, service: 's3', title: 'S3 Bucket' },
  rds: { ...FLEET_KINDS.rds, service: 'rds', title: 'RDS DBInstance' },
  arm: { ...FLEET_KINDS.arm, service: 'arm', title: 'Azure ResourceGroup' },
  gcs: { ...FLEET_KINDS.gcs, service: 'gcs', title: 'GCS Bucket' },
  account: { ...ACCOUNT_KIND, title: 'Azure storage Account' },
};

export type FleetItem = { kind: ChaosKind; name: string };

export interface ChaosFleet {
  /** `key=value`, on every object. */
  label: string;
  providerConfig: string;
  /** The four fault-fleet kinds. */
  fleet: Fleet;
  /** Storage accounts and the resource group (of the fleet) each lives in. */
  accounts: Array<{ name: string; resourceGroup: string }>;
  /** Every object, in the order they are applied: kinds interleaved, each account right after its group. */
  items: FleetItem[];
  counts: Record<ChaosKind, number>;
  total: number;
  /** Every cloud name of this run starts with one of these. */
  prefixes: string[];
}

/** How N splits across the kinds: 30 % S3, 10 % RDS, 30 % GCS, 1 % storage accounts (at least one), the rest resource groups. */
export function countsFor(n: number): Record<ChaosKind, number> {
  if (!Number.isInteger(n) || n < 10) throw new RangeError(`N must be an integer >= 10, got ${n}`);
  const account = Math.max(1, Math.round(n / 100));
  const rds = Math.round(n * 0.1);
  const s3 = Math.round(n * 0.3);
  const gcs = Math.round(n * 0.3);
  return { s3, rds, gcs, account, arm: n - account - rds - s3 - gcs };
}

export function planChaosFleet(options: { n: number; runId: string; providerConfig: string }): ChaosFleet {
  const { runId, providerConfig } = options;
  const counts = countsFor(options.n);
  const label = `pledge-chaos=${runId}`;
  const prefix = `pledge-chaos-${runId}`;
  const fleet = planFleet({ prefix, label, providerConfig, counts });
  // 3 to 24 lowercase letters and digits, no hyphens.
  const accountPrefix = `pc${runId}a`;
  const accounts = Array.from({ length: counts.account }, (_, i) => ({ name: `${accountPrefix}${i}`, resourceGroup: fleet.names.arm[i] ?? '' }));
  const items: FleetItem[] = [];
  const longest = Math.max(...FLEET_KIND_NAMES.map((k) => fleet.names[k].length));
  for (let i = 0; i < longest; i++) {
    for (const kind of FLEET_KIND_NAMES) {
      const name = fleet.names[kind][i];
      if (name !== undefined) items.push({ kind, name });
      const account = kind === 'arm' ? accounts[i] : undefined;
      if (account) items.push({ kind: 'account', name: account.name });
    }
  }
  return { label, providerConfig, fleet, accounts, items, counts, total: items.length, prefixes: [`${prefix}-`, accountPrefix] };
}

/** `items` cut into consecutive slices of `size`. */
export function slicesOf(items: readonly FleetItem[], size: number): FleetItem[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`slice size must be an integer >= 1, got ${size}`);
  const out: FleetItem[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function accountYaml(chaos: ChaosFleet, name: string): string {
  const account = chaos.accounts.find((a) => a.name === name);
  if (!account) throw new Error(`no storage account ${name} in this fleet`);
  return [
    `apiVersion: ${ACCOUNT_KIND.apiVersion}`,
    'kind: Account',
    fleetMetadata(name, chaos.label),
    'spec:',
    `  providerConfigRef: {name: ${chaos.providerConfig}}`,
    `  forProvider: {location: westeurope, resourceGroupNameRef: {name: ${account.resourceGroup}}}`,
    '',
  ].join('\n');
}

/** Applies these objects with one `kubectl apply`. */
export async function applyItems(chaos: ChaosFleet, items: readonly FleetItem[], signal?: AbortSignal): Promise<void> {
  const docs = items.map((item) => (item.kind === 'account' ? accountYaml(chaos, item.name) : objectYaml(chaos.fleet, item.kind, item.name)));
  const res = await kubectlApply(docs.join('---\n'), { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  if (res.code !== 0) throw new Error(`kubectl apply of ${items.length} objects failed: ${res.stderr.trim()}`);
}

/** Deletes these objects through the controller with one `kubectl delete --wait=false`; already gone is fine. */
export async function deleteItems(items: readonly FleetItem[], signal?: AbortSignal): Promise<void> {
  const refs = items.map((item) => `${CHAOS_KIND_INFO[item.kind].resource}/${item.name}`);
  const res = await kubectl(['delete', ...refs, '--wait=false', '--ignore-not-found'], { timeoutMs: 60_000, ...(signal ? { signal } : {}) });
  if (res.code !== 0) throw new Error(`kubectl delete of ${items.length} objects failed: ${res.stderr.trim()}`);
}

/** Names of this run in `names` (cloudsim's or the cluster's). */
export function oursOf(chaos: ChaosFleet, names: readonly string[]): string[] {
  return names.filter((n) => chaos.prefixes.some((p) => n.startsWith(p)));
}

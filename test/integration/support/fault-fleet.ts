// A fleet of managed resources across the three clouds for the fault tests: S3 Buckets and RDS DBInstances
// (AWS), ResourceGroups (Azure), GCS Buckets (GCP), all labelled with one run label, all using one
// ProviderConfig name. Keyed by the cloudsim service that holds each kind.
import { kubectl, kubectlApply } from '../../env/index.ts';
import { eventually } from '../harness.ts';

export const FLEET_KINDS = {
  s3: { resource: 'buckets.s3.aws.pledge.dev', apiVersion: 's3.aws.pledge.dev/v1', cloud: 'aws', create: 'CreateBucket' },
  rds: { resource: 'dbinstances.rds.aws.pledge.dev', apiVersion: 'rds.aws.pledge.dev/v1', cloud: 'aws', create: 'CreateDBInstance' },
  arm: { resource: 'resourcegroups.resources.azure.pledge.dev', apiVersion: 'resources.azure.pledge.dev/v1', cloud: 'azure', create: 'ResourceGroups_CreateOrUpdate' },
  gcs: { resource: 'buckets.storage.gcp.pledge.dev', apiVersion: 'storage.gcp.pledge.dev/v1', cloud: 'gcp', create: 'buckets.insert' },
} as const;
export type FleetKind = keyof typeof FLEET_KINDS;
export const FLEET_KIND_NAMES = Object.keys(FLEET_KINDS) as FleetKind[];
const ALL_RESOURCES = FLEET_KIND_NAMES.map((k) => FLEET_KINDS[k].resource).join(',');

/** Where DBInstances write their connection Secrets (the generated master password). */
const SECRET_NAMESPACE = 'default';

export interface Fleet {
  /** `key=value`, on every object. */
  label: string;
  providerConfig: string;
  names: Record<FleetKind, string[]>;
  total: number;
}

export function planFleet(options: { prefix: string; label: string; providerConfig: string; counts: Record<FleetKind, number> }): Fleet {
  const names = Object.fromEntries(
    FLEET_KIND_NAMES.map((kind) => [kind, Array.from({ length: options.counts[kind] }, (_, i) => `${options.prefix}-${kind}-${i}`)]),
  ) as Record<FleetKind, string[]>;
  const total = FLEET_KIND_NAMES.reduce((n, kind) => n + names[kind].length, 0);
  return { label: options.label, providerConfig: options.providerConfig, names, total };
}

function forProviderOf(kind: FleetKind): string {
  switch (kind) {
    case 's3':
      return '{region: us-east-1}';
    case 'rds':
      return '{region: us-east-1, engine: postgres, dbInstanceClass: db.t3.micro, masterUsername: pledge, allocatedStorage: 20, skipFinalSnapshot: true}';
    case 'arm':
      return '{location: westeurope}';
    case 'gcs':
      return '{location: EU}';
  }
}

/** One managed resource of the fleet as a YAML document. */
/** A fleet object's `metadata:` line: its name and the fleet's `key=value` label. */
export function fleetMetadata(name: string, label: string): string {
  const [key, value] = label.split('=');
  // Quoted: a run id of digits only (one 6-hex-digit id in 17) would otherwise be read as a number, which kubectl refuses.
  return `metadata: {name: ${name}, labels: {${key}: ${JSON.stringify(value)}}}`;
}

export function objectYaml(fleet: Fleet, kind: FleetKind, name: string): string {
  return [
    `apiVersion: ${FLEET_KINDS[kind].apiVersion}`,
    `kind: ${kind === 'arm' ? 'ResourceGroup' : kind === 'rds' ? 'DBInstance' : 'Bucket'}`,
    fleetMetadata(name, fleet.label),
    'spec:',
    `  providerConfigRef: {name: ${fleet.providerConfig}}`,
    `  forProvider: ${forProviderOf(kind)}`,
    ...(kind === 'rds' ? [`  writeConnectionSecretToRef: {name: ${name}-conn, namespace: ${SECRET_NAMESPACE}}`] : []),
    '',
  ].join('\n');
}

/** Applies the whole fleet with one `kubectl apply`, kinds interleaved so every cloud starts at once. */
export async function applyFleet(fleet: Fleet): Promise<void> {
  const docs: string[] = [];
  const longest = Math.max(...FLEET_KIND_NAMES.map((k) => fleet.names[k].length));
  for (let i = 0; i < longest; i++) {
    for (const kind of FLEET_KIND_NAMES) {
      const name = fleet.names[kind][i];
      if (name !== undefined) docs.push(objectYaml(fleet, kind, name));
    }
  }
  const res = await kubectlApply(docs.join('---\n'), { timeoutMs: 120_000 });
  if (res.code !== 0) throw new Error(`kubectl apply of ${fleet.total} managed resources failed: ${res.stderr}`);
}

interface ManagedView {
  apiVersion: string;
  metadata: { name: string };
  status?: { conditions?: Array<{ type: string; status: string; reason?: string; message?: string }> };
}

export interface KindStatus {
  /** Objects of this kind in the cluster with the fleet's label. */
  present: number;
  ready: number;
  /** A few not-Ready objects with their Synced message, for failure reports. */
  notReady: string[];
}

/** Every kind's count of objects and Ready ones, from one `kubectl get`. */
export async function fleetStatus(fleet: Fleet, signal?: AbortSignal): Promise<Record<FleetKind, KindStatus>> {
  const res = await kubectl(['get', ALL_RESOURCES, '-l', fleet.label, '-o', 'json'], { timeoutMs: 30_000, ...(signal ? { signal } : {}) });
  if (res.code !== 0) throw new Error(`kubectl get of the fleet failed: ${res.stderr}`);
  const items = (JSON.parse(res.stdout) as { items: ManagedView[] }).items;
  const out = Object.fromEntries(FLEET_KIND_NAMES.map((k) => [k, { present: 0, ready: 0, notReady: [] as string[] }])) as Record<FleetKind, KindStatus>;
  for (const item of items) {
    const kind = FLEET_KIND_NAMES.find((k) => FLEET_KINDS[k].apiVersion === item.apiVersion);
    if (kind === undefined) continue;
    const status = out[kind];
    status.present++;
    const ready = item.status?.conditions?.find((c) => c.type === 'Ready');
    if (ready?.status === 'True') status.ready++;
    else if (status.notReady.length < 3) {
      const synced = item.status?.conditions?.find((c) => c.type === 'Synced');
      status.notReady.push(`${item.metadata.name}: Ready=${ready?.status ?? '?'} ${ready?.reason ?? ''}; Synced=${synced?.status ?? '?'} ${synced?.message ?? ''}`);
    }
  }
  return out;
}

/** Objects of the fleet's kinds that are not the fleet's: a controller would call the clouds for them too. */
export async function othersOfFleetKinds(fleet: Fleet): Promise<string[]> {
  const [key, value] = fleet.label.split('=');
  const res = await kubectl(['get', ALL_RESOURCES, '-l', `${key}!=${value}`, '-o', 'name'], { timeoutMs: 30_000 });
  if (res.code !== 0) throw new Error(`kubectl get of the fleet's kinds failed: ${res.stderr}`);
  return res.stdout.split('\n').filter((l) => l.trim() !== '');
}

/** Deletes the fleet through the controller without waiting (`kubectl delete -l`). */
export async function deleteFleet(fleet: Fleet): Promise<void> {
  const res = await kubectl(['delete', ALL_RESOURCES, '-l', fleet.label, '--wait=false'], { timeoutMs: 60_000 });
  if (res.code !== 0) throw new Error(`kubectl delete of the fleet failed: ${res.stderr}`);
}

/**
 * For `after` hooks: deletes the fleet, waits up to `timeoutMs` for the controller to finish, then strips the
 * finalizers of whatever is left so no object outlives the test (its cloud object may then stay in cloudsim).
 */
export async function cleanUpFleet(fleet: Fleet, timeoutMs = 30_000): Promise<void> {
  await kubectl(['delete', ALL_RESOURCES, '-l', fleet.label, '--wait=false', '--ignore-not-found'], { timeoutMs: 60_000 });
  const left = async () => {
    const res = await kubectl(['get', ALL_RESOURCES, '-l', fleet.label, '-o', 'name'], { timeoutMs: 30_000 });
    // A kind kubectl could not list is not "none left": its objects may still be there.
    if (res.code !== 0) throw new Error(`kubectl get ${ALL_RESOURCES}: ${res.stderr.trim()}`);
    return res.stdout.split('\n').filter((l) => l.trim() !== '');
  };
  try {
    await eventually(async () => (await left()).length === 0, 'the fleet to be deleted', timeoutMs);
  } catch {
    for (const name of await left()) await kubectl(['patch', name, '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
  }
}

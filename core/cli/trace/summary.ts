import type { TraceNode } from './tree.ts';

/** The annotation a managed resource keeps its cloud object's name in (core/managed/annotations.ts). */
const EXTERNAL_NAME = 'pledge.dev/external-name';

/** What one row says about a node, before any column layout or colour. */
export interface Summary {
  synced: string;
  ready: string;
  /** Short: the first False condition as `Reason: message`, else the Ready reason (e.g. `Available`). */
  status: string;
  externalName: string;
  providerConfig: string;
  /** From metadata.creationTimestamp, as kubectl prints ages. */
  age: string;
  composition: string;
  deleting: boolean;
}

const statusOf = (conds: readonly { type: string; status: string }[], type: string) => conds.find((c) => c.type === type)?.status ?? '';

export function summarise(node: TraceNode, now: number = Date.now()): Summary {
  const object = node.object;
  const created = object?.metadata.creationTimestamp ? Date.parse(object.metadata.creationTimestamp) : Number.NaN;
  const base = { externalName: '', providerConfig: '', composition: '', age: Number.isNaN(created) ? '' : humanAge(now - created), deleting: Boolean(object?.metadata.deletionTimestamp) };
  if (!object) return { ...base, synced: '-', ready: '-', status: node.problem === 'not found' ? 'NotFound' : `NotFound: ${node.problem ?? ''}` };
  if (node.kind === 'Secret' && node.apiVersion === 'v1') return { ...base, synced: '-', ready: '-', status: 'Found (values not shown)' };
  const conds = object.status?.conditions ?? [];
  // Synced first (the last reconcile's error, e.g. the cloud's), then Ready, then any other False condition.
  const order = ['Synced', 'Ready', ...conds.map((c) => c.type).filter((t) => t !== 'Synced' && t !== 'Ready')];
  const failing = order.map((t) => conds.find((c) => c.type === t)).find((c) => c?.status === 'False');
  const ready = conds.find((c) => c.type === 'Ready');
  const describe = (c: { reason?: string; message?: string }) => [c.reason, c.message].filter(Boolean).join(': ');
  const status = failing ? describe(failing) : ready ? (ready.status === 'True' ? ready.reason || 'Available' : describe(ready)) : conds.length === 0 ? 'no conditions yet' : '';
  const spec = object.spec ?? {};
  return {
    ...base,
    synced: statusOf(conds, 'Synced'),
    ready: statusOf(conds, 'Ready'),
    status: base.deleting ? `Deleting${status ? `: ${status}` : ''}` : status,
    externalName: object.metadata.annotations?.[EXTERNAL_NAME] ?? '',
    providerConfig: spec.providerConfigRef ? `${spec.providerConfigRef.kind ? `${spec.providerConfigRef.kind}/` : ''}${spec.providerConfigRef.name}` : '',
    composition: [spec.compositionRef?.name ?? spec.crossplane?.compositionRef?.name, spec.compositionRevisionRef?.name ?? spec.crossplane?.compositionRevisionRef?.name].filter(Boolean).join(' @ '),
  };
}

/** kubectl's age format (HumanDuration): 45s, 3m20s, 25m, 5h10m, 30h, 3d4h, 40d, 2y10d. */
export function humanAge(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  const y = Math.floor(d / 365);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  if (h < 24 * 8) return h % 24 === 0 ? `${d}d` : `${d}d${h % 24}h`;
  if (d < 365 * 2) return `${d}d`;
  if (d < 365 * 8) return d % 365 === 0 ? `${y}y` : `${y}y${d % 365}d`;
  return `${y}y`;
}

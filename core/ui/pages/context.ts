import type { KubeObject } from '../../managed/types.ts';
import type { GetAttributes, Viewer } from '../access.ts';
import type { Catalog, KindInfo } from '../catalog.ts';
import type { CloudStatsSource } from '../cloud-stats.ts';
import type { ConditionHistory } from '../history.ts';

/** What a page is rendered from: the caches, the caller's rights, the cloud call figures. */
export interface ViewContext {
  catalog: Catalog;
  /** Condition transitions seen since the process started (the timeline's past). */
  history: ConditionHistory;
  viewer: Viewer;
  cloudStats: CloudStatsSource;
  now: number;
  /** The signed-in user's name, when auth is on. */
  user?: string;
}

export function attributesOf(info: KindInfo, obj: KubeObject): GetAttributes {
  return { group: info.type.group, resource: info.type.plural, ...(info.type.namespaced && obj.metadata?.namespace ? { namespace: obj.metadata.namespace } : {}) };
}

export const ROLE_ORDER = ['claim', 'composite', 'managed', 'composed', 'providerconfig', 'composition', 'revision', 'definition', 'other'] as const;
export const ROLE_TITLE: Record<KindInfo['role'], string> = {
  claim: 'Claim',
  composite: 'Composite',
  managed: 'Managed',
  composed: 'Composed',
  providerconfig: 'Provider config',
  composition: 'Composition',
  revision: 'Revision',
  definition: 'Definition',
  other: 'Other',
};

export function byRole(a: KindInfo, b: KindInfo): number {
  return ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.kind.localeCompare(b.kind) || a.type.group.localeCompare(b.type.group);
}

export const eventTime = (e: { lastTimestamp?: string; eventTime?: string; firstTimestamp?: string; metadata?: { creationTimestamp?: string } }) =>
  e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '';

import type { ResourceType } from '../kube/index.ts';
import { namespacedProvider } from '../managed/namespaced.ts';
import type { KubeObject, Provider } from '../managed/types.ts';
import { RECORDER_DEFAULTS } from '../runtime/events/index.ts';
import type { InformerFactory, ObjectCache } from '../runtime/informer/index.ts';

/** What an object is to the web view: which page lists it and how its tree is drawn. */
export type Role = 'claim' | 'composite' | 'managed' | 'composed' | 'providerconfig' | 'composition' | 'revision' | 'definition' | 'other';

export interface KindInfo {
  readonly type: ResourceType;
  readonly kind: string;
  readonly role: Role;
}

/** A core/v1 Event as the web view reads it. */
export interface KubeEvent extends KubeObject {
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  involvedObject?: { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string };
}

export const EVENTS: ResourceType = { group: '', version: 'v1', plural: 'events', namespaced: true };
/**
 * Only the events Pledge's recorder wrote (source.component, core/runtime/events): the cache then grows with what
 * Pledge reports, not with every event of the cluster (about 2.5 KiB of heap per event).
 */
export const PLEDGE_EVENTS = { fieldSelector: `source=${RECORDER_DEFAULTS.component}` } as const;
const XRDS = { group: 'pledge.dev', plural: 'compositeresourcedefinitions' };
const FIXED: Record<string, { kind: string; role: Role }> = {
  'compositeresourcedefinitions.pledge.dev': { kind: 'CompositeResourceDefinition', role: 'definition' },
  'compositions.pledge.dev': { kind: 'Composition', role: 'composition' },
  'compositionrevisions.pledge.dev': { kind: 'CompositionRevision', role: 'revision' },
  'configmaps.': { kind: 'ConfigMap', role: 'composed' },
  'deployments.apps': { kind: 'Deployment', role: 'composed' },
};

/** Read-only access to what the manager's informers hold, by kind. It never holds nor reads a Secret. */
export interface Catalog {
  kinds(): KindInfo[];
  list(info: KindInfo): readonly KubeObject[];
  get(type: Pick<ResourceType, 'group' | 'plural'>, name: string, namespace?: string): { info: KindInfo; object: KubeObject } | undefined;
  /** The kind an apiVersion + kind refers to (a reference, an event's involvedObject). */
  byKind(apiVersion: string, kind: string): KindInfo | undefined;
  events(): readonly KubeEvent[];
}

const key = (group: string, plural: string) => `${plural}.${group}`;
export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.slice(0, apiVersion.indexOf('/')) : '');

interface Xrd {
  spec?: { group?: string; names?: { kind?: string; plural?: string }; claimNames?: { kind?: string; plural?: string } };
}

/**
 * The catalog over the manager's informer factory: the types the controllers watch (managed kinds, ProviderConfigs,
 * composites, claims, Compositions, revisions, composed ConfigMaps/Deployments) and the Events informer startUi adds.
 * Secrets are excluded by type, so no page can ever list one.
 */
export function createCatalog(options: { informers: InformerFactory; providers: readonly Provider[] }): Catalog {
  const { informers } = options;
  const known = new Map<string, { kind: string; role: Role }>(Object.entries(FIXED));
  for (const provider of options.providers) {
    const ns = namespacedProvider(provider);
    for (const pc of [provider.providerConfig, ns.providerConfig, ns.clusterProviderConfig]) known.set(key(pc.gvk.group, pc.plural), { kind: pc.gvk.kind, role: 'providerconfig' });
    for (const k of [...provider.kinds, ...ns.kinds]) known.set(key(k.gvk.group, k.plural), { kind: k.gvk.kind, role: 'managed' });
  }
  const caches = () => informers.types().filter((t) => !(t.group === '' && (t.plural === 'secrets' || t.plural === 'events')));
  const cacheOf = (type: ResourceType): ObjectCache<KubeObject> => informers.informerFor<KubeObject>(type);

  function xrdKinds(): Map<string, { kind: string; role: Role }> {
    const out = new Map<string, { kind: string; role: Role }>();
    const xrdType = caches().find((t) => t.group === XRDS.group && t.plural === XRDS.plural);
    for (const xrd of xrdType ? (cacheOf(xrdType).list() as readonly Xrd[]) : []) {
      const spec = xrd.spec;
      if (!spec?.group) continue;
      if (spec.names?.kind && spec.names.plural) out.set(key(spec.group, spec.names.plural), { kind: spec.names.kind, role: 'composite' });
      if (spec.claimNames?.kind && spec.claimNames.plural) out.set(key(spec.group, spec.claimNames.plural), { kind: spec.claimNames.kind, role: 'claim' });
    }
    return out;
  }

  function kinds(): KindInfo[] {
    const fromXrds = xrdKinds();
    return caches().map((type) => {
      const k = key(type.group, type.plural);
      const found = known.get(k) ?? fromXrds.get(k);
      if (found) return { type, ...found };
      const sample = cacheOf(type).list()[0]?.kind;
      return { type, kind: sample ?? type.plural, role: 'other' as const };
    });
  }

  return {
    kinds,
    list: (info) => cacheOf(info.type).list(),
    get(type, name, namespace) {
      const info = kinds().find((k) => k.type.group === type.group && k.type.plural === type.plural);
      if (!info) return undefined;
      const object = cacheOf(info.type).get(name, info.type.namespaced ? namespace : undefined);
      return object ? { info, object } : undefined;
    },
    byKind(apiVersion, kind) {
      const group = groupOf(apiVersion);
      return kinds().find((k) => k.type.group === group && k.kind === kind);
    },
    events: () => informers.informerFor<KubeEvent>(EVENTS, PLEDGE_EVENTS).list(),
  };
}

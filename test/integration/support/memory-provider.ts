// A provider whose "cloud" is a Map in this process: lets core behaviour (references, late-init,
// connection secrets, policies) be tested on the real kube-apiserver without any cloud. It fakes only
// Pledge's own ExternalClient contract.
import type { ExternalClient, ManagedKind, ManagedResource, Provider } from '../../../core/managed/types.ts';

export interface MemoryObject {
  size: number;
  color: string;
  parent?: string;
  writes: number;
}

export const memoryCloud = new Map<string, MemoryObject>();

function nameOf(mr: ManagedResource): string {
  return mr.metadata.annotations?.['pledge.dev/external-name'] ?? mr.metadata.name;
}

type WidgetSpec = { size: number; color?: string; parent?: string };

function client(): ExternalClient<WidgetSpec, Record<string, unknown>> {
  return {
    async observe(mr) {
      const found = memoryCloud.get(nameOf(mr));
      if (!found) return { exists: false };
      const fp = mr.spec.forProvider;
      return {
        exists: true,
        upToDate: found.size === fp.size && (fp.color === undefined || fp.color === found.color),
        atProvider: { id: `mem-${nameOf(mr)}`, size: found.size, color: found.color },
        lateInit: { color: found.color },
        connectionDetails: { endpoint: `mem://${nameOf(mr)}`, token: `token-of-${nameOf(mr)}` },
      };
    },
    async create(mr) {
      const fp = mr.spec.forProvider;
      memoryCloud.set(nameOf(mr), { size: fp.size, color: fp.color ?? 'blue', ...(fp.parent ? { parent: fp.parent } : {}), writes: 1 });
      return { connectionDetails: { password: `generated-secret-${nameOf(mr)}` } };
    },
    async update(mr) {
      const found = memoryCloud.get(nameOf(mr));
      if (found) {
        found.size = mr.spec.forProvider.size;
        if (mr.spec.forProvider.color) found.color = mr.spec.forProvider.color;
        found.writes++;
      }
      return {};
    },
    async delete(mr) {
      memoryCloud.delete(nameOf(mr));
    },
  };
}

const forProvider = {
  type: 'object' as const,
  required: ['size'],
  properties: {
    size: { type: 'integer' as const, minimum: 1 },
    color: { type: 'string' as const },
    parent: { type: 'string' as const },
    parentRef: { type: 'object' as const, properties: { name: { type: 'string' as const } } },
    parentSelector: {
      type: 'object' as const,
      properties: { matchLabels: { type: 'object' as const, additionalProperties: { type: 'string' as const } } },
    },
  },
};
const atProvider = { type: 'object' as const, 'x-kubernetes-preserve-unknown-fields': true };

export const widget: ManagedKind<WidgetSpec, Record<string, unknown>> = {
  gvk: { group: 'memory.test.pledge.dev', version: 'v1', kind: 'Widget' },
  plural: 'widgets',
  schema: { forProvider, atProvider },
  deterministicExternalName: true,
  references: [{ field: 'parent', to: { gvk: { group: 'memory.test.pledge.dev', version: 'v1', kind: 'Widget' }, plural: 'widgets' } }],
  connect: async () => client(),
};

export const memoryProvider: Provider = {
  name: 'memory',
  providerConfig: {
    gvk: { group: 'memory.test.pledge.dev', version: 'v1', kind: 'ProviderConfig' },
    plural: 'providerconfigs',
    spec: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
  },
  kinds: [widget],
};

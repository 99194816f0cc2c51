import type { ResourceType } from '../core/kube/index.ts';
import { namespacedProvider } from '../core/managed/namespaced.ts';
import type { Provider } from '../core/managed/types.ts';

/** Maps apiVersion + kind to the REST resource, for managed kinds and composite kinds alike. */
export class KindRegistry {
  readonly #types = new Map<string, ResourceType>();

  static fromProviders(providers: readonly Provider[]): KindRegistry {
    const registry = new KindRegistry();
    for (const provider of providers) {
      for (const kind of provider.kinds) registry.add(`${kind.gvk.group}/${kind.gvk.version}`, kind.gvk.kind, { group: kind.gvk.group, version: kind.gvk.version, plural: kind.plural });
      // The namespaced variants (`.m.` groups): what a namespaced composite composes.
      for (const kind of namespacedProvider(provider).kinds) registry.add(`${kind.gvk.group}/${kind.gvk.version}`, kind.gvk.kind, { group: kind.gvk.group, version: kind.gvk.version, plural: kind.plural, namespaced: true });
    }
    return registry;
  }

  add(apiVersion: string, kind: string, type: ResourceType): void {
    this.#types.set(`${apiVersion}|${kind}`, type);
  }

  /** The resource for apiVersion/kind; unknown kinds get Kubernetes' usual lower-case plural. */
  /** Every kind added (managed kinds of both scopes, then composites as they are served). */
  types(): ResourceType[] {
    return [...this.#types.values()];
  }

  resolve(apiVersion: string, kind: string): ResourceType {
    const known = this.#types.get(`${apiVersion}|${kind}`);
    if (known) return known;
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const lower = kind.toLowerCase();
    const plural = lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
    return { group, version, plural };
  }
}

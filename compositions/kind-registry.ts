import type { ResourceType } from '../core/kube/index.ts';
import { namespacedProvider } from '../core/managed/namespaced.ts';
import type { Provider } from '../core/managed/types.ts';

/**
 * The built-in Kubernetes kinds a composition may compose (ordinary objects next to managed resources), with
 * their plural and scope. Their informers start only when a composite composes one. Other built-in kinds are
 * refused by name: a Secret, a Pod or a Role composed by a controller holding broad grants would let whoever
 * writes a Composition reach what the platform's RBAC keeps from them.
 */
const BUILT_IN: ReadonlyMap<string, ResourceType> = new Map([
  ['v1|ConfigMap', { group: '', version: 'v1', plural: 'configmaps', namespaced: true }],
  ['apps/v1|Deployment', { group: 'apps', version: 'v1', plural: 'deployments', namespaced: true }],
]);

/** Kubernetes' own API groups: the core group, groups without a dot (apps, batch, …) and `*.k8s.io`. */
function isBuiltInGroup(group: string): boolean {
  return group === '' || !group.includes('.') || group === 'k8s.io' || group.endsWith('.k8s.io');
}

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

  /** Every kind added (managed kinds of both scopes, then composites as they are served). */
  types(): ResourceType[] {
    return [...this.#types.values()];
  }

  /** Why a composition may not compose this kind (a built-in kind outside the table), else undefined. */
  refusal(apiVersion: string, kind: string): string | undefined {
    if (BUILT_IN.has(`${apiVersion}|${kind}`) || this.#types.has(`${apiVersion}|${kind}`)) return undefined;
    if (!isBuiltInGroup(this.resolve(apiVersion, kind).group)) return undefined;
    const allowed = [...BUILT_IN.keys()].map((k) => k.split('|').reverse().join(' ')).join(', ');
    return `${kind} (${apiVersion}) is a built-in Kubernetes kind Pledge does not compose (it composes ${allowed}, managed resources and composites)`;
  }

  /** The resource for apiVersion/kind; unknown kinds get Kubernetes' usual lower-case plural. */
  resolve(apiVersion: string, kind: string): ResourceType {
    const known = this.#types.get(`${apiVersion}|${kind}`) ?? BUILT_IN.get(`${apiVersion}|${kind}`);
    if (known) return known;
    const slash = apiVersion.indexOf('/');
    const group = slash < 0 ? '' : apiVersion.slice(0, slash);
    const version = slash < 0 ? apiVersion : apiVersion.slice(slash + 1);
    const lower = kind.toLowerCase();
    const plural = lower.endsWith('s') ? `${lower}es` : lower.endsWith('y') ? `${lower.slice(0, -1)}ies` : `${lower}s`;
    return { group, version, plural };
  }
}

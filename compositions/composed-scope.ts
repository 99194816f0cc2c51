import type { KindRegistry } from './kind-registry.ts';
import type { KubeResource } from './render/types.ts';
import type { Composite } from './types.ts';

/**
 * A built-in kind outside the kind registry's table is refused by name. A namespaced composite composes into its own namespace only: a template naming another namespace, or a
 * cluster-scoped kind (which has no namespace to be kept in), is refused before anything is applied. A cluster
 * composite's namespaced resource needs a namespace from its template.
 */
export function scopeProblems(kinds: KindRegistry, xr: Composite, resources: ReadonlyArray<{ name: string; resource: KubeResource }>): string | undefined {
  const own = xr.metadata.namespace;
  const problems: string[] = [];
  for (const { name, resource } of resources) {
    const refused = kinds.refusal(resource.apiVersion, resource.kind);
    if (refused) {
      problems.push(`resource "${name}": ${refused}`);
      continue;
    }
    const wanted = resource.metadata?.namespace;
    if (!own) {
      // A cluster composite's namespaced resource goes where its template says: it must say.
      if (!wanted && kinds.resolve(resource.apiVersion, resource.kind).namespaced) problems.push(`resource "${name}": ${resource.kind} (${resource.apiVersion}) is namespaced; a cluster-scoped composite must give it metadata.namespace`);
    } else if (wanted && wanted !== own) problems.push(`resource "${name}" (${resource.kind}) names namespace "${wanted}": a namespaced composite composes into its own namespace ("${own}") only`);
    else if (!kinds.resolve(resource.apiVersion, resource.kind).namespaced) problems.push(`resource "${name}": ${resource.kind} (${resource.apiVersion}) is cluster-scoped; a namespaced composite composes namespaced resources only (use a Cluster-scoped XRD to compose it)`);
  }
  return problems.length > 0 ? problems.join('; ') : undefined;
}

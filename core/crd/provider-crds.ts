import { namespacedProvider } from '../managed/namespaced.ts';
import type { Provider } from '../managed/types.ts';
import { managedCrd, providerConfigCrd, type CustomResourceDefinition } from './managed-crd.ts';

/** Every CRD of a provider: its cluster-scoped kinds and ProviderConfig, then the namespaced `.m.` ones and the ClusterProviderConfig. */
export function providerCrds(provider: Provider): CustomResourceDefinition[] {
  const namespaced = namespacedProvider(provider);
  return [
    providerConfigCrd(provider.providerConfig, provider.name),
    ...provider.kinds.map((kind) => managedCrd(kind, provider.name)),
    providerConfigCrd(namespaced.providerConfig, provider.name),
    providerConfigCrd(namespaced.clusterProviderConfig, provider.name),
    ...namespaced.kinds.map((kind) => managedCrd(kind, provider.name)),
  ];
}

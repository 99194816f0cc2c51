/**
 * Namespaced managed resources (Crossplane v2's `.m.` groups): every managed kind is also served namespaced,
 * in the group with `.m` before `pledge.dev` (`s3.aws.pledge.dev` → `s3.aws.m.pledge.dev`), next to a
 * namespaced `ProviderConfig` and a cluster-scoped `ClusterProviderConfig` in the cloud's `.m.` group. The
 * provider's code is shared: only the envelope differs (where secrets and ProviderConfigs are looked up, and
 * the cloud name, which carries the namespace so that two namespaces never name the same cloud object).
 */
import { createHash } from 'node:crypto';
import type { JSONSchema } from '../crd/schema.ts';
import type { GroupVersionKind, ManagedKind, ManagedResource, Provider } from './types.ts';

const DOMAIN = '.pledge.dev';

/** `s3.aws.pledge.dev` → `s3.aws.m.pledge.dev`; `nop.pledge.dev` → `nop.m.pledge.dev`. */
export function namespacedGroup(group: string): string {
  if (!group.endsWith(DOMAIN)) throw new Error(`group ${group} is not under ${DOMAIN}`);
  return `${group.slice(0, -DOMAIN.length)}.m${DOMAIN}`;
}

export const CLUSTER_PROVIDER_CONFIG = 'ClusterProviderConfig';
export const PROVIDER_CONFIG = 'ProviderConfig';
/** What a namespaced resource's providerConfigRef means when it names no kind (Crossplane v2's default too). */
export const DEFAULT_PROVIDER_CONFIG_KIND = CLUSTER_PROVIDER_CONFIG;

interface ConfigKind {
  gvk: GroupVersionKind;
  plural: string;
  spec: JSONSchema;
  namespaced?: boolean;
}

/** One cloud's namespaced kinds and its two ProviderConfig kinds. */
export interface NamespacedProvider extends Omit<Provider, 'providerConfig'> {
  /** Namespaced: usable only by resources in its own namespace. */
  providerConfig: ConfigKind & { namespaced: true };
  clusterProviderConfig: ConfigKind;
}

const isSecretRefKey = (key: string) => /secretref$/i.test(key);

/**
 * A schema whose Secret references (`…SecretRef` / `secretRef` objects) name no namespace: a namespaced
 * resource or ProviderConfig reads Secrets of its own namespace only, so the field is not served at all
 * (as Crossplane v2's local secret references).
 */
export function withLocalSecretRefs(schema: JSONSchema, key = ''): JSONSchema {
  const out: JSONSchema = { ...schema };
  if (schema.properties) {
    const properties: Record<string, JSONSchema> = {};
    for (const [k, v] of Object.entries(schema.properties)) {
      if (isSecretRefKey(key) && k === 'namespace') continue;
      properties[k] = withLocalSecretRefs(v, k);
    }
    out.properties = properties;
    if (isSecretRefKey(key) && schema.required) out.required = schema.required.filter((r) => r !== 'namespace');
  }
  if (schema.items) out.items = withLocalSecretRefs(schema.items, key);
  return out;
}

/** The namespaced variant of a managed kind: same client and schema, the `.m.` group, references within the namespace. */
export function namespacedKind(kind: ManagedKind): ManagedKind {
  return {
    ...kind,
    gvk: { ...kind.gvk, group: namespacedGroup(kind.gvk.group) },
    namespaced: true,
    schema: { ...kind.schema, forProvider: withLocalSecretRefs(kind.schema.forProvider) },
    ...(kind.references
      ? { references: kind.references.map((r) => ({ ...r, to: { ...r.to, gvk: { ...r.to.gvk, group: namespacedGroup(r.to.gvk.group) } } })) }
      : {}),
  };
}

export function namespacedProvider(provider: Provider): NamespacedProvider {
  const group = namespacedGroup(provider.providerConfig.gvk.group);
  const version = provider.providerConfig.gvk.version;
  return {
    name: provider.name,
    providerConfig: { gvk: { group, version, kind: PROVIDER_CONFIG }, plural: 'providerconfigs', spec: withLocalSecretRefs(provider.providerConfig.spec), namespaced: true },
    clusterProviderConfig: { gvk: { group, version, kind: CLUSTER_PROVIDER_CONFIG }, plural: 'clusterproviderconfigs', spec: provider.providerConfig.spec },
    kinds: provider.kinds.map(namespacedKind),
  };
}

const HASH_LENGTH = 8;

/**
 * The cloud name of a namespaced resource whose kind names the cloud object after metadata.name:
 * `<namespace>-<name>-<hash>`, the hash being the first 8 hex digits of sha256(`<namespace>/<name>`), the
 * readable part cut to fit the kind's length. The hash keeps it unique where the readable part alone is not
 * (`team-a` + `x-y` and `team-a-x` + `y`, or a cut). Kinds whose names allow letters and digits only drop the hyphens.
 */
export function namespacedExternalName(namespace: string, name: string, format: { maxLength: number; alphanumeric?: boolean } = { maxLength: 63 }): string {
  const hash = createHash('sha256').update(`${namespace}/${name}`).digest('hex').slice(0, HASH_LENGTH);
  if (format.alphanumeric) return `${`${namespace}${name}`.replace(/[^a-z0-9]/g, '').slice(0, format.maxLength - HASH_LENGTH)}${hash}`;
  const readable = `${namespace}-${name}`.slice(0, format.maxLength - HASH_LENGTH - 1).replace(/[-.]+$/, '');
  return `${readable}-${hash}`;
}

/** The cloud name the controller gives a resource of a kind named after metadata.name, before it has one; else undefined. */
export function initialExternalName(kind: Pick<ManagedKind, 'deterministicExternalName' | 'namespaced' | 'namespacedName'>, mr: Pick<ManagedResource, 'metadata'>): string | undefined {
  if (!kind.deterministicExternalName) return undefined;
  // Namespaced: the namespace is part of the cloud name, so that two teams' resources of one name never meet.
  return kind.namespaced && mr.metadata.namespace ? namespacedExternalName(mr.metadata.namespace, mr.metadata.name, kind.namespacedName) : mr.metadata.name;
}

import type { ResourceType } from '../kube/index.ts';

/** An object's address in the web view's URLs: `<group or core>/<version>/<plural>/<namespace or _>/<name>`. */
export interface ObjectAddress {
  group: string;
  version: string;
  plural: string;
  namespace?: string;
  name: string;
}

export function addressPath(type: ResourceType, namespace: string | undefined, name: string): string {
  return [type.group || 'core', type.version, type.plural, namespace || '_', name].map(encodeURIComponent).join('/');
}

/** The address in a `/tree/…` or `/resource/…` path (the part after the prefix), or undefined when malformed. */
export function parseAddress(rest: string): ObjectAddress | undefined {
  const parts = rest.split('/');
  if (parts.length !== 5 || parts.some((p) => p === '')) return undefined;
  let decoded: string[];
  try {
    decoded = parts.map(decodeURIComponent);
  } catch {
    return undefined;
  }
  const [group, version, plural, namespace, name] = decoded as [string, string, string, string, string];
  return { group: group === 'core' ? '' : group, version, plural, namespace: namespace === '_' ? undefined : namespace, name };
}

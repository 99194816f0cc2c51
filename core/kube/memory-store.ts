// An in-memory ObjectStore for unit tests only: a fake of Pledge's own contract (core/kube/store.ts),
// never of the Kubernetes client. It answers the way the API server does where controllers depend on
// it: resourceVersion preconditions (409), the status subresource, generation, finalizers, 404s.
import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import type { V1Secret } from '@kubernetes/client-node';
import type { KubeObject } from '../managed/types.ts';
import type { ResourceType } from './client.ts';
import type { ObjectStore } from './store.ts';
import { apiError, defined, mergePatch, MODIFIED, selectorMatches, specPart } from './memory-semantics.ts';

export type StoreVerb = keyof ObjectStore;

/** One call made to the store, in order; `resource` is the plural (or `secrets`). */
export interface StoreCall {
  verb: StoreVerb;
  resource: string;
  namespace?: string;
  name?: string;
}

/** A read-only view of one type's current objects, shaped like an informer's ObjectCache. */
export interface MemoryView<T> {
  get(name: string, namespace?: string): T | undefined;
  list(): readonly T[];
}

export interface MemoryStore extends ObjectStore {
  /** Every call made through the ObjectStore verbs (not seed, view or failNext). */
  readonly calls: StoreCall[];
  /** The next call of verb throws err instead of doing anything. Queued per verb. */
  failNext(verb: StoreVerb, err: unknown): void;
  /** Puts obj in the store as given, status included (test setup); returns it as stored. */
  seed<T extends KubeObject>(type: ResourceType, obj: T): T;
  seedSecret(secret: V1Secret): V1Secret;
  /** The objects of one type as they are now (copies), for a test's cache. */
  view<T extends KubeObject>(type: ResourceType): MemoryView<T>;
}

export { apiError } from './memory-semantics.ts';

export function createMemoryStore(options: { now?: () => Date } = {}): MemoryStore {
  const now = options.now ?? (() => new Date());
  const objects = new Map<string, KubeObject>();
  const secrets = new Map<string, V1Secret>();
  const failures = new Map<StoreVerb, unknown[]>();
  const calls: StoreCall[] = [];
  let revision = 0;

  const typeKey = (type: ResourceType) => `${type.group}/${type.version}/${type.plural}`;
  const what = (type: ResourceType, name: string) => `${type.plural}.${type.group} "${name}"`;

  function namespaceOf(type: ResourceType, namespace: string | undefined): string {
    if (!type.namespaced) return '';
    if (!namespace) throw new TypeError(`${type.plural}.${type.group} is namespaced: a namespace is required`);
    return namespace;
  }
  const keyOf = (type: ResourceType, name: string, namespace: string) => `${typeKey(type)}\u0000${namespace}\u0000${name}`;

  /** Logs the call, then throws an injected failure if one is queued for this verb. */
  function enter(verb: StoreVerb, resource: string, name?: string, namespace?: string): void {
    calls.push({ verb, resource, ...(namespace ? { namespace } : {}), ...(name !== undefined ? { name } : {}) });
    const queued = failures.get(verb);
    if (queued?.length) throw queued.shift();
  }

  function nameOf(obj: KubeObject): string {
    const name = obj.metadata?.name;
    if (!name) throw apiError(422, 'Invalid', 'metadata.name: Required value: name is required');
    return name;
  }

  function existing(type: ResourceType, name: string, namespace: string): KubeObject {
    const found = objects.get(keyOf(type, name, namespace));
    if (!found) throw apiError(404, 'NotFound', `${what(type, name)} not found`);
    return found;
  }

  /** Optimistic concurrency: a given resourceVersion must be the current one; updates must give one. */
  function precondition(type: ResourceType, current: KubeObject, given: string | undefined, required: boolean): void {
    if (given === undefined || given === '') {
      if (!required) return;
      throw apiError(422, 'Invalid', `${what(type, nameOf(current))} is invalid: metadata.resourceVersion: Invalid value: 0x0: must be specified for an update`);
    }
    if (given !== current.metadata?.resourceVersion) {
      throw apiError(409, 'Conflict', `Operation cannot be fulfilled on ${what(type, nameOf(current))}: ${MODIFIED}`);
    }
  }

  /**
   * Stores next in place of previous: server-owned metadata is kept, resourceVersion moves, generation
   * moves when anything outside metadata and status changed. A deleted object whose last finalizer
   * went is removed.
   */
  function commit(type: ResourceType, previous: KubeObject, next: KubeObject): KubeObject {
    const prev = previous.metadata ?? {};
    const added = (next.metadata?.finalizers ?? []).filter((f) => !(prev.finalizers ?? []).includes(f));
    if (prev.deletionTimestamp && added.length > 0) {
      throw apiError(422, 'Invalid', `${what(type, nameOf(previous))} is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted`);
    }
    const generation = (prev.generation ?? 1) + (isDeepStrictEqual(specPart(previous), specPart(next)) ? 0 : 1);
    const stored: KubeObject = structuredClone({
      ...next,
      metadata: defined({
        ...next.metadata,
        name: prev.name,
        namespace: prev.namespace,
        uid: prev.uid,
        creationTimestamp: prev.creationTimestamp,
        deletionTimestamp: prev.deletionTimestamp,
        generation,
        resourceVersion: String(++revision),
      }),
    });
    if (stored.status === undefined) delete stored.status;
    const key = keyOf(type, nameOf(previous), prev.namespace ?? '');
    if (prev.deletionTimestamp && (stored.metadata?.finalizers ?? []).length === 0) objects.delete(key);
    else objects.set(key, stored);
    return structuredClone(stored);
  }

  function put(type: ResourceType, obj: KubeObject, keepStatus: boolean): KubeObject {
    const name = nameOf(obj);
    const namespace = namespaceOf(type, obj.metadata?.namespace);
    const { status, ...rest } = structuredClone(obj);
    const stored: KubeObject = {
      ...rest,
      ...(keepStatus && status !== undefined ? { status } : {}),
      metadata: defined({
        ...obj.metadata,
        name,
        namespace: namespace || undefined,
        uid: obj.metadata?.uid ?? randomUUID(),
        creationTimestamp: obj.metadata?.creationTimestamp ?? now().toISOString(),
        generation: obj.metadata?.generation ?? 1,
        resourceVersion: String(++revision),
      }),
    };
    objects.set(keyOf(type, name, namespace), stored);
    return structuredClone(stored);
  }

  function secretKey(namespace: string | undefined, name: string | undefined): string {
    if (!namespace || !name) throw apiError(422, 'Invalid', 'Secret: metadata.name and metadata.namespace are required');
    return `${namespace}/${name}`;
  }

  /** Secret data travels base64-encoded; the API server refuses anything else. */
  function checkData(secret: V1Secret): void {
    for (const [key, value] of Object.entries(secret.data ?? {})) {
      if (Buffer.from(value, 'base64').toString('base64') !== value) throw apiError(400, 'BadRequest', `Secret data["${key}"] is not base64`);
    }
  }

  function storeSecret(secret: V1Secret, previous: V1Secret | undefined): V1Secret {
    const stored: V1Secret = structuredClone({
      ...secret,
      metadata: { ...secret.metadata, uid: previous?.metadata?.uid ?? secret.metadata?.uid ?? randomUUID(), resourceVersion: String(++revision) },
    });
    secrets.set(secretKey(stored.metadata?.namespace, stored.metadata?.name), stored);
    return structuredClone(stored);
  }

  return {
    calls,

    failNext(verb, err) {
      failures.set(verb, [...(failures.get(verb) ?? []), err]);
    },

    seed(type, obj) {
      return put(type, obj, true) as typeof obj;
    },

    seedSecret(secret) {
      checkData(secret);
      return storeSecret(secret, undefined);
    },

    view<T extends KubeObject>(type: ResourceType): MemoryView<T> {
      return {
        get: (name, namespace) => {
          const found = objects.get(keyOf(type, name, type.namespaced ? (namespace ?? '') : ''));
          return found ? (structuredClone(found) as T) : undefined;
        },
        list: () => [...objects.entries()].filter(([k]) => k.startsWith(`${typeKey(type)}\u0000`)).map(([, o]) => structuredClone(o) as T),
      };
    },

    async get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T | undefined> {
      enter('get', type.plural, name, namespace);
      const found = objects.get(keyOf(type, name, namespaceOf(type, namespace)));
      return found ? (structuredClone(found) as T) : undefined;
    },

    async list<T extends KubeObject>(type: ResourceType, labelSelector?: string) {
      enter('list', type.plural);
      const items = [...objects.entries()]
        .filter(([k, o]) => k.startsWith(`${typeKey(type)}\u0000`) && selectorMatches(labelSelector, o.metadata?.labels ?? {}))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, o]) => structuredClone(o) as T);
      return { items, metadata: { resourceVersion: String(revision) } };
    },

    async create<T extends KubeObject>(type: ResourceType, body: T): Promise<T> {
      enter('create', type.plural, body.metadata?.name, body.metadata?.namespace);
      const name = nameOf(body);
      const namespace = namespaceOf(type, body.metadata?.namespace);
      if (objects.has(keyOf(type, name, namespace))) throw apiError(409, 'AlreadyExists', `${what(type, name)} already exists`);
      if (body.metadata?.resourceVersion) throw apiError(400, 'BadRequest', 'resourceVersion should not be set on objects to be created');
      // The status subresource: status given on create is dropped, as the API server does.
      return put(type, { ...body, metadata: { ...body.metadata, uid: undefined, creationTimestamp: undefined, generation: undefined } }, false) as T;
    },

    async replace<T extends KubeObject>(type: ResourceType, body: T): Promise<T> {
      enter('replace', type.plural, body.metadata?.name, body.metadata?.namespace);
      const previous = existing(type, nameOf(body), namespaceOf(type, body.metadata?.namespace));
      precondition(type, previous, body.metadata?.resourceVersion, true);
      return commit(type, previous, { ...body, status: previous.status }) as T;
    },

    async replaceStatus<T extends KubeObject>(type: ResourceType, body: T): Promise<T> {
      enter('replaceStatus', type.plural, body.metadata?.name, body.metadata?.namespace);
      const previous = existing(type, nameOf(body), namespaceOf(type, body.metadata?.namespace));
      precondition(type, previous, body.metadata?.resourceVersion, true);
      return commit(type, previous, { ...previous, status: body.status }) as T;
    },

    async patch<T extends KubeObject>(type: ResourceType, name: string, patch: object, namespace?: string): Promise<T> {
      enter('patch', type.plural, name, namespace);
      const previous = existing(type, name, namespaceOf(type, namespace));
      const given = (patch as KubeObject).metadata?.resourceVersion;
      precondition(type, previous, given, false);
      const merged = mergePatch(previous, patch) as KubeObject;
      return commit(type, previous, { ...merged, status: previous.status }) as T;
    },

    /** Server-side apply, approximated as create-or-merge (no field ownership). */
    async apply<T extends KubeObject>(type: ResourceType, body: T, _fieldManager: string): Promise<T> {
      enter('apply', type.plural, body.metadata?.name, body.metadata?.namespace);
      const name = nameOf(body);
      const namespace = namespaceOf(type, body.metadata?.namespace);
      const previous = objects.get(keyOf(type, name, namespace));
      if (!previous) return put(type, body, false) as T;
      precondition(type, previous, body.metadata?.resourceVersion, false);
      const merged = mergePatch(previous, body) as KubeObject;
      return commit(type, previous, { ...merged, status: previous.status }) as T;
    },

    async delete(type: ResourceType, name: string, namespace?: string): Promise<void> {
      enter('delete', type.plural, name, namespace);
      const key = keyOf(type, name, namespaceOf(type, namespace));
      const found = objects.get(key);
      if (!found) return;
      if ((found.metadata?.finalizers ?? []).length === 0) {
        objects.delete(key);
        return;
      }
      if (found.metadata?.deletionTimestamp) return;
      // Graceful deletion: the finalizers' owners see deletionTimestamp; generation moves, as it does on the server.
      objects.set(key, {
        ...found,
        metadata: { ...found.metadata, deletionTimestamp: now().toISOString(), generation: (found.metadata?.generation ?? 1) + 1, resourceVersion: String(++revision) },
      });
    },

    async getSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
      enter('getSecret', 'secrets', name, namespace);
      const found = secrets.get(secretKey(namespace, name));
      return found ? structuredClone(found) : undefined;
    },

    async createSecret(secret) {
      enter('createSecret', 'secrets', secret.metadata.name, secret.metadata.namespace);
      const key = secretKey(secret.metadata.namespace, secret.metadata.name);
      if (secrets.has(key)) throw apiError(409, 'AlreadyExists', `secrets "${secret.metadata.name}" already exists`);
      checkData(secret);
      return storeSecret(secret, undefined);
    },

    async replaceSecret(secret) {
      enter('replaceSecret', 'secrets', secret.metadata.name, secret.metadata.namespace);
      const previous = secrets.get(secretKey(secret.metadata.namespace, secret.metadata.name));
      if (!previous) throw apiError(404, 'NotFound', `secrets "${secret.metadata.name}" not found`);
      // Secrets allow an unconditional update; a given resourceVersion must be current.
      const given = secret.metadata.resourceVersion;
      if (given && given !== previous.metadata?.resourceVersion) {
        throw apiError(409, 'Conflict', `Operation cannot be fulfilled on secrets "${secret.metadata.name}": ${MODIFIED}`);
      }
      checkData(secret);
      return storeSecret(secret, previous);
    },

    async deleteSecret(namespace: string, name: string): Promise<void> {
      enter('deleteSecret', 'secrets', name, namespace);
      secrets.delete(secretKey(namespace, name));
    },
  };
}

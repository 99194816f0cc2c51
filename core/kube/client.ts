import {
  ApiException,
  CoreV1Api,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  Observable,
  type ConfigurationOptions,
  type ObservableMiddleware,
  setHeaderOptions,
  type CoreV1Event,
  type V1Secret,
} from '@kubernetes/client-node';
import type { KubeObject } from '../managed/types.ts';
import { retryingAfter } from './retry-after.ts';

/** Where a kind lives in the REST API. */
export interface ResourceType {
  group: string;
  version: string;
  plural: string;
  /** Namespaced kinds need a namespace on every call; cluster-scoped ones must not have one. */
  namespaced?: boolean;
}

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiException && err.code === 404;
}

export function isConflict(err: unknown): boolean {
  return err instanceof ApiException && err.code === 409;
}

export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ApiException && err.code === 409 && String(err.body).includes('AlreadyExists');
}

/**
 * The field manager of every write that is not an apply: late-initialized spec fields, finalizers and
 * annotations show under this name in managedFields, not under the client library's default
 * (`kubernetes-client-javascript`), so who owns what next to a GitOps tool's manager is plain.
 */
export const UPDATE_FIELD_MANAGER = 'pledge';

/** The collection's path: the core group (ConfigMap, …) is served under /api, every other group under /apis. */
export function collectionPath(type: ResourceType): string {
  return type.group === '' ? `/api/${type.version}/${type.plural}` : `/apis/${type.group}/${type.version}/${type.plural}`;
}

/**
 * CustomObjectsApi addresses /apis/<group>/… only; for the core group (an empty group: `/apis//v1/…`) this moves the
 * request to /api/v1/…, so one set of calls serves ConfigMaps as well as custom resources.
 */
const coreGroupPath: ObservableMiddleware = {
  pre: (request) => {
    const url = new URL(request.getUrl());
    if (url.pathname.startsWith('/apis//')) {
      url.pathname = `/api/${url.pathname.slice('/apis//'.length)}`;
      request.setUrl(url.toString());
    }
    return new Observable(Promise.resolve(request));
  },
  post: (response) => new Observable(Promise.resolve(response)),
};

const coreGroup: ConfigurationOptions = { middleware: [coreGroupPath], middlewareMergeStrategy: 'append' };

type KubeList<T> = { apiVersion?: string; kind?: string; items: T[]; metadata?: { resourceVersion?: string } };

/**
 * The API server leaves apiVersion and kind out of a built-in kind's list items (a watch event carries them), so
 * an informer that listed a ConfigMap would hold one of no kind: they are set from the list's own.
 */
function withItemTypes<T extends KubeObject>(list: KubeList<T>): KubeList<T> {
  const kind = list.kind?.replace(/List$/, '');
  for (const item of list.items) {
    item.apiVersion ??= list.apiVersion;
    if (kind) item.kind ??= kind;
  }
  return list;
}

/** Per-call options: the core group's path where needed, else none (a custom resource's call is as before). */
const plainFor = (type: ResourceType) => (type.group === '' ? coreGroup : undefined);
const MERGE_PATCH = { custom: setHeaderOptions('Content-Type', PatchStrategy.MergePatch), core: setHeaderOptions('Content-Type', PatchStrategy.MergePatch, coreGroup) };
const SERVER_SIDE_APPLY = { custom: setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply), core: setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply, coreGroup) };
const mergePatchFor = (type: ResourceType) => (type.group === '' ? MERGE_PATCH.core : MERGE_PATCH.custom);
const serverSideApplyFor = (type: ResourceType) => (type.group === '' ? SERVER_SIDE_APPLY.core : SERVER_SIDE_APPLY.custom);

/** The few verbs Pledge needs, over @kubernetes/client-node, typed for unstructured objects. */
export class KubeClient {
  readonly kubeConfig: KubeConfig;
  readonly #custom: CustomObjectsApi;
  readonly #core: CoreV1Api;

  constructor(kubeConfig: KubeConfig) {
    this.kubeConfig = kubeConfig;
    this.#custom = retryingAfter(kubeConfig.makeApiClient(CustomObjectsApi));
    this.#core = retryingAfter(kubeConfig.makeApiClient(CoreV1Api));
  }

  /** Loads KUBECONFIG, ~/.kube/config or the in-cluster service account, as kubectl would. */
  static fromDefault(kubeconfigPath?: string): KubeClient {
    const kc = new KubeConfig();
    if (kubeconfigPath) kc.loadFromFile(kubeconfigPath);
    else kc.loadFromDefault();
    return new KubeClient(kc);
  }

  async get<T extends KubeObject>(type: ResourceType, name: string, namespace?: string): Promise<T | undefined> {
    try {
      const base = { group: type.group, version: type.version, plural: type.plural, name };
      const res = type.namespaced
        ? await this.#custom.getNamespacedCustomObject({ ...base, namespace: requireNs(type, namespace) }, plainFor(type))
        : await this.#custom.getClusterCustomObject(base, plainFor(type));
      return res as T;
    } catch (err: unknown) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Lists across all namespaces (or the cluster), optionally filtered by a label selector such as `a=b,c=d` (and a field selector). */
  async list<T extends KubeObject>(type: ResourceType, labelSelector?: string, fieldSelector?: string): Promise<{ items: T[]; metadata?: { resourceVersion?: string } }> {
    const selector = { ...(labelSelector ? { labelSelector } : {}), ...(fieldSelector ? { fieldSelector } : {}) };
    const res = type.namespaced
      ? await this.#custom.listCustomObjectForAllNamespaces({ group: type.group, version: type.version, resourcePlural: type.plural, ...selector }, plainFor(type))
      : await this.#custom.listClusterCustomObject({ group: type.group, version: type.version, plural: type.plural, ...selector }, plainFor(type));
    return withItemTypes(res as KubeList<T>);
  }

  /**
   * Server-side apply: this field manager owns exactly the fields in body, so fields other writers set
   * (late-initialized values, a person's edits to other fields) survive.
   */
  async apply<T extends KubeObject>(type: ResourceType, body: T, fieldManager: string): Promise<T> {
    const base = { group: type.group, version: type.version, plural: type.plural, name: nameOf(body), body, fieldManager, force: true };
    const res = type.namespaced
      ? await this.#custom.patchNamespacedCustomObject({ ...base, namespace: requireNs(type, body.metadata?.namespace) }, serverSideApplyFor(type))
      : await this.#custom.patchClusterCustomObject(base, serverSideApplyFor(type));
    return res as T;
  }

  async create<T extends KubeObject>(type: ResourceType, body: T): Promise<T> {
    const base = { group: type.group, version: type.version, plural: type.plural, body, fieldManager: UPDATE_FIELD_MANAGER };
    const res = type.namespaced
      ? await this.#custom.createNamespacedCustomObject({ ...base, namespace: requireNs(type, body.metadata?.namespace) }, plainFor(type))
      : await this.#custom.createClusterCustomObject(base, plainFor(type));
    return res as T;
  }

  /** Replaces the object; fails with 409 when body.metadata.resourceVersion is stale (optimistic concurrency). */
  async replace<T extends KubeObject>(type: ResourceType, body: T): Promise<T> {
    const base = { group: type.group, version: type.version, plural: type.plural, name: nameOf(body), body, fieldManager: UPDATE_FIELD_MANAGER };
    const res = type.namespaced
      ? await this.#custom.replaceNamespacedCustomObject({ ...base, namespace: requireNs(type, body.metadata?.namespace) }, plainFor(type))
      : await this.#custom.replaceClusterCustomObject(base, plainFor(type));
    return res as T;
  }

  /** Replaces the status subresource; fails with 409 on a stale resourceVersion. */
  async replaceStatus<T extends KubeObject>(type: ResourceType, body: T): Promise<T> {
    const base = { group: type.group, version: type.version, plural: type.plural, name: nameOf(body), body, fieldManager: UPDATE_FIELD_MANAGER };
    const res = type.namespaced
      ? await this.#custom.replaceNamespacedCustomObjectStatus({ ...base, namespace: requireNs(type, body.metadata?.namespace) }, plainFor(type))
      : await this.#custom.replaceClusterCustomObjectStatus(base, plainFor(type));
    return res as T;
  }

  async patch<T extends KubeObject>(type: ResourceType, name: string, patch: object, namespace?: string): Promise<T> {
    const base = { group: type.group, version: type.version, plural: type.plural, name, body: patch, fieldManager: UPDATE_FIELD_MANAGER };
    const res = type.namespaced
      ? await this.#custom.patchNamespacedCustomObject({ ...base, namespace: requireNs(type, namespace) }, mergePatchFor(type))
      : await this.#custom.patchClusterCustomObject(base, mergePatchFor(type));
    return res as T;
  }

  async delete(type: ResourceType, name: string, namespace?: string): Promise<void> {
    try {
      const base = { group: type.group, version: type.version, plural: type.plural, name };
      if (type.namespaced) await this.#custom.deleteNamespacedCustomObject({ ...base, namespace: requireNs(type, namespace) }, plainFor(type));
      else await this.#custom.deleteClusterCustomObject(base, plainFor(type));
    } catch (err: unknown) {
      if (!isNotFound(err)) throw err;
    }
  }

  async getSecret(namespace: string, name: string): Promise<V1Secret | undefined> {
    try {
      return await this.#core.readNamespacedSecret({ namespace, name });
    } catch (err: unknown) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async createSecret(secret: V1Secret & { metadata: { namespace: string } }): Promise<V1Secret> {
    return this.#core.createNamespacedSecret({ namespace: secret.metadata.namespace, body: secret, fieldManager: UPDATE_FIELD_MANAGER });
  }

  async replaceSecret(secret: V1Secret & { metadata: { namespace: string; name: string } }): Promise<V1Secret> {
    return this.#core.replaceNamespacedSecret({ namespace: secret.metadata.namespace, name: secret.metadata.name, body: secret, fieldManager: UPDATE_FIELD_MANAGER });
  }

  async deleteSecret(namespace: string, name: string): Promise<void> {
    try {
      await this.#core.deleteNamespacedSecret({ namespace, name });
    } catch (err: unknown) {
      if (!isNotFound(err)) throw err;
    }
  }

  async createEvent(namespace: string, event: CoreV1Event): Promise<CoreV1Event> {
    return this.#core.createNamespacedEvent({ namespace, body: event });
  }

  async patchEvent(namespace: string, name: string, patch: object): Promise<CoreV1Event> {
    return this.#core.patchNamespacedEvent({ namespace, name, body: patch }, setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch));
  }
}

function nameOf(obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new TypeError('object has no metadata.name');
  return name;
}

function requireNs(type: ResourceType, namespace: string | undefined): string {
  if (!namespace) throw new TypeError(`${type.plural}.${type.group} is namespaced: a namespace is required`);
  return namespace;
}

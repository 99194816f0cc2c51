import type { JSONSchema } from '../crd/index.ts';

export interface GroupVersionKind {
  readonly group: string;
  readonly version: string;
  readonly kind: string;
}

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: Array<Record<string, unknown>>;
}

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  [field: string]: unknown;
}

export type ConditionStatus = 'True' | 'False' | 'Unknown';

export interface Condition {
  type: string;
  status: ConditionStatus;
  reason: string;
  message?: string;
  lastTransitionTime?: string;
  observedGeneration?: number;
}

export type DeletionPolicy = 'Delete' | 'Orphan';
export type ManagementAction = 'Observe' | 'Create' | 'Update' | 'Delete' | 'LateInitialize';
export type ManagementPolicy = '*' | ManagementAction;

export interface SecretReference {
  name: string;
  namespace: string;
}

export interface SecretKeySelector extends SecretReference {
  key: string;
}

export interface ManagedSpec<P> {
  forProvider: P;
  /** kind: ProviderConfig (in the resource's namespace) or ClusterProviderConfig, for namespaced resources only. */
  providerConfigRef?: { name: string; kind?: string };
  deletionPolicy?: DeletionPolicy;
  managementPolicies?: ManagementPolicy[];
  /** A namespaced resource names no namespace: its Secret is in its own. */
  writeConnectionSecretToRef?: { name: string; namespace?: string };
}

export interface ManagedStatus<A> {
  atProvider?: A;
  conditions?: Condition[];
  /** The metadata.generation the status describes (kstatus compares the two). */
  observedGeneration?: number;
}

/** A managed resource as the reconciler sees it: one cloud object, Crossplane's shape. */
export interface ManagedResource<P = Record<string, unknown>, A = Record<string, unknown>> extends KubeObject {
  metadata: ObjectMeta & { name: string };
  spec: ManagedSpec<P>;
  status?: ManagedStatus<A>;
}

/** What observe learned. Data only: the reconciler decides what to do with it. */
export interface Observation<P, A> {
  /** The external resource exists. When false the reconciler may create it. */
  exists: boolean;
  /** The external resource matches forProvider. When false the reconciler may update it. */
  upToDate?: boolean;
  /** The external resource can be used (e.g. an RDS instance is `available`). Defaults to true when it exists. */
  ready?: boolean;
  /** Observed cloud state, written to status.atProvider. */
  atProvider?: A;
  /** forProvider fields the user left unset, as the cloud reports them (late-initialization). */
  lateInit?: Partial<P>;
  /** Values for the connection secret. */
  connectionDetails?: Record<string, string>;
  /** Human-readable summary of what differs, for logs and events. Never carries secret values. */
  diff?: string;
  /**
   * The same differences field by field, for `pledge plan` (live → desired). Optional: a kind without it shows
   * as one `diff` line. Set whenever upToDate is false and the kind can name its fields.
   */
  fieldDiffs?: FieldDiff[];
  /**
   * When the observation is due to change by itself (a resource that turns ready at a known moment): the core
   * observes again after this many ms when that is sooner than it would anyway. It never delays a poll.
   */
  recheckAfterMs?: number;
  /** Condition types of the provider's own, written beside Ready and Synced (which the core alone sets: those are ignored here). */
  conditions?: Condition[];
}

/** One forProvider field whose cloud value differs from the spec's. */
export interface FieldDiff {
  /** Path under spec.forProvider, dot-separated (`tags.env`, `publicAccessBlock.blockPublicAcls`). */
  path: string;
  /** What the cloud has; undefined when the field is unset there. */
  observed?: unknown;
  /** What the spec asks for; undefined when the spec removes it. */
  desired?: unknown;
  /** A secret (a password): plan shows `(sensitive)` instead of either value. */
  sensitive?: boolean;
  /** The cloud cannot change it in place: only another resource would match (plan shows `replace`). */
  immutable?: boolean;
}

export interface CreateResult {
  /** The cloud's identity for what was made, when the cloud chose it. */
  externalName?: string;
  connectionDetails?: Record<string, string>;
}

export interface UpdateResult {
  connectionDetails?: Record<string, string>;
}

/** What `pledge import` asks a kind's client to list. */
export interface ListQuery {
  /** Only resources in this region or location; every one the credentials can see when unset. */
  region?: string;
  /** Whether a resource is wanted (not managed already, asked for by name): others are not read further. */
  wanted(externalName: string): boolean;
  /** Read each wanted resource's settings into forProvider; false lists names only. */
  details: boolean;
  /** The namespace of Secrets the declared spec refers to, for what the cloud never reports (a master password). */
  secretNamespace: string;
}

/** One cloud resource found by list, as a managed resource adopting it would declare it. */
export interface ListedExternal<P> {
  externalName: string;
  /** The region or location it lives in, for the candidate listing. */
  region?: string;
  /** With details: forProvider as the cloud reports it, so that observe finds it up to date. Never a secret value. */
  forProvider?: P;
  /** What adopting it needs besides the spec (e.g. a Secret to create); shown to the user, never a secret value. */
  notes?: string[];
}

/** The four verbs a provider implements for one kind. Create, update and delete must be idempotent. */
export interface ExternalClient<P, A> {
  observe(mr: ManagedResource<P, A>, signal: AbortSignal): Promise<Observation<P, A>>;
  create(mr: ManagedResource<P, A>, signal: AbortSignal): Promise<CreateResult>;
  update(mr: ManagedResource<P, A>, signal: AbortSignal): Promise<UpdateResult>;
  /** Gone already is success. */
  delete(mr: ManagedResource<P, A>, signal: AbortSignal): Promise<void>;
  /**
   * Every resource of the kind the credentials can see, read-only (`pledge import`). The client was connected
   * for a resource with only forProvider.region set (the query's). Kinds without a cloud leave it out.
   */
  list?(query: ListQuery, signal: AbortSignal): Promise<Array<ListedExternal<P>>>;
}

/**
 * Every cloud API request goes through the gate of its ProviderConfig: acquire waits for the shared
 * token bucket (one per cloud account and region), record counts the call for metrics and slows the
 * bucket down when the cloud throttles. A gate serves one reconcile.
 */
export interface CloudCallGate {
  /**
   * Waits for the call's token. Throws CallBudgetExhaustedError, sending nothing, when the budget is spent
   * for longer than a worker should wait: providers pass it on like any error (mapping keeps its class).
   */
  acquire(signal: AbortSignal): Promise<void>;
  /** err is the mapped error (undefined on success). */
  record(operation: string, err?: unknown): void;
}

/** What connect receives: the resolved ProviderConfig, Secrets it may read, and the call gate. */
export interface ConnectContext {
  providerConfig: KubeObject;
  readSecret(ref: SecretKeySelector, signal: AbortSignal): Promise<string>;
  /** What the resource's connection secret holds now (empty when it has none), e.g. a generated password. */
  connectionDetails: Readonly<Record<string, string>>;
  calls: CloudCallGate;
  signal: AbortSignal;
}

/**
 * A forProvider field that can be filled from another managed resource: `<field>Ref: {name}` or
 * `<field>Selector: {matchLabels}` resolve to the referenced resource's external name (or an
 * atProvider field), which the core writes into `<field>` once it is Ready.
 */
export interface ReferenceField {
  field: string;
  to: { gvk: GroupVersionKind; plural: string };
  /** Defaults to the external name; otherwise a field of status.atProvider. */
  fromAtProvider?: string;
}

/** Schema of one served kind: the provider writes forProvider/atProvider, core adds the rest. */
export interface KindSchema {
  forProvider: JSONSchema;
  atProvider: JSONSchema;
  /** CEL rules on the whole object (e.g. naming rules on metadata.name), with a message naming the field. */
  validations?: Array<{ rule: string; message: string }>;
}

export interface ManagedKind<P = Record<string, unknown>, A = Record<string, unknown>> {
  gvk: GroupVersionKind;
  /** Lower-case plural used in the REST path, e.g. `buckets`. */
  plural: string;
  schema: KindSchema;
  /**
   * True when the external name is known before create (it defaults to metadata.name). When false
   * and a create's outcome is unknown, the reconciler stops and asks a person instead of guessing.
   */
  deterministicExternalName: boolean;
  /** The namespaced variant (core/managed/namespaced.ts): served in a `.m.` group, scope Namespaced. */
  namespaced?: boolean;
  /** How a namespaced resource's cloud name may look (namespacedExternalName): 63 characters with hyphens unless set. */
  namespacedName?: { maxLength: number; alphanumeric?: boolean };
  /** The kind talks to no cloud (nop): a missing ProviderConfig is no error, connect gets an empty one. */
  providerConfigOptional?: boolean;
  references?: readonly ReferenceField[];
  connect(mr: ManagedResource<P, A>, ctx: ConnectContext): Promise<ExternalClient<P, A>>;
}

/** One cloud: its ProviderConfig kind and the managed kinds it serves. Registered in providers/index.ts. */
export interface Provider {
  name: string;
  providerConfig: { gvk: GroupVersionKind; plural: string; spec: JSONSchema };
  // Each kind fixes its own forProvider/atProvider types; the registry erases them.
  // biome-ignore lint/suspicious/noExplicitAny: each kind's own types are erased in the registry
  kinds: ReadonlyArray<ManagedKind<any, any>>;
}

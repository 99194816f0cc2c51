// The managed reconciler's branches, one table row each (crossplane-runtime's reconciler_test.go is the
// model). Only Pledge's own contracts are faked: the ExternalClient (an object literal answering from
// the row's script), the ObjectStore (in memory, with resourceVersions and 409s) and the EventRecorder.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { V1Secret } from '@kubernetes/client-node';
import { pino } from 'pino';
import { CallBudgetExhaustedError, ConfigError, describeError, NotFoundError, TerminalError, ThrottledError, TransientError } from '../errors/index.ts';
import { isConflict, type ResourceType } from '../kube/index.ts';
import { apiError, createMemoryStore, type MemoryStore, type StoreVerb } from '../kube/memory-store.ts';
import { EVENT_REASONS, type EventReason, type EventRecorder } from '../runtime/events/index.ts';
import { createMetrics } from '../runtime/metrics/index.ts';
import { ANNOTATIONS } from './annotations.ts';
import { FINALIZER } from './finalizer.ts';
import { createManagedReconciler } from './reconciler.ts';
import { MIN_RECHECK_MS } from './steps/report.ts';
import type {
  Condition,
  ConditionStatus,
  CreateResult,
  DeletionPolicy,
  ExternalClient,
  ManagedKind,
  ManagedResource,
  ManagementPolicy,
  Observation,
  UpdateResult,
} from './types.ts';

const NOW = new Date('2026-03-01T12:00:00.000Z');
const T0 = NOW.toISOString();
const ago = (ms: number) => new Date(NOW.getTime() - ms).toISOString();

const GVK = { group: 'test.pledge.dev', version: 'v1', kind: 'Widget' };
const WIDGETS: ResourceType = { group: GVK.group, version: GVK.version, plural: 'widgets' };
const SECRET_REF = { name: 'w-conn', namespace: 'default' };
const READY: Condition = { type: 'Ready', status: 'True', reason: 'Available' };
const { createPending: pending, createSucceeded: succeeded, createFailed: failed, externalName, paused, pollInterval } = ANNOTATIONS;
// The defaults the reconciler is built with (RECONCILER_DEFAULTS); random() = 0.5 makes the jitter 0.
const POLL = 60_000;
const NOT_READY_POLL = 10_000;
const AFTER_CREATE = 1_000;
const DELETE_POLL = 2_000;

interface WidgetOptions {
  name?: string;
  /** Never reconciled: no finalizer and no external name. */
  fresh?: boolean;
  externalName?: string | null;
  forProvider?: Record<string, unknown>;
  annotations?: Record<string, string>;
  labels?: Record<string, string>;
  policies?: ManagementPolicy[];
  deletionPolicy?: DeletionPolicy;
  providerConfig?: string;
  secret?: boolean;
  deleting?: boolean;
  finalizers?: string[];
  conditions?: Condition[];
  generation?: number;
  /** status.observedGeneration */
  observedGeneration?: number;
}

/** A Widget as the cache holds it: by default reconciled before (finalizer and external name set). */
function widget(o: WidgetOptions = {}): ManagedResource {
  const name = o.name ?? 'w';
  const extName = o.fresh || o.externalName === null ? undefined : (o.externalName ?? name);
  return {
    apiVersion: 'test.pledge.dev/v1',
    kind: 'Widget',
    metadata: {
      name,
      uid: `uid-${name}`,
      generation: o.generation ?? 1,
      creationTimestamp: ago(3_600_000),
      annotations: { ...(extName ? { [externalName]: extName } : {}), ...o.annotations },
      ...(o.labels ? { labels: o.labels } : {}),
      finalizers: o.finalizers ?? (o.fresh ? [] : [FINALIZER]),
      ...(o.deleting ? { deletionTimestamp: ago(60_000) } : {}),
    },
    spec: {
      forProvider: o.forProvider ?? { size: 1 },
      ...(o.providerConfig ? { providerConfigRef: { name: o.providerConfig } } : {}),
      ...(o.policies ? { managementPolicies: o.policies } : {}),
      ...(o.deletionPolicy ? { deletionPolicy: o.deletionPolicy } : {}),
      ...(o.secret ? { writeConnectionSecretToRef: SECRET_REF } : {}),
    },
    ...(o.conditions ? { status: { conditions: o.conditions, ...(o.observedGeneration ? { observedGeneration: o.observedGeneration } : {}) } } : {}),
  };
}

/** The connection secret at SECRET_REF, owned by the widget `w` unless ownerUid says otherwise. */
function connectionSecret(details: Record<string, string>, ownerUid = 'uid-w'): V1Secret {
  return {
    metadata: { ...SECRET_REF, ownerReferences: [{ apiVersion: 'test.pledge.dev/v1', kind: 'Widget', name: 'w', uid: ownerUid, controller: true }] },
    data: Object.fromEntries(Object.entries(details).map(([k, v]) => [k, Buffer.from(v).toString('base64')])),
  };
}

/** What the fake cloud answers; an Error is thrown. Unset: the resource exists and is up to date. */
interface CloudScript {
  connect?: Error;
  observe?: Observation<unknown, unknown> | Error;
  /** What observe answers once create has run (unset: the same as before it). */
  observeAfterCreate?: Observation<unknown, unknown> | Error;
  create?: CreateResult | Error;
  update?: UpdateResult | Error;
  delete?: Error;
  /** Runs while create is in flight: another writer changing the object meanwhile. */
  duringCreate?(store: MemoryStore): Promise<unknown>;
}
type CloudVerb = 'connect' | 'observe' | 'create' | 'update' | 'delete';

type Cond = [status: ConditionStatus, reason: string, message?: string];
type WantEvent = [type: 'Normal' | 'Warning', reason: EventReason, message?: string];
type ErrorClass = new (...args: never[]) => Error;

interface Want {
  /** What the controller is told: requeue after, back off on an error (of this class), or a quiet conflict retry. */
  result: { requeueAfterMs?: number; error?: ErrorClass; retryAfterMs?: number; conflict?: true };
  /** Calls to the provider, in order. */
  cloud: CloudVerb[];
  events: WantEvent[];
  /** The conditions the object has, all of them. */
  conditions?: Record<string, Cond | undefined>;
  /** Annotations to check; undefined means absent. */
  annotations?: Record<string, string | undefined>;
  finalizers?: string[];
  labels?: Record<string, string>;
  forProvider?: Record<string, unknown>;
  atProvider?: Record<string, unknown>;
  /** The object is gone from the API server. */
  gone?: true;
  /** The connection secret's content, or null when there is none. */
  secret?: Record<string, string> | null;
  /** What connect found in the connection secret. */
  connectedWith?: Record<string, string>;
  /** Writes to the API server during the (last) reconcile, in order. */
  writes?: StoreVerb[];
  /** status.observedGeneration (kstatus reads it against metadata.generation). */
  observedGeneration?: number;
}

interface Case {
  reason: string;
  mr: ManagedResource;
  /** Whether the kind's external name is known before create; true unless said. */
  deterministic?: boolean;
  /** The kind needs no ProviderConfig (nop). */
  providerConfigOptional?: boolean;
  cloud?: CloudScript;
  /** Other widgets, e.g. referenced ones. */
  widgets?: ManagedResource[];
  secrets?: V1Secret[];
  arrange?(store: MemoryStore): void;
  /** Reconcile this many times; want describes the last. */
  reconciles?: number;
  want: Want;
}

const conflict = () => apiError(409, 'Conflict', 'Operation cannot be fulfilled on widgets.test.pledge.dev "w": the object has been modified');
const WRITES: ReadonlySet<StoreVerb> = new Set(['create', 'replace', 'replaceStatus', 'patch', 'apply', 'delete', 'createSecret', 'replaceSecret', 'deleteSecret']);
const observed = (o: Partial<Observation<unknown, unknown>> = {}): Observation<unknown, unknown> => ({ exists: true, upToDate: true, ...o });
const MISSING = observed({ exists: false });

const cases: Case[] = [
  // Paused and first contact
  {
    reason: 'a paused resource is left alone: no finalizer, no cloud call, Synced=False ReconcilePaused',
    mr: widget({ fresh: true, annotations: { [paused]: 'true' } }),
    want: { result: {}, cloud: [], events: [], finalizers: [], conditions: { Synced: ['False', 'ReconcilePaused', paused] } },
  },
  {
    reason: 'a paused resource being deleted keeps its finalizer and its cloud object',
    mr: widget({ deleting: true, annotations: { [paused]: 'true' } }),
    want: { result: {}, cloud: [], events: [], finalizers: [FINALIZER], conditions: { Synced: ['False', 'ReconcilePaused'] } },
  },
  {
    reason: 'the first reconcile adds the finalizer and, for a kind named by its resource, the external name',
    mr: widget({ fresh: true }),
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], finalizers: [FINALIZER], annotations: { [externalName]: 'w' } },
  },
  // Create
  {
    reason: 'a missing cloud object is created: pending then succeeded recorded, the cloud-chosen name kept, the password published',
    deterministic: false,
    mr: widget({ fresh: true, secret: true }),
    cloud: { observe: MISSING, create: { externalName: 'cloud-7', connectionDetails: { password: 'generated' } } },
    want: {
      result: { requeueAfterMs: AFTER_CREATE },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal, 'cloud-7']],
      finalizers: [FINALIZER],
      annotations: { [pending]: T0, [succeeded]: T0, [failed]: undefined, [externalName]: 'cloud-7' },
      conditions: { Ready: ['False', 'Creating'], Synced: ['True', 'ReconcileSuccess'], Reconciling: ['True', 'Creating'] },
      secret: { password: 'generated' },
    },
  },
  {
    reason: 'a new resource costs one metadata write before its create (finalizer, external name and create-pending together) and, when the cloud shows it at once, one status write: Ready in the same reconcile',
    mr: widget({ fresh: true }),
    cloud: { observe: MISSING, create: {}, observeAfterCreate: observed({ atProvider: { id: 'w-1' } }) },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal, 'Widget w']],
      finalizers: [FINALIZER],
      annotations: { [externalName]: 'w', [pending]: T0, [succeeded]: T0 },
      conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] },
      atProvider: { id: 'w-1' },
      writes: ['replace', 'replace', 'replaceStatus'],
    },
  },
  {
    reason: 'a look right after create that fails is not a failure: Creating, checked again shortly, no Warning',
    mr: widget(),
    cloud: { observe: MISSING, create: {}, observeAfterCreate: new TransientError('InternalError: eventual consistency') },
    want: {
      result: { requeueAfterMs: AFTER_CREATE },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal]],
      conditions: { Ready: ['False', 'Creating'], Synced: ['True', 'ReconcileSuccess'], Reconciling: ['True', 'Creating'] },
    },
  },
  {
    reason: 'an existing resource seen for the first time (adoption) gets its finalizer written before it is reported',
    mr: widget({ fresh: true }),
    cloud: { observe: observed() },
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], finalizers: [FINALIZER], writes: ['replace', 'replaceStatus'] },
  },
  {
    reason: 'a kind named by its resource keeps its own name through create',
    mr: widget(),
    cloud: { observe: MISSING, create: {} },
    want: {
      result: { requeueAfterMs: AFTER_CREATE },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal, 'Widget w']],
      annotations: { [externalName]: 'w', [succeeded]: T0 },
    },
  },
  {
    reason: 'a failed create is recorded and reported, and retried with backoff',
    mr: widget({ secret: true }),
    cloud: { observe: MISSING, create: new TransientError('InternalError: please retry') },
    want: {
      result: { error: TransientError },
      cloud: ['connect', 'observe', 'create'],
      events: [['Warning', EVENT_REASONS.cannotCreate, 'InternalError: please retry']],
      annotations: { [pending]: T0, [failed]: T0, [succeeded]: undefined },
      conditions: { Ready: ['False', 'Creating'], Synced: ['False', 'ReconcileError', 'create failed: InternalError: please retry'], Reconciling: ['True', 'ReconcileError', 'InternalError'] },
      secret: null,
    },
  },
  {
    reason: 'a create the cloud refuses for good waits the poll interval, not a hot loop',
    mr: widget(),
    cloud: { observe: MISSING, create: new TerminalError('InvalidParameterValue: size must be even') },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe', 'create'],
      events: [['Warning', EVENT_REASONS.cannotCreate, 'size must be even']],
      conditions: { Ready: ['False', 'Creating'], Synced: ['False', 'TerminalError', 'InvalidParameterValue'], Stalled: ['True', 'TerminalError', 'InvalidParameterValue'] },
    },
  },
  {
    reason: 'a throttled create waits what the cloud asked',
    mr: widget(),
    cloud: { observe: MISSING, create: new ThrottledError('Throttling: rate exceeded', { retryAfterMs: 7_000 }) },
    want: {
      result: { error: ThrottledError, retryAfterMs: 7_000 },
      cloud: ['connect', 'observe', 'create'],
      events: [['Warning', EVENT_REASONS.cannotCreate, 'Throttling']],
      annotations: { [failed]: T0 },
    },
  },
  {
    reason: 'a create recorded 25 s ago that the cloud does not show yet is not made twice: wait out the grace period',
    mr: widget({ annotations: { [pending]: ago(25_000), [succeeded]: ago(25_000) } }),
    cloud: { observe: MISSING },
    want: { result: { requeueAfterMs: 5_000 }, cloud: ['connect', 'observe'], events: [], writes: [] },
  },
  {
    reason: 'within the grace period the wait is never longer than the not-ready poll',
    mr: widget({ annotations: { [pending]: ago(2_000), [succeeded]: ago(2_000) } }),
    cloud: { observe: MISSING },
    want: { result: { requeueAfterMs: NOT_READY_POLL }, cloud: ['connect', 'observe'], events: [], writes: [] },
  },
  {
    reason: 'a cloud object gone long after its create (deleted out of band) is created again',
    mr: widget({ annotations: { [pending]: ago(600_000), [succeeded]: ago(600_000) } }),
    cloud: { observe: MISSING },
    want: {
      result: { requeueAfterMs: AFTER_CREATE },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal]],
      annotations: { [pending]: T0, [succeeded]: T0 },
    },
  },
  // A create whose outcome was never recorded
  {
    reason: 'create outcome unknown (pending only) for a cloud-named kind: stop, no cloud call, ask a person',
    deterministic: false,
    mr: widget({ externalName: null, annotations: { [pending]: ago(60_000) } }),
    want: {
      result: {},
      cloud: [],
      events: [['Warning', EVENT_REASONS.createOutcomeUnknown, pending]],
      conditions: { Synced: ['False', 'TerminalError', pending], Stalled: ['True', 'TerminalError', pending] },
      annotations: { [pending]: ago(60_000), [externalName]: undefined },
    },
  },
  {
    reason: 'create outcome unknown (pending newer than the last success) for a cloud-named kind: stop',
    deterministic: false,
    mr: widget({ externalName: 'cloud-1', annotations: { [pending]: ago(60_000), [succeeded]: ago(120_000) } }),
    want: { result: {}, cloud: [], events: [['Warning', EVENT_REASONS.createOutcomeUnknown]], conditions: { Synced: ['False', 'TerminalError', externalName], Stalled: ['True', 'TerminalError', externalName] } },
  },
  {
    reason: 'a create whose failure was recorded is known: a cloud-named kind tries again',
    deterministic: false,
    mr: widget({ externalName: null, annotations: { [pending]: ago(60_000), [failed]: ago(60_000) } }),
    cloud: { observe: MISSING, create: { externalName: 'cloud-8' } },
    want: {
      result: { requeueAfterMs: AFTER_CREATE },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal, 'cloud-8']],
      annotations: { [externalName]: 'cloud-8', [succeeded]: T0 },
    },
  },
  {
    reason: 'create outcome unknown for a kind named by its resource: observe finds it, so nothing is created twice',
    mr: widget({ annotations: { [pending]: ago(60_000) } }),
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] } },
  },
  {
    reason: 'create outcome unknown for a kind named by its resource and nothing in the cloud: create again (idempotent by name)',
    mr: widget({ annotations: { [pending]: ago(60_000) } }),
    cloud: { observe: MISSING },
    want: {
      result: { requeueAfterMs: AFTER_CREATE },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal]],
      annotations: { [pending]: T0, [succeeded]: T0 },
    },
  },
  // Connect
  {
    reason: 'a kind that talks to no cloud (nop) connects without a ProviderConfig: a missing one strands nothing',
    providerConfigOptional: true,
    mr: widget({ providerConfig: 'missing' }),
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] } },
  },
  {
    reason: 'a missing ProviderConfig is reported naming spec.providerConfigRef.name, with backoff and no cloud call',
    mr: widget({ providerConfig: 'missing' }),
    want: {
      result: { error: ConfigError },
      cloud: [],
      events: [['Warning', EVENT_REASONS.cannotConnect, 'ProviderConfig "missing"']],
      conditions: { Synced: ['False', 'ConfigNotReady', 'spec.providerConfigRef.name'], Reconciling: ['True', 'ConfigNotReady', 'spec.providerConfigRef.name'] },
    },
  },
  {
    reason: 'credentials the cloud refuses for good wait the poll interval',
    mr: widget(),
    cloud: { connect: new TerminalError('InvalidClientTokenId: the security token is invalid') },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect'],
      events: [['Warning', EVENT_REASONS.cannotConnect, 'InvalidClientTokenId']],
      conditions: { Synced: ['False', 'TerminalError', 'connect failed: InvalidClientTokenId'], Stalled: ['True', 'TerminalError', 'InvalidClientTokenId'] },
    },
  },
  {
    reason: 'connect sees the connection secret; observed details are added and keys already there (a password) kept',
    mr: widget({ secret: true }),
    secrets: [connectionSecret({ password: 'kept' })],
    cloud: { observe: observed({ connectionDetails: { endpoint: 'https://w.example' } }) },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe'],
      events: [],
      connectedWith: { password: 'kept' },
      secret: { password: 'kept', endpoint: 'https://w.example' },
    },
  },
  {
    reason: 'a connection secret another object owns is not overwritten: reported, with backoff',
    mr: widget({ secret: true }),
    secrets: [connectionSecret({ other: 'x' }, 'uid-other')],
    cloud: { observe: observed({ connectionDetails: { endpoint: 'https://w.example' } }) },
    want: {
      result: { error: TransientError },
      cloud: ['connect', 'observe'],
      events: [['Warning', EVENT_REASONS.cannotPublishConnection, 'belongs to another object']],
      secret: { other: 'x' },
      conditions: { Synced: ['False', 'ReconcileError', 'write connection secret failed'], Reconciling: ['True', 'ReconcileError'] },
    },
  },
  // Observe
  ...(
    [
      ['NotFoundError', new NotFoundError('ResourceGroupNotFound: rg-1 not found'), { error: NotFoundError }, 'ReconcileError', 'Reconciling'],
      ['ThrottledError', new ThrottledError('Throttling: slow down', { retryAfterMs: 7_000 }), { error: ThrottledError, retryAfterMs: 7_000 }, 'Throttled', 'Reconciling'],
      ['TerminalError', new TerminalError('AccessDenied: not allowed'), { requeueAfterMs: POLL }, 'TerminalError', 'Stalled'],
      ['TransientError', new TransientError('ServiceUnavailable: try later'), { error: TransientError }, 'ReconcileError', 'Reconciling'],
      ['unmapped SDK error', new Error('socket hang up'), { error: TransientError }, 'ReconcileError', 'Reconciling'],
    ] as const
  ).map(([what, err, result, reason, health]): Case => ({
    reason: `observe fails with ${what}: Synced=False ${reason} and ${health}=True with the cloud's message, ${'error' in result ? 'retried with backoff' : 'polled, not retried hot'}`,
    mr: widget(),
    cloud: { observe: err },
    want: {
      result,
      cloud: ['connect', 'observe'],
      events: [['Warning', EVENT_REASONS.cannotObserve, err.message]],
      conditions: { Synced: ['False', reason, `observe failed: ${err.message}`], [health]: ['True', reason, err.message] },
      writes: ['replaceStatus'],
    },
  })),
  {
    reason: "our own call budget is spent (CallBudgetExhaustedError, nothing sent): requeued at its turn, quietly — no event, no status write",
    mr: widget(),
    cloud: { observe: new CallBudgetExhaustedError('call budget of ProviderConfig "default" spent', { retryAfterMs: 3_000 }) },
    want: { result: { error: CallBudgetExhaustedError, retryAfterMs: 3_000 }, cloud: ['connect', 'observe'], events: [], writes: [] },
  },
  {
    reason: 'up to date: Ready=True Available, atProvider written, back at the poll interval',
    mr: widget(),
    cloud: { observe: observed({ atProvider: { id: 'w-123', state: 'available' } }) },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe'],
      events: [],
      conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] },
      atProvider: { id: 'w-123', state: 'available' },
      writes: ['replaceStatus'],
    },
  },
  {
    reason: 'the resource\'s own pledge.dev/poll-interval replaces the controller\'s',
    mr: widget({ annotations: { [pollInterval]: '5m' } }),
    want: { result: { requeueAfterMs: 300_000 }, cloud: ['connect', 'observe'], events: [] },
  },
  {
    reason: 'exists but not usable yet: Ready=False Creating, polled sooner',
    mr: widget(),
    cloud: { observe: observed({ ready: false }) },
    want: {
      result: { requeueAfterMs: NOT_READY_POLL },
      cloud: ['connect', 'observe'],
      events: [],
      conditions: { Ready: ['False', 'Creating'], Synced: ['True', 'ReconcileSuccess'], Reconciling: ['True', 'Creating'] },
    },
  },
  {
    reason: 'not ready, due to turn ready in 2.5 s (recheckAfterMs): checked again then, not at the not-ready poll',
    mr: widget(),
    cloud: { observe: observed({ ready: false, recheckAfterMs: 2_500 }) },
    want: { result: { requeueAfterMs: 2_500 }, cloud: ['connect', 'observe'], events: [], conditions: { Ready: ['False', 'Creating'], Synced: ['True', 'ReconcileSuccess'], Reconciling: ['True', 'Creating'] } },
  },
  {
    reason: 'ready, due to change in 30 s: checked again then, sooner than the poll and not jittered',
    mr: widget(),
    cloud: { observe: observed({ recheckAfterMs: 30_000.4 }) },
    want: { result: { requeueAfterMs: 30_001 }, cloud: ['connect', 'observe'], events: [] },
  },
  {
    reason: 'a recheck later than the poll never delays it',
    mr: widget(),
    cloud: { observe: observed({ ready: false, recheckAfterMs: 120_000 }) },
    want: { result: { requeueAfterMs: NOT_READY_POLL }, cloud: ['connect', 'observe'], events: [] },
  },
  {
    reason: 'a recheck of 0 (or less) waits MIN_RECHECK_MS: a provider answering it again and again is no hot loop',
    mr: widget(),
    cloud: { observe: observed({ ready: false, recheckAfterMs: -5 }) },
    want: { result: { requeueAfterMs: MIN_RECHECK_MS }, cloud: ['connect', 'observe'], events: [] },
  },
  {
    reason: "the provider's own condition types are written beside Ready and Synced; its Ready and Synced are ignored (the core owns them)",
    mr: widget(),
    cloud: {
      observe: observed({
        conditions: [
          { type: 'Green', status: 'True', reason: 'Painted' },
          { type: 'Ready', status: 'False', reason: 'Mine' },
          { type: 'Synced', status: 'False', reason: 'Mine' },
        ],
      }),
    },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe'],
      events: [],
      conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'], Green: ['True', 'Painted'] },
      writes: ['replaceStatus'],
    },
  },
  {
    reason: 'late-init fills only the fields the user left unset, and persists them',
    mr: widget({ forProvider: { size: 1 } }),
    cloud: { observe: observed({ lateInit: { size: 3, color: 'blue' } }) },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe'],
      events: [],
      forProvider: { size: 1, color: 'blue' },
      conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] },
    },
  },
  {
    reason: 'late-init is skipped when managementPolicies lack LateInitialize',
    mr: widget({ forProvider: { size: 1 }, policies: ['Observe', 'Create', 'Update', 'Delete'] }),
    cloud: { observe: observed({ lateInit: { color: 'blue' } }) },
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], forProvider: { size: 1 }, writes: ['replaceStatus'] },
  },
  {
    reason: 'drift is put back by update, with the diff in the event and new connection details published',
    mr: widget({ forProvider: { size: 2 }, secret: true }),
    cloud: { observe: observed({ upToDate: false, diff: 'size: 1 -> 2' }), update: { connectionDetails: { password: 'rotated' } } },
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe', 'update'],
      events: [['Normal', EVENT_REASONS.updatedExternal, 'size: 1 -> 2']],
      conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] },
      secret: { password: 'rotated' },
    },
  },
  {
    reason: 'drift is left alone when managementPolicies lack Update',
    mr: widget({ policies: ['Observe', 'Create', 'Delete', 'LateInitialize'] }),
    cloud: { observe: observed({ upToDate: false, diff: 'size: 1 -> 2' }) },
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] } },
  },
  {
    reason: 'a failed update is reported and retried with backoff',
    mr: widget(),
    cloud: { observe: observed({ upToDate: false }), update: new TransientError('OperationInProgress: busy') },
    want: {
      result: { error: TransientError },
      cloud: ['connect', 'observe', 'update'],
      events: [['Warning', EVENT_REASONS.cannotUpdate, 'OperationInProgress']],
      conditions: { Synced: ['False', 'ReconcileError', 'update failed: OperationInProgress: busy'], Reconciling: ['True', 'ReconcileError'] },
    },
  },
  // References
  {
    reason: 'a reference to a missing resource waits with backoff (not a fixed requeue), naming the Ref field, with no cloud call',
    mr: widget({ forProvider: { size: 1, parentRef: { name: 'p' } } }),
    want: {
      result: { error: TransientError },
      cloud: [],
      events: [['Warning', EVENT_REASONS.cannotResolveReferences, 'Widget "p" not found']],
      conditions: { Synced: ['False', 'ReferencesNotReady', 'spec.forProvider.parentRef'], Reconciling: ['True', 'ReferencesNotReady', 'spec.forProvider.parentRef'] },
    },
  },
  {
    reason: 'a reference to a resource that is not Ready waits with backoff, with no cloud call',
    mr: widget({ forProvider: { size: 1, parentRef: { name: 'p' } } }),
    widgets: [widget({ name: 'p' })],
    want: {
      result: { error: TransientError },
      cloud: [],
      events: [['Warning', EVENT_REASONS.cannotResolveReferences, 'waiting for Widget "p" to be Ready']],
      conditions: { Synced: ['False', 'ReferencesNotReady', 'spec.forProvider.parent'], Reconciling: ['True', 'ReferencesNotReady', 'waiting for Widget'] },
    },
  },
  {
    reason: 'a reference to a Ready resource fills the field with its external name, persisted before the cloud sees it',
    mr: widget({ forProvider: { size: 1, parentRef: { name: 'p' } } }),
    widgets: [widget({ name: 'p', externalName: 'parent-ext', conditions: [READY] })],
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe'],
      events: [],
      forProvider: { size: 1, parentRef: { name: 'p' }, parent: 'parent-ext' },
      conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] },
    },
  },
  {
    reason: 'a selector picks a Ready match over one that is not',
    mr: widget({ forProvider: { size: 1, parentSelector: { matchLabels: { team: 'a' } } } }),
    widgets: [
      widget({ name: 'p1', labels: { team: 'a' } }),
      widget({ name: 'p2', externalName: 'p2-ext', labels: { team: 'a' }, conditions: [READY] }),
      widget({ name: 'p3', labels: { team: 'b' }, conditions: [READY] }),
    ],
    want: {
      result: { requeueAfterMs: POLL },
      cloud: ['connect', 'observe'],
      events: [],
      forProvider: { size: 1, parentSelector: { matchLabels: { team: 'a' } }, parent: 'p2-ext' },
    },
  },
  {
    reason: 'a field already set is kept: its reference is not waited on',
    mr: widget({ forProvider: { size: 1, parent: 'given', parentRef: { name: 'missing' } } }),
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], forProvider: { size: 1, parent: 'given', parentRef: { name: 'missing' } } },
  },
  // Delete
  {
    reason: 'deleting, the cloud object exists: delete it, Ready=False Deleting, check again soon, keep the finalizer',
    mr: widget({ deleting: true, secret: true }),
    secrets: [connectionSecret({ password: 'p' })],
    want: {
      result: { requeueAfterMs: DELETE_POLL },
      cloud: ['connect', 'observe', 'delete'],
      events: [['Normal', EVENT_REASONS.deletedExternal, 'Widget w']],
      finalizers: [FINALIZER],
      conditions: { Ready: ['False', 'Deleting'], Synced: ['True', 'ReconcileSuccess'], Reconciling: ['True', 'Deleting'] },
      secret: { password: 'p' },
    },
  },
  {
    reason: 'deleting, still there at the next check: delete is asked again, but said once',
    mr: widget({ deleting: true, conditions: [{ type: 'Ready', status: 'False', reason: 'Deleting' }] }),
    want: { result: { requeueAfterMs: DELETE_POLL }, cloud: ['connect', 'observe', 'delete'], events: [], finalizers: [FINALIZER] },
  },
  {
    reason: 'deleting, the cloud object is gone: the connection secret goes, then the finalizer (and the object with it)',
    mr: widget({ deleting: true, secret: true }),
    secrets: [connectionSecret({ password: 'p' })],
    cloud: { observe: MISSING },
    want: { result: {}, cloud: ['connect', 'observe'], events: [], gone: true, secret: null },
  },
  {
    reason: 'deleting: a connection secret another object owns is left alone',
    mr: widget({ deleting: true, secret: true }),
    secrets: [connectionSecret({ other: 'x' }, 'uid-other')],
    cloud: { observe: MISSING },
    want: { result: {}, cloud: ['connect', 'observe'], events: [], gone: true, secret: { other: 'x' } },
  },
  {
    reason: 'a failed delete is reported and retried with backoff; the finalizer stays',
    mr: widget({ deleting: true }),
    cloud: { delete: new TransientError('DependencyViolation: has dependents') },
    want: {
      result: { error: TransientError },
      cloud: ['connect', 'observe', 'delete'],
      events: [['Warning', EVENT_REASONS.cannotDelete, 'DependencyViolation']],
      finalizers: [FINALIZER],
      conditions: { Ready: ['False', 'Deleting'], Synced: ['False', 'ReconcileError', 'delete failed: DependencyViolation'], Reconciling: ['True', 'ReconcileError', 'DependencyViolation'] },
    },
  },
  {
    reason: 'deleting, observe fails: nothing is released',
    mr: widget({ deleting: true }),
    cloud: { observe: new TransientError('ServiceUnavailable: try later') },
    want: { result: { error: TransientError }, cloud: ['connect', 'observe'], events: [['Warning', EVENT_REASONS.cannotObserve]], finalizers: [FINALIZER] },
  },
  {
    reason: 'deletionPolicy Orphan: no cloud call, the secret and finalizer go, OrphanedExternalResource',
    mr: widget({ deleting: true, deletionPolicy: 'Orphan', secret: true }),
    secrets: [connectionSecret({ password: 'p' })],
    want: { result: {}, cloud: [], events: [['Normal', EVENT_REASONS.orphaned]], gone: true, secret: null },
  },
  {
    reason: 'deleting without our finalizer: nothing to do, nothing written',
    mr: widget({ deleting: true, finalizers: ['someone.else/finalizer'] }),
    want: { result: {}, cloud: [], events: [], finalizers: ['someone.else/finalizer'], writes: [] },
  },
  {
    reason: 'deleting a cloud-named resource whose create outcome is unknown stops: observe cannot find what it cannot name',
    deterministic: false,
    mr: widget({ deleting: true, externalName: null, annotations: { [pending]: ago(60_000) } }),
    cloud: { observe: MISSING },
    want: {
      result: {},
      cloud: [],
      events: [['Warning', EVENT_REASONS.createOutcomeUnknown, pending]],
      finalizers: [FINALIZER],
      conditions: { Synced: ['False', 'TerminalError', pending], Stalled: ['True', 'TerminalError', pending] },
    },
  },
  {
    reason: 'orphaning needs no create outcome: a cloud-named resource with one unknown is released',
    deterministic: false,
    mr: widget({ deleting: true, externalName: null, deletionPolicy: 'Orphan', annotations: { [pending]: ago(60_000) } }),
    want: { result: {}, cloud: [], events: [['Normal', EVENT_REASONS.orphaned]], gone: true },
  },
  // Writes to the API server
  {
    reason: 'status is written only when it changes: a second identical reconcile writes nothing',
    mr: widget(),
    cloud: { observe: observed({ atProvider: { id: 'w-123' } }) },
    reconciles: 2,
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe', 'connect', 'observe'], events: [], writes: [] },
  },
  {
    reason: 'turning Ready drops Reconciling (kstatus: Current) in the one status write that sets Ready=True',
    mr: widget({ observedGeneration: 1, conditions: [
      { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: ago(60_000), observedGeneration: 1 },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: ago(60_000), observedGeneration: 1 },
      { type: 'Reconciling', status: 'True', reason: 'Creating', lastTransitionTime: ago(60_000), observedGeneration: 1 },
    ] }),
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], writes: ['replaceStatus'], observedGeneration: 1, conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] } },
  },
  {
    reason: 'a spec change (generation 2) on a settled resource costs one status write, as before observedGeneration: conditions and status.observedGeneration move together',
    mr: widget({ generation: 2, observedGeneration: 1, conditions: [
      { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: ago(60_000), observedGeneration: 1 },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: ago(60_000), observedGeneration: 1 },
    ] }),
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], writes: ['replaceStatus'], observedGeneration: 2, conditions: { Ready: ['True', 'Available'], Synced: ['True', 'ReconcileSuccess'] } },
  },
  {
    reason: 'a settled resource with status.observedGeneration current writes nothing (the field costs no write at rest)',
    mr: widget({ observedGeneration: 1, conditions: [
      { type: 'Ready', status: 'True', reason: 'Available', lastTransitionTime: ago(60_000), observedGeneration: 1 },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: ago(60_000), observedGeneration: 1 },
    ] }),
    want: { result: { requeueAfterMs: POLL }, cloud: ['connect', 'observe'], events: [], writes: [], observedGeneration: 1 },
  },
  {
    reason: 'a spec change made while paused is not observed: status.observedGeneration stays behind, Reconciling is dropped',
    mr: widget({ generation: 3, observedGeneration: 2, annotations: { [paused]: 'true' }, conditions: [
      { type: 'Ready', status: 'False', reason: 'Creating', lastTransitionTime: ago(60_000), observedGeneration: 2 },
      { type: 'Synced', status: 'True', reason: 'ReconcileSuccess', lastTransitionTime: ago(60_000), observedGeneration: 2 },
      { type: 'Reconciling', status: 'True', reason: 'Creating', lastTransitionTime: ago(60_000), observedGeneration: 2 },
    ] }),
    want: { result: {}, cloud: [], events: [], writes: ['replaceStatus'], observedGeneration: 2, conditions: { Ready: undefined, Synced: ['False', 'ReconcilePaused'] } },
  },
  {
    reason: 'a 409 on the status write surfaces as a conflict, for the controller to requeue quietly',
    mr: widget(),
    arrange: (store) => store.failNext('replaceStatus', conflict()),
    want: { result: { conflict: true }, cloud: ['connect', 'observe'], events: [] },
  },
  {
    reason: 'a stale cache fails the pending-annotation write with a conflict, before the cloud is asked to create',
    mr: widget(),
    cloud: { observe: MISSING },
    arrange: (store) => store.failNext('replace', conflict()),
    want: { result: { conflict: true }, cloud: ['connect', 'observe'], events: [], annotations: { [pending]: undefined } },
  },
  {
    reason: 'an edit made while create is in flight does not lose the create record or the cloud-chosen name',
    deterministic: false,
    mr: widget({ externalName: null }),
    cloud: { observe: MISSING, create: { externalName: 'cloud-9' }, duringCreate: (store) => store.patch(WIDGETS, 'w', { metadata: { labels: { edited: 'yes' } } }) },
    want: {
      result: { requeueAfterMs: AFTER_CREATE },
      cloud: ['connect', 'observe', 'create', 'observe'],
      events: [['Normal', EVENT_REASONS.createdExternal]],
      annotations: { [externalName]: 'cloud-9', [succeeded]: T0 },
      labels: { edited: 'yes' },
    },
  },
];

/** What each managementPolicies combination may do, tried on a missing, a drifted and a deleted resource. */
const POLICIES: Array<{ policies: ManagementPolicy[]; deletionPolicy?: DeletionPolicy; create: boolean; update: boolean; lateInit: boolean; delete: boolean }> = [
  { policies: ['*'], create: true, update: true, lateInit: true, delete: true },
  { policies: ['Observe'], create: false, update: false, lateInit: false, delete: false },
  { policies: ['Observe', 'Create'], create: true, update: false, lateInit: false, delete: false },
  { policies: ['Observe', 'Update'], create: false, update: true, lateInit: false, delete: false },
  { policies: ['Observe', 'Delete'], create: false, update: false, lateInit: false, delete: true },
  { policies: ['Observe', 'LateInitialize'], create: false, update: false, lateInit: true, delete: false },
  { policies: ['Observe', 'Create', 'Update', 'Delete'], create: true, update: true, lateInit: false, delete: true },
  { policies: ['Observe', 'Create', 'Update', 'Delete', 'LateInitialize'], create: true, update: true, lateInit: true, delete: true },
  { policies: ['*'], deletionPolicy: 'Orphan', create: true, update: true, lateInit: true, delete: false },
];

for (const p of POLICIES) {
  const label = `managementPolicies [${p.policies.join(', ')}]${p.deletionPolicy ? ` with deletionPolicy ${p.deletionPolicy}` : ''}`;
  const base = { policies: p.policies, ...(p.deletionPolicy ? { deletionPolicy: p.deletionPolicy } : {}) };
  cases.push(
    {
      reason: `${label}: a missing cloud object is ${p.create ? 'created' : 'not created (Ready=False Unavailable)'}`,
      mr: widget(base),
      cloud: { observe: MISSING },
      want: p.create
        ? {
            result: { requeueAfterMs: AFTER_CREATE },
            cloud: ['connect', 'observe', 'create', 'observe'],
            events: [['Normal', EVENT_REASONS.createdExternal]],
            conditions: { Ready: ['False', 'Creating'], Synced: ['True', 'ReconcileSuccess'], Reconciling: ['True', 'Creating'] },
          }
        : {
            result: { requeueAfterMs: POLL },
            cloud: ['connect', 'observe'],
            events: [],
            conditions: { Ready: ['False', 'Unavailable', 'managementPolicies'], Synced: ['True', 'ReconcileSuccess'], Stalled: ['True', 'Unavailable', 'managementPolicies'] },
          },
    },
    {
      reason: `${label}: drift is ${p.update ? '' : 'not '}updated, unset fields are ${p.lateInit ? '' : 'not '}late-initialized`,
      mr: widget(base),
      cloud: { observe: observed({ upToDate: false, lateInit: { color: 'blue' } }) },
      want: {
        result: { requeueAfterMs: POLL },
        cloud: p.update ? ['connect', 'observe', 'update'] : ['connect', 'observe'],
        events: p.update ? [['Normal', EVENT_REASONS.updatedExternal]] : [],
        forProvider: p.lateInit ? { size: 1, color: 'blue' } : { size: 1 },
      },
    },
    {
      reason: `${label}: deleting ${p.delete ? 'deletes the cloud object' : 'orphans the cloud object'}`,
      mr: widget({ ...base, deleting: true }),
      want: p.delete
        ? { result: { requeueAfterMs: DELETE_POLL }, cloud: ['connect', 'observe', 'delete'], events: [['Normal', EVENT_REASONS.deletedExternal]], finalizers: [FINALIZER] }
        : { result: {}, cloud: [], events: [['Normal', EVENT_REASONS.orphaned]], gone: true },
    },
  );
}

function eventLog(): EventRecorder & { events: Array<{ type: 'Normal' | 'Warning'; reason: string; message: string }> } {
  const events: Array<{ type: 'Normal' | 'Warning'; reason: string; message: string }> = [];
  return {
    events,
    normal: (_obj, reason, message) => void events.push({ type: 'Normal', reason, message }),
    warning: (_obj, reason, message) => void events.push({ type: 'Warning', reason, message }),
  };
}

/** A provider whose client answers from the script and records every call. */
function fakeKind(c: Case, store: MemoryStore) {
  const script = c.cloud ?? {};
  const calls: CloudVerb[] = [];
  const connectedWith: Array<Readonly<Record<string, string>>> = [];
  const answer = <T>(verb: CloudVerb, given: T | Error | undefined, otherwise: T): T => {
    calls.push(verb);
    if (given instanceof Error) throw given;
    return structuredClone(given ?? otherwise);
  };
  const client: ExternalClient<Record<string, unknown>, Record<string, unknown>> = {
    observe: async () => {
      const given = calls.includes('create') && 'observeAfterCreate' in script ? script.observeAfterCreate : script.observe;
      return answer('observe', given, observed()) as Observation<Record<string, unknown>, Record<string, unknown>>;
    },
    create: async () => {
      await script.duringCreate?.(store);
      return answer('create', script.create, {});
    },
    update: async () => answer('update', script.update, {}),
    delete: async () => answer('delete', script.delete, undefined),
  };
  const kind: ManagedKind = {
    gvk: GVK,
    plural: WIDGETS.plural,
    schema: { forProvider: { type: 'object' }, atProvider: { type: 'object' } },
    deterministicExternalName: c.deterministic ?? true,
    ...(c.providerConfigOptional ? { providerConfigOptional: true } : {}),
    references: [{ field: 'parent', to: { gvk: GVK, plural: WIDGETS.plural } }],
    connect: async (_mr, ctx) => {
      connectedWith.push(ctx.connectionDetails);
      calls.push('connect');
      if (script.connect) throw script.connect;
      return client;
    },
  };
  return { kind, calls, connectedWith };
}

async function run(c: Case) {
  const store = createMemoryStore({ now: () => NOW });
  for (const obj of [c.mr, ...(c.widgets ?? [])]) store.seed(WIDGETS, obj);
  for (const secret of c.secrets ?? []) store.seedSecret(secret);
  c.arrange?.(store);
  const { kind, calls, connectedWith } = fakeKind(c, store);
  const recorder = eventLog();
  const reconciler = createManagedReconciler({
    kind,
    type: WIDGETS,
    store,
    cache: store.view<ManagedResource>(WIDGETS),
    cacheOf: (type) => store.view<ManagedResource>(type),
    getProviderConfig: (name) => (name === 'default' ? { apiVersion: 'test.pledge.dev/v1', kind: 'ProviderConfig', metadata: { name } } : undefined),
    cloudCalls: () => ({ acquire: async () => {}, record: () => {} }),
    recorder,
    logger: pino({ level: 'silent' }),
    metrics: createMetrics({ defaultMetrics: false }),
    random: () => 0.5,
    now: () => NOW,
  });
  let result: { requeueAfterMs?: number; error?: unknown } = {};
  let writesFrom = 0;
  for (let i = 0; i < (c.reconciles ?? 1); i++) {
    writesFrom = store.calls.length;
    try {
      result = await reconciler.reconcile(c.mr.metadata.name, AbortSignal.timeout(5_000));
    } catch (err: unknown) {
      // The controller treats a thrown error like a returned one.
      result = { error: err };
    }
  }
  const writes = store.calls.slice(writesFrom).filter((call) => WRITES.has(call.verb)).map((call) => call.verb);
  const mr = store.view<ManagedResource>(WIDGETS).get(c.mr.metadata.name);
  const secret = await store.getSecret(SECRET_REF.namespace, SECRET_REF.name);
  return { result, calls, connectedWith, events: recorder.events, writes, mr, secret };
}

function checkResult(got: { requeueAfterMs?: number; error?: unknown }, want: Want['result']): void {
  if (want.conflict) assert.ok(isConflict(got.error), `want a 409 conflict, got ${describeError(got.error)}`);
  else if (want.error) {
    assert.ok(got.error instanceof want.error, `want ${want.error.name}, got ${got.error === undefined ? 'no error' : describeError(got.error)}`);
    if (want.retryAfterMs !== undefined) assert.equal((got.error as ThrottledError).retryAfterMs, want.retryAfterMs);
  } else assert.equal(got.error, undefined, `want no error, got ${describeError(got.error)}`);
  assert.equal(got.requeueAfterMs, want.requeueAfterMs, 'requeueAfterMs');
}

for (const c of cases) {
  test(c.reason, async () => {
    const got = await run(c);
    const { want } = c;
    checkResult(got.result, want.result);
    assert.deepEqual(got.calls, want.cloud, 'calls to the provider');
    assert.equal(got.events.length, want.events.length, `events: ${JSON.stringify(got.events)}`);
    want.events.forEach(([type, reason, message], i) => {
      assert.deepEqual([got.events[i]?.type, got.events[i]?.reason], [type, reason], `event ${i}`);
      if (message) assert.ok(got.events[i]?.message.includes(message), `event ${i} message "${got.events[i]?.message}" names "${message}"`);
    });
    if (want.writes) assert.deepEqual(got.writes, want.writes, 'writes to the API server');
    if (want.connectedWith) assert.deepEqual(got.connectedWith[0], want.connectedWith, 'what connect found in the connection secret');
    if (want.secret !== undefined) {
      const data = got.secret ? Object.fromEntries(Object.entries(got.secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString()])) : null;
      assert.deepEqual(data, want.secret, 'connection secret');
    }
    if (want.gone) return assert.equal(got.mr, undefined, 'the object is gone');
    const mr = got.mr;
    if (!mr) return assert.fail('the object is gone');
    if (want.finalizers) assert.deepEqual(mr.metadata.finalizers ?? [], want.finalizers, 'finalizers');
    if (want.labels) assert.deepEqual(mr.metadata.labels, want.labels, 'labels');
    if (want.forProvider) assert.deepEqual(mr.spec.forProvider, want.forProvider, 'spec.forProvider');
    if (want.observedGeneration !== undefined) assert.equal(mr.status?.observedGeneration, want.observedGeneration, 'status.observedGeneration');
    if (want.atProvider) assert.deepEqual(mr.status?.atProvider, want.atProvider, 'status.atProvider');
    for (const [key, value] of Object.entries(want.annotations ?? {})) assert.equal(mr.metadata.annotations?.[key], value, `annotation ${key}`);
    if (want.conditions) {
      const conditions = mr.status?.conditions ?? [];
      assert.deepEqual(conditions.map((x) => x.type).sort(), Object.keys(want.conditions).sort(), 'condition types');
      for (const [type, expected] of Object.entries(want.conditions)) {
        if (!expected) continue;
        const [status, reason, message] = expected;
        const cond = conditions.find((x) => x.type === type);
        assert.deepEqual([cond?.status, cond?.reason], [status, reason], `${type} condition`);
        if (message) assert.ok(cond?.message?.includes(message), `${type} message "${cond?.message}" names "${message}"`);
        assert.equal(cond?.observedGeneration, mr.metadata.generation, `${type} observedGeneration`);
      }
    }
  });
}

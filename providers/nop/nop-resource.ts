import { TerminalError } from '../../core/errors/index.ts';
import type { JSONSchema } from '../../core/crd/schema.ts';
import type { Condition, ExternalClient, ManagedKind, ManagedResource, Observation } from '../../core/managed/types.ts';
import { dueAt, type ConditionAfter } from './condition-after.ts';
import { GO_DURATION_PATTERN } from './go-duration.ts';

export type { ConditionAfter } from './condition-after.ts';

/**
 * spec.forProvider of `nop.pledge.dev/v1 NopResource`, field for field provider-nop's (v0.5.0) NopParameters,
 * so its manifests apply with only apiVersion changed.
 */
export interface NopParameters {
  conditionAfter?: ConditionAfter[];
  connectionDetails?: Array<{ name: string; value: string }>;
  /** Anything: composition patches write to and read from it; the controller never looks at it. */
  fields?: Record<string, unknown>;
}

/** status.atProvider: provider-nop's shape (fields), which its controller never writes, and neither does Pledge's. */
export interface NopObservation {
  fields?: Record<string, unknown>;
}

export type NopResource = ManagedResource<NopParameters, NopObservation>;

const forProvider: JSONSchema = {
  type: 'object',
  description: 'What this NopResource pretends: conditions after given delays and connection details. Nothing outside the cluster is touched.',
  properties: {
    conditionAfter: {
      type: 'array',
      description:
        'Conditions to report once a time has passed since metadata.creationTimestamp; for each type, the entry with the latest time passed is in force. ' +
        'Without an entry of type Ready, the resource is never Ready (Ready=False), as with provider-nop.',
      'x-kubernetes-list-type': 'atomic',
      items: {
        type: 'object',
        required: ['time', 'conditionType', 'conditionStatus'],
        properties: {
          time: {
            type: 'string',
            pattern: GO_DURATION_PATTERN,
            description: 'How long after creation the condition is set, as a Go duration: 30s, 1m30s, 500ms, 0.',
          },
          conditionType: {
            type: 'string',
            minLength: 1,
            maxLength: 316,
            description: 'Condition type to set, e.g. Ready. Synced is the controller\'s own and is not taken from here.',
          },
          conditionStatus: { type: 'string', enum: ['True', 'False', 'Unknown'], description: 'Status to set: True, False or Unknown.' },
          conditionReason: {
            type: 'string',
            maxLength: 1024,
            description: 'Reason to set on conditions other than Ready (Ready\'s reason is Available or Creating, set by the controller).',
          },
        },
      },
    },
    connectionDetails: {
      type: 'array',
      description: 'Connection details to write to spec.writeConnectionSecretToRef on every reconcile (plain text: for tests only).',
      'x-kubernetes-list-type': 'atomic',
      items: {
        type: 'object',
        required: ['name', 'value'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 253, pattern: '^[-._a-zA-Z0-9]+$', description: 'Key in the connection secret.' },
          value: { type: 'string', description: 'Value of the key.' },
        },
      },
    },
    fields: {
      type: 'object',
      description: 'An arbitrary object, kept as given: patch to and from it. It has no schema and the controller does not use it.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
  },
};

const atProvider: JSONSchema = {
  type: 'object',
  properties: {
    fields: {
      type: 'object',
      description: 'provider-nop\'s status.atProvider.fields, kept for manifests that name it. The controller never writes it.',
      'x-kubernetes-preserve-unknown-fields': true,
    },
  },
};

export const nopResourceSchema = { forProvider, atProvider };

const CONTROLLER_CONDITIONS: ReadonlySet<string> = new Set(['Ready', 'Synced']);

/**
 * What a NopResource "observes": it exists (nothing outside the cluster to ask), is up to date, is Ready when the
 * Ready entry of conditionAfter in force says True, and comes back when the next entry is due.
 */
export function observeNop(mr: NopResource, nowMs: number): Observation<NopParameters, NopObservation> {
  // Being deleted: nothing exists to wait for, so the core lets go at once (provider-nop answers the same).
  if (mr.metadata.deletionTimestamp) return { exists: false };
  const created = Date.parse(mr.metadata.creationTimestamp ?? '');
  if (Number.isNaN(created)) throw new TerminalError(`metadata.creationTimestamp "${mr.metadata.creationTimestamp ?? ''}" is not a time`);
  const forProvider = mr.spec.forProvider ?? {};
  const due = dueAt(forProvider.conditionAfter ?? [], nowMs - created);
  // Ready and Synced are the core's: Ready from `ready` (reason Available or Creating, whatever conditionReason
  // says; Unknown counts as not ready), Synced from the reconcile. Every other type is reported as given.
  const conditions: Condition[] = [...due.byType.values()]
    .filter((c) => !CONTROLLER_CONDITIONS.has(c.conditionType))
    .map((c) => ({ type: c.conditionType, status: c.conditionStatus, reason: c.conditionReason || 'ConditionAfter' }));
  // A list with a name twice gives the last value, as provider-nop's map does.
  const connectionDetails = Object.fromEntries((forProvider.connectionDetails ?? []).map((d) => [d.name, d.value]));
  return {
    exists: true,
    upToDate: true,
    ready: due.byType.get('Ready')?.conditionStatus === 'True',
    connectionDetails,
    ...(conditions.length > 0 ? { conditions } : {}),
    ...(due.nextInMs !== undefined ? { recheckAfterMs: due.nextInMs } : {}),
  };
}

/**
 * No external system: observe always answers from the spec and the clock. Create, update and delete are never
 * called (observe says it exists and is up to date, and gone once deletion began) and would do nothing.
 */
function nopClient(now: () => number): ExternalClient<NopParameters, NopObservation> {
  return {
    observe: async (mr) => observeNop(mr, now()),
    create: async () => ({}),
    update: async () => ({}),
    delete: async () => {},
  };
}

export const NOP_RESOURCE_DEFAULTS = { now: Date.now } as const;

/**
 * The NopResource kind. It makes no cloud calls, so it never takes a token from its ProviderConfig's call gate:
 * its pace is set by the controller's workers alone, like provider-nop's by --max-reconcile-rate. That keeps a
 * benchmark against provider-nop about the two control planes, not about a rate limit only one of them has.
 */
export function nopResourceKind(options: { now?: () => number } = {}): ManagedKind<NopParameters, NopObservation> {
  const now = options.now ?? NOP_RESOURCE_DEFAULTS.now;
  return {
    gvk: { group: 'nop.pledge.dev', version: 'v1', kind: 'NopResource' },
    plural: 'nopresources',
    // Its name is its own: nothing is created anywhere, so no create outcome can be lost.
    deterministicExternalName: true,
    // Like provider-nop, which has no ProviderConfig at all: deleting one never strands a NopResource.
    providerConfigOptional: true,
    schema: nopResourceSchema,
    connect: async () => nopClient(now),
  };
}

export const nopResource = nopResourceKind();

import type { Logger } from 'pino';
import type { KubeClient } from '../../kube/index.ts';
import type { KubeObject } from '../../managed/types.ts';
import type { EventReason } from './reasons.ts';

/** Records Kubernetes events on an object. Reasons are fixed strings; messages never carry secret values. */
export interface EventRecorder {
  normal(obj: KubeObject, reason: EventReason, message: string): void;
  warning(obj: KubeObject, reason: EventReason, message: string): void;
}

export const noopRecorder: EventRecorder = { normal() {}, warning() {} };

export const RECORDER_DEFAULTS = { component: 'pledge', dedupWindowMs: 10 * 60_000, maxTracked: 10_000 } as const;

interface Seen {
  name: string;
  namespace: string;
  count: number;
  at: number;
}

/**
 * Writes core/v1 Events. The same (object, type, reason, message) within the dedup window bumps the
 * count of the existing Event instead of creating another, so a failing resource does not flood etcd.
 * Writes are fire-and-forget: a lost event never changes a reconcile's outcome, but it is logged.
 */
export function createEventRecorder(options: {
  client: KubeClient;
  logger: Logger;
  component?: string;
  dedupWindowMs?: number;
  now?: () => number;
}): EventRecorder {
  const component = options.component ?? RECORDER_DEFAULTS.component;
  const windowMs = options.dedupWindowMs ?? RECORDER_DEFAULTS.dedupWindowMs;
  const now = options.now ?? Date.now;
  const seen = new Map<string, Seen>();

  async function write(obj: KubeObject, type: 'Normal' | 'Warning', reason: string, message: string) {
    const meta = obj.metadata ?? {};
    const namespace = meta.namespace ?? 'default';
    const key = `${meta.uid}\u0000${type}\u0000${reason}\u0000${message}`;
    const at = now();
    const stamp = new Date(at);
    const previous = seen.get(key);
    if (previous && at - previous.at < windowMs) {
      previous.count++;
      previous.at = at;
      await options.client.patchEvent(previous.namespace, previous.name, { count: previous.count, lastTimestamp: stamp });
      return;
    }
    const [group, version] = splitApiVersion(obj.apiVersion);
    const created = await options.client.createEvent(namespace, {
      metadata: { generateName: `${meta.name ?? 'object'}.`, namespace },
      involvedObject: {
        apiVersion: group ? `${group}/${version}` : version,
        kind: obj.kind,
        name: meta.name,
        namespace: meta.namespace,
        uid: meta.uid,
        resourceVersion: meta.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      source: { component },
      reportingComponent: component,
      reportingInstance: component,
      firstTimestamp: stamp,
      lastTimestamp: stamp,
      count: 1,
    });
    if (seen.size >= RECORDER_DEFAULTS.maxTracked) seen.delete(seen.keys().next().value as string);
    seen.set(key, { name: created.metadata?.name ?? '', namespace, count: 1, at });
  }

  function record(obj: KubeObject, type: 'Normal' | 'Warning', reason: EventReason, message: string) {
    void write(obj, type, reason, message).catch((err: unknown) => {
      options.logger.debug({ err, reason }, 'cannot record event');
    });
  }

  return {
    normal: (obj, reason, message) => record(obj, 'Normal', reason, message),
    warning: (obj, reason, message) => record(obj, 'Warning', reason, message),
  };
}

function splitApiVersion(apiVersion: string | undefined): [string, string] {
  const value = apiVersion ?? 'v1';
  const slash = value.indexOf('/');
  return slash < 0 ? ['', value] : [value.slice(0, slash), value.slice(slash + 1)];
}

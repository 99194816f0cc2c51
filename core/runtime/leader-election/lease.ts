import { setTimeout as delay } from 'node:timers/promises';
import { CoordinationV1Api, CoreV1Api, Observable, V1MicroTime, type ConfigurationOptions, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import type { Logger } from 'pino';
import { ConfigError } from '../../errors/index.ts';
import { isConflict, isNotFound } from '../../kube/index.ts';

export const LEADER_ELECTION_DEFAULTS = {
  namespace: 'pledge-system',
  name: 'pledge-controllers',
  leaseDurationMs: 15_000,
  renewDeadlineMs: 10_000,
  retryPeriodMs: 2_000,
} as const;

export interface LeaderElectionOptions {
  kubeConfig: KubeConfig;
  identity: string;
  logger: Logger;
  namespace?: string;
  name?: string;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  now?: () => number;
}

export interface Leadership {
  /** Aborts when leadership is lost (renewal failed past the deadline) or the outer signal aborts. */
  signal: AbortSignal;
  /** Gives the Lease up so another replica takes over at once, not after leaseDuration. */
  release(): Promise<void>;
}

/** Per-request options that make the API client abort the HTTP request when `signal` aborts. */
function abortableBy(signal: AbortSignal): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (context) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/**
 * Blocks until this process holds the coordination.k8s.io Lease, then keeps renewing it. Only the
 * holder runs controllers; a replica that was killed stops renewing and another takes over once
 * the lease duration has passed since its last renewal.
 *
 * Safety rests on two rules. A holder counts its renew deadline from the moment it *sent* its last
 * successful renewal (never later than the renewTime the others see), and a renewal that has not
 * answered by that deadline is aborted: a leader cut off from the API server steps down after
 * renewDeadline, before anyone may take over after leaseDuration. And a candidate judges expiry by
 * its own clock, from when it last saw the lease change (as client-go does), never by comparing
 * the holder's renewTime with its own clock, so skewed clocks cannot make two leaders.
 */
export async function acquireLeadership(options: LeaderElectionOptions, signal: AbortSignal): Promise<Leadership> {
  const o = { ...LEADER_ELECTION_DEFAULTS, now: Date.now, ...options };
  if (!(o.renewDeadlineMs < o.leaseDurationMs)) throw new ConfigError('leader election: renewDeadlineMs must be shorter than leaseDurationMs');
  if (!(o.retryPeriodMs < o.renewDeadlineMs)) throw new ConfigError('leader election: retryPeriodMs must be shorter than renewDeadlineMs');
  const api = o.kubeConfig.makeApiClient(CoordinationV1Api);
  const log = o.logger.child({ lease: `${o.namespace}/${o.name}`, identity: o.identity });
  const durationSeconds = Math.ceil(o.leaseDurationMs / 1000);
  /** The other holder's record as last seen, and when (by our clock) it last changed. */
  let observed: { record: string; at: number } | undefined;
  /** Set when the last attempt found the lease validly held by someone else. */
  let takenBy: string | undefined;

  const spec = (previous?: V1Lease) => {
    const held = previous?.spec?.holderIdentity === o.identity;
    return {
      holderIdentity: o.identity,
      leaseDurationSeconds: durationSeconds,
      acquireTime: held ? previous?.spec?.acquireTime : new V1MicroTime(o.now()),
      renewTime: new V1MicroTime(o.now()),
      leaseTransitions: (previous?.spec?.leaseTransitions ?? 0) + (held || !previous ? 0 : 1),
    };
  };

  /** True while another holder's lease is still valid, judged by when we saw its record change. */
  function heldByAnother(lease: V1Lease): boolean {
    const holder = lease.spec?.holderIdentity;
    if (!holder || holder === o.identity) return false;
    const record = JSON.stringify([holder, lease.spec?.renewTime, lease.spec?.leaseDurationSeconds]);
    if (observed?.record !== record) observed = { record, at: o.now() };
    return observed.at + (lease.spec?.leaseDurationSeconds ?? durationSeconds) * 1000 > o.now();
  }

  /** One attempt to take or renew the lease; true when we hold it afterwards. Aborted by `attempt`. */
  async function tryAcquireOrRenew(attempt: AbortSignal): Promise<boolean> {
    const abortable = abortableBy(attempt);
    takenBy = undefined;
    let lease: V1Lease | undefined;
    try {
      lease = await api.readNamespacedLease({ name: o.name, namespace: o.namespace }, abortable);
    } catch (err: unknown) {
      if (!isNotFound(err)) throw err;
    }
    if (!lease) {
      const create = () => api.createNamespacedLease({ namespace: o.namespace, body: { metadata: { name: o.name, namespace: o.namespace }, spec: spec() } }, abortable);
      try {
        try {
          await create();
        } catch (err: unknown) {
          // Only a missing namespace (a bare dev cluster) makes us create one: an install has it, and its
          // ServiceAccount may not create namespaces (no request of ours is refused on the way).
          if (!isNotFound(err)) throw err;
          await ensureNamespace(o.kubeConfig, o.namespace);
          await create();
        }
        return true;
      } catch (err: unknown) {
        if (isConflict(err)) return false;
        throw err;
      }
    }
    if (heldByAnother(lease)) {
      takenBy = lease.spec?.holderIdentity;
      return false;
    }
    try {
      await api.replaceNamespacedLease({ name: o.name, namespace: o.namespace, body: { ...lease, spec: spec(lease) } }, abortable);
      return true;
    } catch (err: unknown) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  log.info('waiting for leadership');
  /** When the last successful take or renewal was sent. */
  let lastRenew: number;
  for (;;) {
    signal.throwIfAborted();
    const started = o.now();
    try {
      if (await tryAcquireOrRenew(AbortSignal.any([signal, AbortSignal.timeout(o.renewDeadlineMs)]))) {
        lastRenew = started;
        break;
      }
    } catch (err: unknown) {
      signal.throwIfAborted();
      log.warn({ err }, 'cannot read or write the lease');
    }
    await delay(o.retryPeriodMs, undefined, { signal });
  }
  log.info('became leader');

  const lost = new AbortController();
  const leaderSignal = AbortSignal.any([signal, lost.signal]);
  void (async () => {
    while (!leaderSignal.aborted) {
      try {
        await delay(o.retryPeriodMs, undefined, { signal: leaderSignal });
      } catch {
        return;
      }
      const started = o.now();
      const left = o.renewDeadlineMs - (started - lastRenew);
      if (left > 0) {
        try {
          // A renewal still unanswered at the deadline is given up, so a hung connection cannot keep us leading.
          if (await tryAcquireOrRenew(AbortSignal.any([leaderSignal, AbortSignal.timeout(left)]))) {
            lastRenew = started;
            continue;
          }
        } catch (err: unknown) {
          if (leaderSignal.aborted) return;
          log.warn({ err }, 'cannot renew the lease');
        }
      }
      // Another holder means someone already leads: step down now, not at the deadline.
      if (takenBy !== undefined || o.now() - lastRenew >= o.renewDeadlineMs) {
        log.error({ sinceLastRenewMs: o.now() - lastRenew, holder: takenBy }, 'leadership lost');
        lost.abort(new Error('leadership lost'));
        return;
      }
    }
  })();

  return {
    signal: leaderSignal,
    async release() {
      lost.abort(new Error('released'));
      const abortable = abortableBy(AbortSignal.timeout(o.renewDeadlineMs));
      try {
        const lease = await api.readNamespacedLease({ name: o.name, namespace: o.namespace }, abortable);
        if (lease.spec?.holderIdentity !== o.identity) return;
        await api.replaceNamespacedLease(
          {
            name: o.name,
            namespace: o.namespace,
            body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 } },
          },
          abortable,
        );
        log.info('lease released');
      } catch (err: unknown) {
        log.warn({ err }, 'cannot release the lease; another replica takes over when it expires');
      }
    },
  };
}

async function ensureNamespace(kubeConfig: KubeConfig, name: string): Promise<void> {
  const core = kubeConfig.makeApiClient(CoreV1Api);
  try {
    await core.createNamespace({ body: { metadata: { name } } });
  } catch (err: unknown) {
    // 409: it exists already. 403: we may not create namespaces; the lease write will tell.
    if (!isConflict(err) && !(err instanceof Error && 'code' in err && err.code === 403)) throw err;
  }
}

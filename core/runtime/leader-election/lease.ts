import { setTimeout as delay } from 'node:timers/promises';
import { CoordinationV1Api, CoreV1Api, V1MicroTime, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
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

/**
 * Blocks until this process holds the coordination.k8s.io Lease, then keeps renewing it. Only the
 * holder runs controllers; a replica that was killed stops renewing and another takes over once
 * the lease duration has passed since its last renewal.
 */
export async function acquireLeadership(options: LeaderElectionOptions, signal: AbortSignal): Promise<Leadership> {
  const o = { ...LEADER_ELECTION_DEFAULTS, now: Date.now, ...options };
  if (!(o.renewDeadlineMs < o.leaseDurationMs)) throw new ConfigError('leader election: renewDeadlineMs must be shorter than leaseDurationMs');
  if (!(o.retryPeriodMs < o.renewDeadlineMs)) throw new ConfigError('leader election: retryPeriodMs must be shorter than renewDeadlineMs');
  const api = o.kubeConfig.makeApiClient(CoordinationV1Api);
  const log = o.logger.child({ lease: `${o.namespace}/${o.name}`, identity: o.identity });
  const durationSeconds = Math.ceil(o.leaseDurationMs / 1000);

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

  /** One attempt to take or renew the lease; true when we hold it afterwards. */
  async function tryAcquireOrRenew(): Promise<boolean> {
    let lease: V1Lease | undefined;
    try {
      lease = await api.readNamespacedLease({ name: o.name, namespace: o.namespace });
    } catch (err: unknown) {
      if (!isNotFound(err)) throw err;
    }
    if (!lease) {
      try {
        await api.createNamespacedLease({ namespace: o.namespace, body: { metadata: { name: o.name, namespace: o.namespace }, spec: spec() } });
        return true;
      } catch (err: unknown) {
        if (isConflict(err)) return false;
        throw err;
      }
    }
    const holder = lease.spec?.holderIdentity;
    const renewed = lease.spec?.renewTime ? new Date(lease.spec.renewTime).getTime() : 0;
    const expires = renewed + (lease.spec?.leaseDurationSeconds ?? durationSeconds) * 1000;
    if (holder && holder !== o.identity && expires > o.now()) return false;
    try {
      await api.replaceNamespacedLease({ name: o.name, namespace: o.namespace, body: { ...lease, spec: spec(lease) } });
      return true;
    } catch (err: unknown) {
      if (isConflict(err)) return false;
      throw err;
    }
  }

  await ensureNamespace(o.kubeConfig, o.namespace);
  log.info('waiting for leadership');
  for (;;) {
    signal.throwIfAborted();
    try {
      if (await tryAcquireOrRenew()) break;
    } catch (err: unknown) {
      log.warn({ err }, 'cannot read or write the lease');
    }
    await delay(o.retryPeriodMs, undefined, { signal });
  }
  log.info('became leader');

  const lost = new AbortController();
  const leaderSignal = AbortSignal.any([signal, lost.signal]);
  void (async () => {
    let lastRenew = o.now();
    while (!leaderSignal.aborted) {
      try {
        await delay(o.retryPeriodMs, undefined, { signal: leaderSignal });
      } catch {
        return;
      }
      try {
        if (await tryAcquireOrRenew()) {
          lastRenew = o.now();
          continue;
        }
      } catch (err: unknown) {
        log.warn({ err }, 'cannot renew the lease');
      }
      if (o.now() - lastRenew > o.renewDeadlineMs) {
        log.error('leadership lost');
        lost.abort(new Error('leadership lost'));
        return;
      }
    }
  })();

  return {
    signal: leaderSignal,
    async release() {
      lost.abort(new Error('released'));
      try {
        const lease = await api.readNamespacedLease({ name: o.name, namespace: o.namespace });
        if (lease.spec?.holderIdentity !== o.identity) return;
        await api.replaceNamespacedLease({
          name: o.name,
          namespace: o.namespace,
          body: { ...lease, spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1 } },
        });
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

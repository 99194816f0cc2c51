// The one creator for every controller: server-side apply of N objects from the bench process, a fixed
// number in flight at once. What it records per object is the moment its first apply was sent.
import { setTimeout as sleep } from 'node:timers/promises';
import { BENCH_USER_AGENT, type KubeApi } from './kube-api.ts';
import { resourcePath, type BenchKind } from './kinds.ts';

export const CREATOR_DEFAULTS = { concurrency: 10, attempts: 8, retryDelayMs: 250 } as const;

export interface CreatorOptions {
  api: KubeApi;
  kind: BenchKind;
  names: readonly string[];
  concurrency?: number;
  signal?: AbortSignal;
}

export interface Creation {
  /** name → epoch ms when its apply was first sent. */
  sentAt: Map<string, number>;
  startedAt: number;
  finishedAt: number;
  /** Applies answered 429 or 5xx and sent again. */
  retries: number;
}

/** Resolves when every object exists; throws after CREATOR_DEFAULTS.attempts failures of one object. */
export async function createAll(options: CreatorOptions): Promise<Creation> {
  const { api, kind, names, signal } = options;
  const concurrency = options.concurrency ?? CREATOR_DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1) throw new Error(`creator: concurrency must be an integer >= 1, got ${concurrency}`);
  const sentAt = new Map<string, number>();
  let retries = 0;
  let next = 0;

  async function applyOne(name: string): Promise<void> {
    const path = `${resourcePath(kind, name)}?fieldManager=${BENCH_USER_AGENT}&force=true`;
    const body = JSON.stringify(kind.manifest(name));
    for (let attempt = 1; ; attempt++) {
      if (!sentAt.has(name)) sentAt.set(name, Date.now());
      const res = await api.call('PATCH', path, { body, contentType: 'application/apply-patch+yaml', signal });
      if (res.status === 200 || res.status === 201) return;
      const retryable = res.status === 429 || res.status >= 500;
      if (!retryable || attempt >= CREATOR_DEFAULTS.attempts) throw new Error(`apply ${kind.kind} ${name}: HTTP ${res.status} ${res.body.slice(0, 300)}`);
      retries++;
      await sleep(CREATOR_DEFAULTS.retryDelayMs * attempt, undefined, { signal });
    }
  }

  async function worker(): Promise<void> {
    for (let i = next++; i < names.length; i = next++) {
      const name = names[i];
      if (name !== undefined) await applyOne(name);
    }
  }

  const startedAt = Date.now();
  await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, () => worker()));
  return { sentAt, startedAt, finishedAt: Date.now(), retries };
}

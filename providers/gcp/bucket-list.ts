/**
 * The GCS buckets of a project as `pledge import` would declare them: buckets.list, then each wanted bucket's
 * resource as observe reads it, with forProvider holding what observe compares so the adopted bucket is up to date.
 */
import type { BucketMetadata, GetBucketsResponse } from '@google-cloud/storage';
import type { CloudCallGate, ListedExternal, ListQuery } from '../../core/managed/types.ts';
import { lateInitOf, stateOf, type BucketParameters, type LifecycleRuleSpec } from './bucket-settings.ts';
import type { GcsSession } from './client.ts';
import { toPledgeError } from './errors.ts';

const DELETE_AFTER = /^delete-after:(\d+)$/;

export async function listBuckets(session: GcsSession, calls: CloudCallGate, query: ListQuery, signal: AbortSignal): Promise<Array<ListedExternal<BucketParameters>>> {
  const names: string[] = [];
  let pageToken: string | undefined;
  do {
    let page: GetBucketsResponse;
    try {
      page = await session.call(calls, 'ListBuckets', signal, (s) => s.getBuckets({ maxResults: 500, autoPaginate: false, ...(pageToken ? { pageToken } : {}) }));
    } catch (err: unknown) {
      throw toPledgeError(err, `listing the buckets of project ${session.projectId} failed`, { kind: 'Bucket', operation: 'ListBuckets' });
    }
    const [buckets, next] = page;
    for (const b of buckets) if (query.wanted(b.name)) names.push(b.name);
    const token: unknown = (next as { pageToken?: unknown } | null | undefined)?.pageToken;
    pageToken = typeof token === 'string' && token !== '' ? token : undefined;
  } while (pageToken);

  const out: Array<ListedExternal<BucketParameters>> = [];
  for (const name of names) {
    let metadata: BucketMetadata;
    try {
      [metadata] = await session.call(calls, 'GetBucket', signal, (s) => s.bucket(name).getMetadata());
    } catch (err: unknown) {
      throw toPledgeError(err, `reading bucket ${name} failed`, { kind: 'Bucket', bucket: name, operation: 'GetBucket' });
    }
    const state = stateOf(metadata);
    if (query.region !== undefined && state.location !== query.region.toUpperCase()) continue;
    if (!query.details) {
      out.push({ externalName: name, region: state.location });
      continue;
    }
    const rules = state.lifecycleRules.map((key) => DELETE_AFTER.exec(key)?.[1]);
    const representable = rules.every((days) => days !== undefined);
    const lifecycleRules: LifecycleRuleSpec[] = representable ? rules.map((days) => ({ deleteAfterDays: Number(days) })) : [];
    const forProvider: BucketParameters = {
      location: state.location,
      ...lateInitOf({ location: state.location }, state),
      labels: state.labels,
      ...(representable ? { lifecycleRules } : {}),
    };
    const notes = representable ? [] : [`bucket ${name} has lifecycle rules other than "delete after N days": spec.forProvider.lifecycleRules is left unset, so they are left alone`];
    out.push({ externalName: name, region: state.location, forProvider, ...(notes.length > 0 ? { notes } : {}) });
  }
  return out;
}

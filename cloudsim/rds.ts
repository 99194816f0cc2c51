/**
 * RDS over the query protocol (form-encoded POST, `Action=…`, XML answers): DB instances (create, describe,
 * modify, delete with a final snapshot), tags, and snapshots. Instances go creating → available and
 * deleting → gone on the knobs' timings.
 */
import { awsCaller, type AwsCaller } from './aws.ts';
import { createInstance, deleteInstance, instanceNotFound, modifyInstance, type RdsCall } from './rds-instance-actions.ts';
import { rdsError, rdsKey, rdsResult, settleRds, type RdsInstance, type RdsSnapshot, type RdsTag } from './rds-records.ts';
import { mergeTags, QueryParams } from './rds-values.ts';
import { instanceXml, snapshotXml, tagListXml } from './rds-xml.ts';
import type { ServiceContext } from './service-context.ts';
import { header, type SimRequest, type SimResponse, type SimRoute, type SimService } from './sim-http.ts';
import { el, raw } from './xml.ts';

export const RDS_PAGE = { min: 20, max: 100, default: 100 } as const;

/** Instances or snapshots, paged by MaxRecords and Marker (an offset). */
function page<T>(items: T[], p: QueryParams): { items: T[]; marker?: string } | SimResponse {
  const max = p.int('MaxRecords') ?? RDS_PAGE.default;
  if (!(max >= RDS_PAGE.min && max <= RDS_PAGE.max)) return rdsError(400, 'InvalidParameterValue', `Invalid value ${p.str('MaxRecords') ?? ''} for MaxRecords. Must be between ${RDS_PAGE.min} and ${RDS_PAGE.max}`);
  const offset = Number(p.str('Marker') ?? 0);
  if (!Number.isInteger(offset) || offset < 0) return rdsError(400, 'InvalidParameterValue', 'Invalid Marker');
  return { items: items.slice(offset, offset + max), ...(offset + max < items.length ? { marker: String(offset + max) } : {}) };
}
const isPage = <T>(v: { items: T[]; marker?: string } | SimResponse): v is { items: T[]; marker?: string } => 'items' in v;

export function createRdsService(ctx: ServiceContext): SimService {
  const state = () => ctx.store.state.rds;

  function describeInstances({ p, caller, now }: RdsCall): SimResponse {
    const requested = p.str('DBInstanceIdentifier');
    const id = requested?.startsWith('arn:') ? requested.split(':').pop() : requested;
    let found: RdsInstance[] = Object.values(state().instances).filter((i) => i.account === caller.account && i.region === caller.region);
    if (id !== undefined) {
      const one = state().instances[rdsKey(caller.account, caller.region, id)];
      if (one === undefined) return instanceNotFound(id);
      found = [one];
    }
    for (const filter of p.filters()) {
      const pick: Record<string, (i: RdsInstance) => string> = { 'db-instance-id': (i) => i.id, engine: (i) => i.engine, 'dbi-resource-id': (i) => i.dbiResourceId };
      const field = pick[filter.name];
      if (field === undefined) return rdsError(400, 'InvalidParameterValue', `Unrecognized filter name: ${filter.name}`);
      found = found.filter((i) => filter.values.includes(field(i)) || filter.values.includes(`arn:aws:rds:${i.region}:${i.account}:db:${i.id}`));
    }
    const paged = page(found.sort((a, b) => a.id.localeCompare(b.id)), p);
    if (!isPage(paged)) return paged;
    return rdsResult('DescribeDBInstances', `${raw('DBInstances', paged.items.map((i) => instanceXml(i, now)).join(''))}${el('Marker', paged.marker)}`);
  }

  function describeSnapshots({ p, caller, now }: RdsCall): SimResponse {
    const snapshotId = p.str('DBSnapshotIdentifier');
    const instanceId = p.str('DBInstanceIdentifier')?.toLowerCase();
    const type = p.str('SnapshotType');
    let found: RdsSnapshot[] = Object.values(state().snapshots).filter((s) => s.account === caller.account && s.region === caller.region);
    if (snapshotId !== undefined) {
      const one = state().snapshots[rdsKey(caller.account, caller.region, snapshotId)];
      if (one === undefined) return rdsError(404, 'DBSnapshotNotFound', `DBSnapshot ${snapshotId} not found.`);
      found = [one];
    }
    found = found.filter((s) => (instanceId === undefined || s.instanceId === instanceId) && (type === undefined || s.snapshotType === type));
    const paged = page(found.sort((a, b) => a.createdAt - b.createdAt), p);
    if (!isPage(paged)) return paged;
    return rdsResult('DescribeDBSnapshots', `${raw('DBSnapshots', paged.items.map((s) => snapshotXml(s, now)).join(''))}${el('Marker', paged.marker)}`);
  }

  function deleteSnapshot({ p, caller, now }: RdsCall): SimResponse {
    const id = p.str('DBSnapshotIdentifier') ?? '';
    const key = rdsKey(caller.account, caller.region, id);
    const snapshot = state().snapshots[key];
    if (snapshot === undefined) return rdsError(404, 'DBSnapshotNotFound', `DBSnapshot ${id} not found.`);
    if (now < snapshot.availableAt) return rdsError(400, 'InvalidDBSnapshotState', 'Cannot delete the snapshot because it is not in available state.');
    delete state().snapshots[key];
    ctx.store.changed();
    return rdsResult('DeleteDBSnapshot', snapshotXml(snapshot, now).replace('<Status>available</Status>', '<Status>deleted</Status>'));
  }

  /** The instance or snapshot an ARN names, for the tag actions. */
  function taggable(arn: string): { tags: RdsTag[] } | SimResponse {
    const m = /^arn:aws:rds:([a-z0-9-]+):(\d{12}):(db|snapshot):([A-Za-z0-9-]+)$/.exec(arn);
    if (!m) return rdsError(400, 'InvalidParameterValue', `Invalid resource name: ${arn}`);
    const [, region = '', account = '', kind, id = ''] = m;
    const key = rdsKey(account, region, id);
    const found = kind === 'db' ? state().instances[key] : state().snapshots[key];
    if (found === undefined) return kind === 'db' ? instanceNotFound(id) : rdsError(404, 'DBSnapshotNotFound', `DBSnapshot ${id} not found.`);
    return found;
  }
  const isTaggable = (v: { tags: RdsTag[] } | SimResponse): v is { tags: RdsTag[] } => 'tags' in v;

  function tagAction(action: string, { p }: RdsCall): SimResponse {
    const target = taggable(p.str('ResourceName') ?? '');
    if (!isTaggable(target)) return target;
    if (action === 'ListTagsForResource') return rdsResult(action, tagListXml(target.tags));
    if (action === 'AddTagsToResource') {
      const added = p.tags();
      if (added.some((t) => t.Key.startsWith('aws:') || t.Key.startsWith('rds:'))) return rdsError(400, 'InvalidParameterValue', 'Tag keys beginning with aws: or rds: are reserved.');
      const merged = mergeTags(target.tags, added);
      if (merged.length > 50) return rdsError(400, 'TagQuotaPerResourceExceeded', 'The number of tags on the resource would exceed 50.');
      target.tags = merged;
    } else {
      const keys = new Set(p.list('TagKeys.member'));
      target.tags = target.tags.filter((t) => !keys.has(t.Key));
    }
    ctx.store.changed();
    return rdsResult(action, '');
  }

  const actions: Record<string, (call: RdsCall) => SimResponse> = {
    CreateDBInstance: createInstance,
    DescribeDBInstances: describeInstances,
    ModifyDBInstance: modifyInstance,
    DeleteDBInstance: deleteInstance,
    DescribeDBSnapshots: describeSnapshots,
    DeleteDBSnapshot: deleteSnapshot,
    AddTagsToResource: (call) => tagAction('AddTagsToResource', call),
    RemoveTagsFromResource: (call) => tagAction('RemoveTagsFromResource', call),
    ListTagsForResource: (call) => tagAction('ListTagsForResource', call),
  };

  function paramsOf(req: SimRequest): URLSearchParams {
    const form = (header(req, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded') ? req.body.toString('utf8') : '';
    const params = new URLSearchParams(req.url.search);
    for (const [k, v] of new URLSearchParams(form)) params.set(k, v);
    return params;
  }

  return {
    name: 'rds',
    route(req: SimRequest): SimRoute | undefined {
      const caller: AwsCaller = awsCaller(req, ctx.federation.awsSessions);
      const params = paramsOf(req);
      const action = params.get('Action');
      if (caller.service !== 'rds' && !(caller.service === undefined && req.path === '/' && action !== null)) return undefined;
      const handler = action === null ? undefined : actions[action];
      if (handler === undefined) {
        return { operation: 'Unsupported', handle: () => rdsError(400, 'InvalidAction', `The action ${action ?? '(none)'} is not valid for this web service.`) };
      }
      return {
        operation: action ?? '',
        handle: () => {
          const now = ctx.runtime.now();
          if (settleRds(state(), now)) ctx.store.changed();
          return handler({ ctx, p: new QueryParams(params), caller, now });
        },
      };
    },
    throttled: (_req, retryAfterSeconds) => rdsError(400, 'Throttling', 'Rate exceeded', { 'retry-after': retryAfterSeconds }),
    internalError: () => rdsError(500, 'InternalFailure', 'The request processing has failed because of an unknown error, exception or failure.'),
    unavailable: (_req, retryAfterSeconds) => rdsError(503, 'ServiceUnavailable', 'The request has failed due to a temporary failure of the server.', { 'retry-after': retryAfterSeconds }),
  };
}

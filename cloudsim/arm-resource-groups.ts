/** Microsoft.Resources resource groups: create or update, get, check existence, patch, delete (LRO), list. */
import { groupDeleteLocation, groupDeleteResult, retryAfterSeconds, startOperation } from './arm-operations.ts';
import { armError, groupKey, resourceGroupJson, type ResourceGroupRecord } from './arm-records.ts';
import type { ArmCall, ArmEndpoint, ArmMatcher } from './arm.ts';
import { azureLocationError, normalizeLocation, tagsError } from './azure-values.ts';
import type { ServiceContext } from './service-context.ts';
import { empty, isRecord, json, jsonBody, stringRecord, type SimResponse } from './sim-http.ts';

const NAME_PATTERN = /^[-\p{L}\p{N}_.()]{1,90}$/u;

export const ARM_LIST_DEFAULTS = { pageSize: 100 } as const;

export function resourceGroupEndpoints(ctx: ServiceContext): ArmMatcher {
  const groups = () => ctx.store.state.arm.resourceGroups;
  const notFound = (name: string) => armError(404, 'ResourceGroupNotFound', `Resource group '${name}' could not be found.`);
  const find = (call: ArmCall, name: string) => groups()[groupKey(call.subscriptionId, name)];
  const scope = (segments: string[]) => `/subscriptions/${segments[1] ?? ''}/resourcegroups/${segments[3] ?? ''}`;

  function createOrUpdate(call: ArmCall, name: string): SimResponse {
    if (!NAME_PATTERN.test(name) || name.endsWith('.')) {
      return armError(
        400,
        'InvalidResourceGroup',
        `The provided resource group name '${name}' has these invalid characters: '${[...name.replace(/[-\p{L}\p{N}_.()]/gu, '')].join('')}'. The name can only be a letter, digit, '-', '.', '(', ')' or '_' and cannot end in '.'.`,
      );
    }
    const body = jsonBody(call.req);
    if (!isRecord(body)) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    if (typeof body.location !== 'string' || body.location === '') {
      return armError(400, 'LocationRequired', 'The location property is required for this definition.');
    }
    const location = normalizeLocation(body.location);
    const locationProblem = azureLocationError(location, 'LocationNotAvailableForResourceGroup', 'resource group');
    if (locationProblem) return locationProblem;
    const tags = stringRecord(body.tags);
    const tagProblem = tagsError(body.tags);
    if (tagProblem) return tagProblem;
    const existing = find(call, name);
    if (existing?.deleteDoneAt !== undefined) {
      return armError(409, 'ResourceGroupBeingDeleted', `The resource group '${existing.name}' is in deprovisioning state and cannot perform this operation.`);
    }
    if (existing && existing.location !== location) {
      return armError(409, 'InvalidResourceGroupLocation', `Invalid resource group location '${location}'. The Resource group already exists in location '${existing.location}'.`);
    }
    const record: ResourceGroupRecord = {
      subscriptionId: call.subscriptionId,
      name: existing?.name ?? name,
      location,
      tags,
      createdAt: existing?.createdAt ?? call.now,
      ...(typeof body.managedBy === 'string' ? { managedBy: body.managedBy } : {}),
    };
    groups()[groupKey(call.subscriptionId, name)] = record;
    ctx.store.changed();
    return json(existing ? 200 : 201, resourceGroupJson(record, call.now));
  }

  function update(call: ArmCall, name: string): SimResponse {
    const group = find(call, name);
    if (group === undefined) return notFound(name);
    const body = jsonBody(call.req);
    if (!isRecord(body)) return armError(400, 'InvalidRequestContent', 'The request content was invalid and could not be deserialized.');
    if (group.deleteDoneAt !== undefined) {
      return armError(409, 'ResourceGroupBeingDeleted', `The resource group '${group.name}' is in deprovisioning state and cannot perform this operation.`);
    }
    if (body.tags !== undefined) {
      const tagProblem = tagsError(body.tags);
      if (tagProblem) return tagProblem;
      group.tags = stringRecord(body.tags);
    }
    if (typeof body.managedBy === 'string') group.managedBy = body.managedBy;
    ctx.store.changed();
    return json(200, resourceGroupJson(group, call.now));
  }

  function remove(call: ArmCall, name: string): SimResponse {
    const group = find(call, name);
    if (group === undefined) return notFound(name);
    group.deleteDoneAt ??= call.now + ctx.runtime.knobs.timings.armDeleteMs;
    const op = startOperation(ctx, {
      kind: 'resource-group-delete',
      subscriptionId: call.subscriptionId,
      resourceId: `/subscriptions/${call.subscriptionId}/resourceGroups/${group.name}`,
      location: group.location,
      startedAt: call.now,
      doneAt: group.deleteDoneAt,
    });
    return empty(202, { location: groupDeleteLocation(call.req.origin, op, call.apiVersion), 'retry-after': retryAfterSeconds(op, call.now) });
  }

  function list(call: ArmCall): SimResponse {
    const q = call.req.query;
    const top = Number(q.get('$top') ?? ARM_LIST_DEFAULTS.pageSize);
    const skip = Number(q.get('$skiptoken') ?? 0);
    if (!Number.isInteger(top) || top < 1 || !Number.isInteger(skip) || skip < 0) {
      return armError(400, 'InvalidQueryParameterValue', "Invalid value for query parameter '$top' or '$skiptoken'.");
    }
    const filter = q.get('$filter');
    let keep: (g: ResourceGroupRecord) => boolean = () => true;
    if (filter) {
      const m = /^\s*tagName eq '([^']*)'(?:\s+and\s+tagValue eq '([^']*)')?\s*$/i.exec(filter);
      if (!m) return armError(400, 'InvalidFilterInQueryString', `cloudsim supports only "tagName eq '…' [and tagValue eq '…']" in $filter, not '${filter}'.`);
      const [, tagName = '', tagValue] = m;
      keep = (g) => g.tags[tagName] !== undefined && (tagValue === undefined || g.tags[tagName] === tagValue);
    }
    const all = Object.values(groups())
      .filter((g) => g.subscriptionId === call.subscriptionId && keep(g))
      .sort((a, b) => a.name.localeCompare(b.name));
    const page = all.slice(skip, skip + top);
    const next = skip + top < all.length ? skip + top : undefined;
    const nextLink =
      next === undefined
        ? undefined
        : `${call.req.origin}/subscriptions/${call.subscriptionId}/resourcegroups?api-version=${call.apiVersion}&%24top=${top}&%24skiptoken=${next}${filter ? `&%24filter=${encodeURIComponent(filter)}` : ''}`;
    return json(200, { value: page.map((g) => resourceGroupJson(g, call.now)), ...(nextLink ? { nextLink } : {}) });
  }

  const endpoint = (operation: string, action: string, handle: (call: ArmCall) => SimResponse): ArmEndpoint => ({
    operation,
    provider: 'resources',
    action: `Microsoft.Resources/subscriptions/resourcegroups/${action}`,
    scope,
    handle,
  });

  return (method, lower) => {
    if (lower[2] === 'resourcegroups' && lower.length === 3 && method === 'GET') return endpoint('ResourceGroups_List', 'read', list);
    if (lower[2] === 'operationresults' && lower.length === 4 && method === 'GET') {
      return endpoint('ResourceGroups_DeleteResult', 'read', (call) => groupDeleteResult(ctx, call, call.segments[3] ?? ''));
    }
    if (lower[2] !== 'resourcegroups' || lower.length !== 4) return undefined;
    const nameOf = (call: ArmCall) => call.segments[3] ?? '';
    switch (method) {
      case 'PUT':
        return endpoint('ResourceGroups_CreateOrUpdate', 'write', (call) => createOrUpdate(call, nameOf(call)));
      case 'GET':
        return endpoint('ResourceGroups_Get', 'read', (call) => {
          const group = find(call, nameOf(call));
          return group ? json(200, resourceGroupJson(group, call.now)) : notFound(nameOf(call));
        });
      case 'HEAD':
        return endpoint('ResourceGroups_CheckExistence', 'read', (call) => empty(find(call, nameOf(call)) ? 204 : 404));
      case 'PATCH':
        return endpoint('ResourceGroups_Update', 'write', (call) => update(call, nameOf(call)));
      case 'DELETE':
        return endpoint('ResourceGroups_Delete', 'delete', (call) => remove(call, nameOf(call)));
      default:
        return undefined;
    }
  };
}

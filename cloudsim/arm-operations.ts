/**
 * ARM long-running operations: storage account create (Azure-AsyncOperation status + Location monitor)
 * and resource group delete (Location polling). Each finishes at a stored instant (knobs.timings).
 */
import { randomUUID } from 'node:crypto';
import { armError, storageAccountJson, type ArmOperationRecord } from './arm-records.ts';
import type { ArmCall } from './arm.ts';
import type { ServiceContext } from './service-context.ts';
import { isoTime } from './service-context.ts';
import { empty, json, type SimResponse } from './sim-http.ts';

export function startOperation(ctx: ServiceContext, op: Omit<ArmOperationRecord, 'id'>): ArmOperationRecord {
  const record = { id: randomUUID(), ...op };
  ctx.store.state.arm.operations[record.id] = record;
  ctx.store.changed();
  return record;
}

/** Whole seconds until the operation is done, at least 1 (Retry-After is in seconds). */
export function retryAfterSeconds(op: ArmOperationRecord, now: number): number {
  return Math.max(1, Math.ceil((op.doneAt - now) / 1000));
}

/** The polling URLs Microsoft.Storage returns for an account create. */
export function storageOperationHeaders(origin: string, op: ArmOperationRecord, apiVersion: string, now: number): Record<string, string | number> {
  const base = `${origin}/subscriptions/${op.subscriptionId}/providers/Microsoft.Storage/locations/${op.location}/asyncoperations/${op.id}`;
  return {
    'azure-asyncoperation': `${base}?api-version=${apiVersion}`,
    location: `${base}?monitor=true&api-version=${apiVersion}`,
    'retry-after': retryAfterSeconds(op, now),
  };
}

/** GET …/locations/{loc}/asyncoperations/{id}: the status document, or with monitor=true the resource once done. */
export function storageOperationStatus(ctx: ServiceContext, call: ArmCall, id: string): SimResponse {
  const op = ctx.store.state.arm.operations[id];
  if (op === undefined || op.subscriptionId !== call.subscriptionId || op.kind !== 'storage-account-create') {
    return armError(404, 'ResourceNotFound', `The operation '${id}' could not be found.`);
  }
  const running = call.now < op.doneAt;
  if (call.req.query.get('monitor') === 'true') {
    if (running) return empty(202, storageOperationHeaders(call.req.origin, op, call.apiVersion, call.now));
    const name = op.resourceId.split('/').pop()?.toLowerCase() ?? '';
    const account = ctx.store.state.arm.storageAccounts[name];
    return account ? json(200, storageAccountJson(account, call.now)) : empty(204);
  }
  return json(
    200,
    {
      id: `/subscriptions/${op.subscriptionId}/providers/Microsoft.Storage/locations/${op.location}/asyncoperations/${op.id}`,
      name: op.id,
      status: running ? 'InProgress' : 'Succeeded',
      startTime: isoTime(op.startedAt),
      ...(running ? {} : { endTime: isoTime(op.doneAt) }),
    },
    running ? { 'retry-after': retryAfterSeconds(op, call.now) } : {},
  );
}

export function groupDeleteLocation(origin: string, op: ArmOperationRecord, apiVersion: string): string {
  const token = Buffer.from(JSON.stringify({ jobId: `ResourceGroupDeletionJob-${op.id}`, jobLocation: op.location })).toString('base64url');
  return `${origin}/subscriptions/${op.subscriptionId}/operationresults/${token}?api-version=${apiVersion}`;
}

/** GET /subscriptions/{sub}/operationresults/{token}: 202 while the group is deleting, 200 once gone. */
export function groupDeleteResult(ctx: ServiceContext, call: ArmCall, token: string): SimResponse {
  let id = '';
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { jobId?: unknown };
    if (typeof parsed.jobId === 'string') id = parsed.jobId.replace(/^ResourceGroupDeletionJob-/, '');
  } catch {
    id = '';
  }
  const op = ctx.store.state.arm.operations[id];
  if (op === undefined || op.subscriptionId !== call.subscriptionId || op.kind !== 'resource-group-delete') {
    return armError(404, 'NotFound', `The operation result '${token}' could not be found.`);
  }
  if (call.now < op.doneAt) {
    return empty(202, { location: groupDeleteLocation(call.req.origin, op, call.apiVersion), 'retry-after': retryAfterSeconds(op, call.now) });
  }
  return empty(200);
}

import { AuthorizationV1Api, type KubeConfig } from '@kubernetes/client-node';
import type { CompositeResourceDefinition } from './types.ts';

/** One permission Pledge's controllers need on an XRD's kinds. */
export type Access = { verb: string; group: string; resource: string; subresource?: string };

/** Answers which of the wanted permissions the controller's own identity lacks. */
export type AccessCheck = (wanted: readonly Access[]) => Promise<Access[]>;

/** What the composite and claim controllers do with an XRD's kinds (compositions/serving.ts, claim-binding.ts, composite-reconciler.ts). */
export function accessFor(xrd: CompositeResourceDefinition): Access[] {
  const group = xrd.spec.group;
  const kinds = [xrd.spec.names.plural, ...(xrd.spec.claimNames ? [xrd.spec.claimNames.plural] : [])];
  return kinds.flatMap((resource) => [
    ...['list', 'watch', 'create', 'update', 'patch', 'delete'].map((verb) => ({ verb, group, resource })),
    { verb: 'update', group, resource, subresource: 'status' },
  ]);
}

export function describeAccess(a: Access): string {
  return `${a.verb} ${a.resource}${a.subresource ? `/${a.subresource}` : ''}.${a.group}`;
}

/**
 * SelfSubjectAccessReviews: the API server says what this process may do, without trying it. Every authenticated
 * identity may ask (Kubernetes' default system:basic-user role), so the check needs no grant of its own.
 */
export function selfAccessCheck(kubeConfig: KubeConfig): AccessCheck {
  const api = kubeConfig.makeApiClient(AuthorizationV1Api);
  return async (wanted) => {
    const reviews = await Promise.all(
      wanted.map((a) => api.createSelfSubjectAccessReview({ body: { spec: { resourceAttributes: { verb: a.verb, group: a.group, resource: a.resource, subresource: a.subresource } } } })),
    );
    return wanted.filter((_, i) => reviews[i]?.status?.allowed !== true);
  };
}

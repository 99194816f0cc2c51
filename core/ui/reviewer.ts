import type { KubeClient } from '../kube/index.ts';
import type { Reviewer } from './access.ts';

const TOKEN_REVIEWS = { group: 'authentication.k8s.io', version: 'v1', plural: 'tokenreviews' };
const ACCESS_REVIEWS = { group: 'authorization.k8s.io', version: 'v1', plural: 'subjectaccessreviews' };

interface TokenReviewStatus {
  status?: { authenticated?: boolean; user?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> } };
}

/** TokenReview and SubjectAccessReview against the API server, with the controller's own credentials. */
export function apiServerReviewer(client: KubeClient): Reviewer {
  return {
    async authenticate(token) {
      const review = (await client.create(TOKEN_REVIEWS, { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenReview', spec: { token } })) as TokenReviewStatus;
      const user = review.status?.user;
      if (!review.status?.authenticated || !user?.username) return undefined;
      return { username: user.username, uid: user.uid, groups: user.groups, extra: user.extra };
    },
    async mayGet(user, a) {
      const review = (await client.create(ACCESS_REVIEWS, {
        apiVersion: 'authorization.k8s.io/v1',
        kind: 'SubjectAccessReview',
        spec: {
          user: user.username,
          uid: user.uid,
          groups: user.groups,
          extra: user.extra,
          resourceAttributes: { verb: 'get', group: a.group, resource: a.resource, ...(a.namespace ? { namespace: a.namespace } : {}) },
        },
      })) as { status?: { allowed?: boolean } };
      return review.status?.allowed === true;
    },
  };
}

import { createHash } from 'node:crypto';

export interface UserInfo {
  username: string;
  uid?: string;
  groups?: string[];
  extra?: Record<string, string[]>;
}

/** What a SubjectAccessReview asks: may the user `get` this resource here. */
export interface GetAttributes {
  group: string;
  resource: string;
  /** Absent for a cluster-scoped object. */
  namespace?: string;
}

/** The API server's answers: TokenReview (who is this token) and SubjectAccessReview (may they get this). */
export interface Reviewer {
  authenticate(token: string): Promise<UserInfo | undefined>;
  mayGet(user: UserInfo, attributes: GetAttributes): Promise<boolean>;
}

/** One caller's rights. An open viewer (no auth) may see everything. */
export interface Viewer {
  readonly open: boolean;
  /** Who the token belongs to, when auth is on. */
  readonly username?: string;
  mayGet(attributes: GetAttributes): Promise<boolean>;
}

export const ACCESS_DEFAULTS = { ttlMs: 10_000, maxEntries: 20_000 } as const;

export const openViewer: Viewer = { open: true, mayGet: async () => true };

/** Cached answers that expire after ttlMs; in-flight questions are shared, failures are not kept. */
function expiringCache<V>(ttlMs: number, maxEntries: number, now: () => number) {
  const entries = new Map<string, { at: number; value: Promise<V> }>();
  return (key: string, compute: () => Promise<V>): Promise<V> => {
    const t = now();
    const hit = entries.get(key);
    if (hit && t - hit.at < ttlMs) return hit.value;
    if (entries.size >= maxEntries) for (const [k, e] of entries) if (t - e.at >= ttlMs) entries.delete(k);
    if (entries.size >= maxEntries) entries.clear();
    const value = compute();
    entries.set(key, { at: t, value });
    value.catch(() => entries.delete(key));
    return value;
  };
}

/**
 * The web view's access decisions: a bearer token becomes a user through a TokenReview, and each
 * (user, get, group, resource, namespace) is asked once per ttlMs through a SubjectAccessReview. Tokens are kept
 * only as their SHA-256, never logged.
 */
export function createAccess(options: { reviewer: Reviewer; ttlMs?: number; maxEntries?: number; now?: () => number }) {
  const ttlMs = options.ttlMs ?? ACCESS_DEFAULTS.ttlMs;
  const maxEntries = options.maxEntries ?? ACCESS_DEFAULTS.maxEntries;
  const now = options.now ?? Date.now;
  const users = expiringCache<UserInfo | undefined>(ttlMs, maxEntries, now);
  const decisions = expiringCache<boolean>(ttlMs, maxEntries, now);
  return {
    /** The token's viewer, or undefined when the API server does not authenticate it. */
    async viewerFor(token: string): Promise<Viewer | undefined> {
      const tokenKey = createHash('sha256').update(token).digest('hex');
      const user = await users(tokenKey, () => options.reviewer.authenticate(token));
      if (!user) return undefined;
      return {
        open: false,
        username: user.username,
        mayGet: (a) => decisions(`${tokenKey}\u0000${a.group}\u0000${a.resource}\u0000${a.namespace ?? ''}`, () => options.reviewer.mayGet(user, a)),
      };
    },
  };
}

export type Access = ReturnType<typeof createAccess>;

/** The items the viewer may get, asking each distinct (group, resource, namespace) once. */
export async function allowedOnly<T>(viewer: Viewer, items: readonly T[], attributesOf: (item: T) => GetAttributes | undefined): Promise<T[]> {
  if (viewer.open) return items.filter((i) => attributesOf(i) !== undefined);
  const asked = new Map<string, Promise<boolean>>();
  const verdicts = await Promise.all(
    items.map((item) => {
      const a = attributesOf(item);
      if (!a) return false;
      const k = `${a.group}\u0000${a.resource}\u0000${a.namespace ?? ''}`;
      let p = asked.get(k);
      if (!p) {
        p = viewer.mayGet(a).catch(() => false);
        asked.set(k, p);
      }
      return p;
    }),
  );
  return items.filter((_, i) => verdicts[i]);
}

// Type aliases rather than interfaces: these travel through the cache as JSON, and
// only aliases are assignable to CacheValue's index signature.

/** One permission a user holds, and where it comes from. */
export type PermissionGrant = {
  /** The granted name, maybe a wildcard: `tasks.update`, `tasks.*`, `*`. */
  readonly permission: string;
  /** The app the permission is scoped to, or null for every app. */
  readonly app: string | null;
  /** The role that carries it, or null for a direct grant to the user. */
  readonly role: string | null;
};

/**
 * A user's effective permission set: their roles and every grant, through a role
 * or direct. This is what the cache holds (as JSON), one entry per user.
 */
export type EffectivePermissions = {
  readonly userId: number;
  readonly roles: readonly string[];
  readonly grants: readonly PermissionGrant[];
  /** When it was read from the database (epoch ms); the cache entry dies RBAC_CACHE_TTL later. */
  readonly loadedAt: number;
};

/** Why a check passed or failed, as `rbac:check` prints it. */
export type RbacDecision =
  | { readonly allowed: true; readonly reason: "super-admin"; readonly role: string }
  | { readonly allowed: true; readonly reason: "role"; readonly role: string; readonly granted: string }
  | { readonly allowed: true; readonly reason: "direct"; readonly granted: string }
  | {
      readonly allowed: false;
      /** `other-app`: a grant matches, but its permission is scoped to another app. */
      readonly reason: "no-grant" | "other-app";
      readonly roles: readonly string[];
    };

/**
 * What RBAC needs to know about users; the auth capability's `users` table
 * answers it (see SqlUserDirectory). Kept this small so RBAC never depends on
 * how auth stores anything else.
 */
export interface UserDirectory {
  /** The id of the user with this email (compared trimmed and lowercased), or undefined. */
  findIdByEmail(email: string): Promise<number | undefined>;
  /** Whether a user with this id exists. */
  exists(userId: number): Promise<boolean>;
  /** Ids of users that are not disabled, ascending, after `afterId` (paging for the warm job). */
  listActiveIds(options: { afterId: number; limit: number }): Promise<number[]>;
}

/** The slice of a pino logger RBAC writes to. */
export interface RbacLogger {
  warn(details: Record<string, unknown>, message: string): void;
  info(details: Record<string, unknown>, message: string): void;
}

/** A change to roles, permissions or assignments, for hooks (audit, scheduling a warm-up). */
export interface RbacChange {
  readonly kind:
    | "role-created"
    | "role-deleted"
    | "permission-created"
    | "permission-deleted"
    | "granted"
    | "revoked"
    | "assigned"
    | "unassigned";
  /** True when it may touch many users at once (role and permission changes), so a warm-up pays off. */
  readonly bulk: boolean;
  readonly role?: string;
  readonly permission?: string;
  readonly userId?: number;
}

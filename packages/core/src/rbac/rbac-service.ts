import type { CacheStore } from "../cache/types.js";
import { parseAppName, parseCheckedPermission, parsePermissionName, parseRoleName } from "./names.js";
import { PermissionCache, type PermissionLookupListener } from "./permission-cache.js";
import { alreadyExists, unknownPermission, unknownRole, unknownUser } from "./rbac-messages.js";
import type {
  PermissionRecord,
  PermissionSummary,
  RbacRepository,
  RoleRecord,
  RoleSummary,
} from "./rbac-repository.js";
import type { EffectivePermissions, RbacChange, RbacDecision, RbacLogger, UserDirectory } from "./types.js";
import { describeDecision, UserPermissions } from "./user-permissions.js";

export interface RbacServiceOptions {
  readonly repository: RbacRepository;
  /**
   * The shared cache store. When given, every change bumps the shared version, even
   * where `cacheEnabled` is false (a CLI must still retire what the servers cached).
   */
  readonly store?: CacheStore;
  /** RBAC_CACHE_ENABLED: false reads the database on every check. Default true when a store is given. */
  readonly cacheEnabled?: boolean;
  /** RBAC_CACHE_TTL in seconds. Default 3600. */
  readonly ttlSeconds?: number;
  /** The app this process serves: permissions scoped to another app do not count here. */
  readonly app?: string;
  /** Resolves users named by email and checks that ids exist (the auth `users` table). */
  readonly users?: UserDirectory;
  readonly logger?: RbacLogger;
  /** Called after each change that took effect: audit, or scheduling `rbac:warm` when `bulk`. */
  readonly onChange?: (change: RbacChange) => void | Promise<void>;
  readonly cacheTuning?: { localMaxEntries?: number; versionPollMs?: number; versionMaxAgeMs?: number };
  readonly now?: () => number;
  /** Told of every cache lookup (local or shared, hit or miss): the platform counts them in /metrics. */
  readonly onCacheLookup?: PermissionLookupListener;
}

/** What `explain` answers: the decision, one sentence for it, and the user's roles. */
export interface RbacExplanation {
  readonly allowed: boolean;
  readonly decision: RbacDecision;
  readonly because: string;
  readonly roles: readonly string[];
}

/**
 * RBAC for one process: checks served from the cache, and the changes that
 * retire it. Every name from outside is validated (E_RBAC_INVALID_NAME); unknown
 * roles, permissions and users are clear errors that list what exists.
 *
 * @example
 * if (await rbac.can(userId, "tasks.update")) …
 * await rbac.grant("member", "tasks.update"); // seen by every server within a second
 */
export class RbacService {
  readonly #repo: RbacRepository;
  readonly #cache: PermissionCache<UserPermissions> | undefined;
  readonly #cacheEnabled: boolean;
  readonly #app: string | undefined;
  readonly #users: UserDirectory | undefined;
  readonly #onChange: RbacServiceOptions["onChange"];
  readonly #now: () => number;
  readonly #checkedNames = new Set<string>();

  constructor(options: RbacServiceOptions) {
    this.#repo = options.repository;
    this.#app = options.app === undefined ? undefined : parseAppName(options.app);
    this.#users = options.users;
    this.#onChange = options.onChange;
    this.#now = options.now ?? Date.now;
    this.#cacheEnabled = options.store !== undefined && options.cacheEnabled !== false;
    if (options.store !== undefined) {
      this.#cache = new PermissionCache(
        {
          store: options.store,
          ttlSeconds: options.ttlSeconds ?? 3600,
          ...options.cacheTuning,
          ...(options.logger === undefined ? {} : { logger: options.logger }),
          ...(options.onCacheLookup === undefined ? {} : { onLookup: options.onCacheLookup }),
          now: this.#now,
        },
        (userIds) => this.#loadFromDatabase(userIds),
        (permissions) => new UserPermissions(permissions, this.#app),
      );
    }
  }

  /** The user's permissions for views and repeated checks: `perms.can(...)` is synchronous. */
  async permissionsFor(userId: number): Promise<UserPermissions> {
    if (this.#cache !== undefined && this.#cacheEnabled) return this.#cache.get(userId);
    const loaded = await this.#loadFromDatabase([userId]);
    return new UserPermissions(loaded.get(userId) ?? this.#empty(userId), this.#app);
  }

  /** Whether the user may do `permission` (concrete: `tasks.update`). Super-admins always may. */
  async can(userId: number, permission: string): Promise<boolean> {
    const name = this.#checked(permission);
    return (await this.permissionsFor(userId)).can(name);
  }

  /** Whether the user has `role` (super-admins pass unless `exact`). */
  async hasRole(userId: number, role: string, options: { exact?: boolean } = {}): Promise<boolean> {
    const name = this.#checkedNames.has(`role:${role}`) ? role : parseRoleName(role);
    if (name === role && this.#checkedNames.size < 4096) this.#checkedNames.add(`role:${name}`);
    return (await this.permissionsFor(userId)).hasRole(name, options);
  }

  /** Why a check passes or fails, read fresh from the database (for `rbac:check` and the admin app). */
  async explain(userId: number, permission: string): Promise<RbacExplanation> {
    const name = parseCheckedPermission(permission);
    const loaded = await this.#loadFromDatabase([userId]);
    const permissions = new UserPermissions(loaded.get(userId) ?? this.#empty(userId), this.#app);
    const decision = permissions.decide(name);
    return {
      allowed: decision.allowed,
      decision,
      because: describeDecision(decision, name, this.#app),
      roles: [...permissions.roles],
    };
  }

  /** A user named by email or numeric id → their id; E_RBAC_UNKNOWN_USER when there is none. */
  async resolveUser(reference: string | number): Promise<number> {
    const text = String(reference).trim();
    if (this.#users === undefined) {
      if (/^\d+$/.test(text)) return Number(text);
      throw unknownUser(text);
    }
    const id = /^\d+$/.test(text)
      ? (await this.#users.exists(Number(text)))
        ? Number(text)
        : undefined
      : await this.#users.findIdByEmail(text);
    if (id === undefined) throw unknownUser(text);
    return id;
  }

  listRoles(): Promise<RoleSummary[]> {
    return this.#repo.listRoles();
  }

  listPermissions(app?: string): Promise<PermissionSummary[]> {
    return this.#repo.listPermissions(app === undefined ? undefined : parseAppName(app));
  }

  async createRole(name: string, description?: string): Promise<RoleRecord> {
    const role = parseRoleName(name);
    const result = await this.#repo.ensureRole(role, description ?? null);
    if (!result.created) throw alreadyExists("role", role);
    await this.#changed({ kind: "role-created", bulk: false, role });
    return result.role;
  }

  async deleteRole(name: string): Promise<void> {
    const role = await this.#role(name);
    await this.#repo.deleteRole(role.id);
    await this.#changed({ kind: "role-deleted", bulk: true, role: role.name });
  }

  async createPermission(
    name: string,
    options: { app?: string; description?: string } = {},
  ): Promise<PermissionRecord> {
    const permission = parsePermissionName(name);
    const app = options.app === undefined ? null : parseAppName(options.app);
    const result = await this.#repo.ensurePermission(permission, app, options.description ?? null);
    if (!result.created) throw alreadyExists("permission", permission);
    await this.#changed({ kind: "permission-created", bulk: false, permission });
    return result.permission;
  }

  async deletePermission(name: string): Promise<void> {
    const permission = await this.#permission(name);
    await this.#repo.deletePermission(permission.id);
    await this.#changed({ kind: "permission-deleted", bulk: true, permission: permission.name });
  }

  /** Gives a role a permission (maybe a wildcard). `changed` is false when it already had it. */
  grant(roleName: string, permissionName: string): Promise<{ changed: boolean }> {
    return this.#rolePermission(true, roleName, permissionName);
  }

  revoke(roleName: string, permissionName: string): Promise<{ changed: boolean }> {
    return this.#rolePermission(false, roleName, permissionName);
  }

  /** Grants a permission to one user directly, outside any role. */
  grantToUser(userId: number, permissionName: string): Promise<{ changed: boolean }> {
    return this.#userPermission(true, userId, permissionName);
  }

  revokeFromUser(userId: number, permissionName: string): Promise<{ changed: boolean }> {
    return this.#userPermission(false, userId, permissionName);
  }

  assign(userId: number, roleName: string): Promise<{ changed: boolean }> {
    return this.#userRole(true, userId, roleName);
  }

  unassign(userId: number, roleName: string): Promise<{ changed: boolean }> {
    return this.#userRole(false, userId, roleName);
  }

  /**
   * Loads these users' permission sets into the shared cache. Returns how many
   * were written: 0 when caching is off or the store is down (warming is best-effort).
   */
  async warm(userIds: readonly number[]): Promise<number> {
    if (this.#cache === undefined || !this.#cacheEnabled) return 0;
    return this.#cache.warm(userIds);
  }

  /**
   * Retires every cached permission set on every server, for changes made behind
   * the service's back (seeders, SQL imports).
   */
  async invalidateCache(): Promise<void> {
    await this.#cache?.invalidate();
  }

  /** True while the cache store is down and checks read the database. */
  get degraded(): boolean {
    return this.#cache?.version.inOutage ?? false;
  }

  /** Stops the background version poll. */
  close(): void {
    this.#cache?.close();
  }

  async #changed(change: RbacChange): Promise<void> {
    // A new role or permission is held by nobody yet (wildcards match names, not rows): nothing to retire.
    if (change.kind !== "role-created" && change.kind !== "permission-created")
      await this.#cache?.invalidate();
    await this.#onChange?.(change);
  }

  async #rolePermission(add: boolean, roleName: string, permissionName: string) {
    const [role, permission] = [await this.#role(roleName), await this.#permission(permissionName)];
    const link = { table: "role_permissions", role_id: role.id, permission_id: permission.id } as const;
    const changed = add ? await this.#repo.link(link) : await this.#repo.unlink(link);
    const kind = add ? "granted" : "revoked";
    if (changed) await this.#changed({ kind, bulk: true, role: role.name, permission: permission.name });
    return { changed };
  }

  async #userPermission(add: boolean, userId: number, permissionName: string) {
    const [user, permission] = [await this.resolveUser(userId), await this.#permission(permissionName)];
    const link = { table: "user_permissions", user_id: user, permission_id: permission.id } as const;
    const changed = add ? await this.#repo.link(link) : await this.#repo.unlink(link);
    const kind = add ? "granted" : "revoked";
    if (changed) await this.#changed({ kind, bulk: false, userId: user, permission: permission.name });
    return { changed };
  }

  async #userRole(add: boolean, userId: number, roleName: string) {
    const [user, role] = [await this.resolveUser(userId), await this.#role(roleName)];
    const link = { table: "user_roles", user_id: user, role_id: role.id } as const;
    const changed = add ? await this.#repo.link(link) : await this.#repo.unlink(link);
    if (changed)
      await this.#changed({
        kind: add ? "assigned" : "unassigned",
        bulk: false,
        userId: user,
        role: role.name,
      });
    return { changed };
  }

  async #role(name: string): Promise<RoleRecord> {
    const role = await this.#repo.findRole(parseRoleName(name));
    if (role === undefined) throw unknownRole(name, await this.#repo.roleNames());
    return role;
  }

  async #permission(name: string): Promise<PermissionRecord> {
    const permission = await this.#repo.findPermission(parsePermissionName(name));
    if (permission === undefined) throw unknownPermission(name, await this.#repo.permissionNames());
    return permission;
  }

  /** Validates a checked name once per process: checks repeat the same few names millions of times. */
  #checked(permission: string): string {
    if (this.#checkedNames.has(permission)) return permission;
    const name = parseCheckedPermission(permission);
    if (name === permission && this.#checkedNames.size < 4096) this.#checkedNames.add(name);
    return name;
  }

  async #loadFromDatabase(userIds: readonly number[]): Promise<Map<number, EffectivePermissions>> {
    const rows = await this.#repo.loadGrants(userIds);
    const loadedAt = this.#now();
    const result = new Map<number, EffectivePermissions>();
    for (const [userId, { roles, grants }] of rows) result.set(userId, { userId, roles, grants, loadedAt });
    return result;
  }

  #empty(userId: number): EffectivePermissions {
    return { userId, roles: [], grants: [], loadedAt: this.#now() };
  }
}

import type { Kysely, SelectQueryBuilder } from "kysely";
import { sqlDialectOf } from "../db/sql-dialect.js";
import { parsePermissionName, parseRoleName, SUPER_ADMIN_ROLE } from "./names.js";
import { permissionPatternCovers } from "./permission-pattern.js";
import { exceedsHolder, lastSuperAdmin, superAdminRequired } from "./rbac-messages.js";
import { RbacRepository } from "./rbac-repository.js";
import type { RbacTables } from "./rbac-schema.js";
import type { DirectoryTables } from "./sql-user-directory.js";
import type { PermissionGrant } from "./types.js";

type SuperAdminQuery = SelectQueryBuilder<
  AccessPolicyTables & { roles: RbacTables["roles"]; users: DirectoryTables["users"] },
  "user_roles" | "roles" | "users",
  { id: number }
>;

/** What can be done to an account, as far as access is concerned. */
export type AccountAction =
  | "disable"
  | "enable"
  | "edit"
  | "password"
  | "delete"
  | "end-session"
  | "reset-two-factor";

/**
 * One change of who may do what, as the access-change policy judges it. `userId`
 * of `assign-role` is undefined for an account being created with a first role.
 */
export type AccessChange =
  | { readonly kind: "assign-role"; readonly role: string; readonly userId?: number | undefined }
  | { readonly kind: "unassign-role"; readonly role: string; readonly userId: number }
  | {
      readonly kind: "grant-to-user" | "revoke-from-user";
      readonly permission: string;
      readonly userId: number;
    }
  | {
      readonly kind: "grant-to-role" | "revoke-from-role";
      readonly permission: string;
      readonly role: string;
    }
  | { readonly kind: "delete-role"; readonly role: string }
  | { readonly kind: "account"; readonly action: AccountAction; readonly userId: number };

/** The tables the policy reads: RBAC's and the `users` columns it needs (disabled or not). */
export type AccessPolicyTables = RbacTables & DirectoryTables;

/** The codes a refusal of the policy carries; callers audit these. */
export const ACCESS_REFUSAL_CODES: ReadonlySet<string> = new Set([
  "E_RBAC_GRANT_EXCEEDS_HOLDER",
  "E_RBAC_SUPER_ADMIN_REQUIRED",
  "E_RBAC_LAST_SUPER_ADMIN",
]);

/** A permission as the policy compares it: its name (maybe a wildcard) and the app it is scoped to. */
export interface ScopedPermission {
  readonly name: string;
  readonly app: string | null;
}

/** Who acts, as the policy sees them: super-admin or not, and every grant (any app). */
export interface Holder {
  readonly superAdmin: boolean;
  readonly grants: readonly PermissionGrant[];
}

/**
 * "No one grants more than they hold": the one place that decides whether a user
 * may change someone's access (docs/rbac.md). Every path of the admin app — HTML
 * forms and /api/v1 alike — asks it before a change, inside the change's own
 * transaction (pass that transaction as `db`), so the answer and the change see
 * the same rows. The `marg rbac:*` CLI is the operator's root path and does not ask.
 *
 * - A permission (wildcards included) may be granted or revoked, and a role
 *   assigned, unassigned or deleted, only by someone who holds every permission
 *   it carries: a grant of theirs whose pattern covers it, scoped to every app it counts in.
 * - The super-admin role is assigned and taken only by a super-admin, and only a
 *   super-admin may touch a super-admin's account or access.
 * - The last active super-admin is never disabled, deleted or demoted.
 *
 * Refusals are MargErrors: E_RBAC_GRANT_EXCEEDS_HOLDER and E_RBAC_SUPER_ADMIN_REQUIRED
 * (403), E_RBAC_LAST_SUPER_ADMIN (409). Unknown roles, permissions and users pass:
 * the change itself reports them.
 *
 * @example
 * await audit.change(async (trx) => {
 *   await new AccessChangePolicy(trx).check(actor.userId, { kind: "assign-role", role, userId });
 *   …
 * });
 */
export class AccessChangePolicy {
  readonly #db: Kysely<AccessPolicyTables>;

  constructor(db: Kysely<AccessPolicyTables>) {
    this.#db = db;
  }

  /** Resolves when `actorUserId` may make `change`; throws the refusal otherwise. */
  async check(actorUserId: number, raw: AccessChange): Promise<void> {
    // Judge the names the change will use: " super-admin" is stored as "super-admin".
    const change = normalized(raw);
    const actor = await this.#holder(actorUserId);
    switch (change.kind) {
      case "assign-role":
      case "unassign-role": {
        const verb = change.kind === "assign-role" ? "assign" : "take away";
        await this.#requireRole(actor, change.role, `${verb} the role '${change.role}'`);
        if (change.userId !== undefined)
          await this.#protectSuperAdmin(actor, change.userId, "change the roles of");
        if (change.kind === "unassign-role" && change.role === SUPER_ADMIN_ROLE)
          await this.#keepOneSuperAdmin(change.userId, "take the super-admin role from");
        return;
      }
      case "grant-to-user":
      case "revoke-from-user": {
        const verb = change.kind === "grant-to-user" ? "grant" : "revoke";
        await this.#requireHeld(
          actor,
          await this.#permission(change.permission),
          `${verb} '${change.permission}'`,
        );
        await this.#protectSuperAdmin(actor, change.userId, "change the permissions of");
        return;
      }
      case "grant-to-role":
      case "revoke-from-role": {
        if (change.role === SUPER_ADMIN_ROLE && !actor.superAdmin)
          throw superAdminRequired(`change the grants of the role '${SUPER_ADMIN_ROLE}'`);
        const what = change.kind === "grant-to-role" ? "grant" : "revoke";
        const where = change.kind === "grant-to-role" ? "to" : "from";
        await this.#requireHeld(
          actor,
          await this.#permission(change.permission),
          `${what} '${change.permission}' ${where} the role '${change.role}'`,
        );
        return;
      }
      case "delete-role":
        if (change.role === SUPER_ADMIN_ROLE) {
          if (!actor.superAdmin) throw superAdminRequired(`delete the role '${SUPER_ADMIN_ROLE}'`);
          if ((await this.#activeSuperAdmins(undefined)) > 0)
            throw lastSuperAdmin("delete the super-admin role");
        }
        await this.#requireRole(actor, change.role, `delete the role '${change.role}'`);
        return;
      case "account": {
        await this.#protectSuperAdmin(actor, change.userId, `${ACCOUNT_VERBS[change.action]} the account of`);
        if (change.action === "disable" || change.action === "delete")
          await this.#keepOneSuperAdmin(change.userId, `${change.action}`);
        return;
      }
    }
  }

  /**
   * True when `userId` is an active super-admin and no other active user is one:
   * disabling, deleting or demoting them leaves nobody with every right. The CLI
   * warns on it (it still does what the operator asked).
   */
  async isLastActiveSuperAdmin(userId: number): Promise<boolean> {
    if (!(await this.#isActiveSuperAdmin(userId))) return false;
    return (await this.#activeSuperAdmins(userId)) === 0;
  }

  async #holder(userId: number): Promise<Holder> {
    const loaded = (await new RbacRepository(this.#rbac()).loadGrants([userId])).get(userId);
    return {
      superAdmin: loaded?.roles.includes(SUPER_ADMIN_ROLE) ?? false,
      grants: loaded?.grants ?? [],
    };
  }

  /** Refuses unless the actor holds every permission the role carries (super-admin: only super-admins). */
  async #requireRole(actor: Holder, role: string, what: string): Promise<void> {
    if (role === SUPER_ADMIN_ROLE) {
      if (!actor.superAdmin) throw superAdminRequired(what);
      return;
    }
    const rows = await this.#db
      .selectFrom("roles")
      .innerJoin("role_permissions", "role_permissions.role_id", "roles.id")
      .innerJoin("permissions", "permissions.id", "role_permissions.permission_id")
      .select(["permissions.name as name", "permissions.app as app"])
      .where("roles.name", "=", role)
      .orderBy("permissions.name")
      .execute();
    await this.#requireHeld(actor, rows, what);
  }

  async #requireHeld(actor: Holder, wanted: readonly ScopedPermission[], what: string): Promise<void> {
    if (actor.superAdmin) return;
    const missing = wanted.filter((permission) => !holds(actor, permission)).map((p) => p.name);
    if (missing.length > 0) throw exceedsHolder(what, missing);
  }

  async #permission(name: string): Promise<ScopedPermission[]> {
    const row = await this.#db
      .selectFrom("permissions")
      .select(["name", "app"])
      .where("name", "=", name)
      .executeTakeFirst();
    return row === undefined ? [] : [row];
  }

  /** Only a super-admin may change a super-admin (disabled or not: enabling one gives every right back). */
  async #protectSuperAdmin(actor: Holder, userId: number, what: string): Promise<void> {
    if (actor.superAdmin) return;
    const row = await this.#db
      .selectFrom("user_roles")
      .innerJoin("roles", "roles.id", "user_roles.role_id")
      .select("user_roles.user_id")
      .where("user_roles.user_id", "=", userId)
      .where("roles.name", "=", SUPER_ADMIN_ROLE)
      .executeTakeFirst();
    if (row !== undefined) throw superAdminRequired(`${what} a super-admin`);
  }

  async #keepOneSuperAdmin(userId: number, what: string): Promise<void> {
    // Serialise the changes that could remove a super-admin (MariaDB): two admins each
    // disabling the other at once must not both see "there is another one".
    if (sqlDialectOf(this.#db) === "mysql") {
      await this.#db
        .selectFrom("roles")
        .select("id")
        .where("name", "=", SUPER_ADMIN_ROLE)
        .forUpdate()
        .execute();
    }
    if (await this.isLastActiveSuperAdmin(userId)) throw lastSuperAdmin(`${what} them`);
  }

  async #isActiveSuperAdmin(userId: number): Promise<boolean> {
    return (await this.#superAdmins((query) => query.where("users.id", "=", userId))).length > 0;
  }

  async #activeSuperAdmins(except: number | undefined): Promise<number> {
    const others = await this.#superAdmins((query) =>
      except === undefined ? query : query.where("users.id", "<>", except),
    );
    return others.length;
  }

  /**
   * Ids of active super-admins (narrowed by `where`). A locking read on MariaDB:
   * it sees what other transactions committed, not this one's older snapshot.
   */
  async #superAdmins(where: (query: SuperAdminQuery) => SuperAdminQuery): Promise<unknown[]> {
    const query = where(
      this.#db
        .selectFrom("user_roles")
        .innerJoin("roles", "roles.id", "user_roles.role_id")
        .innerJoin("users", "users.id", "user_roles.user_id")
        .select("users.id")
        .where("roles.name", "=", SUPER_ADMIN_ROLE)
        .where("users.disabled_at", "is", null),
    );
    return sqlDialectOf(this.#db) === "mysql" ? query.forUpdate().execute() : query.execute();
  }

  #rbac(): Kysely<RbacTables> {
    return this.#db as unknown as Kysely<RbacTables>;
  }
}

function normalized(change: AccessChange): AccessChange {
  const named = "role" in change ? { ...change, role: parseRoleName(change.role) } : change;
  return "permission" in named ? { ...named, permission: parsePermissionName(named.permission) } : named;
}

const ACCOUNT_VERBS: Record<AccountAction, string> = {
  disable: "disable",
  enable: "enable",
  edit: "edit",
  password: "change the password of",
  delete: "delete",
  "end-session": "end a session of",
  "reset-two-factor": "reset the two-factor sign-in of",
};

/**
 * Whether one of the holder's grants covers `wanted` wherever it counts: its
 * pattern covers the name, and it is unscoped or scoped to the same app (a grant
 * scoped to links does not let you hand out a permission that counts everywhere).
 * Views use it to offer only what the policy would allow (e.g. with a
 * UserPermissions: `{ superAdmin: perms.superAdmin, grants: perms.source.grants }`).
 */
export function holdsPermission(holder: Holder, wanted: ScopedPermission): boolean {
  return holder.superAdmin || holds(holder, wanted);
}

function holds(holder: Holder, wanted: ScopedPermission): boolean {
  return holder.grants.some(
    (grant) =>
      (grant.app === null || grant.app === wanted.app) &&
      permissionPatternCovers(grant.permission, wanted.name),
  );
}

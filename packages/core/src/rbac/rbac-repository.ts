import type { Kysely } from "kysely";
import type { RbacTables } from "./rbac-schema.js";
import type { PermissionGrant } from "./types.js";

export interface RoleRecord {
  readonly id: number;
  readonly name: string;
  readonly description: string | null;
}

export interface PermissionRecord {
  readonly id: number;
  readonly name: string;
  readonly app: string | null;
  readonly description: string | null;
}

export interface RoleSummary extends RoleRecord {
  readonly permissions: readonly string[];
  readonly userCount: number;
}

export interface PermissionSummary extends PermissionRecord {
  readonly roles: readonly string[];
}

/** Which pivot table a link lives in. */
type Link =
  | { readonly table: "role_permissions"; readonly role_id: number; readonly permission_id: number }
  | { readonly table: "user_roles"; readonly user_id: number; readonly role_id: number }
  | { readonly table: "user_permissions"; readonly user_id: number; readonly permission_id: number };

/** Database ids come back as number (SQLite) or number/string (MySQL BIGINT); RBAC uses numbers. */
const toId = (value: unknown): number => Number(value);

/**
 * The SQL side of RBAC: roles, permissions and the three links between them and
 * users. It decides nothing (validation and cache invalidation are RbacService's);
 * every write is idempotent and says whether it changed a row.
 */
export class RbacRepository {
  readonly #db: Kysely<RbacTables>;
  readonly #now: () => number;

  constructor(db: Kysely<RbacTables>, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  async findRole(name: string): Promise<RoleRecord | undefined> {
    const row = await this.#db
      .selectFrom("roles")
      .select(["id", "name", "description"])
      .where("name", "=", name)
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, id: toId(row.id) };
  }

  async findPermission(name: string): Promise<PermissionRecord | undefined> {
    const row = await this.#db
      .selectFrom("permissions")
      .select(["id", "name", "app", "description"])
      .where("name", "=", name)
      .executeTakeFirst();
    return row === undefined ? undefined : { ...row, id: toId(row.id) };
  }

  /** Inserts the role unless one has this name; returns the stored row and whether it is new. */
  async ensureRole(
    name: string,
    description: string | null,
  ): Promise<{ role: RoleRecord; created: boolean }> {
    const result = await this.#db
      .insertInto("roles")
      .ignore()
      .values({ name, description, created_at: this.#now() })
      .executeTakeFirst();
    const role = await this.findRole(name);
    if (role === undefined) throw new Error(`role '${name}' vanished right after it was written`);
    return { role, created: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
  }

  async ensurePermission(
    name: string,
    app: string | null,
    description: string | null,
  ): Promise<{ permission: PermissionRecord; created: boolean }> {
    const result = await this.#db
      .insertInto("permissions")
      .ignore()
      .values({ name, app, description, created_at: this.#now() })
      .executeTakeFirst();
    const permission = await this.findPermission(name);
    if (permission === undefined) throw new Error(`permission '${name}' vanished right after it was written`);
    return { permission, created: Number(result.numInsertedOrUpdatedRows ?? 0) > 0 };
  }

  /** Deletes the role and its links (explicitly: SQLite enforces foreign keys only when asked to). */
  async deleteRole(id: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("role_permissions").where("role_id", "=", id).execute();
      await trx.deleteFrom("user_roles").where("role_id", "=", id).execute();
      await trx.deleteFrom("roles").where("id", "=", id).execute();
    });
  }

  async deletePermission(id: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("role_permissions").where("permission_id", "=", id).execute();
      await trx.deleteFrom("user_permissions").where("permission_id", "=", id).execute();
      await trx.deleteFrom("permissions").where("id", "=", id).execute();
    });
  }

  /** Adds a link; false when it was already there. */
  async link(link: Link): Promise<boolean> {
    const created_at = this.#now();
    const db = this.#db;
    const result = await (link.table === "role_permissions"
      ? db
          .insertInto("role_permissions")
          .ignore()
          .values({ role_id: link.role_id, permission_id: link.permission_id, created_at })
      : link.table === "user_roles"
        ? db
            .insertInto("user_roles")
            .ignore()
            .values({ user_id: link.user_id, role_id: link.role_id, created_at })
        : db
            .insertInto("user_permissions")
            .ignore()
            .values({ user_id: link.user_id, permission_id: link.permission_id, created_at })
    ).executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Removes a link; false when there was none. */
  async unlink(link: Link): Promise<boolean> {
    const db = this.#db;
    const result = await (link.table === "role_permissions"
      ? db
          .deleteFrom("role_permissions")
          .where("role_id", "=", link.role_id)
          .where("permission_id", "=", link.permission_id)
      : link.table === "user_roles"
        ? db.deleteFrom("user_roles").where("user_id", "=", link.user_id).where("role_id", "=", link.role_id)
        : db
            .deleteFrom("user_permissions")
            .where("user_id", "=", link.user_id)
            .where("permission_id", "=", link.permission_id)
    ).executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async listRoles(): Promise<RoleSummary[]> {
    const roles = await this.#db
      .selectFrom("roles")
      .select(["id", "name", "description"])
      .orderBy("name")
      .execute();
    const grants = await this.#db
      .selectFrom("role_permissions")
      .innerJoin("permissions", "permissions.id", "role_permissions.permission_id")
      .select(["role_permissions.role_id as roleId", "permissions.name as permission"])
      .orderBy("permissions.name")
      .execute();
    const counts = await this.#db
      .selectFrom("user_roles")
      .select((eb) => ["role_id", eb.fn.countAll<number>().as("users")])
      .groupBy("role_id")
      .execute();
    return roles.map((role) => {
      const id = toId(role.id);
      return {
        ...role,
        id,
        permissions: grants.filter((grant) => toId(grant.roleId) === id).map((grant) => grant.permission),
        userCount: Number(counts.find((count) => toId(count.role_id) === id)?.users ?? 0),
      };
    });
  }

  async listPermissions(app?: string): Promise<PermissionSummary[]> {
    let query = this.#db
      .selectFrom("permissions")
      .select(["id", "name", "app", "description"])
      .orderBy("name");
    if (app !== undefined) query = query.where("app", "=", app);
    const permissions = await query.execute();
    const grants = await this.#db
      .selectFrom("role_permissions")
      .innerJoin("roles", "roles.id", "role_permissions.role_id")
      .select(["role_permissions.permission_id as permissionId", "roles.name as role"])
      .orderBy("roles.name")
      .execute();
    return permissions.map((permission) => {
      const id = toId(permission.id);
      const roles = grants.filter((grant) => toId(grant.permissionId) === id).map((grant) => grant.role);
      return { ...permission, id, roles };
    });
  }

  /** Names of every role, sorted: what an "unknown role" message lists. */
  async roleNames(): Promise<string[]> {
    const rows = await this.#db.selectFrom("roles").select("name").orderBy("name").execute();
    return rows.map((row) => row.name);
  }

  async permissionNames(): Promise<string[]> {
    const rows = await this.#db.selectFrom("permissions").select("name").orderBy("name").execute();
    return rows.map((row) => row.name);
  }

  /**
   * Roles and grants of several users in two queries (plus one per 500 users),
   * which is what makes the warm job cheap. Users without any come back empty.
   */
  async loadGrants(
    userIds: readonly number[],
  ): Promise<Map<number, { roles: string[]; grants: PermissionGrant[] }>> {
    const result = new Map<number, { roles: string[]; grants: PermissionGrant[] }>();
    for (const id of userIds) result.set(id, { roles: [], grants: [] });
    for (let i = 0; i < userIds.length; i += 500) {
      const chunk = userIds.slice(i, i + 500);
      const viaRoles = await this.#db
        .selectFrom("user_roles")
        .innerJoin("roles", "roles.id", "user_roles.role_id")
        .leftJoin("role_permissions", "role_permissions.role_id", "roles.id")
        .leftJoin("permissions", "permissions.id", "role_permissions.permission_id")
        .select([
          "user_roles.user_id as userId",
          "roles.name as role",
          "permissions.name as permission",
          "permissions.app as app",
        ])
        .where("user_roles.user_id", "in", chunk)
        .execute();
      const direct = await this.#db
        .selectFrom("user_permissions")
        .innerJoin("permissions", "permissions.id", "user_permissions.permission_id")
        .select([
          "user_permissions.user_id as userId",
          "permissions.name as permission",
          "permissions.app as app",
        ])
        .where("user_permissions.user_id", "in", chunk)
        .execute();
      for (const row of viaRoles) {
        const entry = result.get(toId(row.userId));
        if (entry === undefined) continue;
        if (!entry.roles.includes(row.role)) entry.roles.push(row.role);
        if (row.permission !== null)
          entry.grants.push({ permission: row.permission, app: row.app, role: row.role });
      }
      for (const row of direct) {
        result.get(toId(row.userId))?.grants.push({ permission: row.permission, app: row.app, role: null });
      }
    }
    for (const entry of result.values()) entry.roles.sort();
    return result;
  }
}

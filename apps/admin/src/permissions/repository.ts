import { type PermissionRecord, permissionCovers, SUPER_ADMIN_ROLE } from "@marg/core/rbac";
import type { Kysely } from "kysely";
import type { AdminDatabase } from "../database.js";

/** How a user comes to hold a permission. */
export type HoldingVia =
  | { readonly kind: "super-admin" }
  | { readonly kind: "role"; readonly role: string; readonly granted: string }
  | { readonly kind: "direct"; readonly granted: string };

export interface PermissionHolder {
  readonly userId: number;
  readonly name: string;
  readonly email: string;
  readonly disabled: boolean;
  readonly via: readonly HoldingVia[];
}

/** One permission in the "who has what" table. */
export interface PermissionCoverage {
  readonly permission: PermissionRecord;
  /** Roles whose grants cover it (a wildcard counts), with the grant that does. */
  readonly roles: readonly { readonly role: string; readonly granted: string }[];
  /** Distinct users holding it through a role or directly. */
  readonly userCount: number;
}

/** Most holders one permission page lists; past this the page says how many more there are. */
export const HOLDERS_LIMIT = 500;

type Db = Kysely<AdminDatabase>;

interface Grants {
  readonly permissions: PermissionRecord[];
  readonly roleGrants: { roleId: number; role: string; permission: string }[];
  readonly roles: { id: number; name: string }[];
  readonly directGrants: { permissionId: number; permission: string }[];
}

/**
 * "Who has what": for each permission, the roles whose grants cover it (wildcards
 * included, the super-admin always) and the users who hold it through them or directly.
 */
export class PermissionHolders {
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async overview(): Promise<PermissionCoverage[]> {
    const grants = await this.#grants();
    const result: PermissionCoverage[] = [];
    for (const permission of grants.permissions) {
      const { roleIds, roles, directIds } = covering(grants, permission.name);
      result.push({ permission, roles, userCount: await this.#countHolders(roleIds, directIds) });
    }
    return result;
  }

  /** The permission's holders, or undefined when no permission has this name. */
  async holdersOf(
    name: string,
  ): Promise<{ coverage: PermissionCoverage; holders: PermissionHolder[]; more: number } | undefined> {
    const grants = await this.#grants();
    const permission = grants.permissions.find((candidate) => candidate.name === name);
    if (permission === undefined) return undefined;
    const { roleIds, roles, directIds } = covering(grants, name);
    const holders = new Map<number, { row: UserRow; via: HoldingVia[] }>();
    const add = (row: UserRow, via: HoldingVia) => {
      const id = Number(row.id);
      const entry = holders.get(id) ?? { row, via: [] };
      entry.via.push(via);
      holders.set(id, entry);
    };
    const grantedBy = new Map(roles.map((role) => [role.role, role.granted]));
    if (roleIds.length > 0) {
      const rows = await this.#users()
        .innerJoin("user_roles", "user_roles.user_id", "users.id")
        .innerJoin("roles", "roles.id", "user_roles.role_id")
        .select("roles.name as role")
        .where("user_roles.role_id", "in", roleIds)
        .execute();
      for (const row of rows) {
        add(
          row,
          row.role === SUPER_ADMIN_ROLE
            ? { kind: "super-admin" }
            : { kind: "role", role: row.role, granted: grantedBy.get(row.role) ?? name },
        );
      }
    }
    if (directIds.length > 0) {
      const rows = await this.#users()
        .innerJoin("user_permissions", "user_permissions.user_id", "users.id")
        .innerJoin("permissions", "permissions.id", "user_permissions.permission_id")
        .select("permissions.name as granted")
        .where("user_permissions.permission_id", "in", directIds)
        .execute();
      for (const row of rows) add(row, { kind: "direct", granted: row.granted });
    }
    const all = [...holders.values()]
      .map(({ row, via }) => ({
        userId: Number(row.id),
        name: row.name,
        email: row.email,
        disabled: row.disabled_at !== null,
        via,
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.userId - b.userId);
    return {
      coverage: { permission, roles, userCount: all.length },
      holders: all.slice(0, HOLDERS_LIMIT),
      more: Math.max(0, all.length - HOLDERS_LIMIT),
    };
  }

  #users() {
    return this.#db
      .selectFrom("users")
      .select(["users.id", "users.name", "users.email", "users.disabled_at"]);
  }

  async #grants(): Promise<Grants> {
    const [permissions, roleGrants, roles, directGrants] = await Promise.all([
      this.#db
        .selectFrom("permissions")
        .select(["id", "name", "app", "description"])
        .orderBy("name")
        .execute(),
      this.#db
        .selectFrom("role_permissions")
        .innerJoin("roles", "roles.id", "role_permissions.role_id")
        .innerJoin("permissions", "permissions.id", "role_permissions.permission_id")
        .select(["roles.id as roleId", "roles.name as role", "permissions.name as permission"])
        .execute(),
      this.#db.selectFrom("roles").select(["id", "name"]).orderBy("name").execute(),
      this.#db
        .selectFrom("user_permissions")
        .innerJoin("permissions", "permissions.id", "user_permissions.permission_id")
        .select(["permissions.id as permissionId", "permissions.name as permission"])
        .distinct()
        .execute(),
    ]);
    return {
      permissions: permissions.map((row) => ({ ...row, id: Number(row.id) })),
      roleGrants: roleGrants.map((row) => ({ ...row, roleId: Number(row.roleId) })),
      roles: roles.map((row) => ({ id: Number(row.id), name: row.name })),
      directGrants: directGrants.map((row) => ({ ...row, permissionId: Number(row.permissionId) })),
    };
  }

  /** Distinct users with any of these roles or direct grants (UNION removes duplicates). */
  async #countHolders(roleIds: readonly number[], permissionIds: readonly number[]): Promise<number> {
    const viaRoles =
      roleIds.length === 0
        ? undefined
        : this.#db.selectFrom("user_roles").select("user_id").where("role_id", "in", roleIds);
    const direct =
      permissionIds.length === 0
        ? undefined
        : this.#db
            .selectFrom("user_permissions")
            .select("user_id")
            .where("permission_id", "in", permissionIds);
    const holders =
      viaRoles !== undefined && direct !== undefined ? viaRoles.union(direct) : (viaRoles ?? direct);
    if (holders === undefined) return 0;
    const row = await this.#db
      .selectFrom(holders.as("holders"))
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }
}

type UserRow = { id: number; name: string; email: string; disabled_at: number | null };

/** Roles (super-admin always) and direct grants that cover `name`. */
function covering(grants: Grants, name: string) {
  const roles: { role: string; granted: string }[] = [];
  const roleIds: number[] = [];
  for (const role of grants.roles) {
    const own = grants.roleGrants.filter(
      (grant) => grant.roleId === role.id && permissionCovers(grant.permission, name),
    );
    // The exact grant names the reason best; a wildcard only when there is none.
    const granted =
      role.name === SUPER_ADMIN_ROLE
        ? "*"
        : (own.find((grant) => grant.permission === name) ?? own[0])?.permission;
    if (granted === undefined) continue;
    roles.push({ role: role.name, granted });
    roleIds.push(role.id);
  }
  const directIds = grants.directGrants
    .filter((grant) => permissionCovers(grant.permission, name))
    .map((grant) => grant.permissionId);
  return { roles, roleIds, directIds };
}

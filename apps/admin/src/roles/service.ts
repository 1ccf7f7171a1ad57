import { MargError } from "@marg/core/errors";
import {
  type AccessChange,
  parseRoleName,
  RbacRepository,
  type RbacService,
  type RoleRecord,
  SUPER_ADMIN_ROLE,
} from "@marg/core/rbac";
import type { Transaction } from "kysely";
import type { AccessChangeGate } from "../access/service.js";
import type { Actor } from "../audit/actor.js";
import type { AuditEntry, AuditLog } from "../audit/repository.js";
import { type AdminDatabase, asRbacDb } from "../database.js";
import { findPermissionOrFail, findRoleOrFail } from "./lookups.js";
import {
  assertUserExists,
  directPermissionsOfUser,
  permissionsOfRole,
  rolesOfUser,
  userIdsOfRole,
} from "./repository.js";

type Trx = Transaction<AdminDatabase>;

function protectedRole(what: string): MargError {
  return new MargError(
    "E_ADMIN_PROTECTED_ROLE",
    `The ${SUPER_ADMIN_ROLE} role is built in: it passes every check by its name, so it cannot be ${what}.`,
    { status: 409 },
  );
}

/**
 * Roles, permissions and assignments, changed the way the RBAC service would
 * (same names, same errors) but inside the audit transaction, then every
 * server's permission cache is retired at once. Each change is judged first by
 * core's access-change policy (through the gate): no one grants, revokes,
 * assigns or takes more than they hold.
 */
export class RbacAdminService {
  readonly #audit: AuditLog;
  readonly #gate: AccessChangeGate;
  readonly #rbac: Pick<RbacService, "invalidateCache">;

  constructor(deps: { audit: AuditLog; gate: AccessChangeGate; rbac: Pick<RbacService, "invalidateCache"> }) {
    this.#audit = deps.audit;
    this.#gate = deps.gate;
    this.#rbac = deps.rbac;
  }

  assignRole(actor: Actor, userId: number, roleName: string) {
    return this.#userRole(actor, userId, roleName, true);
  }

  /** Takes a role from a user; never from yourself (you could lock yourself out of admin). */
  unassignRole(actor: Actor, userId: number, roleName: string) {
    return this.#userRole(actor, userId, roleName, false);
  }

  grantToUser(actor: Actor, userId: number, permissionName: string) {
    return this.#userPermission(actor, userId, permissionName, true);
  }

  revokeFromUser(actor: Actor, userId: number, permissionName: string) {
    return this.#userPermission(actor, userId, permissionName, false);
  }

  grant(actor: Actor, roleName: string, permissionName: string) {
    return this.#rolePermission(actor, roleName, permissionName, true);
  }

  revoke(actor: Actor, roleName: string, permissionName: string) {
    return this.#rolePermission(actor, roleName, permissionName, false);
  }

  async createRole(actor: Actor, name: string, description: string | null): Promise<RoleRecord> {
    const roleName = parseRoleName(name);
    return this.#audit.change(async (trx) => {
      const { role, created } = await new RbacRepository(asRbacDb(trx)).ensureRole(roleName, description);
      if (!created) {
        const message = `A role named '${roleName}' already exists.`;
        throw new MargError("E_RBAC_ALREADY_EXISTS", message, {
          status: 409,
          details: { fields: { name: message } },
        });
      }
      return {
        result: role,
        audit: entry(actor, "role.create", "role", role.name, undefined, { ...role, permissions: [] }),
      };
    });
  }

  /** Deletes a role and its links (its users lose what it gave them at once). */
  async deleteRole(actor: Actor, name: string): Promise<void> {
    await this.#gate.change(actor, { kind: "delete-role", role: name }, async (trx) => {
      const role = await findRoleOrFail(new RbacRepository(asRbacDb(trx)), name);
      if (role.name === SUPER_ADMIN_ROLE) throw protectedRole("deleted");
      const before = {
        ...role,
        permissions: await permissionsOfRole(trx, role.id),
        userIds: await userIdsOfRole(trx, role.id),
      };
      // Explicit deletes: SQLite enforces foreign keys only when asked, and a transaction cannot nest.
      await trx.deleteFrom("role_permissions").where("role_id", "=", role.id).execute();
      await trx.deleteFrom("user_roles").where("role_id", "=", role.id).execute();
      await trx.deleteFrom("roles").where("id", "=", role.id).execute();
      return { result: undefined, audit: entry(actor, "role.delete", "role", role.name, before, undefined) };
    });
    await this.#rbac.invalidateCache();
  }

  async #userRole(actor: Actor, userId: number, roleName: string, add: boolean) {
    const change = { kind: add ? "assign-role" : "unassign-role", role: roleName, userId } as const;
    return this.#changeAndRetire(actor, change, async (trx) => {
      // After the policy, so the last super-admin demoting themselves hears that reason.
      if (!add && userId === actor.userId) {
        throw new MargError(
          "E_ADMIN_SELF_LOCKOUT",
          "You cannot take a role from your own account: ask another administrator to do it.",
          { status: 409 },
        );
      }
      const repo = new RbacRepository(asRbacDb(trx));
      const role = await findRoleOrFail(repo, roleName);
      await assertUserExists(trx, userId);
      const before = await rolesOfUser(trx, userId);
      const link = { table: "user_roles", user_id: userId, role_id: role.id } as const;
      const changed = add ? await repo.link(link) : await repo.unlink(link);
      const after = await rolesOfUser(trx, userId);
      const action = add ? "user.role-assign" : "user.role-unassign";
      const audit = changed
        ? entry(actor, action, "user", userId, { roles: before }, { roles: after })
        : null;
      return { result: { changed, roles: after }, audit };
    });
  }

  async #userPermission(actor: Actor, userId: number, permissionName: string, add: boolean) {
    const kind = add ? "grant-to-user" : "revoke-from-user";
    return this.#changeAndRetire(actor, { kind, permission: permissionName, userId }, async (trx) => {
      const repo = new RbacRepository(asRbacDb(trx));
      const permission = await findPermissionOrFail(repo, permissionName);
      await assertUserExists(trx, userId);
      const before = await directPermissionsOfUser(trx, userId);
      const link = { table: "user_permissions", user_id: userId, permission_id: permission.id } as const;
      const changed = add ? await repo.link(link) : await repo.unlink(link);
      const after = await directPermissionsOfUser(trx, userId);
      const action = add ? "user.permission-grant" : "user.permission-revoke";
      const audit = changed
        ? entry(actor, action, "user", userId, { permissions: before }, { permissions: after })
        : null;
      return { result: { changed, permissions: after }, audit };
    });
  }

  async #rolePermission(actor: Actor, roleName: string, permissionName: string, add: boolean) {
    const kind = add ? "grant-to-role" : "revoke-from-role";
    return this.#changeAndRetire(actor, { kind, permission: permissionName, role: roleName }, async (trx) => {
      const repo = new RbacRepository(asRbacDb(trx));
      const role = await findRoleOrFail(repo, roleName);
      if (role.name === SUPER_ADMIN_ROLE) throw protectedRole("changed");
      const permission = await findPermissionOrFail(repo, permissionName);
      const before = await permissionsOfRole(trx, role.id);
      const link = { table: "role_permissions", role_id: role.id, permission_id: permission.id } as const;
      const changed = add ? await repo.link(link) : await repo.unlink(link);
      const after = await permissionsOfRole(trx, role.id);
      const action = add ? "role.grant" : "role.revoke";
      const audit = changed
        ? entry(actor, action, "role", role.name, { permissions: before }, { permissions: after })
        : null;
      return { result: { changed, permissions: after }, audit };
    });
  }

  /** Runs an audited change behind the policy; when it changed anything, retires every server's cached permission sets. */
  async #changeAndRetire<T extends { changed: boolean }>(
    actor: Actor,
    change: AccessChange,
    run: (trx: Trx) => Promise<{ result: T; audit: AuditEntry | null }>,
  ): Promise<T> {
    const result = await this.#gate.change(actor, change, run);
    if (result.changed) await this.#rbac.invalidateCache();
    return result;
  }
}

function entry(
  actor: Actor,
  action: string,
  subjectType: string,
  subjectId: string | number,
  before: unknown,
  after: unknown,
): AuditEntry {
  return { actorUserId: actor.userId, ip: actor.ip, action, subjectType, subjectId, before, after };
}

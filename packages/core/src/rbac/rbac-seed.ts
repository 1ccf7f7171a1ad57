import type { Kysely } from "kysely";
import { MargError } from "../errors/marg-error.js";
import { SUPER_ADMIN_ROLE } from "./names.js";
import { RbacRepository } from "./rbac-repository.js";
import type { RbacTables } from "./rbac-schema.js";

/** The permissions every installation starts with, grouped by the app they belong to. */
export const DEFAULT_PERMISSIONS: ReadonlyArray<{ name: string; app: string | null; description: string }> = [
  { name: "*", app: null, description: "Everything, in every app" },
  { name: "tasks.view", app: "flow", description: "See tasks" },
  { name: "tasks.create", app: "flow", description: "Create tasks" },
  { name: "tasks.update", app: "flow", description: "Edit tasks" },
  { name: "tasks.delete", app: "flow", description: "Delete tasks" },
  { name: "tasks.*", app: "flow", description: "Everything about tasks" },
  { name: "documents.view", app: "flow", description: "See documents" },
  { name: "documents.create", app: "flow", description: "Upload documents" },
  { name: "documents.update", app: "flow", description: "Edit documents" },
  { name: "documents.delete", app: "flow", description: "Delete documents" },
  { name: "documents.*", app: "flow", description: "Everything about documents" },
  { name: "reports.view", app: "flow", description: "See reports" },
  { name: "feedback.create", app: "flow", description: "Send feedback" },
  { name: "links.view", app: "links", description: "See links" },
  { name: "links.create", app: "links", description: "Create short links" },
  { name: "links.update", app: "links", description: "Edit links" },
  { name: "links.delete", app: "links", description: "Delete links" },
  { name: "links.stats", app: "links", description: "See click statistics" },
  { name: "links.*", app: "links", description: "Everything about links" },
  { name: "users.view", app: "admin", description: "See users" },
  { name: "users.manage", app: "admin", description: "Create, edit and disable users" },
  { name: "roles.manage", app: "admin", description: "Manage roles, permissions and assignments" },
  { name: "queues.view", app: "admin", description: "See queues and failed jobs" },
  { name: "queues.manage", app: "admin", description: "Retry and delete jobs" },
  { name: "health.view", app: "admin", description: "See system health" },
  { name: "audit.view", app: "admin", description: "Read the audit log" },
  { name: "feedback.view", app: "admin", description: "Read feedback" },
  {
    name: "oidc-clients.manage",
    app: "admin",
    description: "Register, rotate the secrets of and delete sign-in (OIDC) clients",
  },
];

/** The four default roles and what each may do. The super-admin passes every check by its name alone. */
export const DEFAULT_ROLES: ReadonlyArray<{
  name: string;
  description: string;
  permissions: readonly string[];
}> = [
  { name: SUPER_ADMIN_ROLE, description: "Can do everything, everywhere", permissions: ["*"] },
  {
    name: "admin",
    description: "Runs the ecosystem: users, roles, queues, health, and all content",
    permissions: [
      "tasks.*",
      "documents.*",
      "reports.view",
      "feedback.create",
      "feedback.view",
      "links.*",
      "users.view",
      "users.manage",
      "roles.manage",
      "queues.view",
      "queues.manage",
      "health.view",
      "audit.view",
      "oidc-clients.manage",
    ],
  },
  {
    name: "member",
    description: "Works with tasks, documents and links, without deleting",
    permissions: [
      "tasks.view",
      "tasks.create",
      "tasks.update",
      "documents.view",
      "documents.create",
      "documents.update",
      "reports.view",
      "feedback.create",
      "links.view",
      "links.create",
      "links.update",
      "links.stats",
    ],
  },
  {
    name: "viewer",
    description: "Reads tasks, documents, reports and links",
    permissions: ["tasks.view", "documents.view", "reports.view", "links.view", "links.stats"],
  },
];

export interface SeedSummary {
  readonly rolesCreated: number;
  readonly permissionsCreated: number;
  readonly grantsAdded: number;
  /** True when anything was written: call `rbac.invalidateCache()` if servers are running. */
  readonly changed: boolean;
}

/**
 * Creates the default roles and permissions, idempotently: running it again adds
 * only what is missing and never removes what an admin changed.
 */
export async function seedRbacDefaults(repo: RbacRepository): Promise<SeedSummary> {
  let permissionsCreated = 0;
  let rolesCreated = 0;
  let grantsAdded = 0;
  const permissionIds = new Map<string, number>();
  for (const { name, app, description } of DEFAULT_PERMISSIONS) {
    const { permission, created } = await repo.ensurePermission(name, app, description);
    permissionIds.set(name, permission.id);
    if (created) permissionsCreated += 1;
  }
  for (const { name, description, permissions } of DEFAULT_ROLES) {
    const { role, created } = await repo.ensureRole(name, description);
    if (created) rolesCreated += 1;
    for (const permission of permissions) {
      const permissionId = permissionIds.get(permission);
      if (permissionId === undefined) throw new Error(`DEFAULT_ROLES names unknown permission ${permission}`);
      if (await repo.link({ table: "role_permissions", role_id: role.id, permission_id: permissionId }))
        grantsAdded += 1;
    }
  }
  return {
    rolesCreated,
    permissionsCreated,
    grantsAdded,
    changed: rolesCreated + permissionsCreated + grantsAdded > 0,
  };
}

/**
 * Gives the demo users (created by the auth seeder) their roles, e.g.
 * `{ "super-admin": [1], admin: [2], member: [3], viewer: [4] }`. Idempotent.
 */
export async function assignDemoRoles(
  repo: RbacRepository,
  assignments: Readonly<Record<string, readonly number[]>>,
): Promise<{ assigned: number }> {
  let assigned = 0;
  for (const [roleName, userIds] of Object.entries(assignments)) {
    const role = await repo.findRole(roleName);
    if (role === undefined) {
      throw new MargError(
        "E_RBAC_UNKNOWN_ROLE",
        `No role '${roleName}'; run seedRbacDefaults before assigning demo roles.`,
        {
          status: 404,
        },
      );
    }
    for (const userId of userIds) {
      if (await repo.link({ table: "user_roles", user_id: userId, role_id: role.id })) assigned += 1;
    }
  }
  return { assigned };
}

/**
 * The seeder `marg db:seed` runs (shaped like the DB layer's `Seeder`): default
 * roles and permissions on the shared `rbac` connection.
 */
export const rbacDefaultsSeeder = {
  name: "rbac:default-roles",
  async run(ctx: { db<Tables>(name: "rbac"): Kysely<Tables>; log(line: string): void }): Promise<void> {
    const summary = await seedRbacDefaults(new RbacRepository(ctx.db<RbacTables>("rbac")));
    ctx.log(
      summary.changed
        ? `${summary.rolesCreated} roles, ${summary.permissionsCreated} permissions and ${summary.grantsAdded} grants added`
        : "default roles and permissions already present",
    );
  },
} as const;

import type { Generated } from "kysely";

/** Row of `permissions`. Times are epoch ms. */
export interface PermissionsTable {
  id: Generated<number>;
  name: string;
  app: string | null;
  description: string | null;
  created_at: number;
}

export interface RolesTable {
  id: Generated<number>;
  name: string;
  description: string | null;
  created_at: number;
}

export interface RolePermissionsTable {
  role_id: number;
  permission_id: number;
  created_at: number;
}

/** `user_id` is an id of the auth capability's `users` table (no foreign key: see rbac-migrations.ts). */
export interface UserRolesTable {
  user_id: number;
  role_id: number;
  created_at: number;
}

export interface UserPermissionsTable {
  user_id: number;
  permission_id: number;
  created_at: number;
}

/** The tables RBAC owns in the shared `marg-rbac` database, as Kysely sees them. */
export interface RbacTables {
  permissions: PermissionsTable;
  roles: RolesTable;
  role_permissions: RolePermissionsTable;
  user_roles: UserRolesTable;
  user_permissions: UserPermissionsTable;
}

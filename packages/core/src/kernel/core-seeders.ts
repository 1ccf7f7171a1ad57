import { demoUsersSeeder } from "../auth/demo-users-seeder.js";
import type { Seeder } from "../db/seeder.js";
import { rbacDefaultsSeeder } from "../rbac/rbac-seed.js";

/**
 * The seeders core contributes, in run order (default roles and permissions,
 * then the demo accounts that hold them); `marg db:seed` runs these before any
 * app's. Listed here, above the capabilities, so the database layer knows none.
 */
export const coreSeeders: readonly Seeder[] = [rbacDefaultsSeeder, demoUsersSeeder];

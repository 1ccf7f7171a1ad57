import { demoUsersSeeder } from "../auth/demo-users-seeder.js";
import { rbacDefaultsSeeder } from "../rbac/rbac-seed.js";
import type { Seeder } from "./seeder.js";

/** Seeders core itself contributes (demo accounts, default roles and permissions); `marg db:seed` runs these first. */
export const platformSeeders: Seeder[] = [rbacDefaultsSeeder, demoUsersSeeder];

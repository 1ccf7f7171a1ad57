import type { Seeder } from "../db/seeder.js";
import { RbacRepository } from "../rbac/rbac-repository.js";
import type { RbacTables } from "../rbac/rbac-schema.js";
import { assignDemoRoles } from "../rbac/rbac-seed.js";
import type { AuthDatabase } from "./auth-schema.js";
import { PasswordHasher } from "./password-hasher.js";
import { UserRepository } from "./user-repository.js";

/** The password of every demo account; printed by `npm start`. Never seeded in production. */
export const DEMO_PASSWORD = "marg-demo-password";

/** One demo account per default role (RBAC's seeder gives each its role). */
export const DEMO_USERS = [
  { email: "ada@marg.localhost", name: "Ada Lovelace", role: "super-admin" },
  { email: "grace@marg.localhost", name: "Grace Hopper", role: "admin" },
  { email: "linus@marg.localhost", name: "Linus Member", role: "member" },
  { email: "vera@marg.localhost", name: "Vera Viewer", role: "viewer" },
] as const;

/**
 * Creates the demo accounts that do not exist yet (idempotent: an account whose
 * password someone changed keeps it). Refuses to run in production, where a
 * published password would be a way in.
 */
export const demoUsersSeeder: Seeder = {
  name: "auth:demo-users",
  demo: true,
  async run(ctx) {
    if (ctx.config.app.production) {
      ctx.log("skipped: demo accounts are never created with APP_ENV=production");
      return;
    }
    const users = new UserRepository(ctx.db<AuthDatabase>("rbac"), { hasher: new PasswordHasher() });
    const roles: Record<string, number[]> = {};
    for (const demo of DEMO_USERS) {
      let user = await users.findByEmail(demo.email);
      if (user === null) {
        user = await users.create({ email: demo.email, name: demo.name, password: DEMO_PASSWORD });
        ctx.log(`created ${demo.email} (${demo.role})`);
      }
      roles[demo.role] = [...(roles[demo.role] ?? []), user.id];
    }
    // Idempotent: a role already held is not assigned twice.
    await assignDemoRoles(new RbacRepository(ctx.db<RbacTables>("rbac")), roles);
  },
};

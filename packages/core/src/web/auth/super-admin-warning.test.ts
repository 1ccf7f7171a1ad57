import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AccountTestApps, startAccountTestApps } from "../../../../../test/support/account-test-apps.js";
import type { Logger } from "../../logging/create-logger.js";
import type { Platform } from "../../platform/types.js";
import type { RbacTables } from "../../rbac/rbac-schema.js";
import { warnOnceWithoutSuperAdmin } from "./super-admin-warning.js";

describe("the sign-in page's warning when production has no super-admin", () => {
  let t: AccountTestApps;
  beforeAll(async () => {
    t = await startAccountTestApps({ label: "super-admin-warning", apps: ["flow"] });
  });
  afterAll(() => t?.close());

  /** The real platform seen as `env`, with a logger that keeps its warnings. */
  function platformIn(env: "production" | "testing") {
    const real = t.apps.flow?.platform as Platform;
    const warnings: string[] = [];
    const logger = { ...real.logger, warn: (message: string) => warnings.push(message) } as unknown as Logger;
    const platform: Platform = {
      ...real,
      logger,
      config: { ...real.config, app: { ...real.config.app, env } },
    };
    return { platform, warnings };
  }

  it("logs one line per process in production with no super-admin, however often /login is served", async () => {
    const { platform, warnings } = platformIn("production");
    for (let i = 0; i < 3; i++) await warnOnceWithoutSuperAdmin(platform);
    expect(warnings).toEqual([
      "no active user holds super-admin: create the first admin with `marg user:create EMAIL --role super-admin`",
    ]);
  });

  it("says nothing outside production", async () => {
    const { platform, warnings } = platformIn("testing");
    await warnOnceWithoutSuperAdmin(platform);
    expect(warnings).toEqual([]);
  });

  it("says nothing once an enabled user holds super-admin", async () => {
    const user = await t.createUser({ name: "Root", email: "root@example.com" });
    const db = t.apps.flow?.platform.rbacDb as unknown as Kysely<RbacTables>;
    const role = await db
      .insertInto("roles")
      .values({ name: "super-admin", description: null, created_at: Date.now() })
      .executeTakeFirstOrThrow();
    await db
      .insertInto("user_roles")
      .values({ user_id: user.id, role_id: Number(role.insertId), created_at: Date.now() })
      .execute();
    const { platform, warnings } = platformIn("production");
    await warnOnceWithoutSuperAdmin(platform);
    expect(warnings).toEqual([]);
  });
});

import { createMigrator } from "@marg/core/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { upsertDailyClicks } from "../clicks/repository.js";
import { type LinksDbEnv, openLinksDb } from "../test-support/links-db-env.js";
import { linksMigrations } from "./migrations.js";
import { isUniqueViolation } from "./unique-violation.js";

for (const driver of ["sqlite", "mysql"] as const) {
  describe(`links_db migrations on ${driver === "sqlite" ? "SQLite" : "MariaDB"}`, () => {
    let env: LinksDbEnv;

    beforeAll(async () => {
      env = await openLinksDb(driver, "migrations");
    });

    afterAll(async () => {
      await env?.cleanup();
    });

    it("creates links with a unique, case-sensitive slug", async () => {
      await env.addLink("AbCdEfG");
      await env.addLink("abcdefg");
      const duplicate = await env.addLink("abcdefg").catch((error: unknown) => error);
      expect(isUniqueViolation(duplicate)).toBe(true);
    });

    it("adds clicks to the same (link, day, referrer) row instead of duplicating it", async () => {
      await env.db.transaction().execute(async (trx) => {
        await upsertDailyClicks(trx, [{ linkId: 1, day: "2026-12-01", referrerHost: "", count: 3 }]);
        await upsertDailyClicks(trx, [
          { linkId: 1, day: "2026-12-01", referrerHost: "", count: 4 },
          { linkId: 1, day: "2026-12-01", referrerHost: "a.example", count: 1 },
        ]);
      });
      const rows = await env.db
        .selectFrom("link_clicks_daily")
        .selectAll()
        .orderBy("referrer_host")
        .execute();
      expect(rows.map((row) => [row.referrer_host, Number(row.clicks)])).toEqual([
        ["", 7],
        ["a.example", 1],
      ]);
    });

    it("rolls back to nothing and migrates up again", async () => {
      const migrator = createMigrator(() => env.databases, [linksMigrations]);
      const down = await migrator.rollback({ steps: 2 });
      expect(down.map((step) => step.name)).toEqual([
        "2026_12_01_100100_create_click_tables",
        "2026_12_01_100000_create_links",
      ]);
      const tables = await env.db.introspection.getTables();
      expect(tables.map((table) => table.name).filter((name) => name.startsWith("link"))).toEqual([]);
      const up = await migrator.latest();
      expect(up).toHaveLength(2);
      expect(await env.db.selectFrom("links").select("id").execute()).toEqual([]);
    });
  });
}

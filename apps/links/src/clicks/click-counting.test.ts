import type { Kysely } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { LinksTables } from "../db/schema.js";
import {
  type LinksDbEnv,
  openLinksDb,
  openScratchRedis,
  type ScratchRedis,
  type SqlDriverName,
} from "../test-support/links-db-env.js";
import { DatabaseClickCounter } from "./database-click-counter.js";
import { RedisClickCounter } from "./redis-click-counter.js";
import { flushClicks } from "./service.js";
import type { Click, ClickCounter } from "./types.js";

interface Driver {
  readonly name: string;
  readonly counter: "redis" | "database";
  readonly sql: SqlDriverName;
}

const DRIVERS: readonly Driver[] = [
  { name: "redis counter, SQLite links_db", counter: "redis", sql: "sqlite" },
  { name: "database counter, SQLite links_db", counter: "database", sql: "sqlite" },
  { name: "redis counter, MariaDB links_db", counter: "redis", sql: "mysql" },
  { name: "database counter, MariaDB links_db", counter: "database", sql: "mysql" },
];

async function dailyTotals(db: Kysely<LinksTables>): Promise<Record<string, number>> {
  const rows = await db.selectFrom("link_clicks_daily").selectAll().execute();
  const totals: Record<string, number> = {};
  for (const row of rows) totals[`${row.link_id}|${row.day}|${row.referrer_host}`] = Number(row.clicks);
  return totals;
}

async function totalClicks(db: Kysely<LinksTables>): Promise<number> {
  const totals = await dailyTotals(db);
  return Object.values(totals).reduce((sum, count) => sum + count, 0);
}

for (const driver of DRIVERS) {
  describe(`click counting (${driver.name})`, () => {
    let env: LinksDbEnv;
    let redis: ScratchRedis | undefined;
    let counter: ClickCounter;
    let links: number[];

    const flush = async (options: Parameters<typeof flushClicks>[1] = {}) => {
      await counter.drain();
      return flushClicks({ db: env.db, redis: redis?.redis }, options);
    };
    const record = async (clicks: readonly Click[]) => {
      await Promise.all(clicks.map((click) => counter.record(click)));
    };
    const click = (linkId: number, day = "2026-12-01", referrerHost = ""): Click => ({
      linkId,
      day,
      referrerHost,
    });

    beforeAll(async () => {
      env = await openLinksDb(driver.sql, `count_${driver.counter}`);
      if (driver.counter === "redis") redis = openScratchRedis("links_count");
    });

    afterAll(async () => {
      await counter?.close();
      await redis?.cleanup();
      await env?.cleanup();
    });

    beforeEach(async () => {
      await counter?.close();
      await redis?.clear();
      for (const table of ["link_clicks_daily", "link_click_buffer", "link_click_flushes", "links"] as const)
        await env.db.deleteFrom(table).execute();
      counter =
        driver.counter === "redis" && redis !== undefined
          ? new RedisClickCounter(redis.redis)
          : new DatabaseClickCounter(env.db, { intervalMs: 60_000 });
      links = [await env.addLink("aaa"), await env.addLink("bbb"), await env.addLink("ccc")];
    });

    it("moves every recorded click into link_clicks_daily, per link, day and referrer", async () => {
      const [a = 0, b = 0] = links;
      await record([
        ...Array.from({ length: 30 }, () => click(a)),
        ...Array.from({ length: 7 }, () => click(a, "2026-12-01", "news.example")),
        ...Array.from({ length: 5 }, () => click(a, "2026-12-02")),
        ...Array.from({ length: 11 }, () => click(b, "2026-11-30", "mail.example")),
      ]);
      const report = await flush();
      expect(report.clicks).toBe(53);
      expect(await dailyTotals(env.db)).toEqual({
        [`${a}|2026-12-01|`]: 30,
        [`${a}|2026-12-01|news.example`]: 7,
        [`${a}|2026-12-02|`]: 5,
        [`${b}|2026-11-30|mail.example`]: 11,
      });
    });

    it("adds to the daily rows on later flushes instead of replacing them", async () => {
      const [a = 0] = links;
      await record(Array.from({ length: 4 }, () => click(a)));
      await flush();
      await record(Array.from({ length: 6 }, () => click(a)));
      await flush();
      expect(await dailyTotals(env.db)).toEqual({ [`${a}|2026-12-01|`]: 10 });
    });

    it("reports unflushed clicks as pending, and none once flushed", async () => {
      const [a = 0, b = 0] = links;
      await record([click(a), click(a), click(a, "2026-12-02", "x.example"), click(b)]);
      const pending = await counter.pending(a);
      expect(pending.reduce((sum, count) => sum + count.count, 0)).toBe(3);
      await flush();
      expect(await counter.pending(a)).toEqual([]);
    });

    it("adds nothing when a flush finds nothing new", async () => {
      await record([click(links[0] ?? 0)]);
      await flush();
      expect((await flush()).clicks).toBe(0);
      expect(await totalClicks(env.db)).toBe(1);
    });

    it("keeps clicks that arrive while a flush runs for the next flush", async () => {
      const [a = 0] = links;
      await record(Array.from({ length: 5 }, () => click(a)));
      await counter.drain();
      await flushClicks(
        { db: env.db, redis: redis?.redis },
        { hooks: { beforeCommit: () => record(Array.from({ length: 3 }, () => click(a))) } },
      );
      await flush();
      expect(await totalClicks(env.db)).toBe(8);
    });

    it("rolls back a flush that dies before COMMIT, and the rerun counts each click once", async () => {
      const [a = 0, b = 0] = links;
      await record([
        ...Array.from({ length: 9 }, () => click(a)),
        ...Array.from({ length: 4 }, () => click(b)),
      ]);
      await expect(
        flush({
          hooks: {
            beforeCommit: () => {
              throw new Error("worker killed mid-flush");
            },
          },
        }),
      ).rejects.toThrow("worker killed mid-flush");
      expect(await totalClicks(env.db)).toBe(0);
      await flush();
      expect(await dailyTotals(env.db)).toEqual({ [`${a}|2026-12-01|`]: 9, [`${b}|2026-12-01|`]: 4 });
    });

    it("does not count twice when a flush dies after COMMIT but before cleaning up", async () => {
      const [a = 0] = links;
      await record(Array.from({ length: 12 }, () => click(a)));
      await expect(
        flush({
          hooks: {
            afterCommit: () => {
              throw new Error("worker killed after commit");
            },
          },
        }),
      ).rejects.toThrow("worker killed after commit");
      await record(Array.from({ length: 2 }, () => click(a)));
      await flush();
      await flush();
      expect(await dailyTotals(env.db)).toEqual({ [`${a}|2026-12-01|`]: 14 });
    });

    it("counts each click once when two flushes run at the same time", async () => {
      const [a = 0] = links;
      await record(Array.from({ length: 40 }, () => click(a)));
      await counter.drain();
      const deps = { db: env.db, redis: redis?.redis };
      await Promise.all([flushClicks(deps), flushClicks(deps), flushClicks(deps)]);
      expect(await totalClicks(env.db)).toBe(40);
    });

    it("drops clicks of a link deleted before the flush without failing the others", async () => {
      const [a = 0, b = 0] = links;
      await record([click(a), click(a), click(b)]);
      await env.db.deleteFrom("links").where("id", "=", b).execute();
      await flush();
      expect(await dailyTotals(env.db)).toEqual({ [`${a}|2026-12-01|`]: 2 });
    });
  });
}

import { readFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dayOf } from "../clicks/click-facts.js";
import { type LinksDbEnv, openLinksDb } from "../test-support/links-db-env.js";
import { writeClicksCsv } from "./clicks-csv.js";
import { streamClickExportRows } from "./repository.js";

const NOW = Date.parse("2026-12-02T12:00:00Z");
const HOSTS = 80;
const DAYS = 365;
/** The most rows the old `links.export` carried in its payload. */
const MAX_REPORT_ROWS = 20_000;

for (const driver of ["sqlite", "mysql"] as const) {
  describe(`a link's clicks export streamed from ${driver === "sqlite" ? "SQLite" : "MariaDB"}`, () => {
    let env: LinksDbEnv;
    let linkId = 0;
    const temp = createTempDir("clicks-csv");

    beforeAll(async () => {
      env = await openLinksDb(driver, "clicks-csv");
      linkId = await env.addLink("busy");
      // A year of daily rows for 80 referrers: more rows than a payload may carry.
      for (let day = 0; day < DAYS; day += 5) {
        const rows = [];
        for (let offset = day; offset < Math.min(day + 5, DAYS); offset++) {
          const date = new Date(NOW - offset * 86_400_000).toISOString().slice(0, 10);
          for (let host = 0; host < HOSTS; host++)
            rows.push({ link_id: linkId, day: date, referrer_host: `r${host}.example`, clicks: host + 1 });
        }
        await env.db.insertInto("link_clicks_daily").values(rows).execute();
      }
    }, 120_000);

    afterAll(async () => {
      await env?.cleanup();
      temp.remove();
    });

    it("writes every row into the file, past what a job payload may carry", async () => {
      const file = path.join(temp.path, "busy.csv");
      const rows = streamClickExportRows(env.db, { linkId, days: DAYS, lastDay: dayOf(NOW) });
      const written = await writeClicksCsv(file, rows);
      const total = DAYS * HOSTS;
      expect(total).toBeGreaterThan(MAX_REPORT_ROWS);
      expect(written).toBe(total);
      const lines = readFileSync(file, "utf8").trimEnd().split("\r\n");
      expect(lines).toHaveLength(total + 1);
      expect(lines[0]).toBe("day,referrer_host,clicks");
      expect(lines[1]).toBe("2025-12-03,r0.example,1");
      expect(lines[total]).toBe("2026-12-02,r9.example,10");
    }, 120_000);
  });
}

import { existsSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { backupFileName } from "./backup-name.js";
import { applyRetention } from "./retention.js";

const temp = createTempDir("backup-retention");
afterAll(() => temp.remove());

const NOW = new Date("2026-11-25T03:15:00Z");
const daysAgo = (days: number) => new Date(NOW.getTime() - days * 86_400_000);

/** A backup file with its manifest and checksum, as backup:mysql writes them. */
function seed(dir: string, date: Date, label = "marg"): string {
  const name = backupFileName("mysql", label, date, ".sql.gz");
  for (const file of [name, `${name}.manifest.json`, `${name}.sha256`])
    writeFileSync(path.join(dir, file), "x");
  return name;
}

describe("applyRetention", () => {
  it("deletes only backups past the window, with their manifest and checksum, and nothing else", () => {
    const dir = path.join(temp.path, "daily");
    mkdirSync(dir);
    const kept = [0, 1, 6, 7].map((days) => seed(dir, daysAgo(days)));
    const old = [8, 30].map((days) => seed(dir, daysAgo(days)));
    writeFileSync(path.join(dir, "notes.txt"), "an operator's file");
    writeFileSync(path.join(dir, "all_databases_20200101.sql.gz"), "the seed's old naming");

    const deleted = applyRetention(dir, { keepDays: 7 }, NOW);

    expect(deleted.map((file) => path.basename(file)).sort()).toEqual([...old].sort());
    for (const name of old) {
      expect(existsSync(path.join(dir, name))).toBe(false);
      expect(existsSync(path.join(dir, `${name}.manifest.json`))).toBe(false);
      expect(existsSync(path.join(dir, `${name}.sha256`))).toBe(false);
    }
    for (const name of kept) expect(existsSync(path.join(dir, `${name}.sha256`))).toBe(true);
    expect(readdirSync(dir)).toContain("notes.txt");
    expect(readdirSync(dir)).toContain("all_databases_20200101.sql.gz");
  });

  it("keeps the newest backup of each recent week and month when asked", () => {
    const dir = path.join(temp.path, "gfs");
    mkdirSync(dir);
    // 2026-11-25 is a Wednesday. 11-13 and 11-12 share a week; 10-20 is last month; 08-03 is too old.
    const newestOfWeek = seed(dir, new Date("2026-11-13T03:15:00Z"));
    const olderSameWeek = seed(dir, new Date("2026-11-12T03:15:00Z"));
    const lastMonth = seed(dir, new Date("2026-10-20T03:15:00Z"));
    const tooOld = seed(dir, new Date("2026-08-03T03:15:00Z"));

    const deleted = applyRetention(dir, { keepDays: 7, keepWeekly: 3, keepMonthly: 2 }, NOW).map((file) =>
      path.basename(file),
    );

    expect(deleted.sort()).toEqual([olderSameWeek, tooOld].sort());
    expect(existsSync(path.join(dir, newestOfWeek))).toBe(true);
    expect(existsSync(path.join(dir, lastMonth))).toBe(true);
  });

  it("treats each database label as its own series", () => {
    const dir = path.join(temp.path, "series");
    mkdirSync(dir);
    const app = seed(dir, daysAgo(20), "app");
    const rbac = seed(dir, daysAgo(21), "rbac");
    const deleted = applyRetention(dir, { keepDays: 7, keepWeekly: 4 }, NOW).map((file) =>
      path.basename(file),
    );
    expect(deleted).toEqual([]);
    expect(existsSync(path.join(dir, app))).toBe(true);
    expect(existsSync(path.join(dir, rbac))).toBe(true);
  });
});

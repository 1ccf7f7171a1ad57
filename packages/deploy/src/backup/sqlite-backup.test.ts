import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "./manifest.js";
import { backupSqlite, countSqliteRows, restoreSqlite } from "./sqlite-backup.js";
import { verifyBackup } from "./verify-backup.js";

const temp = createTempDir("backup-sqlite");
const live = path.join(temp.path, "marg.sqlite");
let db: Database.Database;

beforeAll(() => {
  db = new Database(live);
  db.pragma("journal_mode = WAL");
  db.exec("CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT); CREATE TABLE empty_one (id INTEGER);");
  const insert = db.prepare("INSERT INTO users (email) VALUES (?)");
  for (let index = 0; index < 50; index += 1) insert.run(`user${index}@example.test`);
});

afterAll(() => {
  db.close();
  temp.remove();
});

describe("SQLite backups (online backup API)", () => {
  let file: string;

  it("copies a live database in WAL mode, writes still open, with row counts in the manifest", async () => {
    const result = await backupSqlite(
      { label: "marg", file: live },
      { dir: path.join(temp.path, "backups") },
    );
    file = result.file;
    expect(path.basename(file)).toMatch(/^sqlite_marg_\d{8}_\d{6}\.sqlite\.gz$/);
    expect(result.manifest.databases).toEqual([{ name: "marg", tables: { empty_one: 0, users: 50 } }]);
  });

  it("verifies: checksum, integrity check, same row counts", async () => {
    const verified = await verifyBackup(file);
    expect(verified.manifest.kind).toBe("sqlite");
    expect(verified.tables).toBe(2);
  });

  it("restores into a fresh file with the same rows, while the live one moved on", async () => {
    db.prepare("INSERT INTO users (email) VALUES (?)").run("after-backup@example.test");
    const restoredFile = path.join(temp.path, "restored", "marg.sqlite");
    await restoreSqlite(file, restoredFile);
    const restored = new Database(restoredFile, { readonly: true });
    expect(countSqliteRows(restored)).toEqual({ empty_one: 0, users: 50 });
    expect(restored.prepare("SELECT email FROM users ORDER BY id").all()).toEqual(
      db.prepare("SELECT email FROM users WHERE email != 'after-backup@example.test' ORDER BY id").all(),
    );
    restored.close();
  });

  it("rejects a manifest whose counts the copy does not have", async () => {
    const manifest = readManifest(file);
    writeFileSync(
      `${file}.manifest.json`,
      JSON.stringify({ ...manifest, databases: [{ name: "marg", tables: { users: 51, empty_one: 0 } }] }),
    );
    await expect(verifyBackup(file)).rejects.toThrow(/marg\.users: manifest 51, restored 50/);
    writeFileSync(`${file}.manifest.json`, JSON.stringify(manifest));
    expect(readFileSync(`${file}.sha256`, "utf8")).toContain(manifest.sha256);
  });

  it("names a missing manifest instead of guessing", async () => {
    await expect(verifyBackup(path.join(temp.path, "nothing.sqlite.gz"))).rejects.toMatchObject({
      code: "E_BACKUP_NOT_FOUND",
    });
  });
});

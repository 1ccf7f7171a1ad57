import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import {
  createScratchMysqlDatabase,
  createTempDir,
  type ScratchDatabase,
  TEST_MYSQL,
} from "@marg/core/testing";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readManifest } from "./manifest.js";
import { backupMysql } from "./mysql-backup.js";
import { restoreMysqlDatabase } from "./mysql-restore.js";
import type { MysqlTarget } from "./types.js";
import { verifyBackup } from "./verify-backup.js";

const target: MysqlTarget = TEST_MYSQL;
const temp = createTempDir("backup-mysql");
const scratch: ScratchDatabase[] = [];
let app: ScratchDatabase;
let rbac: ScratchDatabase;
let connection: mysql.Connection;

async function rows(database: string, table: string): Promise<unknown[]> {
  const [result] = await connection.query(`SELECT * FROM \`${database}\`.\`${table}\` ORDER BY id`);
  return result as unknown[];
}

beforeAll(async () => {
  app = await createScratchMysqlDatabase("bk_app");
  rbac = await createScratchMysqlDatabase("bk_rbac");
  scratch.push(app, rbac);
  connection = await mysql.createConnection({ ...TEST_MYSQL, multipleStatements: true });
  await connection.query(`
    CREATE TABLE \`${app.name}\`.notes (id INT PRIMARY KEY, body TEXT, data BLOB, created BIGINT);
    CREATE TABLE \`${app.name}\`.empty_table (id INT PRIMARY KEY);
    CREATE TABLE \`${rbac.name}\`.roles (id INT PRIMARY KEY, name VARCHAR(50));`);
  const awkward = ["line one\nline two", 'it\'s "quoted"; DROP TABLE x; --', "ünïcødé ✓", "back\\slash", ""];
  for (const [index, body] of awkward.entries()) {
    await connection.query(`INSERT INTO \`${app.name}\`.notes VALUES (?, ?, ?, ?)`, [
      index + 1,
      body,
      Buffer.from([0, 10, 13, 39, 92, 255, index]),
      1_764_000_000_000 + index,
    ]);
  }
  await connection.query(
    `INSERT INTO \`${rbac.name}\`.roles VALUES (1, 'admin'), (2, 'member'), (3, 'viewer')`,
  );
});

afterAll(async () => {
  await connection.end();
  for (const database of scratch) await database.drop();
  temp.remove();
});

describe("marg backup:mysql → verify → restore", () => {
  let file: string;

  it("writes one gzipped dump of every database with a manifest of row counts and a checksum", async () => {
    const result = await backupMysql({ target, databases: [app.name, rbac.name], dir: temp.path });
    file = result.file;
    expect(path.basename(file)).toMatch(/^mysql_marg_\d{8}_\d{6}\.sql\.gz$/);
    expect(result.manifest.databases).toEqual([
      { name: app.name, tables: { empty_table: 0, notes: 5 } },
      { name: rbac.name, tables: { roles: 3 } },
    ]);
    expect(readManifest(file).sha256).toBe(result.manifest.sha256);
    expect(readFileSync(`${file}.sha256`, "utf8")).toBe(
      `${result.manifest.sha256}  ${path.basename(file)}\n`,
    );
    expect(readdirSync(temp.path).filter((name) => name.endsWith(".partial"))).toEqual([]);
  });

  it("verifies by restoring every database into a scratch one and comparing row counts", async () => {
    const verified = await verifyBackup(file, { mysql: target });
    expect(verified.tables).toBe(3);
    const [leftovers] = await connection.query("SHOW DATABASES LIKE 'marg_verify_%'");
    expect(leftovers).toEqual([]);
  });

  it("restores into a fresh database with exactly the same rows, bytes included", async () => {
    const fresh = await createScratchMysqlDatabase("bk_fresh");
    scratch.push(fresh);
    await restoreMysqlDatabase({
      target,
      file,
      manifest: readManifest(file),
      from: app.name,
      into: fresh.name,
    });
    expect(await rows(fresh.name, "notes")).toEqual(await rows(app.name, "notes"));
    const [tables] = await connection.query(`SHOW TABLES FROM \`${fresh.name}\``);
    expect((tables as Record<string, string>[]).map((row) => Object.values(row)[0]).sort()).toEqual([
      "empty_table",
      "notes",
    ]);
  });

  it("refuses a backup whose bytes changed since it was written", async () => {
    const copy = path.join(temp.path, path.basename(file).replace("marg", "tampered"));
    const bytes = readFileSync(file);
    bytes[bytes.length - 10] = (bytes[bytes.length - 10] ?? 0) ^ 0xff;
    writeFileSync(copy, bytes);
    writeFileSync(`${copy}.manifest.json`, readFileSync(`${file}.manifest.json`));
    await expect(verifyBackup(copy, { mysql: target })).rejects.toMatchObject({ code: "E_BACKUP_CORRUPT" });
  });

  it("reports a restore that does not match the manifest's row counts", async () => {
    const manifest = readManifest(file);
    const lying = { ...manifest, databases: [{ name: rbac.name, tables: { roles: 4 } }] };
    writeFileSync(`${file}.manifest.json`, JSON.stringify(lying));
    await expect(verifyBackup(file, { mysql: target })).rejects.toThrow(/roles: manifest 4, restored 3/);
    writeFileSync(`${file}.manifest.json`, JSON.stringify(manifest));
  });

  it("fails clearly, keeping nothing partial, when the dump fails", async () => {
    const dir = path.join(temp.path, "failed");
    await expect(backupMysql({ target, databases: ["marg_no_such_database_x"], dir })).rejects.toMatchObject({
      code: "E_BACKUP_FAILED",
    });
    expect(readdirSync(dir)).toEqual([]);
  });
});

import { randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import {
  createScratchMysqlDatabase,
  createTempDir,
  type ScratchDatabase,
  TEST_MYSQL,
} from "@marg/core/testing";
import Database from "better-sqlite3";
import { Command } from "commander";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliContext } from "../cli-context.js";
import { createOutput } from "../output.js";
import { registerBackupCommands } from "./backup-commands.js";

// The backup:* commands run in-process against two installations in temp
// folders: one on MySQL (scratch databases) and one on embedded SQLite.

const temp = createTempDir("cli-backup");
const scratch: ScratchDatabase[] = [];
afterAll(async () => {
  for (const database of scratch) await database.drop();
  temp.remove();
});

function sink(): { stream: Writable; text: () => string } {
  let text = "";
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      text += chunk.toString();
      callback();
    },
  });
  return { stream, text: () => text };
}

/** Runs `marg <args>` with only the backup commands registered; resolves to exit code and output. */
async function marg(env: Record<string, string>, ...args: string[]) {
  const stdout = sink();
  const stderr = sink();
  const ctx = createCliContext({
    root: temp.path,
    env: { APP_KEY: `base64:${randomBytes(32).toString("base64")}`, LOG_LEVEL: "warn", ...env },
    output: (json) => createOutput({ json, stdout: stdout.stream, stderr: stderr.stream }),
  });
  const program = new Command("marg").exitOverride();
  registerBackupCommands(program, ctx);
  await program.parseAsync(["node", "marg", ...args]);
  return { code: ctx.exitCode, stdout: stdout.text(), stderr: stderr.text() };
}

describe("marg backup:* on a MySQL installation", () => {
  let env: Record<string, string>;
  let app: ScratchDatabase;
  let connection: mysql.Connection;
  const dir = path.join(temp.path, "mysql-backups");

  beforeAll(async () => {
    app = await createScratchMysqlDatabase("cli_app");
    const rbac = await createScratchMysqlDatabase("cli_rbac");
    const business = await createScratchMysqlDatabase("cli_business");
    scratch.push(app, rbac, business);
    connection = await mysql.createConnection({ ...TEST_MYSQL, multipleStatements: true });
    await connection.query(`CREATE TABLE \`${app.name}\`.items (id INT PRIMARY KEY, name VARCHAR(40));
      INSERT INTO \`${app.name}\`.items VALUES (1,'one'),(2,'two'),(3,'three');
      CREATE TABLE \`${rbac.name}\`.roles (id INT PRIMARY KEY); INSERT INTO \`${rbac.name}\`.roles VALUES (7);`);
    env = {
      MARG_APPS: "flow",
      DB_CONNECTION: "mysql",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: TEST_MYSQL.user,
      DB_PASSWORD: TEST_MYSQL.password,
      DB_DATABASE: app.name,
      RBAC_DB_DATABASE: rbac.name,
      BUSINESS_DB_DATABASE: business.name,
    };
  });
  afterAll(() => connection.end());

  it("backs up every database, lists it, verifies it, and restores it into a fresh database", async () => {
    const backup = await marg(env, "backup:mysql", "--dir", dir, "--json");
    expect(backup.code, backup.stderr).toBe(0);
    const written = JSON.parse(backup.stdout) as {
      backups: { file: string; manifest: { databases: { name: string }[] } }[];
    };
    const file = written.backups[0]?.file ?? "";
    expect(written.backups[0]?.manifest.databases.map((database) => database.name).sort()).toEqual(
      scratch
        .slice(0, 3)
        .map((database) => database.name)
        .sort(),
    );

    const list = await marg(env, "backup:list", "--dir", dir);
    expect(list.stdout).toContain(path.basename(file));

    const verify = await marg(env, "backup:verify", file);
    expect(verify.code, verify.stderr).toBe(0);
    expect(verify.stdout).toContain("restores to the manifest's row counts (3 database(s), 2 table(s))");

    const fresh = await createScratchMysqlDatabase("cli_fresh");
    scratch.push(fresh);
    const refused = await marg(env, "backup:restore", file, "--database", fresh.name, "--from", app.name);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain("--force");
    const restore = await marg(
      env,
      "backup:restore",
      file,
      "--database",
      fresh.name,
      "--from",
      app.name,
      "--force",
    );
    expect(restore.code, restore.stderr).toBe(0);
    const [rows] = await connection.query(`SELECT id, name FROM \`${fresh.name}\`.items ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, name: "one" },
      { id: 2, name: "two" },
      { id: 3, name: "three" },
    ]);
  });

  it("exits 1 with the tool's error, never the password, when the server refuses the login", async () => {
    const run = await marg({ ...env, DB_PASSWORD: "not-the-password-xyz" }, "backup:mysql", "--dir", dir);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("MySQL backup failed");
    expect(run.stderr).not.toContain("not-the-password-xyz");
  });
});

describe("marg backup:* on an embedded (SQLite) installation", () => {
  it("backs up each database file with the online backup API and verifies it", async () => {
    const storage = path.join(temp.path, "storage");
    mkdirSync(path.join(storage, "database"), { recursive: true });
    for (const name of ["app_db", "rbac_db", "business_db"]) {
      const db = new Database(path.join(storage, "database", `${name}.sqlite`));
      db.exec("CREATE TABLE t (id INTEGER PRIMARY KEY); INSERT INTO t VALUES (1), (2);");
      db.close();
    }
    const env = {
      MARG_APPS: "flow",
      DB_CONNECTION: "sqlite",
      STORAGE_PATH: storage,
      DB_DATABASE: "app_db",
      RBAC_DB_DATABASE: "rbac_db",
      BUSINESS_DB_DATABASE: "business_db",
    };
    const backup = await marg(env, "backup:mysql", "--json");
    expect(backup.code, backup.stderr).toBe(0);
    const files = (JSON.parse(backup.stdout) as { backups: { file: string }[] }).backups.map(
      (entry) => entry.file,
    );
    expect(files.map((file) => path.basename(file).split("_")[1]).sort()).toEqual([
      "app-db",
      "business-db",
      "rbac-db",
    ]);
    for (const file of files) {
      expect(path.dirname(file)).toBe(path.join(storage, "backups"));
      const verify = await marg(env, "backup:verify", file);
      expect(verify.code, verify.stderr).toBe(0);
    }
  });
});

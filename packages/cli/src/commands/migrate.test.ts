import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir, TEST_MYSQL } from "@marg/core/testing";
import Database from "better-sqlite3";
import mysql from "mysql2/promise";
import { afterAll, describe, expect, it } from "vitest";

// `marg migrate`, `migrate:status`, `migrate:rollback` and `db:seed` as real
// processes against a temp installation whose only app, `probe`, lives in the
// temp root (apps/probe/src/index.ts), so nothing depends on the real apps.

const BIN = path.resolve(import.meta.dirname, "../../bin/marg.js");
const roots: { remove(): void }[] = [];
afterAll(() => {
  for (const root of roots) root.remove();
});

// Plain objects: the app file sits outside the repo and cannot import @marg/core.
const PROBE_APP = `
export const app = {
  id: "probe",
  title: "Probe",
  database: "probe_db",
  migrations: [
    {
      source: "probe",
      connection: "app",
      migrations: {
        "2026_01_01_000000_create_things": {
          up: (db) => db.schema.createTable("things").addColumn("name", "varchar(100)", (c) => c.notNull().unique()).execute(),
          down: (db) => db.schema.dropTable("things").execute(),
        },
        "2026_01_02_000000_create_others": {
          up: (db) => db.schema.createTable("others").addColumn("n", "integer").execute(),
          down: (db) => db.schema.dropTable("others").execute(),
        },
        /*EXTRA_MIGRATIONS*/
      },
    },
  ],
  seeders: [
    {
      name: "probe:things",
      async run(ctx) {
        const db = ctx.db("app");
        for (const name of ["a", "b"]) {
          const found = await db.selectFrom("things").select("name").where("name", "=", name).executeTakeFirst();
          if (!found) await db.insertInto("things").values({ name }).execute();
        }
      },
    },
  ],
};
`;

const BROKEN = `"2026_01_03_000000_break": { up: (db) => db.schema.createTable("things").addColumn("x", "integer").execute() },`;

function installation(options: { apps?: string; env?: string; broken?: boolean } = {}) {
  const root = createTempDir("cli-migrate");
  roots.push(root);
  const key = `base64:${randomBytes(32).toString("base64")}`;
  const apps = options.apps ?? "probe";
  writeFileSync(
    path.join(root.path, ".env.shared"),
    `APP_KEY=${key}\nSTORAGE_PATH=storage\nMARG_APPS=${apps}\n${options.env ?? ""}`,
  );
  const appDir = path.join(root.path, "apps", "probe", "src");
  mkdirSync(appDir, { recursive: true });
  writeFileSync(
    path.join(root.path, "apps", "probe", "package.json"),
    '{ "name": "@marg/probe", "type": "module" }',
  );
  writeFileSync(
    path.join(appDir, "index.ts"),
    PROBE_APP.replace("/*EXTRA_MIGRATIONS*/", options.broken ? BROKEN : ""),
  );
  return root.path;
}

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function marg(root: string, ...args: string[]): Promise<Run> {
  const env = { PATH: process.env.PATH ?? "", HOME: root, MARG_ROOT: root, NO_COLOR: "1" };
  return new Promise((resolve) => {
    execFile("node", [BIN, ...args], { cwd: root, env }, (error, stdout, stderr) => {
      resolve({ code: error === null ? 0 : Number(error.code ?? 1), stdout, stderr });
    });
  });
}

function thingsIn(root: string): string[] {
  const db = new Database(path.join(root, "storage", "database", "probe_db.sqlite"), { readonly: true });
  try {
    return (db.prepare("select name from things order by name").all() as { name: string }[]).map(
      (row) => row.name,
    );
  } finally {
    db.close();
  }
}

describe("marg migrate, migrate:status, migrate:rollback, db:seed (SQLite)", () => {
  it("migrates an app into its own SQLite file, reports each migration, and runs nothing the second time", async () => {
    const root = installation();
    const first = await marg(root, "migrate");
    // Core's own migrations (users, sessions, cache, RBAC) run too; the probe app's two are among them.
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/^Ran \d+ migration\(s\)\.\n$/);
    expect(first.stderr).toMatch(
      /migrated {2}app\/probe_db {2}2026_01_01_000000_create_things {2}\(probe, \d+ ms\)/,
    );
    expect(existsSync(path.join(root, "storage", "database", "probe_db.sqlite"))).toBe(true);
    expect(await marg(root, "migrate")).toMatchObject({ code: 0, stdout: "Nothing to migrate.\n" });
  });

  it("shows status as JSON, rolls back one step, and seeds twice without duplicates", async () => {
    const root = installation();
    expect((await marg(root, "migrate")).code).toBe(0);
    const rollback = await marg(root, "migrate:rollback", "--step", "1", "--json");
    expect(rollback.code).toBe(0);
    expect(JSON.parse(rollback.stdout).rolledBack.map((step: { name: string }) => step.name)).toEqual([
      "2026_01_02_000000_create_others",
    ]);
    const status = JSON.parse((await marg(root, "migrate:status", "--json")).stdout);
    expect(status.pending).toBe(1);
    const probeRows = status.rows.filter((row: { source: string }) => row.source === "probe");
    expect(probeRows[0]).toMatchObject({ connection: "app", database: "probe_db", source: "probe" });
    expect(probeRows[0].executedAt).toMatch(/^\d{4}-\d\d-\d\dT/);

    expect((await marg(root, "db:seed")).code).toBe(0);
    const again = await marg(root, "db:seed", "--json");
    const seededAgain = JSON.parse(again.stdout);
    expect(seededAgain.ok).toBe(true);
    expect(seededAgain.seeded.filter((entry: { source: string }) => entry.source === "probe")).toMatchObject([
      { name: "probe:things", source: "probe" },
    ]);
    expect(thingsIn(root)).toEqual(["a", "b"]);
  });

  it("refuses to migrate in production without --force (exit 2), and migrates with it", async () => {
    const root = installation({ env: "APP_ENV=production\n" });
    const refused = await marg(root, "migrate");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--force");
    expect(existsSync(path.join(root, "storage", "database", "probe_db.sqlite"))).toBe(false);
    expect((await marg(root, "migrate", "--force")).code).toBe(0);
  });

  it("stops at a failing migration with exit 1, naming it, and --json says E_MIGRATION_FAILED", async () => {
    const root = installation({ broken: true });
    const run = await marg(root, "migrate", "--json");
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Migration 2026_01_03_000000_break \(probe, database `probe_db`\) failed/);
    const result = JSON.parse(run.stdout);
    expect(result).toMatchObject({ ok: false, error: { code: "E_MIGRATION_FAILED" } });
    expect(result.migrated.filter((step: { source: string }) => step.source === "probe")).toHaveLength(2);
  });

  it("says which app is unknown when MARG_APPS names one without a folder", async () => {
    const root = installation({ apps: "ghost" });
    const run = await marg(root, "migrate:status");
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('App "ghost" is listed in MARG_APPS but has no folder apps/ghost');
  });
});

describe("marg migrate (MariaDB)", () => {
  // A hyphenated name, like the seed's marg-rbac; `marg migrate` must create it.
  const database = `marg_t_cli_${randomBytes(4).toString("hex")}-probe`;
  afterAll(async () => {
    const admin = await mysql.createConnection(TEST_MYSQL);
    for (const name of [database, `${database}-rbac`, `${database}-business`]) {
      await admin.query(`DROP DATABASE IF EXISTS \`${name}\``);
    }
    await admin.end();
  });

  it("creates the app's database and migrates it", async () => {
    const root = installation({
      env: [
        "DB_CONNECTION=mysql",
        `DB_HOST=${TEST_MYSQL.host}`,
        `DB_PORT=${TEST_MYSQL.port}`,
        `DB_USERNAME=${TEST_MYSQL.user}`,
        `DB_PASSWORD=${TEST_MYSQL.password}`,
        `DB_DATABASE=${database}`,
        // The shared databases too, so the test never touches a real marg-rbac.
        `RBAC_DB_DATABASE=${database}-rbac`,
        `BUSINESS_DB_DATABASE=${database}-business`,
        "",
      ].join("\n"),
    });
    const run = await marg(root, "migrate");
    expect(run.code).toBe(0);
    expect(run.stderr).toContain(`created database \`${database}\` (app)`);
    const status = JSON.parse((await marg(root, "migrate:status", "--json")).stdout);
    expect(status.pending).toBe(0);
    expect(status.rows.filter((row: { source: string }) => row.source === "probe")).toMatchObject([
      { database },
      { database },
    ]);
  });
});
